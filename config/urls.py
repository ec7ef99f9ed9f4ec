from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("health.urls")),
    path("users/", include("users.urls")),
    path("notes/", include("notes.urls")),
    path("admin/", admin.site.urls),
]
