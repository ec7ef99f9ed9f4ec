"""Run inside the djongo virtualenv (bench/djongo_peer.py makes it): read 1,000 notes through djongo.

Standalone on purpose: djongo 1.3.7 needs Django 3.1, so nothing of Polystore is imported.
Prints one JSON object; on failure it names the step and carries the real error.
"""

import json
import os
import sys
import time
import traceback

result = {"python": sys.version.split()[0], "step": "import"}


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


try:
    import django
    import pymongo

    result.update(django=django.get_version(), pymongo=pymongo.version)
    from django.conf import settings

    uri, name = os.environ["PEER_MONGODB_URI"], os.environ["PEER_MONGODB_NAME"]
    count, repeats = int(os.environ.get("PEER_READ_COUNT", "1000")), int(os.environ.get("PEER_REPEATS", "5"))
    result["step"] = "configure"
    settings.configure(
        DEBUG=False,
        USE_TZ=False,
        INSTALLED_APPS=[],
        DATABASES={"default": {"ENGINE": "djongo", "NAME": name, "ENFORCE_SCHEMA": False, "CLIENT": {"host": uri}}},
    )
    django.setup()
    from django.db import models
    from djongo import models as djongo_models

    class Note(models.Model):
        _id = djongo_models.ObjectIdField()
        owner_id = models.IntegerField()
        title = models.CharField(max_length=200)
        body = models.TextField()
        tags = djongo_models.JSONField()
        checklist = djongo_models.JSONField()
        attributes = djongo_models.JSONField()
        visibility = models.CharField(max_length=10)
        pinned = models.BooleanField()
        created_at = models.DateTimeField()
        updated_at = models.DateTimeField()

        class Meta:
            app_label = "peer"
            db_table = "notes_note"
            managed = False

    result["step"] = "read"
    collection = pymongo.MongoClient(uri)[name]["notes_note"]
    notes = list(Note.objects.all()[:count])
    if len(notes) != count:
        raise RuntimeError(f"djongo returned {len(notes)} notes, expected {count}")
    result["sample"] = {"title": notes[0].title, "tags": notes[0].tags}
    orm, raw = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        list(Note.objects.all()[:count])
        orm.append(time.perf_counter() - started)
        started = time.perf_counter()
        list(collection.find({}, limit=count))
        raw.append(time.perf_counter() - started)
    result.update(step="done", orm_seconds=orm, raw_seconds=raw, orm=median(orm), raw=median(raw))
except BaseException as error:  # noqa: BLE001 - every failure is the finding; report it
    result["error"] = f"{type(error).__name__}: {error}"
    result["traceback"] = traceback.format_exc().strip().splitlines()[-12:]
print(json.dumps(result, default=str))
