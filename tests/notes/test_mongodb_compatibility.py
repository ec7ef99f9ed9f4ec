"""The ORM operations Polystore relies on, run against the live MongoDB-wire server.

This is the matrix of docs/mongodb-compatibility.md: each test fails if the server or the
project's engine (mongodb_engine) stops serving one of them.
"""

from __future__ import annotations

import datetime

import pytest
from bson import ObjectId
from django.core.paginator import Paginator
from django.db import IntegrityError, connections, models
from django.db.models import Count, Max, Q
from django.test.utils import isolate_apps
from django.urls import reverse
from pymongo import _csot

from notes.figures import member_figures, notes_written_per_day
from notes.models import ChecklistItem, Note
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


@pytest.fixture
def three_notes():
    return [
        NoteFactory(
            owner_id=1,
            title="Alpha",
            body="First",
            tags=["work", "urgent"],
            checklist=[ChecklistItem(text="milk", done=False), ChecklistItem(text="eggs", done=True)],
        ),
        NoteFactory(owner_id=2, title="Beta", body="Second", tags=["home"], checklist=[]),
        NoteFactory(
            owner_id=3,
            title="Gamma",
            body="Third has MILK",
            tags=["work"],
            checklist=[ChecklistItem(text="bread", done=False)],
        ),
    ]


def admin_form(**fields: object) -> dict[str, object]:
    """The fields the Note admin form posts, with the checklist and attribute rows left empty."""
    return {
        "body": "",
        "tags": "",
        "attributes-TOTAL_FORMS": 0,
        "attributes-INITIAL_FORMS": 0,
        "visibility": "private",
        "checklist-TOTAL_FORMS": 0,
        "checklist-INITIAL_FORMS": 0,
        **fields,
    }


def titles(queryset) -> list[str]:
    return sorted(queryset.values_list("title", flat=True))


def test_create_writes_one_document(mongo_db):
    note = Note.objects.create(owner_id=7, title="Created", tags=["a"])

    assert isinstance(note.pk, ObjectId)
    assert mongo_db["notes_note"].count_documents({"_id": note.pk, "title": "Created"}) == 1


def test_save_of_an_existing_row_updates_it_in_place(mongo_db, three_notes):
    note = three_notes[0]
    note.title = "Alpha, revised"
    note.checklist[0].done = True
    note.save()

    document = mongo_db["notes_note"].find_one({"_id": note.pk})
    assert document["title"] == "Alpha, revised"
    assert document["checklist"][0] == {"text": "milk", "done": True}
    assert mongo_db["notes_note"].count_documents({}) == 3


def test_queryset_update_changes_only_matching_documents(mongo_db, three_notes):
    changed = Note.objects.filter(tags__contains=["work"]).update(body="bulk")

    assert changed == 2
    assert mongo_db["notes_note"].count_documents({"body": "bulk"}) == 2
    assert mongo_db["notes_note"].find_one({"title": "Beta"})["body"] == "Second"


def test_delete_removes_the_document(mongo_db, three_notes):
    three_notes[1].delete()
    deleted, _ = Note.objects.filter(owner_id=1).delete()

    assert deleted == 1
    assert titles(Note.objects.all()) == ["Gamma"]
    assert mongo_db["notes_note"].count_documents({}) == 1


def test_get_by_object_id(three_notes):
    assert Note.objects.get(pk=str(three_notes[2].pk)).title == "Gamma"
    with pytest.raises(Note.DoesNotExist):
        Note.objects.get(pk=ObjectId())


@pytest.mark.parametrize(
    ("lookup", "expected"),
    [
        ({"title": "Beta"}, ["Beta"]),
        ({"owner_id__in": [1, 3]}, ["Alpha", "Gamma"]),
        ({"owner_id__gt": 1}, ["Beta", "Gamma"]),
        ({"owner_id__lt": 2}, ["Alpha"]),
        ({"body__icontains": "milk"}, ["Gamma"]),
        ({"title__startswith": "Al"}, ["Alpha"]),
        ({"body__isnull": True}, []),
    ],
)
def test_filters(three_notes, lookup, expected):
    assert titles(Note.objects.filter(**lookup)) == expected


def test_isnull_matches_a_missing_field(mongo_db, three_notes):
    mongo_db["notes_note"].update_one({"_id": three_notes[1].pk}, {"$unset": {"body": ""}})

    assert titles(Note.objects.filter(body__isnull=True)) == ["Beta"]
    assert titles(Note.objects.filter(body__isnull=False)) == ["Alpha", "Gamma"]


