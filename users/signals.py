"""What users announces to the apps that keep a member's data elsewhere; users imports none of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

# Sent with `member_id` once a member's relational delete has committed: their data elsewhere goes.
member_deleted = Signal()

# Sent with `member_ids` before members are deleted: each receiver returns a MemberData (or None
# when its store cannot tell), which the deletion confirmation lists.
member_data_requested = Signal()


@dataclass(frozen=True)
class MemberData:
    """What one app holds of some members, as a deletion confirmation lists it."""

    name: str
    count: int
    description: str


def member_data(member_ids: list[int]) -> list[MemberData]:
    """Ask every app holding members' data elsewhere what it holds of `member_ids`."""
    responses: list[tuple[Any, Any]] = member_data_requested.send(sender=MemberData, member_ids=member_ids)
    return [data for _, data in responses if isinstance(data, MemberData)]
