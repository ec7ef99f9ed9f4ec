"""Django's PostgreSQL backend for a replica alias: a query whose replica vanished mid-request is retried on the primary.

The alias lists the replica, then the primary (config/scale_out.py), so a new connection
lands on the primary while the replica is down. A connection that breaks under a read outside a
transaction is reopened that way and the read sent again: reads are safe to repeat.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)


def retry_on_primary(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Run the query; if the replica's connection broke, reconnect (to the primary) and run it once more."""
    try:
        return execute(sql, params, many, context)
    except OperationalError as error:
        wrapper, cursor = context["connection"], context["cursor"]
        if wrapper.in_atomic_block or wrapper.is_usable():
            raise
        logger.warning("replica %s broke under a read; sending it again: %s", wrapper.alias, error)
        wrapper.close()
        wrapper.connect()
        cursor.cursor = wrapper.create_cursor()
        return execute(sql, params, many, context)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(retry_on_primary)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        """Open the connection; one that landed on the primary is closed after this request, to find the replica again."""
        connection = super().get_new_connection(conn_params)
        if connection.info.port != int(str(self.settings_dict["PORT"]).split(",")[0]):
            logger.info("replica %s does not answer; this connection went to the primary", self.alias)
            self.close_at = time.monotonic()
        return connection
