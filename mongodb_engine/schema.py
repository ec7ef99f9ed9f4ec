"""Schema editor: the backend's own, with field defaults as operator updates and time for big writes."""

from __future__ import annotations

from typing import Any, Self

import pymongo
from django.db.models import Field, Model
from django_mongodb_backend.fields import EmbeddedModelField
from django_mongodb_backend.schema import DatabaseSchemaEditor as MongoSchemaEditor
from django_mongodb_backend.schema import ignore_embedded_models

# A migration may rewrite every document or build an index over all of them: minutes, not the
# seconds the app's socket timeout allows a page's query (MONGODB_URI, config/environment.py).
MIGRATION_SECONDS = 60 * 60


class DatabaseSchemaEditor(MongoSchemaEditor):
    def __enter__(self) -> Self:
        self._timeout = pymongo.timeout(MIGRATION_SECONDS)
        self._timeout.__enter__()
        return super().__enter__()

    def __exit__(self, *exc_info: Any) -> None:
        try:
            super().__exit__(*exc_info)
        finally:
            self._timeout.__exit__(*exc_info)

    @ignore_embedded_models
    def add_field(self, model: type[Model], field: Field) -> None:
        """Add `field`, storing its default in every existing document.

        The backend's own add_field() sends the default as a pipeline update
        (`[{$set: {f: v}}]`), which the stand-in rejects. An operator `$set` stores `v` as
        given on MongoDB too, and for a value such as "$x" it is what was meant (a pipeline
        would read it as a field path). The rest is the backend's method as written in 5.2.4.
        """
        # A many-to-many field's remote_field is a ManyToManyRel, which has `through`; the stubs say ForeignObjectRel | None.
        if field.many_to_many and field.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
            self.create_model(field.remote_field.through)  # type: ignore[union-attr]
            return
        if column := field.column:
            self.get_collection(model._meta.db_table).update_many({}, {"$set": {column: self.effective_default(field)}})
        if isinstance(field, EmbeddedModelField):
            self._create_model_indexes(field.embedded_model, parent_model=model, column_prefix=f"{field.column}.")
        if self._field_should_be_indexed(model, field):
            self._add_field_index(model, field)
        elif self._field_should_have_unique(field):
            self._add_field_unique(model, field)
