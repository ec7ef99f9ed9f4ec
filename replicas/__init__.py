"""Reads from PostgreSQL streaming replicas, with read-your-writes, and failover through Redis Sentinel (README, "Scale-out").

Polystore adds no replication of its own: PostgreSQL streams its WAL to hot standbys, Redis
Sentinel promotes a replica, MongoDB replica sets elect a primary. This package only chooses
where each relational read goes, and turns REDIS_SENTINELS into django-redis's Sentinel client.
"""
