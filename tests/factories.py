"""factory_boy factories for both stores."""

from __future__ import annotations

import json

import factory
from bson import ObjectId
from django.test import Client

from notes.models import Note
from users.models import User

PASSWORD = "correct horse battery staple"  # every factory-made member's


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    owner_id = factory.LazyFunction(lambda: UserFactory().pk)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "Remember the milk."

    class Params:
        public = factory.Trait(visibility=Note.Visibility.PUBLIC)


def note_line(owner_id: int, /, **fields) -> str:
    """One line of an export: a note's document in Extended JSON; a field given as ... is left out."""
    document = {
        "_id": {"$oid": str(ObjectId())},
        "owner_id": owner_id,
        "title": "A note",
        "created_at": {"$date": "2026-03-01T10:00:00.123Z"},
        "updated_at": {"$date": "2026-03-02T10:00:00.456Z"},
        **fields,
    }
    return json.dumps({k: v for k, v in document.items() if v is not ...})


def logged_in(user: User) -> Client:
    """A test client with `user` logged in."""
    client = Client()
    client.force_login(user)
    return client
