"""django-mongodb-backend's compilers, with three MQL forms replaced by portable ones and simple reads sent as find().

Each override swaps one form that django-mongodb-backend 5.2.4 emits, and mongo-java-server
(the local MongoDB-wire stand-in) rejects, for a form that real MongoDB 6.0+ serves with
identical results:

- updates: pipeline-style ``u: [{$set: {f: {$literal: v}}}]`` becomes operator-style
  ``u: {$set: {f: v}}`` (``SQLUpdateCompiler.update``);
- aggregation without GROUP BY (``count()``, ``aggregate()``): ``$facet`` +
  ``$addFields: {f: {$getField: …}}`` becomes ``$facet`` + ``$replaceRoot``;
- Count's null test in ``$group`` accumulators: ``{$in: [{$type: x}, ["missing", "null"]]}``
  becomes ``{$eq: [{$ifNull: [x, null]}, null]}``;
- reads: a pipeline made only of ``$match``, plain-inclusion ``$project``, ``$sort``, ``$skip``
  and ``$limit`` is sent as the equivalent ``find()`` (``FindQuery``). Not a compatibility fix
  but a measured one (docs/benchmarks.md): mongo-java-server runs every ``aggregate`` over the
  whole collection, even behind ``$match: {_id: …}``, while ``find()`` uses the ``_id`` index
  and stops at its limit.

Three more change no query: rows are read from the documents by column name when no column comes
from a ``select_related()`` join (``SQLCompiler.cursor_iter``), an insert skips the SELECT
set-up it never reads (``SQLInsertCompiler.pre_sql_setup``), and one document is sent with
``insert_one``, the same ``insert`` command without pymongo's bulk-write machinery
(``SQLInsertCompiler.insert``). Everything else is the backend's own code, reached through ``super()``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError, IntegrityError
from django_mongodb_backend import compiler as mongo
from django_mongodb_backend.query import MongoQuery, wrap_database_errors
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from mongodb_engine.query_log import logged_call

MQL = Any  # a MongoDB query/expression value: dict, list or constant
DUPLICATE_KEY = 11000  # the server error code for a unique index violation


def _without_type_null_test(mql: MQL) -> MQL:
    """Return ``mql`` with each ``{$in: [{$type: x}, ["missing", "null"]]}`` rewritten.

    The rewrite is ``{$eq: [{$ifNull: [x, null]}, null]}``. mongo-java-server has no
    ``$type`` expression. On MongoDB ``$ifNull`` maps both a missing and a null ``x`` to
    null, and any other value of ``x`` to itself, so both forms are true for exactly the
    same documents. ``$literal`` values are left alone.
    """
    if isinstance(mql, list):
        return [_without_type_null_test(item) for item in mql]
    if not isinstance(mql, dict) or "$literal" in mql:
        return mql
    operands = mql.get("$in")
    if (
        len(mql) == 1
        and isinstance(operands, list)
        and len(operands) == 2
        and isinstance(operands[0], dict)
        and list(operands[0]) == ["$type"]
        and operands[1] == ["missing", "null"]
    ):
        value = _without_type_null_test(operands[0]["$type"])
        return {"$eq": [{"$ifNull": [value, None]}, None]}
    return {key: _without_type_null_test(value) for key, value in mql.items()}


def _storable_as_is(value: Any) -> bool:
    """Whether operator-style ``$set`` stores ``value`` exactly as ``$literal`` would.

    Embedded documents whose keys start with ``$`` or contain ``.`` are kept in the
    pipeline form: update operators treat such names specially.
    """
    if isinstance(value, dict):
        return all(not (key.startswith("$") or "." in key) and _storable_as_is(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return all(_storable_as_is(item) for item in value)
    return True


FIND_STAGES = ("$match", "$project", "$addFields", "$sort", "$skip", "$limit")


def _included(key: str, value: MQL) -> bool:
    """Whether a ``$project`` entry only includes the field as it is (``1``, ``True`` or ``"$key"``)."""
    if value is True or (type(value) is int and value == 1):
        return True
    return isinstance(value, str) and "." not in key and value == f"${key}"


def find_arguments(pipeline: list[dict[str, MQL]]) -> dict[str, Any] | None:
    """Return ``find()`` keyword arguments that select what ``pipeline`` does, or None if it needs ``aggregate``.

    Accepted: at most one of each of ``$match``, ``$project`` (inclusions only), ``$addFields``
    (only ``{f: "$f"}``, which changes nothing: the backend adds it for ordering), ``$sort``,
    ``$skip`` and ``$limit``, in that order, sorting only on fields the projection keeps. In a
    pipeline of these stages MongoDB filters, projects, sorts, skips and limits exactly as
    ``find()`` does with the same filter, projection, sort, skip and limit.
    """
    arguments: dict[str, Any] = {}
    projection: dict[str, int] | None = None
    position = -1
    for stage in pipeline:
        if len(stage) != 1:
            return None
        ((name, spec),) = stage.items()
        if name not in FIND_STAGES or FIND_STAGES.index(name) <= position:
            return None
        position = FIND_STAGES.index(name)
        if name == "$match":
            arguments["filter"] = spec
        elif name == "$project":
            if not all(_included(key, value) for key, value in spec.items()):
                return None
            projection = arguments["projection"] = dict.fromkeys(spec, 1)
        elif name == "$addFields":
            if not all(isinstance(value, str) and "." not in key and value == f"${key}" for key, value in spec.items()):
                return None
        elif name == "$sort":
            arguments["sort"] = list(spec.items())
            if projection is not None and not all(key == "_id" or key in projection for key, _ in arguments["sort"]):
                return None
        elif name == "$skip":
            arguments["skip"] = int(spec)
        elif name == "$limit":
            if int(spec) <= 0:  # find() reads limit 0 as "no limit"
                return None
            arguments["limit"] = int(spec)
    return arguments


class FindQuery(MongoQuery):
    """The backend's MongoQuery, reading with ``find()`` when the pipeline allows it (see ``find_arguments``)."""

    @wrap_database_errors
    def get_cursor(self):
        arguments = find_arguments(self.get_pipeline())
        if arguments is None:
            return super().get_cursor()
        session = self.compiler.connection.session
        return logged_call(
            self.compiler.collection, "find", lambda c: _Started(c.find(**arguments, session=session)), [arguments]
        )


