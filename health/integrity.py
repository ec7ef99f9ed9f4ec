"""Find and repair what a failure between the stores can leave behind, by asking the apps that own the data.

Deleting a member deletes their row first and their notes after the relational commit
(DESIGN.md, "Across stores"); if MongoDB is down at that moment the notes stay behind,
invisible. Sessions are kept per member in the relational store and in Redis, and outlive a
deleted member until they expire; view counters and leaderboard entries outlive a deleted note.
The checks live next to that data (notes/integrity.py, users/integrity.py); this module only
runs them in order and sums up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notes.integrity import orphan_notes, orphan_notes_delete, stale_counters, stale_counters_delete
from users.integrity import stale_sessions, stale_sessions_delete


@dataclass
class IntegrityReport:
    orphan_owner_ids: list[int] = field(default_factory=list)
    orphan_notes: int = 0
    stale_sessions: list[str] = field(default_factory=list)
    stale_counters: list[str] = field(default_factory=list)
    stale_leaderboard_entries: dict[str, list[str]] = field(default_factory=dict)

    @property
    def problems(self) -> int:
        leaderboard = sum(len(entries) for entries in self.stale_leaderboard_entries.values())
        return self.orphan_notes + len(self.stale_sessions) + len(self.stale_counters) + leaderboard


def integrity_check() -> IntegrityReport:
    """Run every app's check and gather what they found."""
    orphans = orphan_notes()
    counters, entries = stale_counters()
    return IntegrityReport(
        orphan_owner_ids=list(orphans),
        orphan_notes=sum(orphans.values()),
        stale_sessions=stale_sessions(),
        stale_counters=counters,
        stale_leaderboard_entries=entries,
    )


def integrity_fix(report: IntegrityReport) -> None:
    """Remove what the report found; running it twice is harmless."""
    orphan_notes_delete(report.orphan_owner_ids)
    stale_sessions_delete(report.stale_sessions)
    stale_counters_delete(report.stale_counters, report.stale_leaderboard_entries)
