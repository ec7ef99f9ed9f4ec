"""Every URL of the users, notes, home and health apps, read from their URLconfs, with a valid request for each."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import health.urls
import home.urls
import notes.urls
import users.urls
from notes.models import ChecklistItem, Note
from tests.factories import PASSWORD, NoteFactory, UserFactory, note_line
from tests.notes.posts import editor_form
from users.models import User

NEW_PASSWORD = "An0ther-long-passphrase"
URLCONFS = [users.urls, notes.urls, home.urls, health.urls]
NOTES_URLS_ABOUT_NO_NOTE = (
    "notes:list",
    "notes:public",
    "notes:create",
    "notes:preview",
    "notes:trash",
    "notes:trash_empty",
    "notes:transfer",
    "notes:export_jsonl",
    "notes:export_markdown",
)


def routes(urlconf: ModuleType) -> list[tuple[str, list[str]]]:
    """Each named URL of `urlconf` with the methods to try: GET always (405 is an answer too), POST if handled."""
    found = []
    for pattern in urlconf.urlpatterns:
        view = getattr(pattern.callback, "view_class", None)  # None: a function view, which takes POST (quick actions)
        methods = ["GET"] + (["POST"] if view is None or hasattr(view, "post") else [])
        found.append((f"{urlconf.app_name}:{pattern.name}", methods))
    return found


def post_url_names() -> list[str]:
    return [name for urlconf in URLCONFS for name, methods in routes(urlconf) if "POST" in methods]


@dataclass
class World:
    """Fresh people and a note for one request: its owner, another member, a staff member, a superuser.

    The owner is a member, or (`owner_kind`) a staff member or a superuser: staff against staff.
    With `trashed`, the note is in its owner's trash.
    """

    owner: User
    other: User
    staff: User
    superuser: User
    note: Note
    new_email: bool = False

    @classmethod
    def create(
        cls, *, public: bool = False, owner_kind: str = "member", new_email: bool = False, trashed: bool = False
    ) -> World:
        roles = {
            "member": {},
            "staff member": {"is_staff": True},
            "superuser": {"is_staff": True, "is_superuser": True},
        }
        owner = UserFactory(**roles[owner_kind])
        checklist = [ChecklistItem(text="Pack")]
        trashed_at = timezone.now() if trashed else None
        note = NoteFactory(
            owner_id=owner.pk, checklist=checklist, trashed_at=trashed_at, **({"public": True} if public else {})
        )
        return cls(
            owner=owner,
            other=UserFactory(),
            staff=UserFactory(**roles["staff member"]),
            superuser=UserFactory(**roles["superuser"]),
            note=note,
            new_email=new_email,
        )

    def client(self, persona: str, **options: Any) -> Client:
        client = Client(**options)
        if persona != "anonymous":
            client.force_login(getattr(self, persona))
        return client

    def url(self, name: str) -> str:
        """The URL `name` about this world's owner or note."""
        if name == "notes:check":
            return reverse(name, kwargs={"pk": self.note.pk, "index": 0})
        if name.startswith("notes:") and name not in NOTES_URLS_ABOUT_NO_NOTE:
            return reverse(name, kwargs={"pk": self.note.pk})
        if name in ("users:profile", "users:edit", "users:delete"):
            return reverse(name, kwargs={"pk": self.owner.pk})
        if name == "users:password_reset_confirm":
            uidb64 = urlsafe_base64_encode(force_bytes(self.owner.pk))
            return reverse(name, kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(self.owner)})
        return reverse(name)

    def post_data(self, name: str) -> dict[str, Any]:
        """What a browser would send to `name` to succeed (a new email comes with the sender's password)."""
        email = f"new-{self.owner.email}" if self.new_email else self.owner.email
        return {
            "users:signup": {
                "username": f"new-{self.owner.username}",
                "email": f"new-{self.owner.email}",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            "users:login": {"username": self.owner.username, "password": PASSWORD},
            "users:password_change": {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            "users:password_reset": {"email": self.owner.email},
            "users:password_reset_confirm": {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            "users:edit": {
                "display_name": "Changed",
                "email": email,
                "age": "",
                "bio": "",
                "current_password": PASSWORD,
            },
            "notes:create": editor_form(title="Posted"),
            "notes:edit": editor_form(title="Changed"),
            "notes:pin": {"pinned": "1"},
            "notes:check": {"done": "1"},
            "notes:preview": {"body": "**Plan**"},
            "notes:transfer": {"file": SimpleUploadedFile("notes.jsonl", note_line(self.owner.pk).encode())},
        }.get(name, {})


def view_name(location: str) -> str:
    """The namespaced name of the view a redirect points at (its query, such as ?next=, left out)."""
    match = resolve(urlsplit(location).path)
    return f"{match.namespace}:{match.url_name}"
