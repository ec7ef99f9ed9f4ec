"""import_notes applies the editor's rules to revisions and text too (issue #15, item 5)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from notes.models import MAX_BODY_LENGTH, MAX_REVISIONS
from tests.factories import note_line

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

SAVED_AT = {"$date": "2026-01-02T03:04:05.678Z"}


def revisions(count: int, **fields: str) -> list[dict[str, object]]:
    return [{"title": f"Version {n}", "body": "", "saved_at": SAVED_AT, **fields} for n in range(count)]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"revisions": revisions(MAX_REVISIONS + 1)}, "revisions: A note keeps at most 10 earlier versions."),
        ({"revisions": revisions(1, body="x" * (MAX_BODY_LENGTH + 1))}, "revisions: Revision 1: body has more than"),
        ({"revisions": revisions(1, title="x" * 201)}, "revisions: Revision 1: Ensure this value has at most 200"),
        ({"revisions": revisions(1, title="a\x00b")}, "revisions: Revision 1: title: Null characters are not allowed."),
        ({"title": "a\x00b"}, "title: Null characters are not allowed."),
        ({"body": "a\x00b"}, "body: Null characters are not allowed."),
        ({"checklist": [{"text": "a\x00b", "done": False}]}, "checklist: Checklist item 1: text: Null characters"),
        ({"attributes": {"colour": "a\x00b"}}, "attributes: Attribute values: Null characters are not allowed."),
    ],
)
def test_a_line_the_editor_would_refuse_is_a_bad_line_and_nothing_is_written(alice, mongo_db, fields, problem):
    lines, err = io.StringIO(note_line(alice.pk) + "\n" + note_line(alice.pk, **fields)), io.StringIO()

    with pytest.raises(CommandError, match=r"^1 bad line of 2; nothing was written\.$"):
        call_command("import_notes", "-", "--no-progress", stdin=lines, stdout=io.StringIO(), stderr=err)

    assert f"line 2: {problem}" in err.getvalue()
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_ten_revisions_within_the_rules_import(alice, mongo_db):
    call_command(
        "import_notes",
        "-",
        "--no-progress",
        stdin=io.StringIO(note_line(alice.pk, revisions=revisions(10))),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    assert len(mongo_db["notes_note"].find_one()["revisions"]) == MAX_REVISIONS
