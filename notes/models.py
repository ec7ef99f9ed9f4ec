from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cached_property
from typing import Any, cast

from bson import ObjectId
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator, validate_slug
from django.db import models
from django.utils import timezone
from django_mongodb_backend.fields import ArrayField, EmbeddedModelArrayField
from django_mongodb_backend.models import EmbeddedModel

from markup.markdown import markdown_preview
from mongodb_engine.documents import instance_by_id
from notes.topics import notes_changed

MAX_TITLE_LENGTH = 200
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_CHECKLIST_ITEMS = 100
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_NAME_LENGTH = 100
MAX_ATTRIBUTE_VALUE_LENGTH = 1000
MAX_BODY_LENGTH = 100_000
MAX_REVISIONS = 10
TRASH_DAYS = 30  # how long a note stays in the trash before purge_trash deletes it for good
NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."  # the editor's form fields say the same


def validate_lowercase(value: str) -> None:
    """Reject a tag with uppercase letters."""
    if value != value.lower():
        raise ValidationError("Tags are lowercase.", code="tag_case")


def validate_attribute_keys(value: object) -> None:
    """Attribute names become document keys: no `$` prefix, no `.`, and short string values."""
    if not isinstance(value, dict):
        raise ValidationError("Attributes are name/value pairs.", code="attributes_type")
    if len(value) > MAX_ATTRIBUTES:
        raise ValidationError(
            "A note has at most %(max)d attributes.", code="attributes_count", params={"max": MAX_ATTRIBUTES}
        )
    for key, item in value.items():
        if not key or key.startswith("$") or "." in key:
            raise ValidationError(
                "Attribute name %(key)r may not be empty, start with $ or contain a dot.",
                code="attribute_key",
                params={"key": key},
            )
        if len(key) > MAX_ATTRIBUTE_NAME_LENGTH:
            raise ValidationError(
                "Attribute names have at most %(max)d characters.",
                code="attribute_key_length",
                params={"max": MAX_ATTRIBUTE_NAME_LENGTH},
            )
        if not isinstance(item, str):
            raise ValidationError(
                "Attribute %(key)r must have a text value.", code="attribute_value", params={"key": key}
            )
        if len(item) > MAX_ATTRIBUTE_VALUE_LENGTH:
            raise ValidationError(
                "Attribute %(key)r has more than %(max)d characters.",
                code="attribute_value_length",
                params={"key": key, "max": MAX_ATTRIBUTE_VALUE_LENGTH},
            )


def embedded_problems(item: EmbeddedModel, *, texts: tuple[str, ...]) -> list[str]:
    """Say what is wrong with an embedded item: its fields' own rules, and NUL characters in `texts`."""
    problems = []
    try:
        item.clean_fields()
    except ValidationError as error:
        problems += error.messages
    problems += [f"{field}: {NUL_MESSAGE}" for field in texts if NUL in (getattr(item, field) or "")]
    return problems


class ChecklistItem(EmbeddedModel):
    """One line of a note's checklist, stored inside the note's document."""

    text = models.CharField(max_length=500)
    done = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.text

    def problems(self) -> list[str]:
        return embedded_problems(self, texts=("text",))


class Revision(EmbeddedModel):
    """An earlier version of a note's title and body, stored inside the note's document."""

    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.title} ({self.saved_at:%Y-%m-%d %H:%M})"

    def problems(self) -> list[str]:
        """The editor's rules for the note's title and body this revision once was."""
        problems = embedded_problems(self, texts=("title", "body"))
        if len(self.body or "") > MAX_BODY_LENGTH:
            problems.append(f"body has more than {MAX_BODY_LENGTH:,} characters.")
        return problems


# What a note's card reads (notes.cards.note_card), and the owner, for the names on lists of everyone's notes.
CARD_FIELDS = ("owner_id", "title", "body", "tags", "checklist", "visibility", "pinned", "updated_at")


