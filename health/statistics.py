"""Figures about each store for operators: object counts, sizes, Redis memory and hit ratio."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.contrib.sessions.models import Session
from django.db import DatabaseError, connections
from django.utils import timezone
from django_mongodb_backend.base import DatabaseWrapper
from django_redis import get_redis_connection
from pymongo.errors import PyMongoError
from redis.exceptions import RedisError

from notes.models import Note
from users.models import User


def relational_statistics() -> dict[str, Any]:
    connection = connections["default"]
    try:
        figures: dict[str, Any] = {
            "kind": connection.vendor,
            "users": User.objects.count(),
            "active_sessions": Session.objects.filter(expire_date__gt=timezone.now()).count(),
        }
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_database_size(current_database())")
                figures["size_bytes"] = cursor.fetchone()[0]
            else:
                name = connection.settings_dict["NAME"]
                figures["size_bytes"] = Path(name).stat().st_size if Path(str(name)).exists() else None
    except DatabaseError as error:
        return {"kind": connection.vendor, "error": str(error).splitlines()[0]}
    return figures


def document_statistics() -> dict[str, Any]:
    try:
        stats = cast(DatabaseWrapper, connections["mongodb"]).database.command("dbStats")
        return {
            "kind": "mongodb",
            "notes": Note.objects.count(),
            "public_notes": Note.objects.public().count(),
            "collections": stats.get("collections"),
            "data_size_bytes": int(stats.get("dataSize", 0)),
            "storage_size_bytes": int(stats.get("storageSize", 0)),
        }
    except (PyMongoError, DatabaseError) as error:
        return {"kind": "mongodb", "error": str(error).splitlines()[0] if str(error) else type(error).__name__}


def cache_statistics() -> dict[str, Any]:
    try:
        client = get_redis_connection("default")
        info = client.info()
    except RedisError as error:
        return {"kind": "redis", "error": str(error).splitlines()[0]}
    hits, misses = info.get("keyspace_hits", 0), info.get("keyspace_misses", 0)
    databases = [
        name for name, value in info.items() if name[:2] == "db" and name[2:].isdigit() and isinstance(value, dict)
    ]
    # In numeric order (db0, db1, db5, db10), as an operator reads them; INFO's own order is not promised.
    keys_per_database = {name: info[name]["keys"] for name in sorted(databases, key=lambda name: int(name[2:]))}
    sessions_database = f"db{get_redis_connection('sessions').connection_pool.connection_kwargs.get('db', 0)}"
    return {
        "kind": "redis",
        "version": info.get("redis_version"),
        "used_memory_bytes": info.get("used_memory"),
        "used_memory_human": info.get("used_memory_human"),
        "hit_ratio": round(hits / (hits + misses), 4) if hits + misses else None,
        "keys_per_database": keys_per_database,
        "cached_sessions": keys_per_database.get(sessions_database, 0),
    }


def store_statistics() -> dict[str, dict[str, Any]]:
    """Gather every store's figures; a store that does not answer reports its error in its place."""
    return {"relational": relational_statistics(), "mongodb": document_statistics(), "redis": cache_statistics()}
