"""The seed comparison measures seed_demo's write path against raw executemany of the same rows: no timing asserted."""

from __future__ import annotations

import pytest
from django.db import connections

from tools.bench.overheads import SEED_PREFIX, built_members, insert_member_rows, member_rows, seed_users, write_members
from users.models import User

pytestmark = pytest.mark.django_db(transaction=True)  # each batch commits, and bumps its topics on commit


def scratch_rows() -> list[tuple]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT * FROM users_user WHERE username LIKE %s ORDER BY username", [f"{SEED_PREFIX}%"])
        return [row[1:] for row in cursor.fetchall()]  # without the pk


def test_the_write_path_and_raw_executemany_write_the_same_rows():
    members = built_members(6, seed=2)

    write_members(members)
    through_seed_demo = scratch_rows()
    User.objects.filter(username__startswith=SEED_PREFIX).delete()
    insert_member_rows(member_rows(members))

    assert len(through_seed_demo) == 6
    assert scratch_rows() == through_seed_demo


def test_the_comparison_reports_the_write_path_faker_and_bulk_create_and_leaves_no_member():
    write, generation, bulk = seed_users(count=12, seed=2, repeats=1)

    assert [c.key for c in (write, generation, bulk)] == ["seed-users", "seed-users-rows", "seed-users-bulk"]
    assert all(c.measured for c in (write, generation, bulk))
    assert write.kind == "throughput"
    assert "members_insert()" in write.subject
    assert write.profile is not None
    assert write.profile.round_trips["relational"] >= 1
    assert write.profile.round_trips["Redis"] >= 1
    assert not User.objects.filter(username__startswith=SEED_PREFIX).exists()
