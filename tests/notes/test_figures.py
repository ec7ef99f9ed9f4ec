"""Figures the document store sums up: a member's totals and tags, and the notes written per day, each in one command."""

from __future__ import annotations

import datetime

import pytest
from django.db import connections
from django.utils import timezone

from notes.figures import TAGS_SHOWN, MemberFigures, member_figures, notes_written_per_day
from notes.models import ChecklistItem, Note
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def created(note: Note, at: datetime.datetime) -> Note:
    """Make `note` look written at `at` (auto_now_add sets it on create; a queryset update does not)."""
    Note.objects.filter(pk=note.pk).update(created_at=at)
    return note


def test_a_member_s_totals_count_only_their_notes():
    NoteFactory(owner_id=1, public=True, pinned=True, checklist=[ChecklistItem(text="a"), ChecklistItem(text="b")])
    NoteFactory(owner_id=1, checklist=[ChecklistItem(text="c", done=True), ChecklistItem(text="d")])
    NoteFactory(owner_id=1, pinned=True)
    NoteFactory(owner_id=2, public=True, pinned=True, checklist=[ChecklistItem(text="not hers")])

    figures = member_figures(1)

    assert (figures.notes, figures.public, figures.pinned, figures.open_items) == (3, 1, 2, 3)


def test_tags_are_counted_most_used_first_then_by_name():
    NoteFactory(owner_id=1, tags=["trip", "food"])
    NoteFactory(owner_id=1, tags=["trip", "books"])
    NoteFactory(owner_id=1, tags=["trip"])
    NoteFactory(owner_id=1, tags=[])
    NoteFactory(owner_id=2, tags=["food", "zebra"])

    assert member_figures(1).tags == [("trip", 3), ("books", 1), ("food", 1)]


def test_only_the_most_used_tags_are_returned():
    for n in range(TAGS_SHOWN + 5):
        NoteFactory(owner_id=1, tags=[f"tag{n:02}", "everywhere"])

    tags = member_figures(1).tags

    assert len(tags) == TAGS_SHOWN
    assert tags[0] == ("everywhere", TAGS_SHOWN + 5)
    assert tags[1:3] == [("tag00", 1), ("tag01", 1)]


def test_a_member_without_notes_has_zero_everywhere():
    NoteFactory(owner_id=2, tags=["x"])

    assert member_figures(1) == MemberFigures()


def test_the_figures_are_one_command_whatever_the_number_of_notes(django_assert_num_queries):
    for n in range(25):
        NoteFactory(owner_id=1, tags=[f"t{n % 4}"], checklist=[ChecklistItem(text="x")])

    with django_assert_num_queries(1, connection=connections["mongodb"]) as captured:
        assert member_figures(1).notes == 25

    assert ".aggregate(" in captured.captured_queries[0]["sql"]


def test_notes_written_per_day_counts_each_day_and_the_days_without_notes():
    today = datetime.date(2026, 11, 30)
    at = lambda day, hour: datetime.datetime(2026, 11, day, hour, tzinfo=datetime.UTC)  # noqa: E731
    for day, hour in ((30, 23), (30, 0), (28, 12), (1, 0), (16, 8)):
        created(NoteFactory(owner_id=1), at(day, hour))
    created(NoteFactory(owner_id=1), datetime.datetime(2026, 10, 31, 23, 59, tzinfo=datetime.UTC))  # the day before
    created(NoteFactory(owner_id=1), datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.UTC))  # tomorrow

    days = notes_written_per_day(days=30, today=today)

    assert [day for day, _ in days] == [datetime.date(2026, 11, n) for n in range(1, 31)]
    assert {day.day: count for day, count in days if count} == {1: 1, 16: 1, 28: 1, 30: 2}


def test_notes_written_per_day_ends_today_in_the_site_s_time_zone():
    NoteFactory(owner_id=1)

    days = notes_written_per_day(days=7)

    assert days[-1] == (timezone.localdate(), 1)
    assert len(days) == 7
