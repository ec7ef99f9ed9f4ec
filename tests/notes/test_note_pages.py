"""Creating, reading, editing and deleting notes through the pages, as each persona."""

from __future__ import annotations

import pytest
from bson import ObjectId
from django.db import connections
from django.http import Http404
from django.urls import reverse

from notes.models import ChecklistItem, Note
from notes.permissions import get_note_for
from tests.factories import NoteFactory
from tests.notes.posts import editor_form
from tools.bench.middleware import round_trips

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


@pytest.fixture
def private_note(alice):
    return NoteFactory(owner_id=alice.pk, title="Alice's diary", body="Only for me.")


@pytest.fixture
def public_note(alice):
    return NoteFactory(owner_id=alice.pk, title="Alice's recipe", body="For everyone.", public=True)


def page_urls(note: Note) -> dict[str, str]:
    return {name: reverse(f"notes:{name}", args=[note.pk]) for name in ("detail", "edit", "delete")}


# ----------------------------------------------------------------------------- create


def test_create_page_offers_the_editor_without_blank_rows(alice_client):
    response = alice_client.get(reverse("notes:create"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="checklist-TOTAL_FORMS" value="0"' in content
    assert 'name="attributes-TOTAL_FORMS" value="0"' in content
    assert 'name="checklist-__prefix__-ORDER"' in content
    assert 'name="attributes-__prefix__-DELETE"' in content


def test_a_member_without_notes_is_welcomed_to_write_their_first_note(alice_client):
    content = alice_client.get(reverse("notes:create")).content.decode()

    assert "<h1>Write your first note</h1>" in content
    assert "private until you make them public" in content


def test_a_member_with_notes_gets_the_plain_new_note_page(alice_client, private_note):
    content = alice_client.get(reverse("notes:create")).content.decode()

    assert "<h1>New note</h1>" in content
    assert "Write your first note" not in content


def test_owner_creates_a_note_with_checklist_attributes_and_tags(alice, alice_client, mongo_db):
    response = alice_client.post(
        reverse("notes:create"),
        editor_form(
            title="Groceries",
            body="For *Sunday*",
            tags="Home, shopping  urgent,home",
            visibility="public",
            pinned=True,
            checklist=[{"text": "milk", "done": True}, {"text": "eggs"}, {"text": ""}],
            attributes=[{"name": "shop", "value": "corner"}, {"name": "", "value": ""}],
        ),
    )

    note = Note.objects.get(title="Groceries")
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:detail", args=[note.pk])
    document = mongo_db["notes_note"].find_one({"_id": note.pk})
    assert document["owner_id"] == alice.pk
    assert document["body"] == "For *Sunday*"
    assert document["tags"] == ["home", "shopping", "urgent"]
    assert document["visibility"] == "public"
    assert document["pinned"] is True
    assert document["checklist"] == [{"text": "milk", "done": True}, {"text": "eggs", "done": False}]
    assert document["attributes"] == {"shop": "corner"}
    assert document["revisions"] == []


def test_created_note_page_confirms_and_shows_it(alice_client):
    response = alice_client.post(reverse("notes:create"), editor_form(title="Fresh"), follow=True)

    assert response.status_code == 200
    assert "Saved “Fresh”." in response.content.decode()
    assert response.context["note"].title == "Fresh"


def test_creating_a_note_takes_one_query_per_store(alice_client, django_assert_num_queries):
    alice_client.get(reverse("notes:create"))  # the session's copy is now in Redis
    form = editor_form(
        title="Counted", tags="a b", checklist=[{"text": "milk"}], attributes=[{"name": "shop", "value": "corner"}]
    )

    # The member with their session's row; the insert, nothing read back.
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]) as mongo:
        response = alice_client.post(reverse("notes:create"), form)

    assert response.status_code == 302
    assert mongo.captured_queries[0]["sql"].startswith("db.notes_note.insert_one(")
    assert Note.objects.get(title="Counted").checklist[0].text == "milk"


def test_anonymous_visitor_is_sent_to_log_in_before_writing(client, private_note):
    for url in (reverse("notes:list"), reverse("notes:create"), *list(page_urls(private_note).values())[1:]):
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("users:login"))
    assert client.post(reverse("notes:create"), editor_form(title="Sneaky")).status_code == 302
    assert not Note.objects.filter(title="Sneaky").exists()


# ----------------------------------------------------------------------------- read


def test_owner_reads_their_private_note(alice_client, private_note):
    response = alice_client.get(page_urls(private_note)["detail"])

    assert response.status_code == 200
    assert "Only for me." in response.content.decode()
    assert response.context["can_write"] is True


def test_other_member_gets_404_for_private_note(bob_client, private_note):
    for name, url in page_urls(private_note).items():
        assert bob_client.get(url).status_code == 404, name


