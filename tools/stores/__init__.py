"""The local stores on loopback: Redis, PostgreSQL and a MongoDB-wire server, for runs, tests, benchmarks and drills.

One library starts them all (`python -m tools.stores up`, the test fixtures, `bench`, `tools.drills`);
this module owns where they listen by default and which document server runs.
"""

from __future__ import annotations

import os

from config.environment import LOCAL_MONGODB_URI, LOCAL_REDIS_URL

# Where the local stores listen unless the environment says otherwise: the app's development
# defaults (config/environment.py owns them), and the stores only the tools use.
LOCAL_URLS = {
    "REDIS_URL": LOCAL_REDIS_URL,
    "MONGODB_URI": LOCAL_MONGODB_URI,
    "POSTGRES_URL": "postgres://polystore:polystore@127.0.0.1:5432/polystore",
    # The other document server, on which `make test` runs the compatibility tests too.
    "OTHER_MONGODB_URI": "mongodb://127.0.0.1:27018/polystore",
}

# FerretDB v2 over PostgreSQL with DocumentDB builds real indexes; mongo-java-server (no build
# beyond Maven) never builds non-unique ones. Both stay runnable: the engine is proven on both.
DOCUMENT_SERVERS = ("ferretdb", "mongo-java-server")
DEFAULT_DOCUMENT_SERVER = "ferretdb"


def local_url(name: str) -> str:
    """Return the store URL from the environment, or where the local store listens."""
    return os.environ.get(name) or LOCAL_URLS[name]


def document_server_kind() -> str:
    """Return the document server to run: $POLYSTORE_DOCUMENT_SERVER, or FerretDB."""
    kind = os.environ.get("POLYSTORE_DOCUMENT_SERVER", "").strip() or DEFAULT_DOCUMENT_SERVER
    if kind not in DOCUMENT_SERVERS:
        raise SystemExit(
            f"stores: POLYSTORE_DOCUMENT_SERVER must be one of {', '.join(DOCUMENT_SERVERS)}, got {kind!r}"
        )
    return kind


def other_document_server_kind() -> str:
    """Return the document server that does not run by default."""
    return next(kind for kind in DOCUMENT_SERVERS if kind != document_server_kind())