def test_live_notes_are_those_whose_trashed_at_is_null_or_missing(mongo_db, three_notes):
    """`Note.objects` and the trash's filters; a document from before the trash has no `trashed_at` and is live."""
    alpha, _, gamma = three_notes
    mongo_db["notes_note"].update_one({"_id": alpha.pk}, {"$unset": {"trashed_at": ""}})
    mongo_db["notes_note"].update_one({"_id": gamma.pk}, {"$set": {"trashed_at": datetime.datetime(2026, 1, 1)}})
    moment = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)

    assert titles(Note.objects.all()) == ["Alpha", "Beta"]
    assert Note.objects.count() == 2
    assert Note.objects.get(pk=alpha.pk).trashed_at is None
    assert Note.objects.filter(pk=gamma.pk).first() is None
    assert titles(Note.everything.trashed()) == ["Gamma"]
    assert titles(Note.everything.trashed_before(moment)) == ["Gamma"]
    assert titles(Note.everything.trashed_before(moment - datetime.timedelta(days=1))) == []
    assert sorted(d["title"] for d in mongo_db["notes_note"].find({"trashed_at": None})) == ["Alpha", "Beta"]


def test_q_with_or_and_not(three_notes):
    assert titles(Note.objects.filter(Q(title="Alpha") | Q(owner_id=3))) == ["Alpha", "Gamma"]
    assert titles(Note.objects.filter(~Q(tags__contains=["work"]))) == ["Beta"]
    assert titles(Note.objects.exclude(title="Beta")) == ["Alpha", "Gamma"]


def test_order_by_with_slicing_returns_whole_model_instances(three_notes):
    page = list(Note.objects.order_by("-owner_id")[1:3])

    assert [(note.title, note.owner_id, note.tags) for note in page] == [
        ("Beta", 2, ["home"]),
        ("Alpha", 1, ["work", "urgent"]),
    ]


def test_count_and_exists(three_notes):
    assert Note.objects.count() == 3
    assert Note.objects.filter(tags__contains=["work"]).count() == 2
    assert Note.objects.filter(title="nothing").count() == 0
    assert Note.objects.filter(title="Beta").exists() is True
    assert Note.objects.filter(title="nothing").exists() is False


def test_aggregates_and_annotations(three_notes):
    assert Note.objects.aggregate(top=Max("owner_id")) == {"top": 3}
    assert Note.objects.filter(title="nothing").aggregate(top=Max("owner_id")) == {"top": None}
    per_owner = Note.objects.values("owner_id").annotate(n=Count("pk")).order_by("owner_id")
    assert [(row["owner_id"], row["n"]) for row in per_owner] == [(1, 1), (2, 1), (3, 1)]


def test_two_aggregates_in_one_query(three_notes):
    assert Note.objects.aggregate(n=Count("pk"), top=Max("owner_id")) == {"n": 3, "top": 3}


def test_values_distinct_in_bulk_and_only(three_notes):
    assert sorted(Note.objects.values_list("owner_id", flat=True).distinct()) == [1, 2, 3]
    assert list(Note.objects.filter(title="Beta").values("title", "owner_id")) == [{"title": "Beta", "owner_id": 2}]
    by_pk = Note.objects.in_bulk([note.pk for note in three_notes[:2]])
    assert sorted(note.title for note in by_pk.values()) == ["Alpha", "Beta"]
    light = Note.objects.only("title").get(pk=three_notes[0].pk)
    assert light.title == "Alpha"
    assert "body" in light.get_deferred_fields()


def test_lookup_of_a_key_inside_a_json_field(three_notes):
    Note.objects.filter(pk=three_notes[0].pk).update(attributes={"color": "blue"})

    assert titles(Note.objects.filter(attributes__color="blue")) == ["Alpha"]


def test_paginator_counts_and_slices(three_notes):
    paginator = Paginator(Note.objects.order_by("title"), 2)

    assert paginator.count == 3
    assert [note.title for note in paginator.page(2)] == ["Gamma"]


def test_array_contains_and_overlap(three_notes):
    assert titles(Note.objects.filter(tags__contains=["work", "urgent"])) == ["Alpha"]
    assert titles(Note.objects.filter(tags__overlap=["home", "urgent"])) == ["Alpha", "Beta"]


def test_lookups_into_embedded_documents(three_notes):
    assert titles(Note.objects.filter(checklist__text="bread")) == ["Gamma"]
    assert titles(Note.objects.filter(checklist__done=True)) == ["Alpha"]
    loaded = Note.objects.get(title="Alpha")
    assert [(item.text, item.done) for item in loaded.checklist] == [("milk", False), ("eggs", True)]


def test_date_lookups(three_notes):
    this_year = datetime.datetime.now(datetime.UTC).year

    assert Note.objects.filter(created_at__year=this_year).count() == 3


