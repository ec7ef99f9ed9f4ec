"""Start and stop the local stores (PostgreSQL, Redis, the MongoDB-wire server) on loopback."""

import os

# Where the local stores listen unless the environment says otherwise.
LOCAL_URLS = {
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "MONGODB_URI": "mongodb://127.0.0.1:27017/polystore",
    "POSTGRES_URL": "postgres://polystore:polystore@127.0.0.1:5432/polystore",
}


def local_url(name: str) -> str:
    """Return the store URL from the environment, or where the local store listens."""
    return os.environ.get(name) or LOCAL_URLS[name]
