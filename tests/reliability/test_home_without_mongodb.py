"""The home page degrades when only MongoDB is down (issue #15, item 8), as it does with every store down."""

from __future__ import annotations

import pytest

from tests.production import manage, production_env

pytestmark = pytest.mark.usefixtures("production_static")  # the pages' manifest

PROBE = """
from bson import ObjectId
from django.test import Client
from notes.counters import note_view_record
note_view_record(note_id=ObjectId(), owner_id=1)  # this week's most viewed lists a note, so the page asks MongoDB
response = Client(HTTP_HOST="polystore.test").get("/", secure=True)
page = response.content.decode()
print("answer", response.status_code, page.count("Unavailable."), "Counts unavailable." in page)
"""


def test_the_home_page_answers_while_mongodb_is_down(tmp_path, closed_port):
    env = production_env(tmp_path, MONGODB_URI=f"mongodb://127.0.0.1:{closed_port}/polystore")
    assert manage(env, "migrate", "--noinput").returncode == 0

    result = manage(env, "shell", "-c", PROBE)

    answers = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("answer ")]
    assert answers == [["200", "1", "True"]], result.stdout + result.stderr
