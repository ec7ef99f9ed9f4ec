"""The profile page: the member, their public-notes count and their five latest public notes."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notes.models import Note
from tests.factories import NoteFactory
from users.models import User

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PUBLIC = Note.Visibility.PUBLIC


def profile(member) -> str:
    return reverse("users:profile", kwargs={"pk": member.pk})


@pytest.mark.parametrize("persona", ["client", "alice_client", "bob_client", "staff_client"])
def test_everyone_sees_a_members_profile(request, persona, alice):
    alice.display_name = "Alice Liddell"
    alice.bio = "Curiouser\nand curiouser."
    alice.save()

    response = request.getfixturevalue(persona).get(profile(alice))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Alice Liddell" in page
    assert "@alice" in page
    assert "<p>Curiouser\nand curiouser.</p>" in page


def test_the_bio_renders_with_the_notes_markdown_rules(client, alice):
    alice.bio = (
        "I like **tea**.\n\n- [my site](https://example.com)\n- [x](javascript:alert(1))\n\n<script>alert(2)</script>"
    )
    alice.save()

    page = client.get(profile(alice)).content.decode()

    assert "<p>I like <strong>tea</strong>.</p>" in page
    assert '<a href="https://example.com" rel="nofollow noopener noreferrer">my site</a>' in page
    assert "<li>[x](javascript:alert(1))</li>" in page  # an unsafe link stays text, as in notes
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<script>alert(2)" not in page


AGE = "<dt>Age</dt>"


@pytest.mark.parametrize(
    ("persona", "show_age", "sees_age"),
    [
        ("client", False, False),
        ("client", True, False),
        ("bob_client", False, False),
        ("bob_client", True, True),
        ("staff_client", False, False),
        ("staff_client", True, True),
        ("alice_client", False, True),
        ("alice_client", True, True),
    ],
)
def test_the_age_shows_to_members_only_if_the_member_chooses_and_always_to_the_member(
    request, alice, persona, show_age, sees_age
):
    alice.age = 37
    alice.show_age = show_age
    alice.save()

    page = request.getfixturevalue(persona).get(profile(alice)).content.decode()

    assert (f"{AGE}<dd>37" in page) is sees_age
    assert (AGE in page) is sees_age


def test_a_row_written_without_the_choice_hides_the_age(db):
    with connection.cursor() as cursor:  # as older code would write it, a web replica mid-deploy
        cursor.execute(
            "INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined, display_name, age, bio) "
            "VALUES ('!', false, 'old', '', '', 'old@example.com', false, true, %s, '', 37, '')",
            [timezone.now()],
        )

    assert User.objects.get(username="old").show_age is False


def test_the_member_is_told_when_only_they_see_their_age(alice_client, alice):
    alice.age = 37
    alice.save()

    assert f"{AGE}<dd>37 <small>(only you see it)</small></dd>" in alice_client.get(profile(alice)).content.decode()


def test_no_cached_page_for_visitors_holds_the_age(client, bob_client, alice, cache_redis):
    alice.age = 37
    alice.show_age = True
    alice.save()
    pages = [reverse("users:directory"), profile(alice)]

    first = [client.get(page) for page in pages]
    seen_by_bob = [bob_client.get(page).content.decode() for page in pages]
    again = [client.get(page) for page in pages]

    assert f"{AGE}<dd>37" in seen_by_bob[1]
    assert [response.templates for response in again] == [[], []]  # served from the page cache
    for response in first + again:
        assert AGE not in response.content.decode()
    cached = [cache_redis.get(key) for key in cache_redis.scan_iter(match="*page:*")]
    assert len(cached) == 2
    assert not any(b"Age" in page for page in cached)


def test_profile_counts_public_notes_and_shows_the_latest_five_newest_first(client, alice, bob):
    public = [NoteFactory(owner_id=alice.pk, title=f"Public {n}", visibility=PUBLIC) for n in range(7)]
    NoteFactory(owner_id=alice.pk, title="Secret diary")
    NoteFactory(owner_id=bob.pk, title="Bob's public note", visibility=PUBLIC)

    response = client.get(profile(alice))

    page = response.content.decode()
    assert "<dt>Public notes</dt><dd>7</dd>" in page
    assert re.findall(r"Public \d", page) == [note.title for note in reversed(public[2:])]
    assert "Secret diary" not in page
    assert "Bob's public note" not in page


def test_each_latest_note_links_to_its_page(client, alice, settings):
    settings.ROOT_URLCONF = "tests.users.urls_with_note_detail"
    note = NoteFactory(owner_id=alice.pk, title="Linked", visibility=PUBLIC)

    response = client.get(profile(alice))

    assert f'href="{reverse("notes:detail", kwargs={"pk": str(note.pk)})}"' in response.content.decode()


def test_profile_without_public_notes_says_so(client, alice):
    NoteFactory(owner_id=alice.pk, visibility=Note.Visibility.PRIVATE)

    response = client.get(profile(alice))

    assert "<dt>Public notes</dt><dd>0</dd>" in response.content.decode()
    assert "No public notes yet." in response.content.decode()


def test_unknown_member_is_a_404(client):
    assert client.get(reverse("users:profile", kwargs={"pk": 424242})).status_code == 404


def test_deactivated_member_is_a_404_except_for_staff(bob_client, staff_client, alice):
    alice.is_active = False
    alice.save()

    assert bob_client.get(profile(alice)).status_code == 404
    assert staff_client.get(profile(alice)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "sees_actions"),
    [("client", False), ("bob_client", False), ("alice_client", True), ("staff_client", True)],
)
def test_edit_and_delete_links_and_the_email_show_only_to_who_may_use_them(request, alice, persona, sees_actions):
    page = request.getfixturevalue(persona).get(profile(alice)).content.decode()

    assert (reverse("users:edit", kwargs={"pk": alice.pk}) in page) is sees_actions
    assert (reverse("users:delete", kwargs={"pk": alice.pk}) in page) is sees_actions
    assert (alice.email in page) is sees_actions
