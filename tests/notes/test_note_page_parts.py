"""A note's page's parts kept per process (notes/note_page.py): they show the note as it is now, and nothing of the request."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notes.models import ChecklistItem, Note, Revision
from notes.note_page import KEPT_SOURCE_LENGTH, header_html, note_header, note_revisions, revisions_html
from notes.services import note_checklist_item_mark, note_pin, note_update
from tests.factories import NoteFactory, logged_in

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def page(client, note: Note) -> str:
    response = client.get(reverse("notes:detail", args=[note.pk]))
    assert response.status_code == 200
    return response.content.decode()


def edit(note: Note, **changes) -> Note:
    fields = ("title", "body", "visibility", "pinned", "tags", "checklist", "attributes")
    return note_update(note=note, **{field: getattr(note, field) for field in fields} | changes)


def test_an_edit_shows_at_once_to_visitors_and_owner_with_the_old_version_kept(alice, alice_client, client):
    note = NoteFactory(owner_id=alice.pk, title="Recipe", body="Add *salt*.", public=True)
    assert "<em>salt</em>" in page(client, note)
    assert "None yet" in page(alice_client, note)

    edit(note, body="Add *pepper*.", attributes={"serves": "4"})

    visitor, owner = page(client, note), page(alice_client, note)
    assert "<em>pepper</em>" in visitor
    assert "<em>salt</em>" not in visitor
    assert '<th scope="row">serves</th><td>4</td>' in visitor
    assert "<em>salt</em>" in owner  # the earlier version
    assert "None yet" not in owner


def test_a_tick_and_a_pin_show_at_once(alice, alice_client):
    note = NoteFactory(owner_id=alice.pk, title="Trip", checklist=[ChecklistItem(text="Tent")])
    assert "0/1 done" in page(alice_client, note)

    note_checklist_item_mark(note=note, index=0, done=True)
    note_pin(note=note, pinned=True)

    shown = page(alice_client, note)
    assert "1/1 done" in shown
    assert 'aria-pressed="true" title="Untick"' in shown
    assert ">Unpin</button>" in shown


def test_a_visitor_never_gets_the_owners_buttons_kept_for_the_same_note(alice, alice_client, bob_client, client):
    note = NoteFactory(owner_id=alice.pk, body="Same body", public=True, checklist=[ChecklistItem(text="Flour")])
    owner = page(alice_client, note)

    for other in (client, bob_client):
        shown = page(other, note)
        assert "formaction=" not in shown
        assert reverse("notes:edit", args=[note.pk]) not in shown
        assert "Earlier versions" not in shown
    assert "formaction=" in owner
    assert "Earlier versions" in owner


def test_the_kept_parts_hold_nothing_of_the_request(alice, alice_client, client):
    note = NoteFactory(owner_id=alice.pk, checklist=[ChecklistItem(text="Milk")])
    first = page(alice_client, note)
    client.force_login(alice)  # a second session: another CSRF token
    second = page(client, note)

    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first + second)
    assert len(set(tokens)) == 2
    assert (
        first.count("csrfmiddlewaretoken") == second.count("csrfmiddlewaretoken") == 3
    )  # log out, trash, quick actions


def test_a_long_body_is_shown_whole_and_its_edit_at_once(alice, client):
    body = "word " * (KEPT_SOURCE_LENGTH // 5) + "**end**"
    note = NoteFactory(owner_id=alice.pk, body=body, public=True)
    assert "<strong>end</strong>" in page(client, note)

    edit(note, body=body.replace("**end**", "*fin*"))

    shown = page(client, note)
    assert "<em>fin</em>" in shown
    assert "<strong>end</strong>" not in shown


def test_earlier_versions_are_written_in_the_current_time_zone():
    saved_at = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.UTC)
    note = Note(revisions=[Revision(title="Old", body="", saved_at=saved_at)])

    with timezone.override("UTC"):
        utc = revisions_html(note_revisions(note))
    with timezone.override("Asia/Tokyo"):
        tokyo = revisions_html(note_revisions(note))

    assert "1 Jan 2026, 12:00:00" in utc
    assert "1 Jan 2026, 21:00:00" in tokyo


def header(content: str) -> str:
    """The note's own header in a page (after the site's)."""
    start = content.index('<article class="note">')
    return content[start : content.index("</header>", start)]


def test_an_edit_of_the_header_shows_at_once_to_visitors_and_owner(alice, alice_client, client):
    note = NoteFactory(owner_id=alice.pk, title="Recipe", tags=["soup"], public=True)
    before = header(page(client, note))
    assert "<h1>Recipe</h1>" in before
    assert '?tag=soup">#soup</a>' in before
    assert "pinned" not in before

    edit(note, title="Better recipe", tags=["soup", "winter"], pinned=True)
    updated_at = Note.read(note.pk).updated_at  # as stored: to the millisecond

    for reader in (client, alice_client):
        shown = header(page(reader, note))
        assert "<h1>Better recipe</h1>" in shown
        assert f'href="{reverse("notes:public")}?tag=winter">#winter</a>' in shown
        assert "· Public · pinned" in shown
        assert f'<time datetime="{updated_at.isoformat()}">' in shown

    edit(note, visibility=Note.Visibility.PRIVATE)  # its tags now lead to the owner's own notes

    shown = header(page(alice_client, note))
    assert "· Private · pinned" in shown
    assert f'href="{reverse("notes:list")}?tag=winter">#winter</a>' in shown


def test_an_owners_new_name_shows_at_once_in_the_header_of_their_note(alice, alice_client, bob, client):
    note = NoteFactory(owner_id=alice.pk, public=True)
    readers = (client, logged_in(bob), alice_client)
    for reader in readers:
        assert "by alice ·" in header(page(reader, note))

    alice.display_name = "Alice A."
    alice.save()

    for reader in readers:
        assert "by Alice A. ·" in header(page(reader, note))


def test_the_header_keeps_no_view_count(alice, client):
    note = NoteFactory(owner_id=alice.pk, public=True)

    counts = [re.search(r'<span class="note-views">([^<]*)</span>', page(client, note))[1] for _ in range(2)]

    assert counts == ["1 view", "2 views"]


def test_the_header_is_written_in_the_current_time_zone_with_its_title_escaped():
    updated_at = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.UTC)
    note = Note(title="<b>Bold</b> & co", updated_at=updated_at, tags=["a&b"], visibility=Note.Visibility.PUBLIC)
    note.owner_name = "<i>Ann</i>"

    with timezone.override("UTC"):
        utc = header_html(note_header(note))
    with timezone.override("Asia/Tokyo"):
        tokyo = header_html(note_header(note))

    assert "1 Jan 2026, 12:00</time>" in utc.before_views
    assert "1 Jan 2026, 21:00</time>" in tokyo.before_views
    assert "<h1>&lt;b&gt;Bold&lt;/b&gt; &amp; co</h1>" in utc.before_views
    assert "by &lt;i&gt;Ann&lt;/i&gt; · Public" in utc.before_views
    assert utc.before_views.endswith('<span class="note-views">')
    assert utc.after_views.startswith("</span>")
    assert '?tag=a%26b">#a&amp;b</a>' in utc.after_views
