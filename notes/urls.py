"""The notes pages (the names `list`, `public` and `create` are used by templates/base.html)."""

from __future__ import annotations

from django.urls import path, register_converter

from notes import views
from notes.converters import ObjectIdConverter
from notes.transfer import views as transfer_views

app_name = "notes"

register_converter(ObjectIdConverter, "objectid")

urlpatterns = [
    path("", views.NoteListView.as_view(), name="list"),
    path("public/", views.PublicNoteListView.as_view(), name="public"),
    path("new/", views.NoteCreateView.as_view(), name="create"),
    path("preview/", views.note_preview_view, name="preview"),
    path("<objectid:pk>/", views.NoteDetailView.as_view(), name="detail"),
    path("<objectid:pk>/edit/", views.NoteUpdateView.as_view(), name="edit"),
    path("<objectid:pk>/delete/", views.NoteDeleteView.as_view(), name="delete"),
    path("<objectid:pk>/pin/", views.note_pin_view, name="pin"),
    path("<objectid:pk>/checklist/<int:index>/", views.note_checklist_item_view, name="check"),
    path("trash/", views.TrashView.as_view(), name="trash"),
    path("trash/empty/", views.TrashEmptyView.as_view(), name="trash_empty"),
    path("<objectid:pk>/restore/", views.note_restore_view, name="restore"),
    path("<objectid:pk>/delete-forever/", views.NoteDeleteForeverView.as_view(), name="delete_forever"),
    path("transfer/", transfer_views.note_transfer_view, name="transfer"),
    path("transfer/notes.jsonl", transfer_views.NotesJsonLinesView.as_view(), name="export_jsonl"),
    path("transfer/notes.zip", transfer_views.NotesMarkdownView.as_view(), name="export_markdown"),
]
