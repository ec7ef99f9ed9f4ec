"""Load django-mongodb-backend without GeoDjango when the project does not install django.contrib.gis.

django-mongodb-backend 5.2 imports GeoDjango's operations, features and lookups whenever the
GDAL and GEOS libraries can be found, and falls back to plain classes when importing them raises
ImproperlyConfigured (GDAL or GEOS not installed). On a machine where they are installed (here:
PostGIS, which DocumentDB needs, brings libgdal), every process that touches the backend then loads
libgdal and the ~150 shared libraries it links, for geometry Polystore never stores: 28 MiB of
RSS in a process that starts the app, 8-9 MiB of it private to each gunicorn worker (issue #18,
docs/benchmarks.md "Memory"). Django's own backends
keep GIS in separate engines (django.contrib.gis.db.backends.*); without django.contrib.gis in
INSTALLED_APPS, this finder answers an import of GeoDjango's C bindings as a machine without
them would, so the backend takes the fallback it already has.

This belongs upstream, in django-mongodb-backend (load its GIS layer only for projects that use
GeoDjango); until it is there, `mongodb_engine` installs the finder when it is imported, before
the backend (INSTALLED_APPS lists `mongodb_engine` ahead of `django_mongodb_backend`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GEODJANGO_C_BINDINGS = ("django.contrib.gis.gdal", "django.contrib.gis.geos")


class WithoutGeoDjango(MetaPathFinder):
    """Refuse to import GeoDjango's GDAL and GEOS bindings, with the error Django raises when the libraries are missing."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname in GEODJANGO_C_BINDINGS:
            raise ImproperlyConfigured(f"{fullname}: GeoDjango is not used (django.contrib.gis is not installed)")
        return None


def install() -> None:
    """Put the finder first on sys.meta_path, unless the project uses GeoDjango or it is there already."""
    if "django.contrib.gis" in settings.INSTALLED_APPS:
        return
    if not any(isinstance(finder, WithoutGeoDjango) for finder in sys.meta_path):
        sys.meta_path.insert(0, WithoutGeoDjango())
