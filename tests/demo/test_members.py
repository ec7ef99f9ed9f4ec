from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import IntegrityError, connections
from django.urls import reverse
from faker import Faker

from demo.members import members_insert
from demo.services import DEMO_PASSWORD, demo_members
from page_cache.versions import version_key
from users.models import User
from users.topics import MEMBERS, member_topic

pytestmark = pytest.mark.django_db


def made(numbers: range, *, seed: int = 3) -> list[User]:
    return demo_members(numbers, base_seed=seed, password=make_password(DEMO_PASSWORD), fake=Faker())


def renamed(members: list[User], prefix: str) -> list[User]:
    """Unsaved copies of `members` under other usernames and emails, every other value the same."""
    copies = []
    for member in members:
        values = {field.attname: getattr(member, field.attname) for field in User._meta.concrete_fields}
        values |= {"username": f"{prefix}-{member.username}", "email": f"{prefix}-{member.email}"}
        copies.append(User(**values))
    return copies


def stored_rows(usernames: list[str]) -> list[tuple]:
    """The rows as the relational store holds them, without pk, username and email, in the order given."""
    connection = connections["default"]
    columns = [f.column for f in User._meta.concrete_fields if f.name not in ("id", "username", "email")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT username, {', '.join(map(connection.ops.quote_name, columns))} FROM users_user "
            f"WHERE username IN ({', '.join(['%s'] * len(usernames))})",
            usernames,
        )
        by_username = {row[0]: row[1:] for row in cursor.fetchall()}
    return [by_username[username] for username in usernames]


def cache_version(topic: str) -> object:
    return cache.get(version_key(topic))


def store_replaced_keeping_ids_from(first_id: int) -> None:
    """Empty the members' table behind the ORM's back, its next member taking `first_id`, as a fresh store would."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users_user")
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('users_user', 'id'), %s, false)", [first_id])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = 'users_user'", [first_id - 1])


def test_members_insert_writes_the_rows_bulk_create_writes():
    members = made(range(1, 8))
    through_the_orm = renamed(members, "orm")

    members_insert(members)
    User.objects.bulk_create(through_the_orm)

    written = stored_rows([member.username for member in members])
    assert written == stored_rows([member.username for member in through_the_orm])
    assert len(set(written)) == len(members)  # the rows differ from member to member: nothing was written twice


def test_inserted_members_get_their_pks_and_are_ordinary_active_members_who_can_log_in(client):
    members = made(range(1, 4))

    members_insert(members)

    for member in members:
        stored = User.objects.get(username=member.username)
        assert stored.pk == member.pk
        assert not member._state.adding
        assert (stored.email, stored.display_name, stored.age, stored.bio) == (
            member.email,
            member.display_name,
            member.age,
            member.bio,
        )
        assert stored.check_password(DEMO_PASSWORD)
        assert (stored.is_active, stored.is_staff, stored.is_superuser, stored.show_age) == (True, False, False, False)
        assert stored.last_login is None
        assert stored.date_joined == member.date_joined
    assert client.login(username=members[0].username, password=DEMO_PASSWORD)


def test_a_batch_that_fails_writes_none_of_its_members():
    members_insert(made(range(2, 3)))
    batch = made(range(1, 4))  # demo000002 is there already

    with pytest.raises(IntegrityError):
        members_insert(batch)

    assert list(User.objects.values_list("username", flat=True)) == ["demo000002"]


def test_the_directory_and_each_new_members_profile_are_dropped_once_the_batch_commits(
    django_capture_on_commit_callbacks,
):
    before = cache_version(MEMBERS)
    members = made(range(1, 3))

    with django_capture_on_commit_callbacks(execute=True):
        members_insert(members)

    assert cache_version(MEMBERS) not in (None, before)
    assert all(cache_version(member_topic(member.pk)) is not None for member in members)


@pytest.mark.django_db(databases=["default", "mongodb"])
def test_a_member_whose_id_an_earlier_store_used_never_gets_the_old_members_cached_profile(
    client, django_capture_on_commit_callbacks
):
    [earlier] = made(range(1, 2), seed=3)
    with django_capture_on_commit_callbacks(execute=True):
        members_insert([earlier])
    page = reverse("users:profile", kwargs={"pk": earlier.pk})
    assert earlier.display_name in client.get(page).content.decode()
    assert client.get(page).templates == []  # served from the page cache from now on
    store_replaced_keeping_ids_from(earlier.pk)
    [member] = made(range(2, 3), seed=4)

    with django_capture_on_commit_callbacks(execute=True):
        members_insert([member])

    assert member.pk == earlier.pk
    shown = client.get(page).content.decode()
    assert member.display_name in shown
    assert earlier.display_name not in shown


def test_new_members_versions_last_until_their_next_change_which_expires_them_again(
    cache_redis, django_capture_on_commit_callbacks
):
    members = made(range(1, 3))
    with django_capture_on_commit_callbacks(execute=True):
        members_insert(members)
    topic = member_topic(members[0].pk)
    inserted = cache_version(topic)

    assert [cache.ttl(version_key(member_topic(member.pk))) for member in members] == [None, None]
    with django_capture_on_commit_callbacks(execute=True):
        members[0].delete()

    assert cache_version(topic) not in (None, inserted)
    assert 0 < cache.ttl(version_key(topic)) <= 2 * 60 * 60


def test_nothing_to_insert_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        members_insert([])
