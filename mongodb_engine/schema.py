"""Schema editor: the backend's own, with adding a field's default sent as an operator update."""

from __future__ import annotations

from django.db.models import Field, Model
from django_mongodb_backend.fields import EmbeddedModelField
from django_mongodb_backend.schema import DatabaseSchemaEditor as MongoSchemaEditor
from django_mongodb_backend.schema import ignore_embedded_models


class DatabaseSchemaEditor(MongoSchemaEditor):
    @ignore_embedded_models
    def add_field(self, model: type[Model], field: Field) -> None:
        """Add `field`, storing its default in every existing document.

        The backend's own add_field() sends the default as a pipeline update
        (`[{$set: {f: v}}]`), which the stand-in rejects. An operator `$set` stores `v` as
        given on MongoDB too, and for a value such as "$x" it is what was meant (a pipeline
        would read it as a field path). The rest is the backend's method as written in 5.2.4.
        """
        if field.many_to_many and field.remote_field.through._meta.auto_created:
            self.create_model(field.remote_field.through)
            return
        if column := field.column:
            self.get_collection(model._meta.db_table).update_many({}, {"$set": {column: self.effective_default(field)}})
        if isinstance(field, EmbeddedModelField):
            self._create_model_indexes(field.embedded_model, parent_model=model, column_prefix=f"{field.column}.")
        if self._field_should_be_indexed(model, field):
            self._add_field_index(model, field)
        elif self._field_should_have_unique(field):
            self._add_field_unique(model, field)
