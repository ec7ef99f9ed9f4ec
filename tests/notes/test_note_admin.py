"""The notes admin against the live MongoDB-wire server: changelist, search, filters, rows, add, change and delete."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connections
from django.urls import reverse

from notes.models import MAX_CHECKLIST_ITEMS, ChecklistItem, Note
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

CHANGELIST = reverse("admin:notes_note_changelist")


def rows(prefix: str, items: list[dict[str, Any]], initial: int) -> dict[str, Any]:
    """A formset's POST data: its management form and each row's fields (a False box is left out, as browsers do)."""
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": len(items), f"{prefix}-INITIAL_FORMS": initial}
    for index, row in enumerate(items):
        data.update(
            {
                f"{prefix}-{index}-{name}": "on" if value is True else value
                for name, value in row.items()
                if value is not False
            }
        )
    return data


def admin_form(
    *,
    checklist: list[dict[str, Any]] = (),
    initial_checklist: int = 0,
    attributes: list[dict[str, Any]] = (),
    initial_attributes: int = 0,
    **fields: Any,
) -> dict[str, Any]:
    """The fields the Note admin form posts, with the checklist and the attributes as rows."""
    return {
        "body": "",
        "tags": "",
        "visibility": "private",
        **rows("checklist", list(checklist), initial_checklist),
        **rows("attributes", list(attributes), initial_attributes),
        **fields,
    }


def titles(response) -> list[str]:
    return sorted(note.title for note in response.context["cl"].result_list)


def owner_column(response) -> list[str]:
    """The owner cell of each changelist row, as the admin renders it."""
    model_admin = response.context["cl"].model_admin
    return [model_admin.owner(note) for note in response.context["cl"].result_list]


def test_the_header_says_polystore_administration(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()

    assert '<a href="/admin/">Polystore administration</a>' in page
    assert "<title>Site administration | Polystore administration</title>" in page


def test_changelist_searches_filters_and_names_owners(staff_client, alice, bob):
    alice.display_name = "Alice A."
    alice.save()
    gone = UserFactory(username="gone")
    NoteFactory(owner_id=alice.pk, title="Milk", body="", public=True, tags=["dairy"])
    NoteFactory(owner_id=bob.pk, title="Tea", body="with milk", public=True)
    NoteFactory(owner_id=bob.pk, title="Private milk", body="")
    NoteFactory(owner_id=gone.pk, title="Orphaned milk", body="", public=True)
    gone_id = gone.pk
    gone.delete()

    response = staff_client.get(CHANGELIST, {"q": "MILK", "visibility__exact": "public"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    rows = dict(zip((note.title for note in response.context["cl"].result_list), owner_column(response), strict=True))
    orphan = f"member #{gone_id} (deactivated, or deleted: an orphan note)"
    assert rows == {"Milk": "Alice A.", "Tea": "bob", "Orphaned milk": orphan}
    page = response.content.decode()
    assert "Alice A." in page
    assert "#dairy" in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("alice", ["Letter to alice", "Plans", "Recipes"]),  # her notes, and the words of others'
        ("ALICE", ["Letter to alice", "Plans", "Recipes"]),
        ("@alice", ["Plans", "Recipes"]),
        (" @Alice ", ["Plans", "Recipes"]),
    ],
)
def test_search_finds_an_owners_notes_by_username(staff_client, alice, bob, query, found):
    NoteFactory(owner_id=alice.pk, title="Plans", body="")
    NoteFactory(owner_id=alice.pk, title="Recipes", body="")
    NoteFactory(owner_id=bob.pk, title="Letter to alice", body="")
    NoteFactory(owner_id=bob.pk, title="Bob's own", body="")

    response = staff_client.get(CHANGELIST, {"q": query})

    assert titles(response) == found


def test_search_by_a_username_needs_the_whole_name(staff_client, alice):
    NoteFactory(owner_id=alice.pk, title="Plans", body="")

    assert titles(staff_client.get(CHANGELIST, {"q": "ali"})) == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("groceries", ["Groceries list", "Saturday"]),
        ("GROCERIES", ["Groceries list", "Saturday"]),
        ("#groceries", ["Saturday"]),
    ],
)
def test_search_finds_notes_by_tag(staff_client, query, found):
    NoteFactory(title="Saturday", body="", tags=["groceries", "weekend"])
    NoteFactory(title="Sunday", body="", tags=["weekend"])
    NoteFactory(title="Groceries list", body="")

    assert titles(staff_client.get(CHANGELIST, {"q": query})) == found


def test_a_search_with_a_nul_character_is_refused_with_a_message(staff_client):
    NoteFactory(title="Anything")

    response = staff_client.get(CHANGELIST, {"q": "a\x00b"}, follow=True)

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_tag_filter_offers_the_most_used_tags_and_filters_by_one(staff_client, monkeypatch):
    monkeypatch.setattr("notes.admin.TAG_FILTER_CHOICES", 2)
    NoteFactory(title="One", tags=["work", "home"])
    NoteFactory(title="Two", tags=["work", "home", "rare"])
    NoteFactory(title="Three", tags=["work"])

    response = staff_client.get(CHANGELIST, {"tag": "home"})

    (tag_filter,) = [spec for spec in response.context["cl"].filter_specs if spec.title == "tag"]
    assert tag_filter.lookup_choices == [("home", "#home"), ("work", "#work")]
    assert titles(response) == ["One", "Two"]
    assert titles(staff_client.get(CHANGELIST, {"tag": "rare"})) == ["Two"]
    assert {spec.title for spec in response.context["cl"].filter_specs} == {"tag", "visibility", "pinned"}


def test_filters_offer_no_counts_which_the_backend_cannot_serve(staff_client):
    NoteFactory(title="One", tags=["work"])

    response = staff_client.get(CHANGELIST, {"_facets": "True"})

    assert response.status_code == 200
    assert "Show counts" not in response.content.decode()


def test_changelist_filters_on_pinned(staff_client):
    NoteFactory(title="Pinned", pinned=True)
    NoteFactory(title="Loose")

    response = staff_client.get(CHANGELIST, {"pinned__exact": "1"})

    assert [note.title for note in response.context["cl"].result_list] == ["Pinned"]


@pytest.mark.parametrize("notes_on_page", [1, 20])
def test_changelist_costs_the_same_queries_for_one_note_or_twenty(
    staff_client, django_assert_num_queries, notes_on_page
):
    for n in range(notes_on_page):
        NoteFactory(title=f"shared {n}", public=True, tags=[f"tag{n}"])  # each by a different member

    # relational: the staff member's row, then every owner's name in one query;
    # MongoDB: the tag filter's tags, the filtered count, the full count and the page
    with django_assert_num_queries(2), django_assert_num_queries(4, connection=connections["mongodb"]):
        response = staff_client.get(CHANGELIST, {"visibility__exact": "public"})

    assert response.context["cl"].result_count == notes_on_page
    assert all(name.startswith("member") for name in owner_column(response))


@pytest.mark.parametrize("notes_on_page", [1, 20])
def test_a_search_by_owner_costs_one_more_relational_query(
    staff_client, alice, django_assert_num_queries, notes_on_page
):
    for n in range(notes_on_page):
        NoteFactory(owner_id=alice.pk, title=f"shared {n}")
    staff_client.get(CHANGELIST)  # the tag filter's tags are kept in Redis from here

    # relational: the staff member's row and the username's id (the owners' names are in Redis by now);
    # MongoDB: the two counts and the page
    with django_assert_num_queries(2), django_assert_num_queries(3, connection=connections["mongodb"]):
        response = staff_client.get(CHANGELIST, {"q": "alice"})

    assert response.context["cl"].result_count == notes_on_page


def test_change_page_shows_one_row_per_item_and_name_value_rows(staff_client, alice):
    note = NoteFactory(
        owner_id=alice.pk,
        checklist=[ChecklistItem(text="Milk", done=True), ChecklistItem(text="Eggs")],
        attributes={"colour": "blue", "size": "large"},
    )

    page = staff_client.get(reverse("admin:notes_note_change", args=[note.pk])).content.decode()

    assert page.count('class="admin-row"') == 4 + 4  # each item and pair, a blank row and the script's template of each
    assert 'name="checklist-0-text" value="Milk"' in page
    assert 'name="checklist-0-done" id="id_checklist-0-done" checked' in page
    assert 'name="checklist-1-ORDER" value="2"' in page
    assert 'name="attributes-1-name" value="size"' in page
    assert 'name="attributes-1-value" value="large"' in page
    assert '<textarea name="attributes"' not in page
    assert "js/admin-note-rows.js" in page
    assert "css/admin-note-rows.css" in page


def test_add_page_creates_a_note_with_checklist_and_attributes(staff_client, alice, mongo_db):
    url = reverse("admin:notes_note_add")

    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        admin_form(
            owner_id=alice.pk,
            title="From the admin",
            tags="a,b",
            attributes=[{"name": "colour", "value": "blue"}, {"name": "", "value": ""}],
            checklist=[{"text": "first", "done": True}, {"text": "second"}, {"text": ""}],
        ),
    )

    assert response.status_code == 302
    document = mongo_db["notes_note"].find_one({"title": "From the admin"})
    assert document["owner_id"] == alice.pk
    assert document["checklist"] == [{"text": "first", "done": True}, {"text": "second", "done": False}]
    assert document["attributes"] == {"colour": "blue"}


def test_change_page_adds_reorders_and_deletes_rows_and_keeps_a_revision(staff_client, alice, mongo_db):
    note = NoteFactory(
        owner_id=alice.pk,
        title="Before",
        body="old text",
        attributes={"k": "v", "gone": "x"},
        checklist=[ChecklistItem(text="one"), ChecklistItem(text="two"), ChecklistItem(text="three")],
    )
    url = reverse("admin:notes_note_change", args=[note.pk])

    response = staff_client.post(
        url,
        admin_form(
            owner_id=alice.pk,
            title="After",
            body="old text",
            initial_checklist=3,
            checklist=[
                {"text": "one", "done": True, "ORDER": 2},
                {"text": "two", "ORDER": 3, "DELETE": True},
                {"text": "three", "ORDER": 1},
                {"text": "four", "ORDER": ""},
            ],
            initial_attributes=2,
            attributes=[
                {"name": "k", "value": "w"},
                {"name": "gone", "value": "x", "DELETE": True},
                {"name": "new", "value": "y"},
            ],
        ),
    )

    assert response.status_code == 302
    document = mongo_db["notes_note"].find_one({"_id": note.pk})
    assert document["title"] == "After"
    assert document["checklist"] == [
        {"text": "three", "done": False},
        {"text": "one", "done": True},
        {"text": "four", "done": False},
    ]
    assert document["attributes"] == {"k": "w", "new": "y"}
    assert [(r["title"], r["body"]) for r in document["revisions"]] == [("Before", "old text")]
    assert "Before" in staff_client.get(url).content.decode()


def test_unchanged_rows_are_not_logged_as_changed(staff_client, alice):
    note = NoteFactory(
        owner_id=alice.pk, title="Same", body="", checklist=[ChecklistItem(text="one")], attributes={"k": "v"}
    )

    staff_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        admin_form(
            owner_id=alice.pk,
            title="Renamed",
            initial_checklist=1,
            checklist=[{"text": "one", "ORDER": 1}, {"text": ""}],
            initial_attributes=1,
            attributes=[{"name": "k", "value": "v"}, {"name": "", "value": ""}],
        ),
    )

    (entry,) = LogEntry.objects.all()
    assert json.loads(entry.change_message) == [{"changed": {"fields": ["Title"]}}]


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ([{"name": "$set", "value": "x"}], "A name may not start with $ or contain a dot."),
        ([{"name": "a.b", "value": "x"}], "A name may not start with $ or contain a dot."),
        ([{"name": "", "value": "x"}], "Give this value a name."),
        ([{"name": "n", "value": "x"}, {"name": "n", "value": "y"}], "Each attribute name may appear only once."),
        ([{"name": "n", "value": "x" * 1001}], "Ensure this value has at most 1000 characters (it has 1001)."),
        ([{"name": "n", "value": "a\x00b"}], "Null characters are not allowed."),
    ],
)
def test_change_page_refuses_bad_attribute_rows_and_says_why(staff_client, alice, attributes, message, mongo_db):
    note = NoteFactory(owner_id=alice.pk, title="Steady")

    response = staff_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        admin_form(owner_id=alice.pk, title="Changed", attributes=attributes),
    )

    assert response.status_code == 200
    assert "attributes" in response.context["adminform"].form.errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert mongo_db["notes_note"].find_one({"_id": note.pk})["title"] == "Steady"


@pytest.mark.parametrize(
    ("checklist", "message"),
    [
        ([{"text": "c" * 501}], "Ensure this value has at most 500 characters (it has 501)."),
        ([{"text": f"item {n}"} for n in range(MAX_CHECKLIST_ITEMS + 1)], "A checklist holds at most 100 items."),
        ([{"text": "x", "ORDER": "first"}], "Enter a whole number."),
    ],
)
def test_change_page_refuses_bad_checklist_rows_and_says_why(staff_client, alice, checklist, message):
    note = NoteFactory(owner_id=alice.pk)

    response = staff_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        admin_form(owner_id=alice.pk, title="x", checklist=checklist),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Note.objects.get(pk=note.pk).checklist == []


@pytest.mark.parametrize("total", ["many", "", "99999999999"])
def test_tampered_row_counts_are_a_form_error(staff_client, alice, total):
    note = NoteFactory(owner_id=alice.pk, title="Steady")
    data = admin_form(owner_id=alice.pk, title="Changed", checklist=[{"text": "x"}])
    data["checklist-TOTAL_FORMS"] = total

    response = staff_client.post(reverse("admin:notes_note_change", args=[note.pk]), data)

    assert response.status_code == 200
    assert "checklist" in response.context["adminform"].form.errors
    assert Note.objects.get(pk=note.pk).title == "Steady"


def test_delete_confirmation_then_delete(staff_client, mongo_db):
    note = NoteFactory(title="Doomed")
    url = reverse("admin:notes_note_delete", args=[note.pk])

    confirmation = staff_client.get(url)
    assert confirmation.status_code == 200
    assert "Doomed" in confirmation.content.decode()

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert mongo_db["notes_note"].count_documents({"_id": note.pk}) == 0


def test_members_who_are_not_staff_cannot_reach_the_notes_admin(alice_client):
    response = alice_client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
