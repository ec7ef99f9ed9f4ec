"""pymongo calls the backend does not log itself, logged as it logs aggregate() and insert_many()."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django_mongodb_backend.utils import OperationDebugWrapper

T = TypeVar("T")


def logged_call(collection: Any, name: str, call: Callable[[Any], T], logged: list[Any]) -> T:
    """Return `call` applied to the pymongo collection, logged as `name` with `logged` when queries are logged.

    The backend wraps a connection's collections in OperationDebugWrapper while queries are logged
    (DEBUG, or a test counting them): its query log, and so django_assert_num_queries, sees the call.
    """
    if not isinstance(collection, OperationDebugWrapper):
        return call(collection)
    duration, result = collection.profile_call(lambda: call(collection.wrapped))
    collection.log(name, duration, logged)
    return result
