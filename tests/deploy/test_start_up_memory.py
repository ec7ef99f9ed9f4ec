"""What a worker loads to serve pages on SQLite: no library it has no use for (worker RSS, issue #18)."""

from __future__ import annotations

import json

from tests.production import manage, production_env

# Serve a few pages as a gunicorn worker would (the WSGI application, production settings), then list
# the modules and shared libraries the process holds.
SERVE_AND_LIST = """
import json, sys
from pathlib import Path
from django.core.wsgi import get_wsgi_application
from django.test import Client
get_wsgi_application()
client = Client(HTTP_HOST="polystore.test", HTTP_X_FORWARDED_PROTO="https")
statuses = [client.get(path).status_code for path in ("/", "/notes/public/", "/users/", "/readyz")]
libraries = sorted({line.split()[-1] for line in Path("/proc/self/maps").read_text().splitlines() if ".so" in line})
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules), "libraries": libraries}))
"""


def test_a_worker_on_sqlite_loads_neither_psycopg_nor_geodjango(tmp_path, production_static):
    env = production_env(tmp_path)
    for args in (["migrate", "--noinput"], ["migrate", "--database", "mongodb", "--noinput"]):
        assert manage(env, *args).returncode == 0
    result = manage(env, "shell", "--no-imports", "-c", SERVE_AND_LIST)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.splitlines()[-1])

    assert loaded["statuses"] == [200, 200, 200, 200]
    assert [name for name in loaded["modules"] if name.startswith(("psycopg", "django.contrib.gis.gdal"))] == []
    assert [path for path in loaded["libraries"] if "psycopg" in path or "libgdal" in path or "libgeos" in path] == []
