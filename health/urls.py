from django.urls import path

from health import views

app_name = "health"

urlpatterns = [
    path("", views.home, name="home"),
    path("readyz", views.readyz, name="readyz"),
]
