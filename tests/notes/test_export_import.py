from __future__ import annotations

import datetime
import io
import json
import sys

import pytest
from bson import ObjectId
from django.core.management import CommandError, call_command

from notes.collection import note_documents
from notes.models import ChecklistItem, Note, Revision
from notes.transfer import importing
from notes.transfer.importing import ImportInterrupted, notes_import
from tests.factories import NoteFactory, note_line

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_notes", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_notes(*args: str, stdin: str | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("import_notes", *args, stdout=out, stderr=err, **extra)
    return out.getvalue(), err.getvalue()


def rich_note(owner_id: int, title: str = "Groceries"):
    saved_at = datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC)
    return NoteFactory(
        owner_id=owner_id,
        title=title,
        body="milk\neggs",
        tags=["food", "weekly"],
        pinned=True,
        visibility="public",
        attributes={"store": "Corner shop", "budget": "20"},
        checklist=[ChecklistItem(text="milk", done=True), ChecklistItem(text="eggs")],
        revisions=[Revision(title="Groc", body="milk", saved_at=saved_at)],
    )


def test_export_then_import_into_an_empty_store_reproduces_every_document(alice, bob, mongo_db, tmp_path):
    rich_note(alice.pk)
    rich_note(bob.pk, title="Bob's")
    NoteFactory(owner_id=alice.pk, title="Plain")
    before = sorted(mongo_db["notes_note"].find(), key=lambda d: d["_id"])
    path = tmp_path / "notes.jsonl"
    call_command("export_notes", "--output", str(path), "--no-progress", stdout=io.StringIO())
    mongo_db["notes_note"].delete_many({})

    output, _ = import_notes(str(path), "--no-progress", "--batch-size", "2")

    assert "Imported 3 notes" in output
    after = sorted(mongo_db["notes_note"].find(), key=lambda d: d["_id"])
    assert after == before
    assert after[0]["created_at"] == before[0]["created_at"]
    assert after[0]["revisions"] == before[0]["revisions"]


def test_export_writes_extended_json_one_note_per_line(alice):
    note = rich_note(alice.pk)

    [text] = export().splitlines()

    document = json.loads(text)
    assert document["_id"] == {"$oid": str(note.pk)}
    assert document["created_at"]["$date"].endswith("Z")
    assert document["revisions"][0]["saved_at"] == {"$date": "2026-01-02T03:04:05.678Z"}


def test_export_owner_keeps_only_that_members_notes(alice, bob):
    rich_note(alice.pk)
    rich_note(bob.pk)

    lines = export("--owner", str(bob.pk)).splitlines()

    assert [json.loads(text)["owner_id"] for text in lines] == [bob.pk]


def test_export_bad_owner_is_a_command_error():
    with pytest.raises(CommandError, match="owner"):
        export("--owner", "alice")


def test_export_to_an_unwritable_path_names_it(tmp_path):
    path = tmp_path / "missing" / "notes.jsonl"
    with pytest.raises(CommandError, match=str(path)):
        call_command("export_notes", "--output", str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "x" * 100_001}, "body"),
        ({"tags": [f"t{n}" for n in range(21)]}, "tags"),
        ({"tags": ["Upper"]}, "lowercase"),
        ({"checklist": [{"text": "x" * 501, "done": False}]}, "Checklist item 1"),
        ({"attributes": {"$where": "1"}}, "attribute"),
        ({"attributes": {"a.b": "1"}}, "attribute"),
        ({"title": ...}, "missing field 'title'"),
        ({"owner_id": "1"}, "'owner_id' must be integer"),
        ({"pinned": "yes"}, "'pinned' must be boolean"),
        ({"view_count": True}, "'view_count' must be integer"),
        ({"title": {"$code": "x"}}, "'title' must be string"),
        ({"attributes": {"a": {"$code": "x"}}}, "'attributes' values must be strings"),
        ({"tags": [{"$code": "x"}]}, "'tags' must be a list of strings"),
        ({"view_count": -1}, "view_count"),
        ({"colour": "red"}, "unknown fields: colour"),
    ],
)
def test_each_bad_line_is_reported_with_its_number_and_nothing_is_written(alice, mongo_db, fields, problem):
    text = "\n".join([note_line(alice.pk), note_line(alice.pk, **fields), note_line(alice.pk)])

    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad line of 3; nothing was written"):
        call_command("import_notes", "-", "--no-progress", stdin=io.StringIO(text), stdout=io.StringIO(), stderr=err)

    assert "line 2:" in err.getvalue()
    assert problem in err.getvalue()
    assert mongo_db["notes_note"].count_documents({}) == 0


