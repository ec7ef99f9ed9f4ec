"""Operations: the backend's own, pointing Django at this package's compilers, with embedded models read faster."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import DEFERRED, Model
from django.db.models.expressions import Expression
from django_mongodb_backend.operations import DatabaseOperations as MongoDatabaseOperations

from mongodb_engine.documents import DocumentReader

Converter = Callable[[Any, Any, Any], Any]


class EmbeddedReader:
    """How to turn one embedded model's stored document into an instance, worked out once.

    For each concrete field, in the model's order: its column, the expression its converters are
    given, the converters (the backend's, then the field's own), its ``to_python`` and what an
    absent column gets (the field's default, as ``Model.__init__`` gives a missing keyword).
    """

    def __init__(self, model: type[Model], operations: MongoDatabaseOperations) -> None:
        self.model = model
        self.fields: list[tuple[str | None, Expression, list[Converter], Callable[[Any], Any], Callable[[], Any]]] = []
        for field in model._meta.concrete_fields:
            expression = Expression(output_field=field)
            converters = operations.get_db_converters(expression) + expression.get_db_converters(operations.connection)
            absent = (lambda: DEFERRED) if field.generated else field.get_default
            self.fields.append((field.column, expression, converters, field.to_python, absent))

    def instance(self, document: dict[str, Any], connection: Any) -> Model:
        values = []
        for column, expression, converters, to_python, absent in self.fields:
            if column in document:
                value = document[column]
                for converter in converters:
                    value = converter(value, expression, connection)
                values.append(to_python(value))
            else:
                values.append(absent())
        instance = self.model(*values)
        instance._state.adding = False
        return instance


class DatabaseOperations(MongoDatabaseOperations):
    compiler_module = "mongodb_engine.compiler"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._embedded_readers: dict[type[Model], EmbeddedReader] = {}
        self._document_readers: dict[type[Model], DocumentReader] = {}

    def document_reader(self, model: type[Model]) -> DocumentReader:
        """The ``documents.DocumentReader`` of `model` on this connection, made on first use."""
        reader = self._document_readers.get(model)
        if reader is None:
            reader = self._document_readers[model] = DocumentReader(model, self.connection)
        return reader

    def convert_embeddedmodelfield_value(self, value: Any, expression: Any, connection: Any) -> Any:
        """Return the embedded model instance for a stored embedded document.

        The backend's converter looks every field's converters up again for each embedded
        document (a new Expression and the whole get_db_converters() chain per field, per item:
        a third of reading a note with a checklist) and leaves the instance to
        EmbeddedModelField.to_python(), which builds it from keyword arguments, Model.__init__'s
        slow path. This converts each field with the same converters, found once per embedded
        model, applies the same to_python(), and builds the instance from positional values with
        the same defaults for absent columns; to_python() then returns the instance as it is
        (it only builds from a dict). The same instance on every server: no query changes.
        Belongs upstream, in the backend's converter.
        """
        if not isinstance(value, dict):
            return value
        model = expression.output_field.embedded_model
        reader = self._embedded_readers.get(model)
        if reader is None:
            reader = self._embedded_readers[model] = EmbeddedReader(model, self)
        return reader.instance(value, connection)
