from django.urls import path

from health import views

app_name = "health"

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("status/", views.store_status_page, name="status"),
]
