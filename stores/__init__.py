"""Start and stop the local stores (PostgreSQL, Redis, the MongoDB-wire server) on loopback."""
