"""Junk JSON Lines for `import_notes`: always a CommandError that names the problem, and nothing written."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId
from django.core.management import CommandError, call_command
from hypothesis import example, given
from hypothesis import strategies as st

from tests.reliability.junk import DRILL, any_text

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

ROOT = Path(__file__).resolve().parents[2]


def document(owner_id: int, note_id: ObjectId | None = None, **fields: Any) -> dict[str, Any]:
    """A note as export_notes writes it (Extended JSON), with `fields` changed."""
    return {
        "_id": {"$oid": str(note_id or ObjectId())},
        "owner_id": owner_id,
        "title": "A note",
        "created_at": {"$date": "2026-03-01T10:00:00.123Z"},
        "updated_at": {"$date": "2026-03-02T10:00:00.456Z"},
        **fields,
    }


def encoded(value: Any) -> bytes:
    return json.dumps(value).encode()


def refusal(path: Path, *args: str) -> tuple[str, str]:
    """Import `path`, which must fail; return the CommandError's message and the problems written to stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_notes", str(path), "--no-progress", *args, stdout=io.StringIO(), stderr=err)
    return str(error.value), err.getvalue()


# ----------------------------------------------------------------------------- non-UTF-8 input


def test_a_file_that_is_not_utf8_is_a_command_error_naming_file_line_and_byte(alice, tmp_path, stored):
    path = tmp_path / "notes.jsonl"
    path.write_bytes(encoded(document(alice.pk)) + b'\n{"title": "caf\xe9"}\n')
    before = stored()

    message, _ = refusal(path)

    assert message == f"{path} is not UTF-8 text: line 2, byte 15 of the line."
    assert stored() == before


def test_the_byte_named_is_the_first_that_is_not_utf8(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_bytes(b'\n{"title": "\xc3\xa9t\xc3\xa9 \xff\xfe"}\n')

    message, _ = refusal(path)

    assert message.endswith("line 2, byte 18 of the line.")


def test_standard_input_that_is_not_utf8_is_an_error_without_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "PYTHONIOENCODING": "utf-8"}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_notes", "-", "--no-progress"],
        cwd=ROOT,
        env=env,
        input=b'{"title": "caf\xe9"}\n',
        capture_output=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.decode() == "CommandError: standard input is not UTF-8 text: line 1, byte 15 of the line.\n"


# ----------------------------------------------------------------------------- junk lines

# Plain JSON, for a field's value of the wrong JSON type: an Extended JSON wrapper could decode to
# the right one ({"$symbol": "x"} is a string), so wrappers go in an unknown field instead.
json_keys = st.text(max_size=8).filter(lambda key: not key.startswith("$"))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(json_keys, children, max_size=3),
    max_leaves=8,
)
WRAPPERS = [
    "$oid",
    "$date",
    "$numberLong",
    "$numberInt",
    "$numberDouble",
    "$numberDecimal",
    "$binary",
    "$uuid",
    "$timestamp",
    "$regularExpression",
    "$regex",
    "$options",
    "$code",
    "$scope",
    "$symbol",
    "$dbPointer",
    "$ref",
    "$id",
    "$minKey",
    "$maxKey",
    "$undefined",
    "$base64",
    "$subType",
]
# Extended JSON wrappers with junk inside: {"$oid": "zz"}, {"$date": 1e300}, {"$numberDecimal": "x"}...
extended_json_values = st.recursive(
    json_values
    | st.sampled_from(["zz", "x", "1e99999", "-1", "0" * 24, "AA==", "Infinity"])
    | st.sampled_from([1e300, -1e300, 2**64, 253_402_300_800_000]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(WRAPPERS) | json_keys, children, min_size=1, max_size=3)
    ),
    max_leaves=8,
)
# What JSON can carry and BSON cannot store: a lone surrogate (a \ud800 escape) in any text.
lone_surrogates = st.integers(min_value=0xD800, max_value=0xDFFF).map(chr)
unstorable_text = st.builds(
    lambda before, surrogate, after: before + surrogate + after, any_text, lone_surrogates, any_text
)
TYPED_FIELDS = {
    "_id": dict,
    "owner_id": int,
    "title": str,
    "body": str,
    "tags": list,
    "checklist": list,
    "attributes": dict,
    "visibility": str,
    "pinned": bool,
    "created_at": dict,
    "updated_at": dict,
}


def of_another_type(kind: type) -> Callable[[Any], bool]:
    return lambda value: not isinstance(value, kind) or (kind is int and isinstance(value, bool))


REQUIRED_FIELDS = ["_id", "owner_id", "title", "created_at", "updated_at"]
note_ids = st.binary(min_size=12, max_size=12).map(ObjectId)


UNSTORABLE_PLACES = [
    "title",
    "body",
    "tags",
    "attribute name",
    "attribute value",
    "checklist",
    "revision title",
    "revision body",
]


def unstorable_in(good: dict[str, Any], text: str, place: str) -> bytes:
    """`good` with `text` (which BSON cannot encode) in one of a note's strings or keys."""
    saved_at = {"$date": "2026-01-02T03:04:05.678Z"}
    fields = {
        "title": {"title": text},
        "body": {"body": text},
        "tags": {"tags": ["food", text]},
        "attribute name": {"attributes": {text: "1"}},
        "attribute value": {"attributes": {"colour": text}},
        "checklist": {"checklist": [{"text": text, "done": False}]},
        "revision title": {"revisions": [{"title": text, "body": "", "saved_at": saved_at}]},
        "revision body": {"revisions": [{"title": "Old", "body": text, "saved_at": saved_at}]},
    }[place]
    return encoded({**good, **fields})


