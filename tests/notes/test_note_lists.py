"""My notes and the public notes: order, paging, search and tag filters, owners, orphans, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from notes.models import Note
from notes.views import NOTES_PER_PAGE
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def titles(response) -> list[str]:
    return [note.title for note in response.context["notes"]]


def age(note: Note, *, minutes: int) -> Note:
    """Make `note` look last changed `minutes` ago (a queryset update leaves auto_now alone)."""
    Note.objects.filter(pk=note.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=minutes))
    return note


# ----------------------------------------------------------------------------- my notes


def test_my_notes_lists_only_mine_pinned_first_then_newest(alice_client, alice, bob):
    age(NoteFactory(owner_id=alice.pk, title="old"), minutes=30)
    age(NoteFactory(owner_id=alice.pk, title="new"), minutes=1)
    age(NoteFactory(owner_id=alice.pk, title="pinned old", pinned=True), minutes=60)
    age(NoteFactory(owner_id=alice.pk, title="pinned new", pinned=True), minutes=10)
    NoteFactory(owner_id=bob.pk, title="bob's", public=True)

    response = alice_client.get(reverse("notes:list"))

    assert response.status_code == 200
    assert titles(response) == ["pinned new", "pinned old", "new", "old"]


def test_my_notes_shows_twenty_a_page(alice_client, alice):
    for n in range(23):
        age(NoteFactory(owner_id=alice.pk, title=f"n{n:02}"), minutes=100 - n)

    first = alice_client.get(reverse("notes:list"))
    second = alice_client.get(reverse("notes:list"), {"page": 2})

    assert titles(first) == [f"n{n:02}" for n in range(22, 2, -1)]
    assert titles(second) == ["n02", "n01", "n00"]
    assert "Page 1 of 2" in first.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "%00", "last2", "٣"])
def test_a_junk_page_number_is_404_not_500(alice_client, client, alice, page):
    NoteFactory(owner_id=alice.pk, public=True)

    assert alice_client.get(reverse("notes:list"), {"page": page}).status_code == 404
    assert client.get(reverse("notes:public"), {"page": page}).status_code == 404


@pytest.mark.parametrize("page", ["3", "003", "9" * 40, "9" * 5000])
def test_a_page_past_the_end_goes_to_the_last_page_keeping_the_filters(alice_client, alice, page):
    for n in range(21):
        NoteFactory(owner_id=alice.pk, title=f"trip {n}", tags=["travel"])

    mine = alice_client.get(reverse("notes:list"), {"tag": "travel", "page": page})
    public = alice_client.get(reverse("notes:public"), {"page": page})

    assert mine.status_code == 302
    assert mine["Location"] == reverse("notes:list") + "?tag=travel&page=2"
    assert alice_client.get(mine["Location"]).status_code == 200
    assert (public.status_code, public["Location"]) == (302, reverse("notes:public"))


def test_my_notes_says_how_many_notes_match(alice_client, alice):
    for n in range(23):
        NoteFactory(owner_id=alice.pk, title=f"n{n}", tags=["even" if n % 2 == 0 else "odd"])

    everything = alice_client.get(reverse("notes:list")).content.decode()
    tagged = alice_client.get(reverse("notes:list"), {"tag": "even"}).content.decode()

    assert "23 notes" in everything
    assert "12 notes tagged" in tagged


def test_cards_preview_the_body_as_plain_text_not_markdown(alice_client, alice):
    body = "# Trip plan **Lisbon**\n\n```python\nprint('hi')\n```\n\n- [tram](https://example.com) & <b>café</b>"
    NoteFactory(owner_id=alice.pk, title="Lisbon", body=body)

    content = alice_client.get(reverse("notes:list")).content.decode()

    assert "Trip plan Lisbon print(&#x27;hi&#x27;) tram &amp; &lt;b&gt;café&lt;/b&gt;" in content
    assert "**" not in content
    assert "```" not in content


def test_last_page_and_an_empty_list_answer(alice_client):
    assert alice_client.get(reverse("notes:list"), {"page": "last"}).status_code == 200
    assert "You have no notes yet." in alice_client.get(reverse("notes:list")).content.decode()


def test_search_matches_title_or_body_ignoring_case(alice_client, alice):
    NoteFactory(owner_id=alice.pk, title="Shopping LIST", body="")
    NoteFactory(owner_id=alice.pk, title="Weekend", body="make a list of films")
    NoteFactory(owner_id=alice.pk, title="Unrelated", body="nothing here")

    response = alice_client.get(reverse("notes:list"), {"q": "List"})

    assert sorted(titles(response)) == ["Shopping LIST", "Weekend"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a.c", ["a.c"]),
        ("a*", ["a*"]),
        ("(", ["(paren"]),
        ("[x", ["[x"]),
        ("\\d", ["\\d"]),
        ("^a", ["^a"]),
        ("c$", ["c$"]),
        ("?", []),
        (".*", []),
        ("\x00", []),
    ],
)
def test_search_text_is_matched_literally_not_as_a_regular_expression(alice_client, alice, query, expected):
    for title in ["a.c", "abc", "a*", "aaa", "(paren", "[x", "\\d", "d7", "^a", "c$"]:
        NoteFactory(owner_id=alice.pk, title=title, body="")

    response = alice_client.get(reverse("notes:list"), {"q": query})

    assert response.status_code == 200
    assert sorted(titles(response)) == expected


@pytest.mark.parametrize("page", ["notes:list", "notes:public"])
@pytest.mark.parametrize("params", [{"q": "milk\x00"}, {"tag": "home\x00"}, {"tag": "\x00", "q": "\x00"}])
def test_a_nul_in_a_search_or_tag_finds_nothing(alice_client, alice, page, params):
    NoteFactory(owner_id=alice.pk, title="Milk run", body="", tags=["home"], visibility="public")

    response = alice_client.get(reverse(page), params)

    assert response.status_code == 200
    assert titles(response) == []


def test_tag_filter_and_search_combine(alice_client, alice):
    NoteFactory(owner_id=alice.pk, title="Milk run", body="", tags=["home", "errands"])
    NoteFactory(owner_id=alice.pk, title="Milk budget", body="", tags=["work"])
    NoteFactory(owner_id=alice.pk, title="Bins", body="Put them out", tags=["home"])

    assert sorted(titles(alice_client.get(reverse("notes:list"), {"tag": "home"}))) == ["Bins", "Milk run"]
    assert titles(alice_client.get(reverse("notes:list"), {"tag": "home", "q": "milk"})) == ["Milk run"]
    assert titles(alice_client.get(reverse("notes:list"), {"tag": "HOME", "q": "bins"})) == ["Bins"]
    assert titles(alice_client.get(reverse("notes:list"), {"tag": "work", "q": "bins"})) == []


def test_page_links_keep_the_filters(alice_client, alice):
    for n in range(21):
        NoteFactory(owner_id=alice.pk, title=f"Milk {n}", tags=["home"])

    content = alice_client.get(reverse("notes:list"), {"tag": "home", "q": "milk"}).content.decode()

    assert 'href="?tag=home&amp;q=milk&amp;page=2"' in content


# ----------------------------------------------------------------------------- public notes


def test_public_notes_lists_everyones_public_notes_newest_first_with_owner_names(client, alice, bob):
    alice.display_name = "Alice A."
    alice.save()
    age(NoteFactory(owner_id=alice.pk, title="alice old", public=True), minutes=20)
    age(NoteFactory(owner_id=bob.pk, title="bob new", public=True), minutes=5)
    NoteFactory(owner_id=alice.pk, title="alice private")

    response = client.get(reverse("notes:public"))

    assert titles(response) == ["bob new", "alice old"]
    assert [note.owner_name for note in response.context["notes"]] == ["bob", "Alice A."]
    content = response.content.decode()
    assert "by Alice A." in content
    assert "alice private" not in content


def test_public_notes_hide_orphans_whose_owner_is_gone(client, alice_client, alice):
    gone = UserFactory(username="gone")
    NoteFactory(owner_id=alice.pk, title="kept", public=True)
    NoteFactory(owner_id=gone.pk, title="orphan", public=True, tags=["home"])
    gone.delete()  # as if the document store was down when gone's notes should have been deleted

    for visitor in (client, alice_client):
        assert titles(visitor.get(reverse("notes:public"))) == ["kept"]
        assert titles(visitor.get(reverse("notes:public"), {"q": "orphan"})) == []
        assert "orphan" not in visitor.get(reverse("notes:public"), {"tag": "home"}).content.decode()


def test_public_notes_filter_by_tag_and_search(client, alice, bob):
    NoteFactory(owner_id=alice.pk, title="Soup recipe", tags=["food"], public=True)
    NoteFactory(owner_id=bob.pk, title="Bread recipe", tags=["food"], public=True)
    NoteFactory(owner_id=bob.pk, title="Soup can", tags=["art"], public=True)

    assert titles(client.get(reverse("notes:public"), {"tag": "food", "q": "soup"})) == ["Soup recipe"]


# ----------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("notes_on_page", [1, 20])
def test_public_notes_cost_the_same_queries_for_one_note_or_twenty(
    client, alice_client, django_assert_num_queries, notes_on_page
):
    for n in range(notes_on_page):
        NoteFactory(title=f"shared {n}", public=True)  # each by a different member

    # anonymous: one relational query resolves every owner's name; count and page on MongoDB
    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        response = client.get(reverse("notes:public"))
    assert len(response.context["notes"]) == notes_on_page

    # logged in: the member's own row; the names and the count now come from Redis
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        response = alice_client.get(reverse("notes:public"))
    assert len(response.context["notes"]) == notes_on_page


@pytest.mark.parametrize("notes_on_page", [1, 20])
def test_my_notes_cost_the_same_queries_for_one_note_or_twenty(
    alice_client, alice, django_assert_num_queries, notes_on_page
):
    for n in range(notes_on_page):
        NoteFactory(owner_id=alice.pk, title=f"mine {n}", tags=["t"])

    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        response = alice_client.get(reverse("notes:list"), {"tag": "t", "q": "mine"})

    assert len(response.context["notes"]) == notes_on_page


def test_lists_read_only_what_their_cards_show(alice_client, alice):
    NoteFactory(owner_id=alice.pk, title="mine", public=True)

    for path in (reverse("notes:list"), reverse("notes:public")):
        (note,) = alice_client.get(path).context["notes"]
        assert {"revisions", "attributes", "view_count", "trashed_at"} <= note.get_deferred_fields()


def test_my_notes_shorter_than_a_page_are_counted_from_the_page_alone(
    alice_client, alice, bob, django_assert_num_queries
):
    for n in range(3):
        NoteFactory(owner_id=alice.pk, title=f"mine {n}")
    NoteFactory(owner_id=alice.pk, title="trashed", trashed_at=timezone.now())
    NoteFactory(owner_id=bob.pk, title="bob's")

    with django_assert_num_queries(1, connection=connections["mongodb"]):  # the page; no count, in Redis or on MongoDB
        response = alice_client.get(reverse("notes:list"))

    assert sorted(titles(response)) == ["mine 0", "mine 1", "mine 2"]
    assert response.context["paginator"].count == 3
    assert "3 notes" in response.content.decode()
    assert cache.keys("count:*") == []


@pytest.mark.parametrize("notes_kept", [NOTES_PER_PAGE, NOTES_PER_PAGE + 1])
def test_a_full_first_page_of_my_notes_is_counted_and_the_count_kept(
    alice_client, alice, notes_kept, django_assert_num_queries
):
    for n in range(notes_kept):
        NoteFactory(owner_id=alice.pk, title=f"mine {n}")

    with django_assert_num_queries(2, connection=connections["mongodb"]):  # the count and the page
        response = alice_client.get(reverse("notes:list"))
    with django_assert_num_queries(1, connection=connections["mongodb"]):  # the page; the count is kept
        again = alice_client.get(reverse("notes:list"))

    for page in (response, again):
        assert len(titles(page)) == NOTES_PER_PAGE
        assert page.context["paginator"].count == notes_kept
        assert page.context["page_obj"].has_next() is (notes_kept > NOTES_PER_PAGE)
    if notes_kept > NOTES_PER_PAGE:
        assert len(titles(alice_client.get(reverse("notes:list"), {"page": 2}))) == 1


def test_a_note_page_costs_one_document_read_and_a_cached_name(client, alice, django_assert_num_queries):
    note = NoteFactory(owner_id=alice.pk, public=True)
    url = reverse("notes:detail", args=[note.pk])

    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0), django_assert_num_queries(1, connection=connections["mongodb"]):
        assert client.get(url, {"from": "a link"}).status_code == 200  # the name cached, the page not kept at this URL
    with django_assert_num_queries(0), django_assert_num_queries(0, connection=connections["mongodb"]):
        assert client.get(url).status_code == 200  # the page kept for visitors (tests/notes/test_kept_note_page.py)
