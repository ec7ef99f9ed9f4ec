from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator, validate_slug
from django.db import models
from django_mongodb_backend.fields import ArrayField, EmbeddedModelArrayField
from django_mongodb_backend.models import EmbeddedModel

MAX_TAGS = 20
MAX_REVISIONS = 10


def validate_lowercase(value: str) -> None:
    if value != value.lower():
        raise ValidationError("Tags are lowercase.", code="tag_case")


def validate_attribute_keys(value: object) -> None:
    """Attribute names become document keys: no `$` prefix, no `.`, and string values."""
    if not isinstance(value, dict):
        raise ValidationError("Attributes are name/value pairs.", code="attributes_type")
    for key, item in value.items():
        if not key or key.startswith("$") or "." in key:
            raise ValidationError("Attribute name %(key)r may not be empty, start with $ or contain a dot.",
                                  code="attribute_key", params={"key": key})  # fmt: skip
        if not isinstance(item, str):
            raise ValidationError("Attribute %(key)r must have a text value.", code="attribute_value", params={"key": key})


class ChecklistItem(EmbeddedModel):
    """One line of a note's checklist, stored inside the note's document."""

    text = models.CharField(max_length=500)
    done = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.text


class Revision(EmbeddedModel):
    """An earlier version of a note's title and body, stored inside the note's document."""

    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.title} ({self.saved_at:%Y-%m-%d %H:%M})"


class NoteQuerySet(models.QuerySet):
    def owned_by(self, owner_id: int) -> NoteQuerySet:
        return self.filter(owner_id=owner_id)

    def public(self) -> NoteQuerySet:
        return self.filter(visibility=Note.Visibility.PUBLIC)


class Note(models.Model):
    """A note: one MongoDB document carrying its tags, checklist, attributes and revisions."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private"
        PUBLIC = "public", "Public"

    owner_id = models.IntegerField(db_index=True, help_text="Primary key of the owning user (relational store).")
    title = models.CharField(max_length=200, validators=[MinLengthValidator(1)])
    body = models.TextField(blank=True, max_length=100_000)
    tags = ArrayField(
        models.CharField(max_length=50, validators=[validate_slug, validate_lowercase]),
        default=list, blank=True, max_size=MAX_TAGS, db_index=True,
    )  # fmt: skip
    checklist = EmbeddedModelArrayField(ChecklistItem, default=list, blank=True)
    attributes = models.JSONField(default=dict, blank=True, validators=[validate_attribute_keys])
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE, db_index=True)
    pinned = models.BooleanField(default=False)
    revisions = EmbeddedModelArrayField(Revision, default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["owner_id", "-updated_at"], name="note_owner_updated")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC
