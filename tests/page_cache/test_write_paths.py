"""Every write to notes or members drops the cached pages showing them, whichever path it takes.

Each model's topics are bumped in one module (notes/topics.py, users/topics.py) that the model
layer calls. The table below runs every write path the product has; the guards below it fail
when a module bumps topics itself or writes to the notes collection behind the ORM's back
without being in that table.
"""

from __future__ import annotations

import ast
import datetime
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from bson import ObjectId
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.services import demo_reset, demo_seed
from notes.models import ChecklistItem, Note
from notes.services import (
    note_checklist_item_mark,
    note_create,
    note_delete,
    note_pin,
    note_restore,
    note_trash,
    note_update,
    notes_delete_for_owner,
    notes_trash_empty,
    notes_trash_purge,
)
from notes.topics import NOTES
from notes.transfer.importing import notes_import
from page_cache.versions import version_key
from tests.factories import NoteFactory, UserFactory, logged_in
from users.models import User
from users.services import user_delete
from users.topics import MEMBERS, member_topic

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "demo", "health", "home", "notes", "page_cache", "request_limits", "users"]
# Modules that write to the notes collection with pymongo (through notes_collection()), and why
# the table covers them.
RAW_NOTE_WRITERS = {
    "notes/transfer/importing.py": "import_notes: bumps through notes_changed() (the 'import' path below)",
    "notes/counters.py": "fold_view_counts: writes only view_count, which no cached page shows",
}
PYMONGO_WRITES = {"insert_one", "insert_many", "replace_one", "update_one", "update_many", "delete_one"}
PYMONGO_WRITES |= {"delete_many", "bulk_write", "find_one_and_update", "find_one_and_replace", "find_one_and_delete"}


def versions(*topics: str) -> dict[str, object]:
    return {topic: cache.get(version_key(topic)) for topic in topics}


def edit(note: Note) -> None:
    note_update(
        note=note,
        title="Edited",
        body=note.body,
        visibility=note.visibility,
        pinned=note.pinned,
        tags=note.tags,
        checklist=note.checklist,
        attributes=note.attributes,
    )


def tick_a_new_item(note: Note) -> None:
    note.checklist = [ChecklistItem(text="Pack")]
    note_checklist_item_mark(note=note, index=0, done=True)


def import_line(note: Note) -> list[str]:
    document = {"_id": {"$oid": str(note.pk)}, "owner_id": note.owner_id, "title": "Imported"}
    document |= {"created_at": {"$date": "2026-01-01T00:00:00Z"}, "updated_at": {"$date": "2026-01-01T00:00:00Z"}}
    return [json.dumps(document)]


def admin_delete_selected(note: Note) -> None:
    staff = UserFactory(username="writer-staff", is_staff=True, is_superuser=True)
    url = reverse("admin:notes_note_changelist")
    response = logged_in(staff).post(
        url, {"action": "delete_selected", "_selected_action": [str(note.pk)], "post": "yes"}
    )
    assert response.status_code == 302


NOTE_WRITE_PATHS: dict[str, Callable[[Note], object]] = {
    "create": lambda note: note_create(owner_id=note.owner_id, title="New"),
    "update": edit,
    "delete for good": lambda note: note_delete(note=note),
    "pin": lambda note: note_pin(note=note, pinned=True),
    "checklist item ticked": tick_a_new_item,
    "queryset delete": lambda note: Note.objects.filter(pk=note.pk).delete(),
    "queryset update": lambda note: Note.objects.filter(pk=note.pk).update(pinned=True),
    "bulk create": lambda note: Note.objects.bulk_create([Note(owner_id=note.owner_id, title="Bulk")]),
    "owner's notes deleted": lambda note: notes_delete_for_owner(owner_id=note.owner_id),
    "import": lambda note: notes_import(lines=import_line(note), on_conflict="replace"),
    "admin delete selected": admin_delete_selected,
    "seed": lambda note: demo_seed(users=1, notes_per_user=1, seed=1),
    "trash": lambda note: note_trash(note=note),
    "restore": lambda note: note_restore(note=note),
    "empty trash": lambda note: notes_trash_empty(owner_id=note.owner_id),
    "purge": lambda note: notes_trash_purge(trashed_before=timezone.now()),
}
# The paths that take a note out of the trash start from a note in it.
FROM_THE_TRASH = {"restore", "empty trash", "purge"}


