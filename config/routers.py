"""Send each app's models to the store made for them."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

DOCUMENT_APPS = frozenset({"notes"})
DOCUMENT_DB = "mongodb"
RELATIONAL_DB = "default"


def store_for(app_label: str) -> str:
    """Return the database alias that holds the given app's models."""
    return DOCUMENT_DB if app_label in DOCUMENT_APPS else RELATIONAL_DB


class StoreRouter:
    """Notes live in MongoDB; everything else (users, auth, sessions, admin) in the relational store."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return store_for(model._meta.app_label)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return store_for(model._meta.app_label)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        """Refuse a relation across stores: no join can cross them."""
        return store_for(obj1._meta.app_label) == store_for(obj2._meta.app_label)

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        """Migrate each app only on its own store (keeps contrib apps off MongoDB: backend issue #522)."""
        return db == store_for(app_label)
