"""factory_boy factories for both stores."""

from __future__ import annotations

import factory
from django.test import Client

from notes.models import Note
from users.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    owner_id = factory.LazyFunction(lambda: UserFactory().pk)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "Remember the milk."

    class Params:
        public = factory.Trait(visibility=Note.Visibility.PUBLIC)


def logged_in(user: User) -> Client:
    """A test client with `user` logged in."""
    client = Client()
    client.force_login(user)
    return client
