"""The MongoDB engine loads django-mongodb-backend without GeoDjango, which Polystore never uses."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from mongodb_engine import without_gis


def test_no_process_of_the_app_loads_gdal_or_geos():
    loaded = [name for name in sys.modules if name.startswith(without_gis.GEODJANGO_C_BINDINGS)]
    mapped = [
        line for line in Path("/proc/self/maps").read_text().splitlines() if "libgdal" in line or "libgeos" in line
    ]

    assert (loaded, mapped) == ([], [])


@pytest.mark.parametrize("module", without_gis.GEODJANGO_C_BINDINGS)
def test_importing_the_bindings_fails_as_on_a_machine_without_the_libraries(module):
    with pytest.raises(ImproperlyConfigured, match="GeoDjango is not used"):
        importlib.import_module(module)


def test_the_backend_takes_its_fallback_without_geodjango():
    connection = connections["mongodb"]
    classes = [*type(connection.ops).__mro__, *type(connection.features).__mro__]

    assert [cls for cls in classes if cls.__module__.startswith("django.contrib.gis")] == []


def test_installed_once_and_not_for_a_project_that_uses_geodjango(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path])
    without_gis.install()
    assert sum(isinstance(finder, without_gis.WithoutGeoDjango) for finder in sys.meta_path) == 1

    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path if not isinstance(f, without_gis.WithoutGeoDjango)])
    monkeypatch.setattr(
        without_gis, "settings", SimpleNamespace(INSTALLED_APPS=[*settings.INSTALLED_APPS, "django.contrib.gis"])
    )
    without_gis.install()
    assert not any(isinstance(finder, without_gis.WithoutGeoDjango) for finder in sys.meta_path)
