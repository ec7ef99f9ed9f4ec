"""The export and import page: one's own notes out as JSON Lines or Markdown files, JSON Lines in (issue #16)."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from bson import ObjectId
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from ruamel.yaml import YAML

from notes.models import ChecklistItem, Note, Revision
from notes.transfer.forms import ENVELOPE_BYTES, MAX_IMPORT_BYTES
from notes.transfer.importing import ImportInterrupted, ImportResult
from tests.factories import NoteFactory, logged_in, note_line

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PAGE = reverse("notes:transfer")
JSON_LINES = reverse("notes:export_jsonl")
MARKDOWN = reverse("notes:export_markdown")
AWKWARD_TITLE = 'Café: "Q3" plans / <b>draft</b> \\ 50% — 東京 \u2028 done?'


def jsonl(*lines: str, name: str = "notes.jsonl") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="application/x-ndjson")


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def documents(mongo_db, **query) -> list[dict]:
    return list(mongo_db["notes_note"].find(query).sort("_id", 1))


@pytest.fixture
def awkward(alice) -> Note:
    """A note of Alice's whose title and texts hold what file names, JSON and YAML must survive."""
    return NoteFactory(
        owner_id=alice.pk,
        title=AWKWARD_TITLE,
        body="# Heading\n\n---\n\nnot: front matter\n",
        tags=["q3", "trip-plan"],
        checklist=[ChecklistItem(text='Say "hi"\x85 there', done=True), ChecklistItem(text="Ünïcode")],
        attributes={"key: with colon": "value\u2029with separator", "empty": ""},
        revisions=[Revision(title="Old", body="older", saved_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC))],
        pinned=True,
    )


# ----------------------------------------------------------------------------- who may


@pytest.mark.parametrize("url", [PAGE, JSON_LINES, MARKDOWN])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_an_anonymous_upload_is_sent_to_log_in_and_stores_nothing(client, alice, mongo_db):
    response = client.post(PAGE, {"file": jsonl(note_line(alice.pk))})

    assert response.status_code == 302
    assert documents(mongo_db) == []


