"""DocumentDB's build: a missing source archive is one clear line that names it and the way around it."""

from __future__ import annotations

import subprocess

from tools.stores.processes import ROOT

BUILD = ROOT / "tools" / "stores" / "documentdb" / "build.sh"


def test_a_missing_source_archive_names_the_file_and_the_alternative(tmp_path):
    # A copy with one more line has another cache key, so the build is not "already installed".
    script = tmp_path / "build.sh"
    script.write_text(BUILD.read_text() + "# a build nobody made yet\n")
    sources = tmp_path / "no-sources"
    sources.mkdir()

    result = subprocess.run(
        ["bash", str(script)],
        env={
            "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": str(tmp_path),
            "POLYSTORE_SOURCES": str(sources),
            "POLYSTORE_CACHE": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"documentdb-build: missing source archive {sources}/")
    assert "POLYSTORE_SOURCES" in result.stderr
    assert "POLYSTORE_DOCUMENT_SERVER=mongo-java-server" in result.stderr
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").glob("documentdb-*/root"))