class NoteQuerySet(models.QuerySet["Note"]):
    def owned_by(self, owner_id: int) -> NoteQuerySet:
        return self.filter(owner_id=owner_id)

    def public(self) -> NoteQuerySet:
        return self.filter(visibility=Note.Visibility.PUBLIC)

    def tagged(self, tag: str) -> NoteQuerySet:
        """Keep the notes carrying `tag`."""
        return self.filter(tags__contains=[tag])

    def matching(self, text: str) -> NoteQuerySet:
        """Keep the notes whose title or body contains `text`, ignoring case.

        The backend sends `icontains` as a `$regex` of the re.escape()d text, so
        characters such as `.`, `*` or `(` match themselves. MongoDB (and FerretDB) refuse a
        NUL in a `$regex`; no note holds one (forms and imports refuse it), so nothing matches.
        """
        if "\x00" in text:
            return self.none()
        return self.filter(models.Q(title__icontains=text) | models.Q(body__icontains=text))

    def for_cards(self) -> NoteQuerySet:
        """Read only what a card shows (notes.cards.note_card) and whose it is: the rest can be most of a note."""
        return self.only(*CARD_FIELDS)

    def pinned_first(self) -> NoteQuerySet:
        return self.order_by("-pinned", "-updated_at", "-pk")

    def newest_first(self) -> NoteQuerySet:
        return self.order_by("-updated_at", "-pk")

    def trashed(self) -> NoteQuerySet:
        """Keep the notes in the trash."""
        return self.filter(trashed_at__isnull=False)

    def trashed_before(self, moment: datetime.datetime) -> NoteQuerySet:
        """Keep the notes moved to the trash before `moment`."""
        return self.filter(trashed_at__lt=moment)

    def latest_trashed_first(self) -> NoteQuerySet:
        return self.order_by("-trashed_at", "-pk")

    # Every write to notes drops the cached pages showing them (notes.topics): these, Note.save() and
    # Note.delete() through the ORM; the import for its raw writes (tests/page_cache/test_write_paths.py).
    def delete(self) -> tuple[int, dict[str, int]]:
        owner_ids = set(self.values_list("owner_id", flat=True))
        deleted = super().delete()
        notes_changed(owner_ids)
        return deleted

    def update(self, **kwargs: Any) -> int:
        owner_ids = set(self.values_list("owner_id", flat=True))
        updated = super().update(**kwargs)
        notes_changed(owner_ids | ({kwargs["owner_id"]} if "owner_id" in kwargs else set()))
        return updated

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        notes_changed(note.owner_id for note in created)
        return created


NoteManager = models.Manager.from_queryset(NoteQuerySet)


class LiveNoteManager(NoteManager["Note"]):
    """The notes outside the trash: what every page, list and count shows.

    A document without `trashed_at` (written before the trash existed) is live: the backend sends
    `isnull` as `$or: [{trashed_at: {$exists: false}}, {trashed_at: null}]`.
    """

    def get_queryset(self) -> NoteQuerySet:
        return cast(NoteQuerySet, super().get_queryset()).filter(trashed_at__isnull=True)


