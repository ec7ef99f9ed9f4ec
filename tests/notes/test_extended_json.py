"""The import's Extended JSON reader gives what bson.json_util.loads() gives: the same values, the same errors."""

from __future__ import annotations

import json
from typing import Any

from bson import json_util
from hypothesis import example, given
from hypothesis import strategies as st

from notes.transfer.extended_json import READ_OPTIONS, extended_json_loads

digits = st.text(alphabet="0123456789", min_size=1, max_size=5)
dates = st.builds(
    lambda year, month, day, hour, minute, second, fraction, end: (
        f"{year}-{month}-{day}T{hour}:{minute}:{second}{fraction}{end}"
    ),
    digits,
    digits,
    digits,
    digits,
    digits,
    digits,
    st.sampled_from(["", "."]) | digits.map(lambda text: "." + text),
    st.sampled_from(["Z", "", "+01:00", "z", "Z "]),
)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | dates.map(lambda date: {"$date": date}),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


def outcome(read: Any, line: str) -> tuple[str, Any]:
    try:
        value = read(line)
    except Exception as error:  # noqa: BLE001 - whatever one reader raises, the other must raise too
        return "error", (type(error), str(error))
    return "value", (value, repr(value))  # repr() tells the tzinfo apart, == does not


@given(value=values)
@example(value={"$date": "2026-01-02T03:04:05.579Z"})
@example(value={"$date": "2026-01-02T03:04:05.0157Z"})  # json_util's float arithmetic makes it 15,699 µs
@example(value={"$date": "2026-02-30T00:00:00Z"})
@example(value={"$date": "2026-01-01T24:00:00Z"})
@example(value={"$date": "0000-01-01T00:00:00Z"})
@example(value={"$date": "9999-12-31T23:59:59.9999999Z"})
@example(value={"$date": "2026-01-01T00:00:00Z", "x": 1})
@example(value={"$date": "٢٠٢٦-01-01T00:00:00Z"})
def test_every_line_reads_as_json_util_reads_it(value):
    line = json.dumps(value)

    assert outcome(extended_json_loads, line) == outcome(
        lambda text: json_util.loads(text, json_options=READ_OPTIONS), line
    )
