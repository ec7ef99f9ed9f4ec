"""The notes pages: my notes, public notes, and one note's page, editor and delete confirmation."""

from __future__ import annotations

from typing import Any, cast

from bson import ObjectId
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.edit import FormMixin

from notes.counters import note_view_record
from notes.forms import NoteForm
from notes.models import MAX_ATTRIBUTES, MAX_CHECKLIST_ITEMS, MAX_REVISIONS, Note, NoteQuerySet
from notes.owners import with_owner_names
from notes.permissions import can_write, get_note_for
from notes.services import note_checklist_item_mark, note_create, note_delete, note_pin, note_update
from notes.topics import NOTES
from page_cache.fragments import MemberFragmentCacheMixin
from page_cache.paginator import CountCachingPaginator, LastPageRedirectMixin
from page_cache.views import AnonymousPageCacheMixin
from users.topics import MEMBERS, member_topic

NOTES_PER_PAGE = 20
MAX_SEARCH_LENGTH = 200


class NoteFilterMixin(LastPageRedirectMixin):
    """Narrow a list by `?tag=` and `?q=` (title or body, ignoring case); both may be given."""

    request: HttpRequest

    @cached_property
    def search(self) -> str:
        return self.request.GET.get("q", "").strip()[:MAX_SEARCH_LENGTH]

    @cached_property
    def tag(self) -> str:
        return self.request.GET.get("tag", "").strip().lower()[:MAX_SEARCH_LENGTH]

    def count_scope(self) -> tuple[str, list[str]]:
        """Name this list (without filters) and the topics its count depends on."""
        raise NotImplementedError

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Paginator:
        """Keep the count of the whole list in Redis; a search or tag is free text, one key each would fill it."""
        if self.tag or self.search:
            return Paginator(queryset, per_page, *args, **kwargs)
        name, topics = self.count_scope()
        return CountCachingPaginator(queryset, per_page, *args, scope=name, topics=topics, **kwargs)

    def filter_notes(self, notes: NoteQuerySet) -> NoteQuerySet:
        if self.tag:
            notes = notes.tagged(self.tag)
        if self.search:
            notes = notes.matching(self.search)
        return notes

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(search=self.search, tag=self.tag, **kwargs)


class NoteListView(LoginRequiredMixin, NoteFilterMixin, ListView):
    """My notes, pinned first, then the most recently changed."""

    template_name = "notes/note_list.html"
    context_object_name = "notes"
    paginate_by = NOTES_PER_PAGE

    @property
    def member_id(self) -> int:
        """The member whose notes these are: the one logged in (LoginRequiredMixin)."""
        return cast(int, self.request.user.pk)

    def count_scope(self) -> tuple[str, list[str]]:
        return f"notes-of:{self.member_id}", [member_topic(self.member_id)]

    def get_queryset(self) -> NoteQuerySet:
        return self.filter_notes(Note.objects.owned_by(self.member_id)).pinned_first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(heading="My notes", list_url=reverse("notes:list"), **kwargs)


class PublicNoteListView(AnonymousPageCacheMixin, MemberFragmentCacheMixin, NoteFilterMixin, ListView):
    """Everyone's public notes, newest first, with their owners' names; the same list for every member."""

    template_name = "notes/note_list.html"
    context_object_name = "notes"
    paginate_by = NOTES_PER_PAGE

    def page_topics(self) -> list[str]:
        return [NOTES, MEMBERS]

    def count_scope(self) -> tuple[str, list[str]]:
        return "public-notes", [NOTES]

    def get_queryset(self) -> NoteQuerySet:
        return self.filter_notes(Note.objects.public()).newest_first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(
            heading="Public notes", list_url=reverse("notes:public"), show_owner=True, **kwargs
        )
        context["notes"] = with_owner_names(context["page_obj"].object_list)
        return context


