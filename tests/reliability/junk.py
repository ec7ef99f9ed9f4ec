"""What careless and hostile clients send: hypothesis strategies for the reliability drills."""

from __future__ import annotations

import string
from typing import Self
from urllib.parse import quote, quote_from_bytes

from bson import ObjectId
from hypothesis import settings
from hypothesis import strategies as st

# Examples are drawn by a "drill" function inside a test that sets its fixtures up once, so no
# function-scoped fixture is shared unnoticed: a rejected request must leave the stores as they
# were, which every drill asserts. Few examples: the package runs in `make test`, twice.
DRILL = settings(max_examples=30, deadline=None)

NASTY = [
    "",
    " ",
    "\x00",
    "\t\r\n",
    "$where",
    "$gt",
    "$set",
    "a.b",
    ".",
    "$",
    '{"$ne": null}',
    "[$ne]=1",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "%",
    "\\",
    "null",
    "NaN",
    "-1",
    "0",
    "9" * 30,
    "1e308",
    "\u202e",
    "\ufeff",
    "💩",
    "Ａｄｍｉｎ",
    "İ",
    "ß",
    "ǅ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]


class Repeated(str):
    """`piece * times`, shown as such in hypothesis' reports instead of as 100,000 characters."""

    piece: str
    times: int

    def __new__(cls, piece: str, times: int) -> Self:
        text = super().__new__(cls, piece * times)
        text.piece, text.times = piece, times
        return text

    def __repr__(self) -> str:
        return f"{self.piece!r} * {self.times}"


def overlong(limit: int) -> st.SearchStrategy[str]:
    """Text longer than `limit` characters even after Django strips its ends."""
    return st.builds(Repeated, st.text(min_size=1, max_size=3).filter(str.strip), st.just(limit + 1))


# Every code point but surrogates (a browser cannot send one): NUL, controls, RTL marks, emoji.
any_text = st.text(max_size=40)
# Past every field's limit (title 200 ... body 100,000), and under Django's 2.5 MB body limit.
huge_text = st.builds(Repeated, st.text(min_size=1, max_size=3), st.sampled_from([201, 1_001, 2_001, 100_001]))
junk_text = st.one_of(st.sampled_from(NASTY), any_text, huge_text)

page_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "1", "2", "last", "first", "1.0", "1e3", "-0", " 1", "+1", "٣", "²", "0x1", "9" * 5000]),
    any_text,
)


def is_page_one(page: str | None) -> bool:
    """Whether Django's ListView reads `page` as the first page (the only one in these drills)."""
    if not page or page == "last":
        return True
    try:
        return int(page) == 1
    except ValueError:
        return False


def is_past_the_end(page: str | None) -> bool:
    """Whether `page` is a plain page number beyond the first (the last in these drills): the list redirects there."""
    digits = (page or "").lstrip("0")
    return digits.isascii() and digits.isdigit() and digits != "1"


# A URL path segment where a note's ObjectId belongs; percent-encoded, as a client would send it.
not_object_ids = st.one_of(
    any_text.map(lambda text: quote(text, safe="")),
    st.binary(max_size=30).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.text(alphabet="0123456789abcdefABCDEF", max_size=48).filter(lambda text: len(text) != 24),
    st.text(alphabet=string.ascii_letters + string.digits, min_size=24, max_size=24),
)
missing_object_ids = st.binary(min_size=12, max_size=12).map(lambda raw: str(ObjectId(raw)))
member_ids = st.one_of(st.integers(min_value=0, max_value=10**40).map(str), not_object_ids)
