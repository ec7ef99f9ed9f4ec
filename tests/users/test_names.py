from __future__ import annotations

import pytest

from tests.factories import UserFactory
from users.names import member_name_redis_key, member_name_stored, member_names

pytestmark = pytest.mark.django_db


def test_names_resolve_in_one_query_then_from_redis(django_assert_num_queries):
    members = [UserFactory(display_name=f"Member {n}") for n in range(20)]
    ids = [member.pk for member in members]

    with django_assert_num_queries(1):
        names = member_names(ids)
    with django_assert_num_queries(0):
        assert member_names(ids) == names

    assert names[ids[3]] == "Member 3"


def test_username_stands_in_for_a_missing_display_name():
    member = UserFactory(username="plain", display_name="")

    assert member_names([member.pk]) == {member.pk: "plain"}


def test_a_renamed_member_is_never_shown_under_the_old_name():
    member = UserFactory(display_name="Before")
    assert member_names([member.pk]) == {member.pk: "Before"}

    member.display_name = "After"
    member.save()

    assert member_names([member.pk]) == {member.pk: "After"}


def test_deleted_members_are_absent():
    member = UserFactory()
    member_id = member.pk
    member_names([member_id])

    member.delete()

    assert member_names([member_id]) == {}


def test_a_name_read_raw_from_its_redis_key_is_the_cached_name(cache_redis):
    member = UserFactory(display_name="Zoë <Z.>")
    member_names([member.pk])

    assert member_name_stored(cache_redis.get(member_name_redis_key(member.pk))) == "Zoë <Z.>"


def test_a_renamed_member_leaves_no_name_at_their_redis_key(cache_redis):
    member = UserFactory(display_name="Before")
    member_names([member.pk])

    member.display_name = "After"
    member.save()

    assert cache_redis.get(member_name_redis_key(member.pk)) is None
