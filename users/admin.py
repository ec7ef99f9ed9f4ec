from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import HttpRequest

from notes.models import Note
from users.models import User
from users.services import user_delete, users_delete


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "display_name", "is_staff", "date_joined", "last_login")
    list_filter = ("is_staff", "is_active")
    search_fields = ("username", "email", "display_name")
    ordering = ("username", "pk")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("display_name", "email", "age", "bio")}),
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
        """List the members' notes in the confirmation too, when the document store can count them."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        try:
            notes = Note.objects.filter(owner_id__in=[member.pk for member in objs]).count()
        except DatabaseError:
            return to_delete, model_count, perms_needed, protected
        if notes:
            to_delete.append(f"{notes} note{'s' if notes != 1 else ''} in the document store")
            model_count["notes"] = notes
        return to_delete, model_count, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users_delete(users=queryset)
