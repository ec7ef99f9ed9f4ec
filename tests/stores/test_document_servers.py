"""The stores library's document servers: real processes on free loopback ports, data kept across restarts."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.stores.document import FerretDB, MongoJavaServer, document_server
from tools.stores.processes import ROOT, free_port


@pytest.fixture
def store_directory() -> Iterator[Path]:
    """A directory the postgres user can reach (pytest's tmp_path is private to root)."""
    (ROOT / "var").mkdir(exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="test-stores-", dir=ROOT / "var"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(params=[FerretDB, MongoJavaServer], ids=lambda server_class: server_class.kind)
def server(request, store_directory):
    server = request.param(store_directory / "server", free_port())
    server.start()
    yield server
    server.stop()


def test_a_stopped_server_starts_again_with_its_data_and_indexes(server):
    server.client().polystore.notes.insert_one({"title": "kept", "owner_id": 7})
    server.client().polystore.notes.create_index([("owner_id", 1)], name="by_owner")

    server.stop()
    assert not server.answers()
    server.start()

    notes = server.client().polystore.notes
    assert notes.find_one({"owner_id": 7})["title"] == "kept"
    assert "by_owner" in notes.index_information()


def test_a_second_server_on_a_taken_port_is_refused(server, store_directory):
    intruder = type(server)(store_directory / "intruder", server.port)

    with pytest.raises(RuntimeError, match="already answers"):
        intruder.start()

    assert server.answers()


def test_ferretdb_refuses_a_cluster_made_by_another_postgresql(store_directory):
    server = FerretDB(store_directory / "server", free_port())
    server.postgres.initialise()
    (server.postgres.data / "PG_VERSION").write_text("14\n")

    with pytest.raises(SystemExit, match="made by PostgreSQL 14"):
        server.start()
    assert not server.answers()


def test_the_document_server_kind_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("POLYSTORE_DOCUMENT_SERVER", "mongo-java-server")
    assert isinstance(document_server(tmp_path, free_port()), MongoJavaServer)

    monkeypatch.delenv("POLYSTORE_DOCUMENT_SERVER")
    assert isinstance(document_server(tmp_path, free_port()), FerretDB)

    monkeypatch.setenv("POLYSTORE_DOCUMENT_SERVER", "mongo")
    with pytest.raises(SystemExit, match="must be one of ferretdb, mongo-java-server"):
        document_server(tmp_path, free_port())
