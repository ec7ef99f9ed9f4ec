# syntax=docker/dockerfile:1
# Polystore: a slim Python 3.11 image serving the app with gunicorn as a non-root user.

# ---- build: dependencies in their own cached layer, then the code and its static files
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt
COPY . .
# collectstatic needs settings, not stores: these values exist only for this step.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-time-only-collectstatic-key-not-used-at-runtime \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    MONGODB_URI=mongodb://localhost:27017/polystore \
    REDIS_URL=redis://localhost:6379/0 \
    /venv/bin/python manage.py collectstatic --noinput --verbosity 0

# ---- runtime: the virtualenv and the app, nothing else
FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 polystore \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home polystore
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=10001:10001 /app /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