def nested_attribute(good: dict[str, Any], depth: int) -> bytes:
    """`good` with an attribute value nested `depth` lists deep (json.dumps() itself would refuse to write it)."""
    return encoded(good)[:-1] + b', "attributes": {"a": ' + b"[" * depth + b"]" * depth + b"}}"


@st.composite
def bad_lines(draw: Callable, owner_id: int) -> bytes:
    """One line the import must refuse (and say which line it was)."""
    good = document(owner_id, draw(note_ids))
    field = draw(st.sampled_from(sorted(TYPED_FIELDS)))
    wrong = draw(json_values.filter(of_another_type(TYPED_FIELDS[field])))
    return draw(
        st.one_of(
            st.binary(max_size=40).map(lambda raw: raw + b"}"),
            st.integers(min_value=1, max_value=len(encoded(good)) - 1).map(lambda end: encoded(good)[:end]),
            json_values.filter(lambda value: not isinstance(value, dict)).map(encoded),
            st.just(encoded({**good, field: wrong})),
            json_keys.map(lambda key: encoded({**good, f"x-{key}": 1})),
            extended_json_values.map(lambda value: encoded({**good, "x-extended": value})),
            st.sampled_from(["$where", "a.b", "", "$", "a\x00b", "\x00"]).map(
                lambda key: encoded({**good, "attributes": {key: "1"}})
            ),
            st.builds(unstorable_in, st.just(good), unstorable_text, st.sampled_from(UNSTORABLE_PLACES)),
            st.integers(min_value=1, max_value=100_000).map(lambda depth: nested_attribute(good, depth)),
            st.sampled_from(REQUIRED_FIELDS).map(lambda gone: encoded({k: v for k, v in good.items() if k != gone})),
        )
    )


@st.composite
def junk_files(draw: Callable, owner_id: int) -> bytes:
    """Good lines and at least one bad one, in any order, with either line ending."""
    good = draw(st.lists(note_ids.map(lambda note_id: encoded(document(owner_id, note_id))), max_size=3))
    bad = draw(st.lists(bad_lines(owner_id), min_size=1, max_size=3))
    lines = draw(st.permutations(good + bad))
    return draw(st.sampled_from([b"\n", b"\r\n"])).join(lines)


def test_import_refuses_junk_lines_by_number_and_writes_nothing(alice, alice_note, tmp_path, stored):
    path = tmp_path / "notes.jsonl"
    before = stored()

    @DRILL
    @given(content=junk_files(alice.pk))
    @example(content=b'{"_id": "not an ObjectId"}\n[]\nnull\n"text"\n{"owner_id": true}')
    @example(content=encoded(document(alice.pk, title=None)) + b"\n" + encoded(document(alice.pk))[:30])
    @example(content=encoded(document(alice.pk)) + b"\n\xff\xfe\x00junk")
    @example(content=b'{"_id": {"$oid": "zz"}}\n{"created_at": {"$date": 1e300}}\n{"x": {"$numberDecimal": "x"}}')
    @example(content=encoded(document(alice.pk, title="\ud800")) + b"\n" + encoded(document(alice.pk)))
    def drill(content: bytes) -> None:
        path.write_bytes(content)

        message, problems = refusal(path)

        assert re.search(r"^\d+ bad lines? of \d+;", message) or "is not UTF-8 text: line" in message, message
        if "is not UTF-8 text" not in message:
            assert problems.startswith("line "), problems
        assert stored() == before

    drill()


# ----------------------------------------------------------------------------- Extended JSON and BSON


def extended_json_junk(owner_id: int, wrapper: dict[str, Any]) -> bytes:
    return encoded(document(owner_id, created_at=wrapper))


@pytest.mark.parametrize(
    "bad_line",
    [
        pytest.param(lambda owner: encoded(document(owner, _id={"$oid": "zz"})), id="oid-not-hex"),
        pytest.param(lambda owner: extended_json_junk(owner, {"$date": 1e300}), id="date-out-of-range"),
        pytest.param(lambda owner: extended_json_junk(owner, {"$numberDecimal": "x"}), id="decimal-not-a-number"),
        pytest.param(lambda owner: extended_json_junk(owner, {"$binary": {}}), id="binary-without-base64"),
        pytest.param(lambda owner: extended_json_junk(owner, {"$binary": 1, "$type": "00"}), id="binary-not-text"),
        pytest.param(lambda owner: b"[" * 100_000 + b"]" * 100_000, id="nested-100000-deep"),
    ],
)
def test_extended_json_junk_is_a_bad_line_not_a_traceback(alice, tmp_path, stored, bad_line):
    path = tmp_path / "notes.jsonl"
    path.write_bytes(encoded(document(alice.pk)) + b"\n" + bad_line(alice.pk) + b"\n")
    before = stored()

    message, _ = refusal(path)

    assert message == "1 bad line of 2; nothing was written."
    assert stored() == before


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"attributes": {"a\x00b": "1"}}, id="nul-in-attribute-name"),
        pytest.param({"title": "\ud800"}, id="lone-surrogate-in-title"),
    ],
)
def test_a_line_bson_cannot_store_is_refused_before_anything_is_written(alice, tmp_path, stored, fields):
    path = tmp_path / "notes.jsonl"
    path.write_bytes(encoded(document(alice.pk)) + b"\n" + encoded(document(alice.pk, **fields)) + b"\n")
    before = stored()

    _, problems = refusal(path, "--batch-size", "1")

    assert problems.startswith("line 2: ")
    assert stored() == before
