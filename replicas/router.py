"""Send reads of the relational apps to a healthy replica when the request allows it; everything else to the primary."""

from __future__ import annotations

import random
from typing import Any

from django.db import connections
from django.db.models import Model

from config.routers import RELATIONAL_DB, store_for
from replicas.health import healthy_replicas, replica_aliases
from replicas.reads import current_scope

# Who is logged in is the primary's word: a replica behind it could revive an ended session.
PRIMARY_ONLY_APPS = frozenset({"sessions"})


class ReplicaRouter:
    """Placed before StoreRouter, which answers whatever this one leaves (None)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        app_label = model._meta.app_label
        if store_for(app_label) != RELATIONAL_DB or app_label in PRIMARY_ONLY_APPS:
            return None
        scope = current_scope()
        if scope is None or not scope.replicas_allowed or connections[RELATIONAL_DB].in_atomic_block:
            return None
        healthy = healthy_replicas() if replica_aliases() else []
        return random.choice(healthy) if healthy else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        """Note the relational write (for read-your-writes); the primary takes it (StoreRouter)."""
        if store_for(model._meta.app_label) == RELATIONAL_DB and (scope := current_scope()) is not None:
            scope.wrote = True
            scope.replicas_allowed = False
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        """Migrations run on the primary only; replicas receive them through WAL."""
        return False if db in replica_aliases() else None
