# Polystore: `make run` serves the app on local stores; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# Local development defaults; production sets every variable itself (README, "Configuration").
# The stores' local URLs are the stores library's (tools/stores/__init__.py): `python -m tools.stores url NAME`.
export DJANGO_DEBUG ?= true
# Tests use their own Redis logical databases (14, and 15 for sessions) so they never flush yours.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14

.PHONY: help install install-test services services-stop migrate static run test bench drills screenshots browser lint lint-deploy check audit

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The local settings manage.py reads (git- and docker-ignored); written once, then yours to edit.
.env.local: | .env.local.example
	cp .env.local.example $@

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip==25.3

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements-test.txt
	touch $(VENV)/.runtime $@

install: $(VENV)/.runtime .env.local  ## Create the virtualenv and install the pinned requirements.

install-test: $(VENV)/.test .env.local

services: $(VENV)/.runtime .env.local  ## Start the local stores that are not running yet (idempotent).
	mkdir -p var
	$(PY) -m tools.stores up

services-stop:  ## Stop the local stores that `make services` (or `make test`) started.
	$(PY) -m tools.stores down

migrate: services  ## Migrate both databases.
	$(MANAGE) migrate --noinput
	$(MANAGE) migrate --database mongodb --noinput

static: $(VENV)/.runtime .env.local  ## Collect static files into var/staticfiles (served by whitenoise).
	$(MANAGE) collectstatic --noinput --verbosity 0

run: migrate static  ## Serve Polystore at http://127.0.0.1:8000 on the local stores.
	$(MANAGE) check_backends
	$(MANAGE) seed_demo --users 20 --notes-per-user 5 --seed 1 --no-progress
	$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.test lint static lint-deploy browser  ## Run the whole suite on SQLite and on PostgreSQL; the compatibility tests on both document servers.
	$(PY) -m tools.stores up --with-postgres
	$(PY) -m tools.stores up --other-document-server
	REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest
	REDIS_URL=$(TEST_REDIS_URL) DATABASE_URL=$$($(PY) -m tools.stores url POSTGRES_URL) $(PY) -m pytest
	REDIS_URL=$(TEST_REDIS_URL) MONGODB_URI=$$($(PY) -m tools.stores url OTHER_MONGODB_URI) \
		$(PY) -m pytest tests/notes/test_mongodb_compatibility.py

bench: $(VENV)/.test  ## Measure throughput and overheads; rewrites docs/benchmarks.md (~10 min).
	$(PY) -m tools.bench

drills: $(VENV)/.test  ## Load, store outages under load, scale-out on real replicas, integrity across stores, on their own stores (docs/drills.md).
	$(PY) -m tools.drills

screenshots: $(VENV)/.test browser services  ## Screenshots of the pages README shows (home, lists, editor, admin, status) at a desktop and a phone width into docs/screenshots/.
	$(PY) -m tools.screenshots

browser:  ## Install Debian's Chromium for the browser tests, if missing.
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.test  ## Lint, check the formatting and type-check the Python code (ruff, mypy with django-stubs; pinned, the same as .pre-commit-config.yaml).
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

lint-deploy: $(VENV)/.test  ## Lint the Dockerfile and validate docker-compose.yml against the Compose schema.
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

check: $(VENV)/.runtime .env.local  ## Run Django's system checks.
	$(MANAGE) check

audit:  ## Check every pinned requirement against PyPI's advisories (pip-audit in its own virtualenv; needs network).
	test -x var/audit/bin/pip-audit || { $(PYTHON) -m venv var/audit && var/audit/bin/pip install --quiet pip-audit==2.10.1; }
	var/audit/bin/pip-audit --strict --no-deps --disable-pip -r requirements-test.txt
