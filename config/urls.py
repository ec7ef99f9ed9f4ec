from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "Polystore administration"

urlpatterns = [
    path("", include("home.urls")),
    path("", include("health.urls")),
    path("users/", include("users.urls")),
    path("notes/", include("notes.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "health.error_pages.bad_request"
handler403 = "health.error_pages.permission_denied"
handler404 = "health.error_pages.page_not_found"
