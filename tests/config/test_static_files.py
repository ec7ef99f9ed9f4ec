"""Production's static files storage: hashed URLs from the manifest, each worked out once per process."""

from __future__ import annotations

import json

import pytest

from config.static_files import ManifestStaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings) -> ManifestStaticFilesStorage:
    settings.DEBUG = False  # the storage hashes names only outside DEBUG, as in production
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1", "hash": "ab"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return ManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_a_name_gets_its_hashed_url_and_keeps_it(storage):
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"

    storage.hashed_files = {}  # what a second lookup in the manifest would find
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"


def test_a_name_outside_the_manifest_is_refused_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match=r"Missing staticfiles manifest entry for 'css/missing\.css'"):
            storage.url("css/missing.css")
