"""Bring the local stores up or down: `python -m tools.stores up [--with-postgres] [--only STORE]`, `down`, `url NAME`.

Idempotent: a store that already answers at its URL is left alone, and one whose URL points at
another host is never started. Each server keeps its data and pid file under var/<server>/, so
`down` stops exactly what `up` started and a restart loses nothing. Missing packages are
installed (apt-get) and builds are cached under $POLYSTORE_CACHE (default ~/.cache/polystore), so
a second `up` takes seconds. The document server is $POLYSTORE_DOCUMENT_SERVER (default ferretdb).
"""

from __future__ import annotations

import argparse
import os
from urllib.parse import urlsplit

import dj_database_url
from pymongo.uri_parser import parse_uri

from tools.stores import DOCUMENT_SERVERS, LOCAL_URLS, document_server_kind, local_url, other_document_server_kind
from tools.stores.document import document_server, mongodb_answers
from tools.stores.postgres import PostgresCluster, postgres_answers
from tools.stores.processes import LOOPBACK, ROOT, port_taken, say
from tools.stores.redis import RedisServer

VAR = ROOT / "var"
STORES = ("redis", "mongodb", "postgres")


def refuse_remote(variable: str, host: str | None) -> None:
    if host not in LOOPBACK:
        raise SystemExit(f"stores: {variable} points at {host}, which does not answer; not starting a server there")


def redis_up() -> None:
    parts = urlsplit(local_url("REDIS_URL"))
    server = RedisServer(VAR / "redis", parts.port or 6379)
    if server.answers():
        say(f"Redis already answers on port {server.port}")
        return
    refuse_remote("REDIS_URL", parts.hostname)
    server.start()
    say(f"Redis started on port {server.port} (data in {server.directory})")


def document_server_up(kind: str, variable: str) -> None:
    host, port = parse_uri(local_url(variable))["nodelist"][0]
    server = document_server(VAR / kind, port, kind)
    if mongodb_answers(port, timeout_ms=500):
        say(f"a MongoDB-wire server already answers on port {port}")
        return
    refuse_remote(variable, host)
    seconds = server.start()
    say(f"{kind} started on port {port} in {seconds:.1f} s (data in {server.directory})")


def postgres_up(url: str) -> None:
    config = dj_database_url.parse(url)
    if postgres_answers(url):
        say(f"PostgreSQL already serves {config['NAME']} to {config['USER']} on port {config['PORT'] or 5432}")
        return
    cluster = PostgresCluster(VAR / "postgres", int(config["PORT"] or 5432))
    if not cluster.running():
        refuse_remote("the PostgreSQL URL", config["HOST"])
        if port_taken(cluster.port):
            raise SystemExit(
                f"stores: a server on port {cluster.port} does not let {config['USER']} into {config['NAME']}; "
                "point POSTGRES_URL (or DATABASE_URL) at a server that does, or free the port"
            )
        seconds = cluster.start()
        say(f"PostgreSQL started on port {cluster.port} in {seconds:.1f} s (data in {cluster.directory})")
    cluster.ensure_database(config["NAME"], role=config["USER"], password=config["PASSWORD"])


def down() -> None:
    for directory in (VAR / "redis",):
        server = RedisServer(directory, 0)
        if server.daemon.running():
            server.stop()
            say("Redis stopped")
    for kind in DOCUMENT_SERVERS:
        server = document_server(VAR / kind, 0, kind)
        if server.running():
            server.stop()
            say(f"{kind} stopped")
    cluster = PostgresCluster(VAR / "postgres", 0)
    if cluster.running():
        cluster.stop()
        say("PostgreSQL stopped")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.stores", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down", "url"])
    parser.add_argument("name", nargs="?", choices=LOCAL_URLS, help="with url: the store URL to print")
    parser.add_argument("--with-postgres", action="store_true", help="also bring up PostgreSQL at $POSTGRES_URL")
    parser.add_argument("--only", choices=STORES, action="append", help="bring up only this store (repeatable)")
    parser.add_argument(
        "--other-document-server",
        action="store_true",
        help="bring up only the other document server, at $OTHER_MONGODB_URI (for the compatibility tests)",
    )
    args = parser.parse_args()
    if args.action == "url":
        print(local_url(args.name or parser.error("url needs a NAME")))
        return
    if args.action == "down":
        down()
        return
    if args.other_document_server:
        document_server_up(other_document_server_kind(), "OTHER_MONGODB_URI")
        return
    wanted = set(args.only or STORES)
    if "redis" in wanted:
        redis_up()
    if "mongodb" in wanted:
        document_server_up(document_server_kind(), "MONGODB_URI")
    if "postgres" in wanted:
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url.startswith(("postgres://", "postgresql://")):
            postgres_up(database_url)
        if args.with_postgres or args.only:
            postgres_up(local_url("POSTGRES_URL"))


if __name__ == "__main__":
    main()
