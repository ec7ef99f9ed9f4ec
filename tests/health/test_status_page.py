"""The store status page: staff only; each store's answer, figures and size; a chart of notes written per day."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from health.status import CHART_DAYS
from notes.models import Note
from tests.factories import NoteFactory, UserFactory, logged_in

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

STATUS = "/status/"


@pytest.fixture
def operator_client():
    """A staff member without superuser status."""
    return logged_in(UserFactory(username="operator", is_staff=True))


def bars(content: str) -> list[tuple[str, int, float]]:
    """Each bar of the chart: its day, its count and its height."""
    found = re.findall(
        r'<rect class="day-chart-bar" [^>]*height="([\d.]+)" data-day="([\d-]+)" data-count="(\d+)"', content
    )
    return [(day, int(count), float(height)) for height, day, count in found]


def test_the_status_page_is_for_staff_only(client, alice_client, operator_client):
    anonymous = client.get(STATUS)
    member = alice_client.get(STATUS)

    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('users:login')}?next={STATUS}"
    assert member.status_code == 403
    assert "<h1>Not allowed</h1>" in member.content.decode()
    assert operator_client.get(STATUS).status_code == 200


def test_staff_find_the_status_page_in_the_menu(alice_client, operator_client):
    link = f'<a href="{STATUS}">Status</a>'

    assert link in operator_client.get("/").content.decode()
    assert link not in alice_client.get("/").content.decode()


def test_each_store_answers_with_its_figures_and_size(operator_client):
    NoteFactory(owner_id=UserFactory().pk, public=True)
    NoteFactory(owner_id=UserFactory().pk)

    response = operator_client.get(STATUS)
    content = response.content.decode()

    assert response["Cache-Control"].startswith("max-age=0")  # never_cache: read afresh on every visit
    assert content.count('<p class="ok">answers in ') == 3
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", content))
    assert figures["Members"] == "3"  # the operator and the two owners
    assert figures["Notes"] == "2"
    assert figures["Public notes"] == "1"
    size = r"[\d.]+\xa0(bytes|KB|MB|GB)"
    assert re.fullmatch(size, figures["Data size"])
    assert re.fullmatch(size, figures["Storage size"])
    assert re.fullmatch(size, figures["Memory used"])
    if connections["default"].vendor == "postgresql":
        assert re.fullmatch(size, figures["Size"])
    else:  # the test run's SQLite database is in memory: no file to measure
        assert figures["Size"] == "not measured"


def test_the_chart_has_one_bar_per_day_with_its_count(operator_client):
    today = timezone.localdate()
    owner = UserFactory().pk

    def written(days_ago: int, count: int) -> None:
        at = timezone.now() - datetime.timedelta(days=days_ago)
        for _ in range(count):
            Note.objects.filter(pk=NoteFactory(owner_id=owner).pk).update(created_at=at)

    written(0, 3)
    written(2, 1)
    written(CHART_DAYS - 1, 2)
    written(CHART_DAYS, 5)  # a day too old for the chart

    content = operator_client.get(STATUS).content.decode()
    chart = bars(content)

    assert [day for day, _, _ in chart] == [
        (today - datetime.timedelta(days=n)).isoformat() for n in range(CHART_DAYS - 1, -1, -1)
    ]
    counts = {day: count for day, count, _ in chart if count}
    assert counts == {
        today.isoformat(): 3,
        (today - datetime.timedelta(days=2)).isoformat(): 1,
        (today - datetime.timedelta(days=CHART_DAYS - 1)).isoformat(): 2,
    }
    heights = {count: height for _, count, height in chart}
    assert heights[0] == 0
    assert heights[3] == pytest.approx(3 * heights[1], abs=0.01)  # bars scale with their counts
    assert 'role="img" aria-labelledby="day-chart-title day-chart-desc"' in content
    assert '<desc id="day-chart-desc">6 notes from ' in content
    assert content.count("<tr><td><time") == CHART_DAYS  # the figures as a table too


def test_the_page_costs_a_fixed_number_of_queries(operator_client, django_assert_num_queries):
    for _ in range(5):
        NoteFactory(owner_id=UserFactory().pk)
    postgresql = connections["default"].vendor == "postgresql"

    # Relational: the operator with their session's row, the probe, members, sessions (and PostgreSQL's size).
    # MongoDB through the ORM: notes, public notes, notes per day (the probe and dbStats are server commands).
    with django_assert_num_queries(4 + postgresql), django_assert_num_queries(3, connection=connections["mongodb"]):
        assert operator_client.get(STATUS).status_code == 200


def test_the_page_answers_while_redis_is_down(operator_client, own_redis):
    NoteFactory(owner_id=UserFactory().pk)
    own_redis.stop()

    response = operator_client.get(STATUS)

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('<p class="ok">answers in ') == 2
    assert "<strong>redis</strong> · redis</header>" in content
    assert '<p class="down">does not answer</p>' in content
    assert len(bars(content)) == CHART_DAYS
