"""The home pages and the status page degrade when only MongoDB is down (issue #15, item 8): 200 and "Unavailable"."""

from __future__ import annotations

import pytest

from tests.production import manage, production_env

pytestmark = pytest.mark.usefixtures("production_static")  # the pages' manifest

PROBE = """
from bson import ObjectId
from django.core.cache import cache
from django.test import Client
from notes.counters import note_view_record
from users.models import User
member = User.objects.create_user("member", "member@example.com", "x")
operator = User.objects.create_user("operator", "operator@example.com", "x", is_staff=True)
note_view_record(note_id=ObjectId(), owner_id=1, viewer_id=member.pk)  # the page has notes to ask MongoDB for
for who, path in ((None, "/"), (member, "/"), (operator, "/status/")):
    client = Client(HTTP_HOST="polystore.test")
    if who is not None:
        client.force_login(who)
    response = client.get(path, secure=True)
    page = response.content.decode()
    print("answer", path, response.status_code, page.count('class="down"'), "no-store" in response.get("Cache-Control", ""))
print("kept", len(cache.keys("page:*")))
"""


def test_the_pages_answer_while_mongodb_is_down(tmp_path, closed_port):
    env = production_env(tmp_path, MONGODB_URI=f"mongodb://127.0.0.1:{closed_port}/polystore")
    assert manage(env, "migrate", "--noinput").returncode == 0

    result = manage(env, "shell", "-c", PROBE)

    lines = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith(("answer ", "kept "))]
    assert lines == [
        ["/", "200", "2", "True"],  # the public notes and the most viewed: unavailable, and not kept
        ["/", "200", "1", "True"],  # the member's notes
        ["/status/", "200", "3", "True"],  # MongoDB does not answer, has no figures, and no chart
        ["0"],  # no copy of the page was kept in Redis
    ], result.stdout + result.stderr
