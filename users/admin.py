from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from users.models import User
from users.services import user_delete, users_delete
from users.signals import member_data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "display_name", "is_staff", "date_joined", "last_login")
    list_filter = ("is_staff", "is_active")
    search_fields = ("username", "email", "display_name")
    ordering = ("username", "pk")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("display_name", "email", "age", "show_age", "bio")}),
        ("Personal info", {"fields": ("first_name", "last_name"), "classes": ("collapse",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_deleted_objects(self, objs: Sequence[User] | QuerySet[User], request: HttpRequest) -> tuple[Any, ...]:
        """List what other apps hold of the members (their notes) in the confirmation too, when their stores can tell."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for data in member_data([member.pk for member in objs]):
            to_delete.append(data.description)
            model_count[data.name] = data.count
        return to_delete, model_count, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users_delete(users=queryset)