def test_outsider_gets_404_for_private_note(client, private_note):
    assert client.get(page_urls(private_note)["detail"]).status_code == 404


def test_outsider_reads_a_public_note_with_its_owner_name(client, alice, public_note):
    alice.display_name = "Alice A."
    alice.save()

    response = client.get(page_urls(public_note)["detail"])

    assert response.status_code == 200
    content = response.content.decode()
    assert "For everyone." in content
    assert "by Alice A." in content
    assert response.context["can_write"] is False
    assert page_urls(public_note)["edit"] not in content


def test_other_member_reads_a_public_note_but_gets_404_on_edit_and_delete(bob_client, public_note, mongo_db):
    urls = page_urls(public_note)

    assert bob_client.get(urls["detail"]).status_code == 200
    assert bob_client.get(urls["edit"]).status_code == 404
    assert bob_client.post(urls["edit"], editor_form(title="Defaced")).status_code == 404
    assert bob_client.get(urls["delete"]).status_code == 404
    assert bob_client.post(urls["delete"]).status_code == 404
    assert mongo_db["notes_note"].find_one({"_id": public_note.pk})["title"] == "Alice's recipe"


def test_staff_reads_edits_and_deletes_someone_elses_private_note(staff_client, alice, private_note, mongo_db):
    urls = page_urls(private_note)

    assert staff_client.get(urls["detail"]).status_code == 200
    assert staff_client.get(urls["edit"]).status_code == 200
    response = staff_client.post(urls["edit"], editor_form(title="Moderated", body="Only for me."))
    assert response.status_code == 302
    document = mongo_db["notes_note"].find_one({"_id": private_note.pk})
    assert (document["title"], document["owner_id"]) == ("Moderated", alice.pk)

    assert staff_client.post(urls["delete"]).status_code == 302
    assert mongo_db["notes_note"].find_one({"_id": private_note.pk})["trashed_at"] is not None


@pytest.mark.parametrize(
    "bad_id",
    ["not-an-id", "123", "zzzzzzzzzzzzzzzzzzzzzzzz", "0123456789abcdef0123456789", "0123456789abcdef012345"],
)
@pytest.mark.parametrize("page", ["", "edit/", "delete/"])
def test_malformed_note_id_is_404(alice_client, bad_id, page):
    assert alice_client.get(f"/notes/{bad_id}/{page}").status_code == 404


def test_well_formed_id_of_no_note_is_404(alice_client):
    missing = ObjectId()

    for url in (f"/notes/{missing}/", f"/notes/{missing}/edit/", f"/notes/{missing}/delete/"):
        assert alice_client.get(url).status_code == 404
    assert alice_client.get(f"/notes/{str(missing).upper()}/").status_code == 404


@pytest.mark.parametrize("bad_id", ["", "xyz", "0" * 23, "g" * 24, None, 12])
def test_permission_helper_refuses_malformed_ids(alice, bad_id):
    with pytest.raises(Http404):
        get_note_for(alice, bad_id, write=False)


def test_orphan_note_is_404_for_everyone(alice_client, staff_client, client, bob, mongo_db):
    orphan = NoteFactory(owner_id=bob.pk, title="Left behind", public=True)
    bob.delete()  # as if the document store was down when bob's notes should have gone

    assert mongo_db["notes_note"].count_documents({"_id": orphan.pk}) == 1
    assert client.get(page_urls(orphan)["detail"]).status_code == 404
    for member in (alice_client, staff_client):
        for url in page_urls(orphan).values():
            assert member.get(url).status_code == 404, url


# ----------------------------------------------------------------------------- edit


