"""Placeholder routes: the notes issue replaces these with the real pages (names are the contract)."""

from django.http import HttpResponse
from django.urls import path

app_name = "notes"


def _placeholder(request, **kwargs):
    return HttpResponse("Not built yet.", status=501)


urlpatterns = [
    path("", _placeholder, name="list"),
    path("public/", _placeholder, name="public"),
    path("new/", _placeholder, name="create"),
]