OUT_OF_RANGE = "malformed JSON: a $date out of range (years 1 to 9999)"
NOT_DECIMAL = "malformed JSON: a $numberDecimal that is not a Decimal128 number"
SAVED_AT = {"$date": "2026-01-02T03:04:05.678Z"}


def lone_surrogate(where: str, character: str, position: int) -> str:
    return f"{where} is not valid Unicode: a lone surrogate {character!r} at character {position}"


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            {"_id": {"$oid": "zz"}},
            "malformed JSON: 'zz' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string",
        ),
        ({"created_at": {"$date": 1e300}}, OUT_OF_RANGE),
        ({"created_at": {"$date": 253_402_300_800_000}}, OUT_OF_RANGE),  # 10000-01-01
        ({"updated_at": {"$date": {"$numberLong": "-99999999999999999999"}}}, OUT_OF_RANGE),
        ({"updated_at": {"$date": float("inf")}}, "malformed JSON: cannot convert float infinity to integer"),
        ({"created_at": {"$numberDecimal": "x"}}, NOT_DECIMAL),
        ({"created_at": {"$numberDecimal": "1e99999"}}, NOT_DECIMAL),
        ({"created_at": {"$binary": {}}}, "malformed JSON: an Extended JSON value lacks 'base64'"),
        (
            {"created_at": {"$binary": 1, "$type": "00"}},
            "malformed JSON: Extended JSON that bson cannot read (AttributeError: 'int' object has no attribute 'encode')",
        ),
        (
            {"attributes": {"a\x00b": "1"}},
            "'attributes' name 'a\\x00b' contains a NUL character, which MongoDB does not allow in a field name",
        ),
        ({"title": "\ud800"}, lone_surrogate("'title'", "\ud800", 1)),
        ({"body": "ok\udfff"}, lone_surrogate("'body'", "\udfff", 3)),
        ({"attributes": {"\udc80": "1"}}, lone_surrogate("'attributes' name '\\udc80'", "\udc80", 1)),
        ({"attributes": {"colour": "red\ud800"}}, lone_surrogate("'attributes' 'colour'", "\ud800", 4)),
        (
            {"checklist": [{"text": "milk", "done": True}, {"text": "\ud800", "done": False}]},
            lone_surrogate("'checklist' item 2 'text'", "\ud800", 1),
        ),
        (
            {"revisions": [{"title": "Old", "body": "\ud800", "saved_at": SAVED_AT}]},
            lone_surrogate("'revisions' item 1 'body'", "\ud800", 1),
        ),
        (
            {"revisions": [{"title": "\udbff", "body": "", "saved_at": SAVED_AT}]},
            lone_surrogate("'revisions' item 1 'title'", "\udbff", 1),
        ),
        (
            {"tags": ["food", "\ud800"]},
            (
                "tags: Item 2 in the array did not validate: Enter a valid “slug” consisting of letters, numbers, "
                "underscores or hyphens."
            ),
        ),
    ],
)
def test_a_line_bson_cannot_read_or_store_is_one_exact_problem_and_nothing_is_written(alice, mongo_db, fields, problem):
    text = "\n".join([note_line(alice.pk), note_line(alice.pk, **fields), note_line(alice.pk)])
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^1 bad line of 3; nothing was written\.$"):
        call_command(
            "import_notes",
            "-",
            "--no-progress",
            "--batch-size",
            "1",
            stdin=io.StringIO(text),
            stdout=io.StringIO(),
            stderr=err,
        )

    assert err.getvalue() == f"line 2: {problem}\n"
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_note_larger_than_mongodb_stores_is_a_bad_line(alice, mongo_db):
    big = note_line(alice.pk, revisions=[{"title": "Old", "body": "x" * 17_000_000, "saved_at": SAVED_AT}])
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^1 bad line of 2; nothing was written\.$"):
        call_command(
            "import_notes",
            "-",
            "--no-progress",
            "--batch-size",
            "1",
            stdin=io.StringIO(note_line(alice.pk) + "\n" + big),
            stdout=io.StringIO(),
            stderr=err,
        )

    # Within the editor's limits a note stays far below BSON's 16 MiB; this one breaks them first.
    assert err.getvalue() == "line 2: revisions: Revision 1: body has more than 100,000 characters.\n"
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_json_nested_too_deeply_is_a_bad_line_at_every_depth(alice, mongo_db, monkeypatch):
    """Near the recursion limit the decoder copes but full_clean()'s json.dumps() of the attributes did not."""
    monkeypatch.setattr(importing, "PROBLEMS_KEPT", sys.getrecursionlimit() + 1)
    good = note_line(alice.pk)
    depths = range(1, sys.getrecursionlimit() + 1)
    lines = [good[:-1] + f', "attributes": {{"a": {"[" * depth}{"]" * depth}}}}}' for depth in depths]
    lines.append("[" * 100_000 + "]" * 100_000)

    result = notes_import(lines=lines)

    problems = dict(result.problems)
    assert result.bad_lines == len(lines)
    assert not result.written
    assert problems[len(lines)] == "malformed JSON: nested too deeply"
    assert set(problems.values()) <= {
        "attributes: Attribute 'a' must have a text value.",
        "nested too deeply",
        "malformed JSON: nested too deeply",
    }
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_malformed_json_and_unknown_owner_are_reported_by_line(alice, mongo_db, tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join([note_line(alice.pk), "{not json", note_line(alice.pk + 999)]) + "\n")
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 bad lines"):
        call_command("import_notes", str(path), stdout=io.StringIO(), stderr=err)

    assert "line 2: malformed JSON" in err.getvalue()
    assert f"line 3: owner_id {alice.pk + 999} is not a member" in err.getvalue()
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_an_existing_id_fails_the_whole_import_by_default(alice, mongo_db):
    existing = rich_note(alice.pk)
    text = export()
    mongo_db["notes_note"].update_one({"_id": existing.pk}, {"$set": {"title": "Changed"}})
    fresh = note_line(alice.pk)

    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 of 2 notes exist already; nothing was written\.$"):
        call_command("import_notes", "-", stdin=io.StringIO(text + fresh), stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == (
        f"1 note exists already (id {existing.pk}): --on-conflict skip would leave them as they are, "
        "replace would overwrite them.\n"
    )
    assert mongo_db["notes_note"].count_documents({}) == 1


def test_skip_leaves_existing_notes_and_adds_new_ones(alice, mongo_db):
    existing = rich_note(alice.pk)
    text = export()
    mongo_db["notes_note"].update_one({"_id": existing.pk}, {"$set": {"title": "Changed"}})

    output, _ = import_notes("-", "--on-conflict", "skip", stdin=text + note_line(alice.pk))

    assert output == f"Imported 1 note. 1 note exists already (id {existing.pk}): left as they are.\n"
    assert mongo_db["notes_note"].count_documents({}) == 2
    assert mongo_db["notes_note"].find_one({"_id": existing.pk})["title"] == "Changed"


def test_replace_overwrites_existing_notes(alice, mongo_db):
    existing = rich_note(alice.pk)
    text = export()
    mongo_db["notes_note"].update_one({"_id": existing.pk}, {"$set": {"title": "Changed"}})

    output, _ = import_notes("-", "--on-conflict", "replace", stdin=text)

    assert output == f"Imported 0 notes. 1 note exists already (id {existing.pk}): replaced.\n"
    assert mongo_db["notes_note"].find_one({"_id": existing.pk})["title"] == "Groceries"


def test_dry_run_writes_nothing(alice, mongo_db):
    output, _ = import_notes("-", "--dry-run", stdin=note_line(alice.pk) + "\n" + note_line(alice.pk))

    assert output == "Dry run: 2 notes are valid; nothing was written.\n"
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_repeated_id_is_a_bad_line(alice, mongo_db):
    text = note_line(alice.pk)

    with pytest.raises(CommandError, match="1 bad line of 2"):
        import_notes("-", stdin=text + "\n" + text)

    assert mongo_db["notes_note"].count_documents({}) == 0


def test_no_progress_bar_when_not_a_terminal(alice, tmp_path):
    rich_note(alice.pk)
    path = tmp_path / "notes.jsonl"
    err = io.StringIO()
    call_command("export_notes", "--output", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == ""
    assert "it/s" not in err.getvalue()
    assert "note/s" not in err.getvalue()


def test_stdout_export_and_stdin_import_round_trip_with_the_summary_off_stdout(alice, mongo_db):
    rich_note(alice.pk)
    before = list(mongo_db["notes_note"].find())
    out, err = io.StringIO(), io.StringIO()
    call_command("export_notes", "--output", "-", stdout=out, stderr=err)
    mongo_db["notes_note"].delete_many({})

    output, errors = import_notes("-", stdin=out.getvalue())

    assert err.getvalue() == "Exported 1 note.\n"
    assert len(out.getvalue().splitlines()) == 1
    assert output == "Imported 1 note.\n"
    assert errors == ""
    assert list(mongo_db["notes_note"].find()) == before


def test_a_dry_run_on_the_database_just_exported_summarizes_the_conflicts_apart_from_the_bad_lines(alice, mongo_db):
    notes = [NoteFactory(owner_id=alice.pk) for _ in range(5)]
    bad = [note_line(alice.pk, title=""), note_line(alice.pk, tags=["Upper"])]
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^2 bad lines of 7; nothing was written\.$"):
        call_command(
            "import_notes",
            "-",
            "--dry-run",
            stdin=io.StringIO(export() + "\n".join(bad)),
            stdout=io.StringIO(),
            stderr=err,
        )

    first_ids = ", ".join(str(note.pk) for note in sorted(notes, key=lambda note: note.pk)[:3])
    assert err.getvalue().splitlines() == [
        "line 6: title: This field cannot be blank.",
        "line 7: tags: Item 1 in the array did not validate: Tags are lowercase.",
        f"5 notes exist already (ids {first_ids} and 2 more): --on-conflict skip would leave them as they are, "
        "replace would overwrite them.",
    ]


def test_a_dry_run_with_skip_says_what_the_import_would_leave(alice, mongo_db):
    existing = NoteFactory(owner_id=alice.pk)

    output, _ = import_notes("-", "--dry-run", "--on-conflict", "skip", stdin=export() + note_line(alice.pk))

    assert output == (
        "Dry run: 2 notes are valid; nothing was written.\n"
        f"1 note exists already (id {existing.pk}): the import would have them left as they are.\n"
    )
    assert mongo_db["notes_note"].count_documents({}) == 1


def test_one_bad_line_and_problems_past_the_first_hundred_are_counted_in_words(alice, mongo_db):
    lines = [note_line(alice.pk, title="") for _ in range(101)]
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^101 bad lines of 101; nothing was written\.$"):
        call_command("import_notes", "-", stdin=io.StringIO("\n".join(lines)), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines()[-1] == "... and 1 more problem"
    with pytest.raises(CommandError, match=r"^1 bad line of 1; nothing was written\.$"):
        import_notes("-", stdin=lines[0])


def test_the_import_reads_its_lines_once(alice, mongo_db):
    lines = iter([note_line(alice.pk), note_line(alice.pk), note_line(alice.pk)])

    result = notes_import(lines=lines, batch_size=2)

    assert (result.read, result.inserted, result.written) == (3, 3, True)
    assert mongo_db["notes_note"].count_documents({}) == 3


def test_a_write_that_fails_midway_removes_what_the_import_had_inserted(alice, mongo_db):
    """A note with the last line's _id appears after the lines were checked: its insert fails, a batch in."""
    lines = [note_line(alice.pk) for _ in range(4)]
    last_id = ObjectId(json.loads(lines[-1])["_id"]["$oid"])
    checked = []

    def on_note(count: int) -> None:
        checked.append(count)
        if sum(checked) == len(lines):
            mongo_db["notes_note"].insert_one({"_id": last_id, "owner_id": alice.pk, "title": "Meanwhile"})

    with pytest.raises(ImportInterrupted) as interrupted:
        notes_import(lines=lines, batch_size=2, on_note=on_note)

    assert (interrupted.value.result.inserted, interrupted.value.removed) == (3, True)
    assert [note["title"] for note in mongo_db["notes_note"].find()] == ["Meanwhile"]


def test_the_export_reads_the_documents_of_the_notes_a_queryset_selects(alice, bob, mongo_db):
    """The filter is the ORM's own, so a manager's rule (which notes Note.objects shows) holds in exports too."""
    pinned = NoteFactory(owner_id=alice.pk, pinned=True)
    NoteFactory(owner_id=alice.pk)
    NoteFactory(owner_id=bob.pk, pinned=True)

    documents = list(note_documents(Note.objects.owned_by(alice.pk).filter(pinned=True)))

    assert documents == [mongo_db["notes_note"].find_one({"_id": pinned.pk})]
    assert list(note_documents(Note.objects.none())) == []
