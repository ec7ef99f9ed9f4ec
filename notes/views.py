"""The notes pages: my notes, public notes, one note's page, editor and delete confirmation, and the trash."""

from __future__ import annotations

from typing import Any, cast

from bson import ObjectId
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.edit import FormMixin

from notes.counters import note_view_record_if_page_kept
from notes.forms import EditorAction, NoteBodyForm, NoteForm
from notes.models import (
    MAX_ATTRIBUTES,
    MAX_BODY_LENGTH,
    MAX_CHECKLIST_ITEMS,
    TRASH_DAYS,
    Note,
    NoteQuerySet,
)
from notes.note_page import VIEWS_SLOT, views_shown
from notes.owners import with_owner_names
from notes.permissions import can_take_out_of_trash, can_write, get_note_for, get_note_viewed_by
from notes.services import (
    note_checklist_item_mark,
    note_create,
    note_delete,
    note_pin,
    note_restore,
    note_trash,
    note_update,
    notes_trash_empty,
)
from notes.topics import NOTES, VIEWS_FOLDED
from page_cache.fragments import MemberFragmentCacheMixin
from page_cache.paginator import CountCachingPaginator, LastPageRedirectMixin, ShortListPaginator
from page_cache.versions import Filing, versioned_keys
from page_cache.views import AnonymousPageCacheMixin, page_key
from request_limits.middleware import request_body_limit
from users.topics import MEMBERS, member_topic

NOTES_PER_PAGE = 20
MAX_SEARCH_LENGTH = 200
# The Preview tab posts the body alone, as multipart: 4 bytes a character at most in UTF-8,
# and room for the CSRF token and the parts' headers.
PREVIEW_BODY_BYTES = 4 * MAX_BODY_LENGTH + 4096


class NoteFilterMixin(LastPageRedirectMixin):
    """Narrow a list by `?tag=` and `?q=` (title or body, ignoring case); both may be given."""

    request: HttpRequest
    count_paginator_class: type[CountCachingPaginator] = CountCachingPaginator

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
        return self.count_paginator_class(queryset, per_page, *args, scope=name, topics=topics, **kwargs)

    def filter_notes(self, notes: NoteQuerySet) -> NoteQuerySet:
        if self.tag:
            notes = notes.tagged(self.tag)
        if self.search:
            notes = notes.matching(self.search)
        return notes

    @property
    def tag_link(self) -> str:
        """A tag's link on this list's cards, before the tag: the same list, with the same search, from its first page."""
        return f"?{urlencode({'q': self.search})}&tag=" if self.search else "?tag="

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(search=self.search, tag=self.tag, tag_link=self.tag_link, **kwargs)


class NoteListView(LoginRequiredMixin, NoteFilterMixin, ListView):
    """My notes, pinned first, then the most recently changed."""

    template_name = "notes/note_list.html"
    context_object_name = "notes"
    paginate_by = NOTES_PER_PAGE
    count_paginator_class = ShortListPaginator

    @property
    def member_id(self) -> int:
        """The member whose notes these are: the one logged in (LoginRequiredMixin)."""
        return cast(int, self.request.user.pk)

    def count_scope(self) -> tuple[str, list[str]]:
        return f"notes-of:{self.member_id}", [member_topic(self.member_id)]

    def get_queryset(self) -> NoteQuerySet:
        return self.filter_notes(Note.objects.owned_by(self.member_id)).pinned_first().for_cards()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(heading="My notes", list_url=reverse("notes:list"), show_owner=False, **kwargs)


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
        return self.filter_notes(Note.objects.public()).newest_first().for_cards()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(
            heading="Public notes", list_url=reverse("notes:public"), show_owner=True, **kwargs
        )
        context["notes"] = with_owner_names(context["page_obj"].object_list)
        return context