def test_an_import_without_the_csrf_token_is_refused(alice, mongo_db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(PAGE, {"file": jsonl(note_line(alice.pk))})

    assert response.status_code == 403
    assert documents(mongo_db) == []


# ----------------------------------------------------------------------------- the page


def test_my_notes_links_to_the_page(alice_client):
    assert f'href="{PAGE}"' in alice_client.get(reverse("notes:list")).content.decode()


def test_the_page_counts_my_notes_and_offers_both_downloads_and_the_form(alice, alice_client, bob):
    NoteFactory(owner_id=alice.pk)
    NoteFactory(owner_id=alice.pk)
    NoteFactory(owner_id=bob.pk)

    page = alice_client.get(PAGE).content.decode()

    assert "Your 2 notes, in either form" in page
    assert f'href="{JSON_LINES}"' in page
    assert f'href="{MARKDOWN}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert f'data-max-bytes="{MAX_IMPORT_BYTES}"' in page


@pytest.mark.parametrize("notes", [1, 20])
def test_the_page_costs_the_same_queries_for_one_note_or_many(alice, alice_client, notes, django_assert_num_queries):
    for _ in range(notes):
        NoteFactory(owner_id=alice.pk)
    alice_client.get(PAGE)

    # The member's row (with the session check), then one count of their notes.
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        assert alice_client.get(PAGE).status_code == 200


# ----------------------------------------------------------------------------- JSON Lines out


def test_the_json_lines_download_holds_my_notes_as_export_notes_writes_them(
    alice, bob, alice_client, awkward, mongo_db
):
    NoteFactory(owner_id=bob.pk, title="Bob's")
    plain = NoteFactory(owner_id=alice.pk, title="Plain")

    response = alice_client.get(JSON_LINES)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="polystore-notes-')
    assert response["Content-Disposition"].endswith('.jsonl"')
    assert response["Cache-Control"] == "private, no-store"
    lines = downloaded(response).decode().splitlines()
    out = io.StringIO()
    call_command("export_notes", "--owner", str(alice.pk), "--no-progress", stdout=out, stderr=io.StringIO())
    assert lines == out.getvalue().splitlines()
    assert {json.loads(line)["title"] for line in lines} == {AWKWARD_TITLE, plain.title}


def test_the_json_lines_download_of_a_member_without_notes_is_empty(alice_client):
    assert downloaded(alice_client.get(JSON_LINES)) == b""


def test_the_download_is_streamed_the_notes_read_as_it_goes_out(alice, alice_client, django_assert_num_queries):
    for _ in range(3):
        NoteFactory(owner_id=alice.pk)
    alice_client.get(PAGE)

    with django_assert_num_queries(1), django_assert_num_queries(0, connection=connections["mongodb"]):
        response = alice_client.get(JSON_LINES)
    NoteFactory(owner_id=alice.pk)  # before the first line is sent: in the download too

    assert response.streaming
    assert len(downloaded(response).splitlines()) == 4


# ----------------------------------------------------------------------------- Markdown out


def front_matter_and_body(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return YAML(typ="safe").load(head), body


def test_the_markdown_zip_has_one_file_per_note_with_its_fields_in_front_matter(alice, bob, alice_client, awkward):
    NoteFactory(owner_id=bob.pk, title="Bob's")

    response = alice_client.get(MARKDOWN)

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(downloaded(response)))
    assert archive.testzip() is None
    [name] = archive.namelist()
    assert name == "café-q3-plans-bdraftb-50-東京-done.md"
    fields, body = front_matter_and_body(archive.read(name).decode())
    assert fields == {
        "title": AWKWARD_TITLE,
        "tags": ["q3", "trip-plan"],
        "checklist": [{"text": 'Say "hi"\x85 there', "done": True}, {"text": "Ünïcode", "done": False}],
        "attributes": {"key: with colon": "value\u2029with separator", "empty": ""},
        "visibility": "private",
        "pinned": True,
        "created": awkward.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "updated": awkward.updated_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    assert body == "\n# Heading\n\n---\n\nnot: front matter\n"


def test_markdown_file_names_are_unique_whatever_the_titles(alice, alice_client):
    for title in ["Trip", "trip", "TRIP!", "con", "///", "x" * 200]:
        NoteFactory(owner_id=alice.pk, title=title)

    archive = zipfile.ZipFile(io.BytesIO(downloaded(alice_client.get(MARKDOWN))))

    assert sorted(archive.namelist()) == sorted(
        ["trip.md", "trip-2.md", "trip-3.md", "con-note.md", "note.md", "x" * 80 + ".md"]
    )


def test_the_markdown_zip_of_a_member_without_notes_is_an_empty_zip(alice_client):
    assert zipfile.ZipFile(io.BytesIO(downloaded(alice_client.get(MARKDOWN)))).namelist() == []


# ----------------------------------------------------------------------------- JSON Lines in


def test_an_import_makes_the_notes_mine_with_new_ids_and_says_how_many(alice, bob, bob_client, awkward, mongo_db):
    exported = downloaded(logged_in(alice).get(JSON_LINES)).decode().splitlines()

    response = bob_client.post(PAGE, {"file": jsonl(*exported)}, follow=True)

    assert response.redirect_chain == [(reverse("notes:list"), 302)]
    assert "Imported 1 note." in response.content.decode()
    [copy] = documents(mongo_db, owner_id=bob.pk)
    original = mongo_db["notes_note"].find_one({"_id": awkward.pk})
    assert copy["_id"] != awkward.pk
    assert {**copy, "_id": None, "owner_id": None} == {**original, "_id": None, "owner_id": None}


def test_importing_my_own_export_again_leaves_my_notes_as_they_are(alice, alice_client, awkward, mongo_db):
    exported = downloaded(alice_client.get(JSON_LINES)).decode().splitlines()
    mongo_db["notes_note"].update_one({"_id": awkward.pk}, {"$set": {"title": "Changed since"}})
    fresh = note_line(alice.pk + 1000, title="From elsewhere")

    response = alice_client.post(PAGE, {"file": jsonl(*exported, fresh)}, follow=True)

    assert "Imported 1 note. 1 note is in your account already and was left as it was." in response.content.decode()
    assert mongo_db["notes_note"].find_one({"_id": awkward.pk})["title"] == "Changed since"
    assert sorted(note["title"] for note in documents(mongo_db, owner_id=alice.pk)) == [
        "Changed since",
        "From elsewhere",
    ]


def test_bad_lines_are_listed_by_number_and_nothing_is_written(alice, alice_client, mongo_db):
    lines = [
        note_line(alice.pk),
        note_line(alice.pk, title="x" * 201),
        "{not json",
        note_line(alice.pk),
        note_line(alice.pk, tags=["Upper"]),
    ]

    response = alice_client.post(PAGE, {"file": jsonl(*lines)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 3 bad lines of 5" in page
    assert "line 2: title: Ensure this value has at most 200 characters (it has 201)." in page
    assert "line 3: malformed JSON: Expecting property name enclosed in double quotes" in page
    assert "line 5: tags: Item 1 in the array did not validate: Tags are lowercase." in page
    assert documents(mongo_db) == []


def test_conflicts_are_one_sentence_with_a_count_not_bad_lines(alice, alice_client, mongo_db):
    notes = [NoteFactory(owner_id=alice.pk) for _ in range(4)]
    exported = downloaded(alice_client.get(JSON_LINES)).decode().splitlines()

    response = alice_client.post(PAGE, {"file": jsonl(*exported)}, follow=True)

    page = response.content.decode()
    assert "Imported 0 notes. 4 notes are in your account already and were left as they were." in page
    assert "bad line" not in page
    assert len(documents(mongo_db)) == len(notes)


def test_a_file_that_is_not_utf8_is_a_form_error_naming_line_and_byte(alice, alice_client, mongo_db):
    upload = SimpleUploadedFile("notes.jsonl", note_line(alice.pk).encode() + b'\n{"title": "caf\xe9"}\n')

    response = alice_client.post(PAGE, {"file": upload})

    assert "The file is not UTF-8 text: line 2, byte 15 of the line." in response.content.decode()
    assert documents(mongo_db) == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("empty.jsonl", b""), "The submitted file is empty."),
        (None, "This field is required."),
    ],
)
def test_an_empty_or_missing_file_is_a_form_error(alice_client, mongo_db, upload, message):
    response = alice_client.post(PAGE, {"file": upload} if upload else {})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert documents(mongo_db) == []


def test_a_file_over_the_limit_is_a_form_error(alice, alice_client, mongo_db):
    line = note_line(alice.pk, body="x" * 99_000)
    upload = jsonl(*[line] * (MAX_IMPORT_BYTES // len(line) + 1))
    size = upload.size

    response = alice_client.post(PAGE, {"file": upload})

    assert (
        f"This file has {size:,} bytes; an import takes at most 10,485,760 (10.0\xa0MB)." in response.content.decode()
    )
    assert documents(mongo_db) == []


def test_a_body_past_the_file_limit_and_its_envelope_is_a_413_unread(alice_client, mongo_db, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    upload = SimpleUploadedFile("notes.jsonl", b"x" * (MAX_IMPORT_BYTES + ENVELOPE_BYTES))

    response = alice_client.post(PAGE, {"file": upload})

    assert response.status_code == 413
    assert f"at most {MAX_IMPORT_BYTES + ENVELOPE_BYTES:,} bytes" in response.content.decode()
    assert list(tmp_path.iterdir()) == []
    assert documents(mongo_db) == []


def test_another_owner_in_the_file_is_ignored_and_unknown_owners_are_no_problem(alice, alice_client, mongo_db):
    lines = [note_line(alice.pk + 1, title="Theirs"), note_line(999_999, title="Nobody's")]

    alice_client.post(PAGE, {"file": jsonl(*lines)})

    assert sorted(note["title"] for note in documents(mongo_db, owner_id=alice.pk)) == ["Nobody's", "Theirs"]
    assert documents(mongo_db, owner_id={"$ne": alice.pk}) == []


def test_an_id_of_another_members_note_is_neither_touched_nor_told(alice, bob, alice_client, mongo_db):
    bobs = NoteFactory(owner_id=bob.pk, title="Bob's")
    line = note_line(alice.pk, _id={"$oid": str(bobs.pk)}, title="Alice's copy")

    response = alice_client.post(PAGE, {"file": jsonl(line)}, follow=True)

    assert "Imported 1 note." in response.content.decode()
    assert "already" not in response.content.decode()
    assert mongo_db["notes_note"].find_one({"_id": bobs.pk})["title"] == "Bob's"
    [copy] = documents(mongo_db, owner_id=alice.pk)
    assert copy["title"] == "Alice's copy"
    assert isinstance(copy["_id"], ObjectId)


@pytest.mark.parametrize(
    ("removed", "message"),
    [
        (True, "The notes could not all be saved, so none were kept: nothing was imported. Try again in a moment."),
        (False, "The notes could not all be saved: 2 notes of this file are in your account, the rest is not."),
    ],
)
def test_an_import_that_mongodb_breaks_off_says_what_is_left(alice, alice_client, monkeypatch, removed, message):
    def broken_off(**arguments):
        raise ImportInterrupted(ImportResult(inserted=2), removed=removed)

    monkeypatch.setattr("notes.transfer.views.notes_import_upload", broken_off)

    response = alice_client.post(PAGE, {"file": jsonl(note_line(alice.pk))})

    assert response.status_code == 503
    assert message in response.content.decode()
