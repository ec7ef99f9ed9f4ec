"""Operations: the backend's own, pointing Django at this package's compilers."""

from __future__ import annotations

from django_mongodb_backend.operations import DatabaseOperations as MongoDatabaseOperations


class DatabaseOperations(MongoDatabaseOperations):
    compiler_module = "mongodb_engine.compiler"
