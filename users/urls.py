"""Members: sign up, log in and out, passwords, the directory and profiles (names used by templates)."""

from __future__ import annotations

from django.urls import path

from users import views

app_name = "users"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("login/", views.MemberLoginView.as_view(), name="login"),
    path("logout/", views.MemberLogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("<int:pk>/", views.ProfileView.as_view(), name="profile"),
    path("<int:pk>/edit/", views.ProfileUpdateView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.AccountDeleteView.as_view(), name="delete"),
]