class NoteDetailView(AnonymousPageCacheMixin, DetailView):
    """One note, its checklist, attributes and earlier versions.

    Visitors are served the page kept in Redis, as public notes are, with the view counted and its
    count written in (kept_page()): one round trip and no read of the note. The page is kept with a
    slot for the count (page_to_keep()), and with the views folded into the note when it rendered.
    """

    template_name = "notes/note_detail.html"
    context_object_name = "note"
    views: int | None  # the note's views, this one included; None when Redis did not count it

    def page_topics(self) -> list[str]:
        # The note (any note's write bumps NOTES), its owner's name, and its views folded into it.
        return [NOTES, MEMBERS, VIEWS_FOLDED]

    def kept_page(self, request: HttpRequest) -> tuple[Filing | None, bytes | None]:
        keys = versioned_keys(page_key(request), self.page_topics())
        filing, kept = note_view_record_if_page_kept(note_id=self.kwargs["pk"], keys=keys)
        if kept is None:
            return filing, None
        folded_views, before_views, after_views = kept.page
        return filing, before_views + views_shown(folded_views + kept.live_views).encode() + after_views

    def page_to_keep(self, page: SimpleTemplateResponse) -> tuple[int, bytes, bytes]:
        before_views, after_views = page.content.split(VIEWS_SLOT.encode(), 1)  # as rendered: not filled yet
        return self.object.view_count, before_views, after_views

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Note:
        note, live_views = get_note_viewed_by(self.request.user, self.kwargs["pk"])
        self.views = None if live_views is None else note.view_count + live_views
        return note

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        visitor = not self.request.user.is_authenticated
        return super().get_context_data(
            can_write=can_write(self.request.user, self.object),
            views_shown=VIEWS_SLOT if visitor else views_shown(self.views),
            **kwargs,
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """A visitor's page, rendered with a slot for its views, is answered with them written in, once kept (page_to_keep())."""
        response = super().dispatch(request, *args, **kwargs)
        if not request.user.is_authenticated and isinstance(response, SimpleTemplateResponse):

            def fill(page: SimpleTemplateResponse) -> None:  # added after the page cache's: callbacks run in turn
                page.content = page.content.replace(VIEWS_SLOT.encode(), views_shown(self.views).encode(), 1)

            response.add_post_render_callback(fill)
        return response


class NoteEditorMixin(SuccessMessageMixin, FormMixin):
    """Render the note editor; save it, or show it again unsaved for its other buttons; a service's refusal is a form error."""

    request: HttpRequest
    form_class = NoteForm
    template_name: str | None = "notes/note_form.html"
    success_message = "Saved “%(title)s”."
    extra_context = {
        "max_checklist_items": MAX_CHECKLIST_ITEMS,
        "max_attributes": MAX_ATTRIBUTES,
        "actions": EditorAction,
    }

    def save(self, form: NoteForm) -> Note:
        raise NotImplementedError

    @cached_property
    def action(self) -> EditorAction:
        """The button that sent the form: Save unless another one says so; an unknown one is a bad request."""
        try:
            return EditorAction(self.request.POST.get("action", EditorAction.SAVE))
        except ValueError:
            raise BadRequest("Unknown editor action.") from None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            kwargs["action"] = self.action
        return kwargs

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if self.action != EditorAction.SAVE:
            return self.form_invalid(form)  # shown again as typed, saving nothing
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

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
    """Ask before moving a note to the trash (static/js/trash.js skips asking); the POST moves it, and offers Undo."""

    form_class = forms.Form
    template_name = "notes/note_confirm_delete.html"
    success_url = reverse_lazy("notes:list")
    extra_context = {"trash_days": TRASH_DAYS}

    @cached_property
    def note(self) -> Note:
        return get_note_for(self.request.user, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(note=self.note, **kwargs)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        note_trash(note=self.note)
        return super().form_valid(form)

    def get_success_message(self, cleaned_data: dict[str, Any]) -> str:
        """Say where the note went, with an Undo button for its owner (staff cannot reach a member's trash)."""
        undo = can_take_out_of_trash(self.request.user, self.note)
        return render_to_string("notes/_trashed_message.html", {"note": self.note, "undo": undo}, self.request)


def _quick_action_answer(request: HttpRequest, note: Note, state: dict[str, Any]) -> HttpResponse:
    """Answer a quick action: JSON for the page's script, else back where the form was (or to the note)."""
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(state)
    return redirect(_posted_next(request, default=reverse("notes:detail", args=[note.pk])))


def _posted_next(request: HttpRequest, *, default: str) -> str:
    """The page a form came from (its posted `next`) if it is on this site, else `default`."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return default
    return back


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


@request_body_limit(PREVIEW_BODY_BYTES)
@require_POST
@login_required
def note_preview_view(request: HttpRequest) -> HttpResponse:
    """Render a body for the editor's Preview tab with the notes' Markdown rules, as an HTML fragment."""
    form = NoteBodyForm(request.POST)
    if not form.is_valid():
        status = 413 if form.has_error("body", code="max_length") else 400
        return HttpResponse(
            " ".join(map(str, form.errors["body"])), status=status, content_type="text/plain; charset=utf-8"
        )
    return render(request, "notes/_body_preview.html", {"body": form.cleaned_data["body"]})


# ----------------------------------------------------------------------------- the trash


class TrashView(LoginRequiredMixin, LastPageRedirectMixin, ListView):
    """The member's notes in the trash, the latest trashed first, each with the days it has left."""

    template_name = "notes/trash.html"
    context_object_name = "notes"
    paginate_by = NOTES_PER_PAGE
    extra_context = {"trash_days": TRASH_DAYS}

    def get_queryset(self) -> NoteQuerySet:
        return Note.everything.owned_by(cast(int, self.request.user.pk)).trashed().latest_trashed_first()


@require_POST
@login_required
def note_restore_view(request: HttpRequest, pk: ObjectId) -> HttpResponse:
    """Take a note out of its owner's trash (Undo, the trash page, the note's page), and go back."""
    note = note_restore(note=get_note_for(request.user, pk, trashed=True))
    messages.success(request, f"Restored “{note.title}”.")
    return redirect(_posted_next(request, default=reverse("notes:detail", args=[note.pk])))


class NoteDeleteForeverView(LoginRequiredMixin, SuccessMessageMixin, FormView):
    """Ask before deleting a note in the trash for good; the POST deletes it."""

    form_class = forms.Form
    template_name = "notes/note_confirm_delete_forever.html"
    success_url = reverse_lazy("notes:trash")

    @cached_property
    def note(self) -> Note:
        return get_note_for(self.request.user, self.kwargs["pk"], trashed=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(note=self.note, **kwargs)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        note_delete(note=self.note)
        return super().form_valid(form)

    def get_success_message(self, cleaned_data: dict[str, Any]) -> str:
        return f"Deleted “{self.note.title}” for good."


class TrashEmptyView(LoginRequiredMixin, FormView):
    """Ask before deleting every note in the member's trash for good; the POST deletes them."""

    form_class = forms.Form
    template_name = "notes/trash_confirm_empty.html"
    success_url = reverse_lazy("notes:trash")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        trashed = Note.everything.owned_by(cast(int, self.request.user.pk)).trashed().count()
        return super().get_context_data(trashed=trashed, **kwargs)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        deleted = notes_trash_empty(owner_id=cast(int, self.request.user.pk))
        if deleted:
            messages.success(self.request, f"Deleted {deleted} note{'' if deleted == 1 else 's'} for good.")
        else:
            messages.info(self.request, "The trash was already empty.")
        return super().form_valid(form)
