"""Earlier versions of a note's title and body: kept inside the document, newest first, at most ten."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from notes.models import MAX_REVISIONS, Note
from notes.services import note_update
from tests.factories import NoteFactory
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def edit(note: Note, **changes) -> Note:
    values = {
        "title": note.title,
        "body": note.body,
        "visibility": note.visibility,
        "pinned": note.pinned,
        "tags": note.tags,
        "checklist": note.checklist,
        "attributes": note.attributes,
        **changes,
    }
    return note_update(note=note, **values)


def test_changing_the_title_keeps_the_previous_version_with_its_timestamp(alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk, title="First", body="one")
    first_saved_at = Note.objects.get(pk=note.pk).updated_at

    edit(note, title="Second")

    document = mongo_db["notes_note"].find_one({"_id": note.pk})
    assert document["title"] == "Second"
    assert len(document["revisions"]) == 1
    revision = document["revisions"][0]
    assert (revision["title"], revision["body"]) == ("First", "one")
    assert abs((revision["saved_at"] - first_saved_at.replace(tzinfo=None)).total_seconds()) < 0.001


def test_changing_only_the_body_keeps_a_revision_too(alice):
    note = NoteFactory(owner_id=alice.pk, title="Same", body="before")

    edit(note, body="after")

    assert [(r.title, r.body) for r in Note.objects.get(pk=note.pk).revisions] == [("Same", "before")]


def test_an_edit_that_leaves_title_and_body_alone_keeps_no_revision(alice):
    note = NoteFactory(owner_id=alice.pk)

    edit(note, tags=["new"], pinned=True, visibility="public", attributes={"k": "v"})

    assert Note.objects.get(pk=note.pk).revisions == []


def test_only_the_last_ten_versions_are_kept_newest_first(alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk, title="v0", body="body 0")

    for n in range(1, 13):
        note = edit(Note.objects.get(pk=note.pk), title=f"v{n}", body=f"body {n}")

    revisions = mongo_db["notes_note"].find_one({"_id": note.pk})["revisions"]
    assert len(revisions) == MAX_REVISIONS == 10
    assert [r["title"] for r in revisions] == [f"v{n}" for n in range(11, 1, -1)]
    assert [r["body"] for r in revisions][:2] == ["body 11", "body 10"]
    assert all(newer["saved_at"] >= older["saved_at"] for newer, older in itertools.pairwise(revisions))


def test_editing_through_the_page_keeps_the_previous_version(alice_client, alice):
    note = NoteFactory(owner_id=alice.pk, title="Plan", body="Draft")

    alice_client.post(reverse("notes:edit", args=[note.pk]), editor_form(title="Plan", body="Final"))

    assert [(r.title, r.body) for r in Note.objects.get(pk=note.pk).revisions] == [("Plan", "Draft")]


def test_resubmitting_an_unchanged_body_with_browser_line_endings_keeps_no_revision(alice_client, alice):
    note = NoteFactory(owner_id=alice.pk, title="Lines", body="one\ntwo")

    alice_client.post(reverse("notes:edit", args=[note.pk]), editor_form(title="Lines", body="one\r\ntwo"))

    assert Note.objects.get(pk=note.pk).revisions == []


def test_the_owner_sees_earlier_versions_on_the_note_page(alice_client, alice):
    note = NoteFactory(owner_id=alice.pk, title="Old title", body="Old body")
    edit(note, title="New title")

    content = alice_client.get(reverse("notes:detail", args=[note.pk])).content.decode()

    assert "Earlier versions" in content
    assert "Old title" in content
    assert "Old body" in content


def test_other_readers_of_a_public_note_do_not_see_its_earlier_versions(bob_client, alice):
    note = NoteFactory(owner_id=alice.pk, title="Old title", body="Removed secret", public=True)
    edit(note, title="New title", body="Clean")

    content = bob_client.get(reverse("notes:detail", args=[note.pk])).content.decode()

    assert "New title" in content
    assert "Removed secret" not in content
    assert "Earlier versions" not in content
