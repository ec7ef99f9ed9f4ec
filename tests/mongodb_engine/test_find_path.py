"""The engine sends simple reads as find() and everything else as the backend's aggregate()."""

from __future__ import annotations

import pytest
from bson import ObjectId
from django.db import connections
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from mongodb_engine.compiler import find_arguments
from notes.models import ChecklistItem, Note
from tests.factories import NoteFactory


def test_match_sort_skip_and_limit_become_find_arguments():
    pipeline = [
        {"$match": {"owner_id": 1}},
        {"$addFields": {"updated_at": "$updated_at", "_id": "$_id"}},
        {"$sort": {"updated_at": -1, "_id": -1}},
        {"$skip": 20},
        {"$limit": 20},
    ]

    assert find_arguments(pipeline) == {
        "filter": {"owner_id": 1},
        "sort": [("updated_at", -1), ("_id", -1)],
        "skip": 20,
        "limit": 20,
    }


def test_plain_inclusion_projection_becomes_a_find_projection():
    pipeline = [{"$project": {"_id": 1, "title": "$title", "checklist.done": True}}, {"$limit": 3}]

    assert find_arguments(pipeline) == {"projection": {"_id": 1, "title": 1, "checklist.done": 1}, "limit": 3}


def test_no_stages_is_an_unfiltered_find():
    assert find_arguments([]) == {}


@pytest.mark.parametrize(
    "pipeline",
    [
        [{"$match": {"a": 1}}, {"$group": {"_id": None, "n": {"$sum": 1}}}],
        [{"$facet": {"group": []}}],
        [{"$lookup": {"from": "x", "as": "y", "pipeline": []}}],
        [{"$project": {"a": {"$literal": 1}}}],
        [{"$project": {"title": "$body"}}],
        [{"$project": {"checklist.text": "$checklist.text"}}],
        [{"$project": {"_id": 0, "title": 1}}],
        [{"$addFields": {"x": {"$toLower": "$title"}}}],
        [{"$limit": 5}, {"$skip": 1}],
        [{"$sort": {"a": 1}}, {"$match": {"a": 1}}],
        [{"$match": {"a": 1}}, {"$match": {"b": 1}}],
        [{"$project": {"title": 1}}, {"$sort": {"updated_at": -1}}],
        [{"$limit": 0}],
        [{"$match": {"a": 1}, "$limit": 1}],
    ],
    ids=[
        "group",
        "facet",
        "lookup",
        "literal",
        "renamed",
        "dotted-path",
        "exclusion",
        "computed",
        "skip-after-limit",
        "match-after-sort",
        "two-matches",
        "sort-outside-projection",
        "limit-zero",
        "two-stages-in-one",
    ],
)
def test_pipelines_find_cannot_express_stay_aggregates(pipeline):
    assert find_arguments(pipeline) is None


def operations(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"].split("(", 1)[0].rsplit(".", 1)[1] for query in context.captured_queries]


@pytest.mark.django_db(databases=["default", "mongodb"])
class TestAgainstTheServer:
    def test_lookup_by_pk_is_a_find_and_returns_the_note(self):
        note = NoteFactory(owner_id=1, title="Found", checklist=[ChecklistItem(text="milk", done=True)])

        with CaptureQueriesContext(connections["mongodb"]) as context:
            found = Note.objects.get(pk=note.pk)

        assert operations(context) == ["find"]
        assert (found.title, found.checklist[0].text, found.checklist[0].done) == ("Found", "milk", True)

    def test_ordered_slice_reads_the_same_rows_as_the_backend_pipeline(self):
        for n in range(7):
            NoteFactory(owner_id=2, title=f"n{n}", pinned=n % 3 == 0)
        notes = Note.objects.filter(owner_id=2).order_by("-pinned", "title")

        with CaptureQueriesContext(connections["mongodb"]) as context:
            page = list(notes.values_list("title", flat=True)[2:5])
        assert operations(context) == ["find"]
        assert page == ["n6", "n1", "n2"]
        assert list(notes.only("title")[1:3]) == list(notes[1:3])

    def test_aggregates_and_counts_still_use_aggregate(self):
        NoteFactory(owner_id=3, tags=["a", "b"])

        with CaptureQueriesContext(connections["mongodb"]) as context:
            assert Note.objects.filter(owner_id=3).count() == 1
            assert Note.objects.filter(owner_id=3).values("owner_id").annotate(n=Count("pk")).get()["n"] == 1

        assert operations(context) == ["aggregate", "aggregate"]

    def test_no_match_is_an_empty_result(self):
        assert list(Note.objects.filter(pk=ObjectId())) == []
        assert Note.objects.filter(pk=ObjectId()).first() is None