class _Started:
    """A pymongo Cursor whose first document has been read, so the query has run and its errors are raised.

    find() is lazy; aggregate() runs at once, and the backend wraps only that call's errors.
    Iterating it iterates the cursor itself after the first document, with no Python call per row.
    """

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self._first = next(cursor, None)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        first, self._first = self._first, None
        return self._cursor if first is None else itertools.chain((first,), self._cursor)

    def __next__(self) -> dict[str, Any]:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return next(self._cursor)

    next = __next__


class SQLCompiler(mongo.SQLCompiler):
    query_class = FindQuery

    def cursor_iter(self, cursor: Any, chunk_size: int, columns: list[tuple[str, Any]]) -> Iterator[list[list[Any]]]:
        """Yield chunks of rows, each the document's values for `columns`, looked up by name.

        The backend's _make_result() asks each column of each row whether it belongs to a
        select_related() join; when none does, every value is the document's own, and this reads
        them with one list comprehension per row (a tenth of a list page's fetch beyond the raw
        find(), docs/benchmarks.md). Joined columns keep the backend's way. Belongs upstream.
        """
        if any(getattr(column, "alias", None) not in (None, self.collection_name) for _, column in columns):
            yield from super().cursor_iter(cursor, chunk_size, columns)
            return
        names = [name for name, _ in columns]
        chunk = []
        for document in cursor:
            chunk.append([document.get(name) for name in names])
            if len(chunk) == chunk_size:
                yield chunk
                chunk = []
        yield chunk

    def _build_aggregation_pipeline(self, ids: dict[str, Any] | None, group: dict[str, MQL]) -> list[dict[str, MQL]]:
        """Build the grouping stages with accumulators and a no-GROUP-BY form both servers serve.

        Replaces, in the backend's pipeline:

        1. Count's ``{$in: [{$type: x}, ["missing", "null"]]}`` null test in every ``$group``
           accumulator, by ``{$eq: [{$ifNull: [x, null]}, null]}`` (see
           ``_without_type_null_test``): mongo-java-server has no ``$type`` expression.
        2. Without group ids (``count()``, ``aggregate()``), the backend's
           ``$facet: {group: [$group]}`` followed by
           ``$addFields: {f: {$getField: {input: {$arrayElemAt: ["$group", 0]}, field: f}}}``
           (mongo-java-server has no ``$getField``), by the same ``$facet`` followed by
           ``$replaceRoot: {newRoot: {$ifNull: [{$arrayElemAt: ["$group", 0]},
           {$literal: {f: null, …}}]}}``. On MongoDB both yield one row holding the group's
           values, or nulls on empty input (``$getField`` of a missing input is null), as SQL's
           aggregate without GROUP BY does. A bare ``$group`` would yield no row on empty input,
           and Django's fallback to each aggregate's empty value has none for expressions over
           aggregates: ``aggregate(x=Max("n") + 1)`` would return ``{"x": NotImplemented}``.
           The backend's extra ``group`` array field is not kept; no later stage reads it.
        """
        group = {alias: _without_type_null_test(mql) for alias, mql in group.items()}
        pipeline = super()._build_aggregation_pipeline(ids, group)
        if not ids:
            # super() returned [$facet, $addFields] and set group["_id"] = None.
            facet, get_fields = pipeline
            if list(facet) != ["$facet"] or list(get_fields) != ["$addFields"]:
                raise NotImplementedError(f"unexpected pipeline from django-mongodb-backend: {pipeline}")
            first_or_nulls = {"$ifNull": [{"$arrayElemAt": ["$group", 0]}, {"$literal": dict.fromkeys(group)}]}
            pipeline = [facet, {"$replaceRoot": {"newRoot": first_or_nulls}}]
        return pipeline


