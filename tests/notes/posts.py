"""The POST data the note editor takes, shaped the way a browser sends it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _as_sent(fields: dict[str, Any]) -> dict[str, Any]:
    """Drop unticked checkboxes (False) and send ticked ones (True) as "on", as a browser does."""
    return {name: "on" if value is True else value for name, value in fields.items() if value is not False}


def editor_form(
    *,
    checklist: Iterable[dict[str, Any]] = (),
    attributes: Iterable[dict[str, Any]] = (),
    initial_checklist: int = 0,
    initial_attributes: int = 0,
    **fields: Any,
) -> dict[str, Any]:
    """Return the editor's POST data: the note's fields plus its checklist and attribute rows."""
    data = _as_sent({"title": "A note", "body": "", "tags": "", "visibility": "private", **fields})
    for prefix, rows, initial in (
        ("checklist", list(checklist), initial_checklist),
        ("attributes", list(attributes), initial_attributes),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = initial
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in _as_sent(row).items()})
    return data
