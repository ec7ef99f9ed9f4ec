"""Database wrapper: the backend's own, with portable compilers (``compiler.py``) and schema editor (``schema.py``)."""

from __future__ import annotations

from django_mongodb_backend.base import DatabaseWrapper as MongoDatabaseWrapper

from .operations import DatabaseOperations
from .schema import DatabaseSchemaEditor


class DatabaseWrapper(MongoDatabaseWrapper):
    ops_class = DatabaseOperations
    SchemaEditorClass = DatabaseSchemaEditor
