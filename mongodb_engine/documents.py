"""One document read by its id with ``find_one()``, turned into a model instance as the ORM's read would.

A page that shows one document by its id (a note's page) went through the ORM's whole read:
a queryset cloned and filtered, a compiler setting up columns, ordering and converters, the
filter turned into MQL and the pipeline into ``find()``: 0.65 ms of CPU against 0.2 ms for the
``find_one()`` it ends in (issue #18). This sends the same ``find_one({_id: …})``, which every
server answers from the ``_id`` index, and builds the instance with the converters the ORM
applies to each column, worked out once per model (``DocumentReader``), then ``Model.from_db()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import connections, router
from django.db.models import Model
from django.db.models.expressions import Col
from django_mongodb_backend.query import wrap_database_errors

from mongodb_engine.query_log import logged_call

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


class DocumentReader:
    """How to turn a model's stored document into an instance, worked out once per model and connection.

    For each concrete field, in the model's order: its column, its column expression and the
    converters a compiler gives that column (the backend's, then the field's own), applied to the
    stored value or to None for an absent column, as ``SQLCompiler.apply_converters()`` does.
    """

    def __init__(self, model: type[Model], connection: Any) -> None:
        self.model = model
        self.attnames = [field.attname for field in model._meta.concrete_fields]
        self.fields: list[tuple[str, Col, list[Converter]]] = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            self.fields.append((cast(str, field.column), column, converters))  # concrete: it has one

    def instance(self, document: dict[str, Any], connection: Any) -> Model:
        values = []
        for name, column, converters in self.fields:
            value = document.get(name)
            for converter in converters:
                value = converter(value, column, connection)
            values.append(value)
        return self.model.from_db(connection.alias, self.attnames, values)


@wrap_database_errors
def instance_by_id(model: type[M], pk: Any) -> M | None:
    """Return the instance of `model` whose document has the id `pk`, or None; the query log counts it as one query."""
    connection: Any = connections[router.db_for_read(model)]  # this engine's DatabaseWrapper
    collection = connection.get_collection(model._meta.db_table)
    criteria = {"_id": pk}
    document = logged_call(
        collection, "find_one", lambda c: c.find_one(criteria, session=connection.session), [criteria]
    )
    if document is None:
        return None
    return connection.ops.document_reader(model).instance(document, connection)