def test_defer_leaves_fields_unread(three_notes):
    light = Note.objects.defer("revisions", "attributes").get(pk=three_notes[0].pk)

    assert (light.title, light.tags) == ("Alpha", ["work", "urgent"])
    assert light.get_deferred_fields() == {"revisions", "attributes"}


def test_an_aggregate_with_facet_unwind_group_and_conditional_sums(three_notes):
    """notes/figures.py: a member's totals and tags in one command ($facet, $unwind, $group, $cond, $filter)."""
    NoteFactory(owner_id=1, tags=["work"], pinned=True, visibility="public")

    figures = member_figures(1)

    assert (figures.notes, figures.public, figures.pinned, figures.open_items) == (2, 1, 1, 1)
    assert figures.tags == [("work", 2), ("urgent", 1)]


def test_an_aggregate_grouping_by_day_in_a_time_zone(three_notes):
    """notes/figures.py: notes written per day ($dateToString with a time zone)."""
    today = datetime.datetime.now(datetime.UTC).date()

    assert notes_written_per_day(days=2, today=today) == [(today - datetime.timedelta(days=1), 0), (today, 3)]


@isolate_apps("notes")
def test_migrate_creates_collections_plain_compound_and_unique_indexes(mongo_db):
    class Label(models.Model):
        name = models.CharField(max_length=50, unique=True)
        rank = models.IntegerField(db_index=True)

        class Meta:
            app_label = "notes"
            indexes = [models.Index(fields=["rank", "-name"], name="label_rank_name")]

    connection = connections["mongodb"]
    with connection.schema_editor() as editor:
        editor.create_model(Label)
    try:
        indexes = {index["name"]: index for index in mongo_db["notes_label"].list_indexes()}
        assert any(index.get("unique") for index in indexes.values())
        assert indexes["label_rank_name"]["key"] == {"rank": 1, "name": -1}
        assert any(list(index["key"]) == ["rank"] for index in indexes.values())

        Label.objects.create(name="first", rank=1)
        with pytest.raises(IntegrityError):
            Label.objects.create(name="first", rank=2)
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Label)
    assert "notes_label" not in mongo_db.list_collection_names()


@isolate_apps("notes")
def test_migrate_adding_a_field_stores_its_default_in_existing_documents(mongo_db):
    class Label(models.Model):
        name = models.CharField(max_length=50)

        class Meta:
            app_label = "notes"

    connection = connections["mongodb"]
    with connection.schema_editor() as editor:
        editor.create_model(Label)
    try:
        mongo_db["notes_label"].insert_many([{"name": "first"}, {"name": "$second"}])
        rank = models.IntegerField(default=3)
        rank.set_attributes_from_name("rank")
        note = models.CharField(max_length=10, default="$literal")
        note.set_attributes_from_name("note")
        with connection.schema_editor() as editor:
            assert _csot.get_timeout() > 60  # a migration's writes outlast the app's 10 s socket timeout
            editor.add_field(Label, rank)
            editor.add_field(Label, note)

        documents = mongo_db["notes_label"].find({}, {"_id": False}).sort("name")
        assert list(documents) == [
            {"name": "$second", "rank": 3, "note": "$literal"},
            {"name": "first", "rank": 3, "note": "$literal"},
        ]
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Label)


def test_admin_changelist_with_search(client, staff, three_notes):
    client.force_login(staff)

    response = client.get(reverse("admin:notes_note_changelist"), {"q": "milk"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert [note.title for note in response.context["cl"].result_list] == ["Gamma"]


def test_admin_add_page_creates_a_note(client, staff, mongo_db):
    client.force_login(staff)
    url = reverse("admin:notes_note_add")

    assert client.get(url).status_code == 200
    response = client.post(url, admin_form(owner_id=staff.pk, title="From the admin", tags="a,b"))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert mongo_db["notes_note"].find_one({"title": "From the admin"})["tags"] == ["a", "b"]


def test_admin_change_page_saves_the_document(client, staff, mongo_db, three_notes):
    client.force_login(staff)
    note = three_notes[1]
    url = reverse("admin:notes_note_change", args=[note.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, admin_form(owner_id=2, title="Beta, edited", body="Second", tags="home"))

    assert response.status_code == 302
    assert mongo_db["notes_note"].find_one({"_id": note.pk})["title"] == "Beta, edited"


def test_admin_delete_confirmation_and_delete(client, staff, mongo_db, three_notes):
    client.force_login(staff)
    url = reverse("admin:notes_note_delete", args=[three_notes[0].pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert mongo_db["notes_note"].count_documents({"_id": three_notes[0].pk}) == 0
