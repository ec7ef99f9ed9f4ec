from __future__ import annotations

from django.db import models
from django_mongodb_backend.fields import ArrayField, EmbeddedModelArrayField
from django_mongodb_backend.models import EmbeddedModel


class ChecklistItem(EmbeddedModel):
    """One line of a note's checklist, stored inside the note's document."""

    text = models.CharField(max_length=500)
    done = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.text


class Note(models.Model):
    """A note: one MongoDB document with its tags and checklist inside it."""

    owner_id = models.IntegerField(db_index=True, help_text="Primary key of the owning user (relational store).")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=100_000)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True, max_size=20)
    checklist = EmbeddedModelArrayField(ChecklistItem, default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["owner_id", "-updated_at"], name="note_owner_updated")]

    def __str__(self) -> str:
        return self.title