@pytest.mark.parametrize("path", NOTE_WRITE_PATHS)
def test_every_write_to_notes_drops_the_lists_and_the_owners_profile(path, alice, mongo_db):
    trashed_at = timezone.now() - datetime.timedelta(days=31) if path in FROM_THE_TRASH else None
    note = NoteFactory(owner_id=alice.pk, public=True, trashed_at=trashed_at)
    topics = [NOTES] if path == "seed" else [NOTES, member_topic(alice.pk)]
    before = versions(*topics)

    NOTE_WRITE_PATHS[path](note)

    after = versions(*topics)
    assert all(after[topic] not in (None, before[topic]) for topic in topics), (before, after)
    if path in FROM_THE_TRASH:  # the write happened: the note is out of the trash, one way or the other
        assert mongo_db["notes_note"].count_documents({"_id": note.pk, "trashed_at": {"$ne": None}}) == 0


MEMBER_WRITE_PATHS: dict[str, Callable[[User], object]] = {
    "save": lambda member: member.save(),
    "delete": lambda member: user_delete(user=member),
    "queryset update": lambda member: User.objects.filter(pk=member.pk).update(display_name="Renamed"),
    "bulk create": lambda member: User.objects.bulk_create([User(username="bulk-member")]),
    "seed": lambda member: demo_seed(users=1, notes_per_user=0, seed=1),
    "seed reset": lambda member: (demo_seed(users=1, notes_per_user=0, seed=1), demo_reset()),
}


@pytest.mark.parametrize("path", MEMBER_WRITE_PATHS)
def test_every_write_to_members_drops_the_directory(path, alice, django_capture_on_commit_callbacks):
    before = versions(MEMBERS)[MEMBERS]

    with django_capture_on_commit_callbacks(execute=True):
        MEMBER_WRITE_PATHS[path](alice)

    assert versions(MEMBERS)[MEMBERS] not in (None, before)


def test_the_profile_of_an_edited_member_is_dropped(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alice.save()

    assert versions(member_topic(alice.pk))[member_topic(alice.pk)] is not None


def test_a_check_integrity_fix_drops_the_lists(mongo_db):
    mongo_db["notes_note"].insert_one(
        {"_id": ObjectId(), "owner_id": 424242, "title": "Orphan", "visibility": "public"}
    )
    before = versions(NOTES)[NOTES]

    call_command("check_integrity", "--fix", stdout=io.StringIO())

    assert versions(NOTES)[NOTES] not in (None, before)


def _calls(module: Path) -> list[tuple[str, str]]:
    """(called name, source module) for every call in `module` of a plain name or an attribute."""
    found = []
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            found.append((name, module.relative_to(ROOT).as_posix()))
    return found


def _product_calls() -> list[tuple[str, str]]:
    return [call for app in APPS for module in sorted((ROOT / app).rglob("*.py")) for call in _calls(module)]


def test_only_the_topic_modules_bump_topics():
    bumpers = {module for name, module in _product_calls() if name == "topics_changed"}

    assert bumpers == {"notes/topics.py", "users/topics.py"}


def test_every_raw_write_to_notes_is_a_known_write_path():
    """A new pymongo write must bump through notes_changed() and join NOTE_WRITE_PATHS, then this list."""
    calls = _product_calls()
    raw_handles = {module for name, module in calls if name == "notes_collection"}
    writers = {module for name, module in calls if name in PYMONGO_WRITES and module in raw_handles}

    assert writers == set(RAW_NOTE_WRITERS)
