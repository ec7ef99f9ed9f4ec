"""The import's quick check of the note model's rules never lets through what full_clean() refuses (issue #18, item 7)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from bson import ObjectId
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notes.transfer.documents import note_document_check, note_model_problems, within_the_rules_at_a_glance
from notes.transfer.extended_json import extended_json_loads
from tests.factories import note_line

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

SAVED_AT = datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC)


def repeated(characters: list[str], lengths: list[int]) -> st.SearchStrategy[str]:
    """Text at and around a limit: `character` times each of `lengths`, and short text of any kind."""
    near_the_limit = st.builds(lambda c, n: c * n, st.sampled_from(characters), st.sampled_from(lengths))
    return near_the_limit | st.text(max_size=3)


def keyed(count: st.SearchStrategy[int], value: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda n, v: {f"name{i}": v for i in range(n)}, count, value)


TEXT = ["a", " ", "\x00", "é", "Ǆ", "\ud800"]
titles = repeated(TEXT, [0, 1, 199, 200, 201])
bodies = repeated(TEXT, [0, 99_999, 100_000, 100_001])
tags = st.sampled_from(["food", "Food", "", "a" * 50, "a" * 51, "a-b_c", "café", "a b", "ａ", "a\x00", "1", "-"])
checklist_items = st.fixed_dictionaries({"text": repeated(TEXT, [0, 1, 500, 501]), "done": st.booleans()})
attribute_names = st.sampled_from(["colour", "", "$where", "a$", "a.b", "n" * 100, "n" * 101, "a\x00b", "Ǆ"])
attribute_values = repeated(TEXT, [0, 1000, 1001]) | st.sampled_from([["list"], {"a": "b"}, 1, None, True])
revisions = st.fixed_dictionaries(
    {"title": titles, "body": repeated(TEXT, [0, 100_000, 100_001]), "saved_at": st.just(SAVED_AT)}
)
integers = st.sampled_from([-1, 0, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63])


def lists_around(limit: int, items: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """A few items of any kind, or `limit` and `limit + 1` copies of one."""
    return st.lists(items, max_size=3) | st.builds(
        lambda item, n: [item] * n, items, st.sampled_from([limit, limit + 1])
    )


EDGES: dict[str, st.SearchStrategy[Any]] = {
    "owner_id": integers,
    "title": titles,
    "body": bodies,
    "tags": lists_around(20, tags),
    "checklist": lists_around(100, checklist_items),
    "attributes": st.dictionaries(attribute_names, attribute_values, max_size=3)
    | keyed(st.sampled_from([50, 51]), attribute_values),
    "visibility": st.sampled_from(["private", "public", "", "Public", "shared"]),
    "revisions": lists_around(10, revisions),
    "view_count": integers,
}


def plain_note() -> dict[str, Any]:
    """A note well inside every rule."""
    return {
        "_id": ObjectId(),
        "owner_id": 1,
        "title": "A note",
        "body": "",
        "tags": ["food"],
        "checklist": [{"text": "milk", "done": False}],
        "attributes": {"colour": "red"},
        "visibility": "private",
        "pinned": False,
        "revisions": [{"title": "Old", "body": "", "saved_at": SAVED_AT}],
        "view_count": 0,
        "created_at": SAVED_AT,
        "updated_at": SAVED_AT,
    }


@st.composite
def notes(draw: st.DrawFn) -> dict[str, Any]:
    """A plain note with one or two fields at or past their limits: the quick check meets each rule alone."""
    fields = draw(st.lists(st.sampled_from(sorted(EDGES)), min_size=1, max_size=2, unique=True))
    return plain_note() | {name: draw(EDGES[name]) for name in fields}


@settings(max_examples=400, deadline=None)
@given(document=notes())
@example(document=plain_note() | {"attributes": {"a.b": "1"}})
@example(document=plain_note() | {"attributes": {"$where": "1"}})
@example(document=plain_note() | {"attributes": {"n" * 101: "1"}})
@example(document=plain_note() | {"title": "x" * 201})
@example(document=plain_note() | {"checklist": [{"text": "", "done": False}]})
def test_what_the_quick_check_accepts_the_note_model_accepts_too(document):
    if within_the_rules_at_a_glance(document):
        assert note_model_problems(document) == []


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {
            "body": "milk\neggs" * 1000,
            "tags": ["food", "weekly-shop", "a_b"],
            "checklist": [{"text": "milk", "done": True}, {"text": "x" * 500, "done": False}],
            "attributes": {"store": "Corner shop", "n" * 100: "v" * 1000},
            "visibility": "public",
            "pinned": True,
            "revisions": [{"title": "Old", "body": "", "saved_at": {"$date": "2026-01-02T03:04:05.678Z"}}] * 10,
            "view_count": 12,
        },
    ],
)
def test_notes_as_the_export_writes_them_need_no_full_clean(alice, fields, monkeypatch):
    full_clean_calls: list[object] = []
    monkeypatch.setattr("notes.models.Note.full_clean", lambda *args, **kwargs: full_clean_calls.append(args))

    document, problems = note_document_check(extended_json_loads(note_line(alice.pk, **fields)))

    assert problems == []
    assert within_the_rules_at_a_glance(document)
    assert full_clean_calls == []


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"title": "x" * 201}, "title: Ensure this value has at most 200 characters (it has 201)."),
        ({"tags": ["Food"]}, "tags: Item 1 in the array did not validate: Tags are lowercase."),
        (
            {"attributes": {"a.b": "1"}},
            "attributes: Attribute name 'a.b' may not be empty, start with $ or contain a dot.",
        ),
    ],
)
def test_a_note_the_quick_check_doubts_gets_the_models_own_message(alice, fields, problem):
    document = extended_json_loads(note_line(alice.pk, **fields))

    _, problems = note_document_check(document)

    assert problems == [problem]
