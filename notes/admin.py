"""The notes admin: the documents in MongoDB, with their owners' names from the relational store."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from notes.models import Note
from notes.services import note_delete
from users.names import member_names


class NoteChangeList(ChangeList):
    """The changelist, with every owner's name on the page resolved in one lookup."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        notes = list(self.result_list)  # evaluates the page once; the queryset keeps these instances
        names = member_names({note.owner_id for note in notes})
        for note in notes:
            note.owner_name = names.get(note.owner_id)


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "visibility", "pinned", "updated_at")
    list_filter = ("visibility", "pinned")
    search_fields = ("title", "body")
    ordering = ("-updated_at",)
    fieldsets = [
        (None, {"fields": ["owner_id", "owner", "title", "body", "tags", "visibility", "pinned"]}),
        ("Embedded documents", {"fields": ["checklist", "attributes"]}),
        ("History", {"fields": ["created_at", "updated_at", "revision_list"]}),
    ]
    readonly_fields = ("owner", "created_at", "updated_at", "revision_list")

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return NoteChangeList

    @admin.display(description="owner", ordering="owner_id")
    def owner(self, note: Note) -> str:
        """Show the owner's name, looked up per page on the changelist and once on the change page."""
        if note.pk is None:
            return "—"
        if not hasattr(note, "owner_name"):
            note.owner_name = member_names([note.owner_id]).get(note.owner_id)
        if note.owner_name is None:
            return f"member #{note.owner_id} (deactivated, or deleted: an orphan note)"
        return note.owner_name

    @admin.display(description="earlier versions")
    def revision_list(self, note: Note) -> str:
        if not note.revisions:
            return "—"
        rows = ((f"{revision.saved_at:%Y-%m-%d %H:%M:%S}", revision.title) for revision in note.revisions)
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{} · {}</li>", rows))

    def save_model(self, request: HttpRequest, obj: Note, form: ModelForm, change: bool) -> None:
        """Keep the previous title and body as a revision when an admin edit changes them."""
        if change and {"title", "body"} & set(form.changed_data):
            obj.record_revision(title=form.initial["title"], body=form.initial["body"])
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Note) -> None:
        note_delete(note=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Note]) -> None:
        queryset.delete()