class NoteDetailView(DetailView):
    """One note, its checklist, attributes and earlier versions."""

    template_name = "notes/note_detail.html"
    context_object_name = "note"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Note:
        return get_note_for(self.request.user, self.kwargs["pk"], write=False)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        viewer_id = self.request.user.pk if self.request.user.is_authenticated else None
        live_views = note_view_record(note_id=self.object.pk, owner_id=self.object.owner_id, viewer_id=viewer_id)
        return super().get_context_data(
            can_write=can_write(self.request.user, self.object),
            max_revisions=MAX_REVISIONS,
            view_count=None if live_views is None else self.object.view_count + live_views,
            **kwargs,
        )


class NoteEditorMixin(SuccessMessageMixin, FormMixin):
    """Render the note editor and turn a service's refusal into form errors."""

    form_class = NoteForm
    template_name: str | None = "notes/note_form.html"
    success_message = "Saved “%(title)s”."
    extra_context = {"max_checklist_items": MAX_CHECKLIST_ITEMS, "max_attributes": MAX_ATTRIBUTES}

    def save(self, form: NoteForm) -> Note:
        raise NotImplementedError

    def form_valid(self, form: NoteForm) -> HttpResponse:
        try:
            self.saved_note = self.save(form)
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("notes:detail", args=[self.saved_note.pk])


class NoteCreateView(LoginRequiredMixin, NoteEditorMixin, FormView):
    """Write a new note."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member_id = cast(int, self.request.user.pk)
        return super().get_context_data(first_note=not Note.objects.owned_by(member_id).exists(), **kwargs)

    def save(self, form: NoteForm) -> Note:
        return note_create(owner_id=cast(int, self.request.user.pk), **form.note_values())  # a member: logged in


class NoteUpdateView(LoginRequiredMixin, NoteEditorMixin, FormView):
    """Edit a note; a changed title or body keeps the previous version as a revision."""

    @cached_property
    def note(self) -> Note:
        return get_note_for(self.request.user, self.kwargs["pk"], write=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "note": self.note}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(note=self.note, **kwargs)

    def save(self, form: NoteForm) -> Note:
        return note_update(note=self.note, **form.note_values())


class NoteDeleteView(LoginRequiredMixin, SuccessMessageMixin, FormView):
    """Ask before deleting a note; the POST deletes it."""

    form_class = forms.Form
    template_name = "notes/note_confirm_delete.html"
    success_url = reverse_lazy("notes:list")

    @cached_property
    def note(self) -> Note:
        return get_note_for(self.request.user, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(note=self.note, **kwargs)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        note_delete(note=self.note)
        return super().form_valid(form)

    def get_success_message(self, cleaned_data: dict[str, Any]) -> str:
        return f"Deleted “{self.note.title}”."


def _quick_action_answer(request: HttpRequest, note: Note, state: dict[str, Any]) -> HttpResponse:
    """Answer a quick action: JSON for the page's script, else back where the form was (or to the note)."""
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(state)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("notes:detail", args=[note.pk])
    return redirect(back)


def _posted_switch(request: HttpRequest, name: str) -> bool:
    """Read a posted "1" or "0"; anything else is a bad request."""
    value = request.POST.get(name)
    if value not in ("0", "1"):
        raise BadRequest(f"{name} must be 0 or 1.")
    return value == "1"


@require_POST
@login_required
def note_pin_view(request: HttpRequest, pk: ObjectId) -> HttpResponse:
    """Pin or unpin a note from its page or a list, without the editor."""
    note = note_pin(note=get_note_for(request.user, pk, write=True), pinned=_posted_switch(request, "pinned"))
    return _quick_action_answer(request, note, {"pinned": note.pinned})


@require_POST
@login_required
def note_checklist_item_view(request: HttpRequest, pk: ObjectId, index: int) -> HttpResponse:
    """Tick or untick one checklist item from the note's page or a list, without the editor."""
    note = get_note_for(request.user, pk, write=True)
    try:
        note = note_checklist_item_mark(note=note, index=index, done=_posted_switch(request, "done"))
    except IndexError:
        raise Http404("No such checklist item.") from None
    state = {"done": note.checklist[index].done, "done_count": note.checklist_done_count, "total": len(note.checklist)}
    return _quick_action_answer(request, note, state)
