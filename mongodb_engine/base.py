"""Database wrapper: the backend's own, with portable compilers (see ``compiler.py``)."""

from __future__ import annotations

from django_mongodb_backend.base import DatabaseWrapper as MongoDatabaseWrapper

from .operations import DatabaseOperations


class DatabaseWrapper(MongoDatabaseWrapper):
    ops_class = DatabaseOperations
