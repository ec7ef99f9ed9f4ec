"""Placeholder routes: the users issue replaces these with the real pages (names are the contract)."""

from django.http import HttpResponse
from django.urls import path

app_name = "users"


def _placeholder(request, **kwargs):
    return HttpResponse("Not built yet.", status=501)


urlpatterns = [
    path("", _placeholder, name="directory"),
    path("signup/", _placeholder, name="signup"),
    path("login/", _placeholder, name="login"),
    path("logout/", _placeholder, name="logout"),
    path("<int:pk>/", _placeholder, name="profile"),
]
