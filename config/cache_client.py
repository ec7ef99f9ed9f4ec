"""django-redis clients that read a cached value without first failing to read it as an integer.

django-redis 7.0 keeps integers as plain numbers (so that INCR works on them) and everything else
serialized, and `DefaultClient.decode()` tells them apart by trying `int(value)` first: every hit
on a pickled value raises and catches a ValueError, then enters a `suppress()` block around the
compressor. That was 5-7 µs of CPU of a 2 KB hit's ~40 µs, most of what django-redis added to
redis-py's GET (issue #18, docs/benchmarks.md "Overheads"). These clients try `int()` only on a
value whose first byte may start an integer literal (whitespace, a sign, a digit) and hand any
other straight to the serializer: a pickle of protocol 2 or later starts with its PROTO opcode,
0x80. With a compressor configured they decode as django-redis does.

This belongs upstream, in `DefaultClient.decode()`; until it is there, the settings name these
classes in OPTIONS["CLIENT_CLASS"].
"""

from __future__ import annotations

from typing import Any

from django_redis.client import DefaultClient, SentinelClient

# The bytes int() accepts at the start of a literal (an empty value is "in" it too: it goes the long way).
INTEGER_LITERAL_STARTS = b" \t\n\v\f\r+-0123456789"


class DirectDecodeMixin:
    """Decode a serialized value without the failed int() that django-redis tries first."""

    _serializer: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stored_as_serialized = not self._has_compression_enabled()  # type: ignore[attr-defined]

    def decode(self, value: bytes | int | str) -> Any:
        """Return the cached value: an integer kept as a number, else what the serializer reads."""
        if self._stored_as_serialized and isinstance(value, bytes) and value[:1] not in INTEGER_LITERAL_STARTS:
            return self._serializer.loads(value)
        return super().decode(value)  # type: ignore[misc]  # DefaultClient's, after this mixin in the MRO


class DirectDecodeClient(DirectDecodeMixin, DefaultClient):
    """django-redis's DefaultClient, reading serialized values directly."""


class DirectDecodeSentinelClient(DirectDecodeMixin, SentinelClient):
    """django-redis's SentinelClient (Redis behind Sentinels), reading serialized values directly."""
