"""Demo members written to the relational store: the ORM's own INSERT, compiled once, sent with executemany.

Not `bulk_create()`: it compiles a statement of a few dozen rows at a time (SQLite's parameter
limit) and sends every value of every row through the compiler, about nine times a raw
`executemany` of the same rows (docs/benchmarks.md). A batch of demo members is one statement the
ORM compiles once and rows whose columns mostly go to the driver as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models.sql import InsertQuery

from users.models import User
from users.topics import members_inserted

# Fields whose get_db_prep_save() hands a value of their own Python type (or None) to the driver
# unchanged, on SQLite and PostgreSQL. Any other field, a subclass of these too, prepares its
# column's values; tests/demo/test_members.py checks that the rows written here are the rows
# bulk_create() writes.
AS_THEY_ARE = (
    models.CharField,
    models.EmailField,
    models.TextField,
    models.BooleanField,
    models.PositiveSmallIntegerField,
)


def members_insert(members: Sequence[User]) -> None:
    """Insert new members in one transaction and set their pks; their pages' topics change on commit.

    Like bulk_create(), no save signals and no validation; like loaddata's raw save, no pre_save():
    demo code built the members with every value set, and User has no field that fills itself in.
    """
    if not members:
        return
    alias = router.db_for_write(User)
    connection = connections[alias]
    fields = [field for field in User._meta.concrete_fields if not field.generated and field is not User._meta.pk]
    insert = InsertQuery(User)
    insert.insert_values(fields, [members[0]], raw=True)
    [(statement, _)] = insert.get_compiler(connection=connection).as_sql()
    rows = zip(*(_column(field, members, connection) for field in fields), strict=True)
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.executemany(statement, list(rows))
            pks = _pks_by_username(cursor, [member.username for member in members])
        for member in members:
            member.pk = pks[member.username]
            member._state.adding = False
            member._state.db = alias
        members_inserted(pks.values())


def _column(field: models.Field, members: Sequence[User], connection: BaseDatabaseWrapper) -> list[Any]:
    """One field's values as the driver takes them: each distinct (hashable) value prepared once by the field.

    Members made together share most values (the password hash, the flags, date_joined): their
    datetimes are prepared once, not once a member.
    """
    values = list(map(attrgetter(field.attname), members))
    if type(field) in AS_THEY_ARE:
        return values
    prepared = {value: field.get_db_prep_save(value, connection) for value in set(values)}
    return [prepared[value] for value in values]


def _pks_by_username(cursor: CursorWrapper, usernames: list[str]) -> dict[str, int]:
    """Read the pks of the members just inserted: executemany returns no rows, on either store.

    Plain SQL, because the ORM's `username__in` would prepare every username once more.
    """
    opts, quote = User._meta, cursor.db.ops.quote_name
    username = quote(opts.get_field("username").column)
    cursor.execute(
        f"SELECT {username}, {quote(opts.pk.column)} FROM {quote(opts.db_table)} "
        f"WHERE {username} IN ({', '.join(['%s'] * len(usernames))})",
        usernames,
    )
    return dict(cursor.fetchall())
