"""The cache client reads every value as django-redis's DefaultClient would, on the real Redis."""

from __future__ import annotations

import enum

import pytest
from django.conf import settings
from django.core.cache import caches
from django_redis import get_redis_connection
from django_redis.client import DefaultClient, SentinelClient
from hypothesis import given
from hypothesis import strategies as st

from config.cache_client import DirectDecodeClient, DirectDecodeSentinelClient
from config.scale_out import sentinel_options

PICKLABLE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


class Colour(enum.IntEnum):
    RED = 1


@pytest.fixture
def cache():
    """The default cache, emptied before and after the test."""
    default = caches["default"]
    default.clear()
    yield default
    default.clear()


@pytest.fixture(scope="module")
def stock_client() -> DefaultClient:
    """django-redis's own client over the same settings, to compare decoding with."""
    return DefaultClient(settings.CACHES["default"]["LOCATION"], settings.CACHES["default"], caches["default"])


def test_both_cache_aliases_use_the_direct_decode_client():
    assert {alias: type(caches[alias].client) for alias in settings.CACHES} == {
        "default": DirectDecodeClient,
        "sessions": DirectDecodeClient,
    }


def test_sentinel_options_name_the_direct_decode_sentinel_client():
    assert sentinel_options([("127.0.0.1", 26379)])["CLIENT_CLASS"] == "config.cache_client.DirectDecodeSentinelClient"
    assert issubclass(DirectDecodeSentinelClient, SentinelClient)
    assert DirectDecodeSentinelClient.decode is DirectDecodeClient.decode


@given(value=PICKLABLE)
def test_a_stored_value_reads_back_as_the_stock_client_reads_it(stock_client, value):
    client = caches["default"].client
    encoded = client.encode(value)

    assert client.decode(encoded) == stock_client.decode(encoded) == value


@given(raw=st.binary(max_size=64) | st.integers().map(lambda number: str(number).encode()))
def test_any_bytes_decode_or_fail_as_with_the_stock_client(stock_client, raw):
    def outcome(client):
        try:
            return "value", client.decode(raw)
        except Exception as error:  # noqa: BLE001  # the failure itself is what is compared
            return "error", type(error)

    assert outcome(caches["default"].client) == outcome(stock_client)


def test_integers_stay_numbers_in_redis_and_count_up(cache):
    cache.set("count", 41)
    cache.incr("count")
    raw = get_redis_connection("default")

    assert raw.get(cache.make_key("count")) == b"42"
    assert cache.get("count") == 42
    assert cache.get_many(["count", "missing"]) == {"count": 42}


def test_a_number_written_by_incr_alone_reads_as_an_integer(cache):
    get_redis_connection("default").incrby(cache.make_key("visits"), -7)

    assert cache.get("visits") == -7


def test_objects_booleans_and_enums_keep_their_types(cache):
    values = {"page": "<p>é</p>" * 300, "flag": True, "none": None, "colour": Colour.RED, "tags": ["a", "b"]}
    cache.set_many(values)

    assert cache.get_many(list(values)) == values
    assert type(cache.get("colour")) is Colour
    assert cache.get("flag") is True


def test_versions_move_a_value_to_its_new_key(cache):
    cache.set("fragment", "kept", version=1)
    cache.incr_version("fragment", version=1)

    assert cache.get("fragment", version=1) is None
    assert cache.get("fragment", version=2) == "kept"
