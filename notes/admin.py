"""The notes admin: the documents in MongoDB, with their owners' names from the relational store."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from notes.admin_forms import NoteAdminForm
from notes.models import Note, NoteQuerySet
from notes.services import note_delete
from users.models import User
from users.names import member_names

MOST_USED_TAGS_KEY = "admin:most-used-tags"
MOST_USED_TAGS_SECONDS = 10 * 60  # counting every note's tags takes seconds at 100,000 notes
TAG_FILTER_CHOICES = 20


class NoteChangeList(ChangeList):
    """The changelist, with every owner's name on the page resolved in one lookup."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        notes = list(self.result_list)  # evaluates the page once; the queryset keeps these instances
        names = member_names({note.owner_id for note in notes})
        for note in notes:
            note.owner_name = names.get(note.owner_id)


class TagListFilter(admin.SimpleListFilter):
    """Filter by one of the most used tags (any tag by URL: `?tag=name`)."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        """The most used tags, counted over every note and kept in Redis for MOST_USED_TAGS_SECONDS."""
        tags = cache.get(MOST_USED_TAGS_KEY)
        if tags is None:
            notes_tags = model_admin.get_queryset(request).values_list("tags", flat=True)
            counts = Counter(tag for note_tags in notes_tags for tag in note_tags)
            tags = sorted(tag for tag, _ in counts.most_common(TAG_FILTER_CHOICES))
            cache.set(MOST_USED_TAGS_KEY, tags, MOST_USED_TAGS_SECONDS)
        return [(tag, f"#{tag}") for tag in tags]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Note]) -> QuerySet[Note]:
        tag = self.value()
        return cast(NoteQuerySet, queryset).tagged(tag) if tag else queryset


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    form = NoteAdminForm
    list_display = ("title", "owner", "tag_list", "visibility", "pinned", "updated_at")
    list_filter = (TagListFilter, "visibility", "pinned")
    show_facets = admin.ShowFacets.NEVER  # the backend cannot count with a filter (docs/mongodb-compatibility.md)
    search_fields = ("title", "body")
    search_help_text = "Words in the title or body, an owner's username (alice or @alice), or a tag (#recipes)."
    ordering = ("-updated_at",)
    fieldsets = [
        (None, {"fields": ["owner_id", "owner", "title", "body", "tags", "visibility", "pinned"]}),
        ("Embedded documents", {"fields": ["checklist", "attributes"]}),
        ("History", {"fields": ["created_at", "updated_at", "revision_list"]}),
    ]
    readonly_fields = ("owner", "created_at", "updated_at", "revision_list")

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return NoteChangeList

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Note], search_term: str
    ) -> tuple[QuerySet[Note], bool]:
        """Match the title and body's words, or the whole term as an owner's username or as a tag.

        Owners live in the relational store: their ids are looked up first (one query), then matched here.
        """
        term = search_term.strip()
        notes, may_have_duplicates = super().get_search_results(request, queryset, term)
        if not term:
            return notes, may_have_duplicates
        owner_ids = list(User.objects.filter(username__iexact=term.removeprefix("@")).values_list("pk", flat=True))
        by_owner_or_tag = Q(owner_id__in=owner_ids) | Q(tags__contains=[term.removeprefix("#").lower()])
        return notes | queryset.filter(by_owner_or_tag), may_have_duplicates

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

    @admin.display(description="tags")
    def tag_list(self, note: Note) -> str:
        return " ".join(f"#{tag}" for tag in note.tags)

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
