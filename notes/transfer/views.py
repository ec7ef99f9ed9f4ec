"""The export and import page: download one's notes as JSON Lines or Markdown files, upload JSON Lines."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView

from notes.models import Note, NoteQuerySet
from notes.transfer.export import note_lines
from notes.transfer.forms import ENVELOPE_BYTES, MAX_IMPORT_BYTES, NoteImportForm
from notes.transfer.importing import ImportInterrupted, ImportResult, NotUtf8Text, notes_import_upload
from notes.transfer.markdown_files import markdown_zip
from request_limits.middleware import request_body_limit


def member_notes(request: HttpRequest) -> NoteQuerySet:
    """The notes of the member logged in (LoginRequiredMixin): what the page exports."""
    return Note.objects.owned_by(cast(int, request.user.pk))


def download(chunks: Any, *, content_type: str, extension: str) -> StreamingHttpResponse:
    """Stream `chunks` as a file to save, named for the site and the day."""
    name = f"polystore-notes-{timezone.localdate():%Y-%m-%d}.{extension}"
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


class NotesJsonLinesView(LoginRequiredMixin, View):
    """Download one's notes as JSON Lines, the format export_notes writes and the import reads."""

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        lines = note_lines(member_notes(request))
        return download(lines, content_type="application/x-ndjson; charset=utf-8", extension="jsonl")


class NotesMarkdownView(LoginRequiredMixin, View):
    """Download one's notes as a zip of Markdown files."""

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        return download(markdown_zip(member_notes(request)), content_type="application/zip", extension="zip")


class NoteTransferView(LoginRequiredMixin, FormView):
    """Offer both downloads, and import an uploaded JSON Lines file into one's account."""

    template_name = "notes/transfer.html"
    form_class = NoteImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(note_count=member_notes(self.request).count(), **kwargs)

    def form_valid(self, form: NoteImportForm) -> HttpResponse:
        upload: UploadedFile = form.cleaned_data["file"]
        try:
            result = notes_import_upload(member_id=cast(int, self.request.user.pk), upload=upload)
        except NotUtf8Text as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        except ImportInterrupted as error:
            form.add_error("file", interruption_summary(error))
            return self.render_to_response(self.get_context_data(form=form), status=503)
        if result.refused:
            form.add_error("file", f"Nothing was imported: the file has {counted(result.bad_lines, 'bad line')}.")
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(self.request, import_summary(result))
        return redirect("notes:list")


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}{pluralize(number)}"


def interruption_summary(error: ImportInterrupted) -> str:
    """Say what is left of an import that MongoDB broke off."""
    if error.removed:
        return "The notes could not all be saved, so none were kept: nothing was imported. Try again in a moment."
    inserted = error.result.inserted
    return (
        f"The notes could not all be saved: {counted(inserted, 'note')} of this file "
        f"{pluralize(inserted, 'is,are')} in your account, the rest is not."
    )


def import_summary(result: ImportResult) -> str:
    """Say what an import into one's account did, in one or two sentences."""
    summary = f"Imported {counted(result.inserted, 'note')}."
    if result.skipped:
        summary += (
            f" {counted(result.skipped, 'note')} {pluralize(result.skipped, 'is,are')} in your account already and"
        )
        summary += f" {pluralize(result.skipped, 'was,were')} left as {pluralize(result.skipped, 'it was,they were')}."
    return summary


note_transfer_view = request_body_limit(MAX_IMPORT_BYTES + ENVELOPE_BYTES, files=True)(NoteTransferView.as_view())