class SQLInsertCompiler(mongo.SQLInsertCompiler, SQLCompiler):
    def pre_sql_setup(self, with_col_aliases: bool = False) -> None:
        """Set nothing up: an insert selects no columns.

        The backend's ``execute_sql`` starts by calling this, and the inherited one builds what a
        SELECT needs (the model's columns and their converters, the aggregation pipeline), which
        an insert never reads: about 0.1 ms, a quarter of the client's CPU for saving one note
        (issue #18). Django's own ``SQLInsertCompiler`` never calls it; the backend should not either.
        """

    def insert(self, docs: list[dict[str, Any]], returning_fields: Any = None) -> list[tuple[Any]]:
        """Send one document with ``insert_one``; raise ``IntegrityError`` for a duplicate key by its code, 11000.

        The server gets the same ``insert`` command either way, but pymongo's ``insert_many`` builds
        a bulk write around it: about 20 µs of the 320 µs of CPU a note's ``save()`` took (issue #18).
        The backend recognises a duplicate in ``insert_many`` by MongoDB's text "E11000 duplicate
        key error"; FerretDB answers the same code with "Duplicate key violation on the requested
        collection". Matching the code is what the backend should do upstream too.
        """
        if len(docs) == 1:
            return self._insert_one(docs[0], returning_fields)
        try:
            return super().insert(docs, returning_fields=returning_fields)
        except BulkWriteError as error:
            if any(write_error.get("code") == DUPLICATE_KEY for write_error in error.details.get("writeErrors", [])):
                raise IntegrityError(error.details["writeErrors"][0].get("errmsg", "duplicate key")) from error
            raise DatabaseError(str(error)) from error

    def _insert_one(self, doc: dict[str, Any], returning_fields: Any) -> list[tuple[Any]]:
        session = self.connection.session
        try:
            result = logged_call(self.collection, "insert_one", lambda c: c.insert_one(doc, session=session), [doc])
        except DuplicateKeyError as error:
            raise IntegrityError(str(error)) from error
        except PyMongoError as error:
            raise DatabaseError(str(error)) from error
        return [(result.inserted_id,)] if returning_fields else []


class SQLDeleteCompiler(mongo.SQLDeleteCompiler, SQLCompiler):
    pass


class SQLUpdateCompiler(mongo.SQLUpdateCompiler, SQLCompiler):
    def update(self, criteria: dict[str, MQL], pipeline: list[dict[str, MQL]]) -> int:
        """Send constant updates as operator-style ``{$set: {f: v}}``.

        Replaces the backend's pipeline-style update ``[{$set: {f: {$literal: v}}}]``
        (every ``save()`` of an existing row, ``QuerySet.update()``, ``update_or_create()``)
        when every value is a ``$literal``: mongo-java-server (and FerretDB v1) only accept
        an update document. An operator-style ``$set`` stores its values as given, which is
        what ``$literal`` does in a pipeline, so MongoDB writes the same document. Updates
        computed from the document (``F()``, functions) and values holding ``$``-prefixed or
        dotted keys keep the pipeline form.
        """
        if len(pipeline) == 1 and list(pipeline[0]) == ["$set"]:
            values = pipeline[0]["$set"]
            if all(
                isinstance(mql, dict) and list(mql) == ["$literal"] and _storable_as_is(mql["$literal"])
                for mql in values.values()
            ):
                return super().update(criteria, {"$set": {field: mql["$literal"] for field, mql in values.items()}})
        return super().update(criteria, pipeline)


class SQLAggregateCompiler(mongo.SQLAggregateCompiler, SQLCompiler):
    pass
