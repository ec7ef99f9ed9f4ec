"""The import form: one JSON Lines file of notes, up to the size the page states."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

MAX_IMPORT_BYTES = 10 * 1024 * 1024
# What a browser sends around the file: the multipart envelope, the CSRF token. A body past the
# file's limit and this is refused unread (request_limits), with a 413.
ENVELOPE_BYTES = 64 * 1024


class NoteImportForm(forms.Form):
    file = forms.FileField(
        label="JSON Lines file",
        help_text=f"A file as the export writes it (.jsonl), at most {filesizeformat(MAX_IMPORT_BYTES)}.",
        widget=forms.FileInput(attrs={"accept": ".jsonl,.ndjson,.json,.txt", "data-max-bytes": MAX_IMPORT_BYTES}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        size = upload.size or 0
        if size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                "This file has %(size)s bytes; an import takes at most %(most)s (%(readable)s).",
                code="file_too_large",
                params={
                    "size": f"{size:,}",
                    "most": f"{MAX_IMPORT_BYTES:,}",
                    "readable": filesizeformat(MAX_IMPORT_BYTES),
                },
            )
        return upload