def test_edit_page_shows_the_note_in_the_form(alice_client, alice):
    note = NoteFactory(
        owner_id=alice.pk,
        title="Trip",
        tags=["travel", "summer"],
        attributes={"city": "Oslo"},
        checklist=[ChecklistItem(text="passport", done=True)],
    )

    response = alice_client.get(reverse("notes:edit", args=[note.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Trip"' in content
    assert 'value="travel, summer"' in content
    assert 'name="checklist-0-text" value="passport"' in content
    assert 'name="checklist-0-done" id="id_checklist-0-done" checked' in content
    assert 'name="attributes-0-name" value="city"' in content
    assert 'name="checklist-TOTAL_FORMS" value="1"' in content


def test_owner_reorders_ticks_removes_and_adds_checklist_items(alice_client, alice, mongo_db):
    note = NoteFactory(
        owner_id=alice.pk, checklist=[ChecklistItem(text="one"), ChecklistItem(text="two"), ChecklistItem(text="three")]
    )

    response = alice_client.post(
        reverse("notes:edit", args=[note.pk]),
        editor_form(
            title=note.title,
            body=note.body,
            initial_checklist=3,
            checklist=[
                {"text": "one", "ORDER": 3},
                {"text": "two", "ORDER": 1, "DELETE": True},
                {"text": "three", "ORDER": 2, "done": True},
                {"text": "four", "ORDER": ""},
            ],
        ),
    )

    assert response.status_code == 302
    assert mongo_db["notes_note"].find_one({"_id": note.pk})["checklist"] == [
        {"text": "three", "done": True},
        {"text": "one", "done": False},
        {"text": "four", "done": False},
    ]


def test_owner_changes_removes_and_adds_attributes(alice_client, alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk, attributes={"colour": "blue", "size": "L"})

    alice_client.post(
        reverse("notes:edit", args=[note.pk]),
        editor_form(
            title=note.title,
            body=note.body,
            initial_attributes=2,
            attributes=[
                {"name": "colour", "value": "green"},
                {"name": "size", "value": "L", "DELETE": True},
                {"name": "weight", "value": "2 kg"},
            ],
        ),
    )

    assert mongo_db["notes_note"].find_one({"_id": note.pk})["attributes"] == {"colour": "green", "weight": "2 kg"}


def test_owner_edits_visibility_pin_and_tags(alice_client, alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk, tags=["old"])

    form = editor_form(title=note.title, body=note.body, visibility="public", pinned=True, tags="new  Fresh")
    alice_client.post(reverse("notes:edit", args=[note.pk]), form)

    document = mongo_db["notes_note"].find_one({"_id": note.pk})
    assert (document["visibility"], document["pinned"], document["tags"]) == ("public", True, ["new", "fresh"])


# ----------------------------------------------------------------------------- delete


def test_owner_moves_a_note_to_the_trash_after_confirming(alice_client, private_note, mongo_db):
    url = page_urls(private_note)["delete"]

    confirmation = alice_client.get(url)
    assert confirmation.status_code == 200
    assert "Move “Alice&#x27;s diary” to the trash?" in confirmation.content.decode()
    assert mongo_db["notes_note"].find_one({"_id": private_note.pk})["trashed_at"] is None

    response = alice_client.post(url, follow=True)

    assert response.redirect_chain == [(reverse("notes:list"), 302)]
    assert "Moved “Alice&#x27;s diary” to the trash." in response.content.decode()
    assert mongo_db["notes_note"].find_one({"_id": private_note.pk})["trashed_at"] is not None


def test_the_owners_own_note_needs_no_lookup_of_their_name(alice, alice_client, django_assert_num_queries):
    note = NoteFactory(owner_id=alice.pk, title="Mine")
    alice.display_name = "Alice A."
    alice.save()

    with (
        django_assert_num_queries(1),  # the member and their session's row; no names query on an empty cache
        django_assert_num_queries(1, connection=connections["mongodb"]),  # the note, by its id
    ):
        page = alice_client.get(reverse("notes:detail", args=[note.pk])).content.decode()

    assert "by Alice A." in page


def test_a_visitor_reads_a_public_note_with_one_document_read_and_its_owner_name_once(
    client, public_note, django_assert_num_queries
):
    url = reverse("notes:detail", args=[public_note.pk])
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        client.get(url)  # the owner's name, on an empty cache
    with django_assert_num_queries(0), django_assert_num_queries(1, connection=connections["mongodb"]):
        assert "For everyone." in client.get(url, {"from": "a link"}).content.decode()  # not the kept page's URL


def test_a_visitor_is_served_the_kept_page_with_no_read_and_the_view_counted(
    client, public_note, django_assert_num_queries
):
    url = reverse("notes:detail", args=[public_note.pk])
    first = client.get(url).content.decode()

    with django_assert_num_queries(0), django_assert_num_queries(0, connection=connections["mongodb"]):
        kept = client.get(url).content.decode()
    client.get(url, {"from": "a link"})  # rendered afresh, and counted once like the others

    assert "1 view<" in first
    assert kept == first.replace("1 view<", "2 views<")
    assert "4 views<" in client.get(url).content.decode()


def test_a_note_page_takes_one_round_trip_to_redis_besides_the_session(client, alice_client, bob_client, public_note):
    url = reverse("notes:detail", args=[public_note.pk])
    client.get(url)  # the owner's name, cached on this first view
    for visitor in (client, alice_client, bob_client):
        visitor.get(url)  # connections open: handshakes are round trips too

    counted = {}
    for name, visitor in (("visitor", client), ("owner", alice_client), ("member", bob_client)):
        with round_trips() as counts:
            assert visitor.get(url).status_code == 200
        counted[name] = dict(counts)

    # a visitor's kept page read and the view counted in one script; the view counted with the
    # owner's name in one script for a member, their session and row besides
    assert counted["visitor"] == {"relational": 0, "document": 0, "Redis": 1}
    assert counted["owner"] == counted["member"] == {"relational": 1, "document": 1, "Redis": 2}
