"""Polystore's MongoDB engine: django-mongodb-backend with portable MQL.

Use as a database ENGINE (``"ENGINE": "mongodb_engine"``). It is django-mongodb-backend
5.2.4 with a few compiler methods overridden so that every query is one that both real
MongoDB (6.0+) and the local MongoDB-wire stand-in (mongo-java-server) serve, with the same
results on MongoDB as the backend's own forms. See ``compiler.py`` for each override; it and
``operations.py`` also turn documents into rows and embedded instances with less work per row.

The overrides touch the backend's internals: keep django-mongodb-backend pinned exactly.
"""

from mongodb_engine import without_gis

without_gis.install()