class Note(models.Model):
    """A note: one MongoDB document carrying its tags, checklist, attributes and revisions."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private"
        PUBLIC = "public", "Public"

    # No index of its own: the compound index (owner_id, -pinned, -updated_at) serves owner_id lookups.
    owner_id = models.IntegerField(help_text="Primary key of the owning user (relational store).")
    title = models.CharField(max_length=MAX_TITLE_LENGTH, validators=[MinLengthValidator(1)])
    # TextField's max_length only reaches the form widget; the validator enforces it on save.
    body = models.TextField(blank=True, max_length=MAX_BODY_LENGTH, validators=[MaxLengthValidator(MAX_BODY_LENGTH)])
    tags = ArrayField(
        models.CharField(max_length=MAX_TAG_LENGTH, validators=[validate_slug, validate_lowercase]),
        default=list,
        blank=True,
        max_size=MAX_TAGS,
        db_index=True,
    )
    checklist = EmbeddedModelArrayField(ChecklistItem, default=list, blank=True, max_size=MAX_CHECKLIST_ITEMS)
    attributes = models.JSONField(default=dict, blank=True, validators=[validate_attribute_keys])
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)  # indexed below
    pinned = models.BooleanField(default=False)
    revisions = EmbeddedModelArrayField(Revision, default=list, blank=True, editable=False)
    # Written only by fold_view_counts ($inc); the views since the last fold are counted in Redis.
    view_count = models.PositiveIntegerField(default=0, editable=False, help_text="Views folded in from Redis.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the note went to the trash; None while it is live. Written only by trashing and restoring.
    trashed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveNoteManager()  # the default manager: pages, lists, counts, the admin
    everything = NoteManager()  # the trash included: the trash page, purge, integrity, member deletion
    owner_name: str | None  # the owner's public name, set for display (notes.owners, the admin)

    class Meta:
        # The sorts of the lists, ties broken by id: my notes (pinned_first), public notes
        # (newest_first) and a member's public notes on their profile (owner and visibility, newest
        # first: without it DocumentDB joined the other two, 19 ms at 100,000 notes, now 1.2 ms;
        # issue #18). MongoDB serves filter and order from them; DocumentDB filters with them.
        indexes = [
            models.Index(fields=["owner_id", "-pinned", "-updated_at", "-id"], name="note_owner_pinned_updated"),
            models.Index(fields=["visibility", "-updated_at", "-id"], name="note_public_updated"),
            models.Index(fields=["owner_id", "visibility", "-updated_at", "-id"], name="note_owner_public_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, and drop the cached pages showing notes.

        An update never writes `view_count` (a fold may have raised it since this note was read)
        nor `trashed_at` (an edit from another tab must not bring a note back from the trash).
        """
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = EDITABLE_FIELDS
        super().save(*args, **kwargs)
        notes_changed([self.owner_id])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        notes_changed([self.owner_id])
        return deleted

    @classmethod
    def read(cls, pk: ObjectId) -> Note | None:
        """Return the note with the id `pk`, in the trash or not, or None: one find_one(), no query to build."""
        return instance_by_id(cls, pk)

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_trashed(self) -> bool:
        return self.trashed_at is not None

    @property
    def trash_expires_at(self) -> datetime.datetime | None:
        """When a note in the trash is due to be deleted for good (by the first purge_trash after it)."""
        return None if self.trashed_at is None else self.trashed_at + datetime.timedelta(days=TRASH_DAYS)

    @property
    def trash_days_left(self) -> int | None:
        """Whole days left before a note in the trash is deleted for good: 29 just after trashing, 0 on its last day."""
        if self.trash_expires_at is None:
            return None
        return max(0, (self.trash_expires_at - timezone.now()).days)

    @property
    def attribute_pairs(self) -> list[tuple[str, str]]:
        """Name/value pairs in order; templates need them (an attribute named "items" shadows dict.items there)."""
        return list(self.attributes.items())

    @cached_property
    def preview(self) -> str:
        """The body's start as the cards show it: rendered by the notes' Markdown rules, as plain text."""
        return markdown_preview(self.body)

    @property
    def checklist_done_count(self) -> int:
        return sum(item.done for item in self.checklist)

    def clean(self) -> None:
        """Check what the editor checks and the fields cannot: embedded items, revisions, NUL characters.

        django-mongodb-backend validates an embedded model's fields with validate() only, which
        skips their validators, so a 501-character item would otherwise pass. The editor's form
        fields refuse NUL characters; `import_notes` meets the same rules here (issue #15).
        """
        errors: dict[str, list[str]] = {}
        for field in ("title", "body"):
            if NUL in (getattr(self, field) or ""):
                errors.setdefault(field, []).append(NUL_MESSAGE)
        attributes = self.attributes if isinstance(self.attributes, dict) else {}  # else: its validator says
        if any(NUL in value for value in attributes.values() if isinstance(value, str)):
            errors.setdefault("attributes", []).append(f"Attribute values: {NUL_MESSAGE}")
        for name, label, items in (
            ("checklist", "Checklist item", self.checklist),
            ("revisions", "Revision", self.revisions),
        ):
            for position, item in enumerate(items or [], start=1):
                if isinstance(item, (ChecklistItem, Revision)):  # anything else: the field's own validation says
                    errors.setdefault(name, []).extend(f"{label} {position}: {problem}" for problem in item.problems())
        if len(self.revisions or []) > MAX_REVISIONS:
            errors.setdefault("revisions", []).append(f"A note keeps at most {MAX_REVISIONS} earlier versions.")
        errors = {name: messages for name, messages in errors.items() if messages}
        if errors:
            raise ValidationError(errors)

    def record_revision(self, *, title: str, body: str) -> None:
        """Keep `title` and `body`, the version saved at `updated_at`, as the newest revision."""
        earlier = Revision(title=title, body=body, saved_at=self.updated_at)
        self.revisions = [earlier, *self.revisions][:MAX_REVISIONS]


# Every stored field but the primary key, the folded view count and the trash's: what saving an edit writes.
EDITABLE_FIELDS = [
    field.name
    for field in Note._meta.concrete_fields
    if not field.primary_key and field.name not in ("view_count", "trashed_at")
]
