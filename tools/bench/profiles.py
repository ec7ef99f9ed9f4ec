"""Where a figure's time goes: pyinstrument's samples grouped by layer, per request (or per repeat).

A sample is a call stack and the wall-clock seconds it stood for. Each frame belongs to the first
layer of LAYERS whose rule its file path (and function) matches, or to none. A sample's self time
goes to the innermost layer on its stack, so a socket read under pymongo is a Mongo round trip and
json.loads under the session is the session's; its cumulative time goes to every layer on its
stack, once each. Layers name what the reader of docs/benchmarks.md can act on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

FrameRecord = tuple[Sequence[str], float]  # pyinstrument's Session.frame_records: (stack, seconds)
OTHER = "other Python"


@dataclass(frozen=True)
class Rule:
    """Frames of `layer`: a file path containing `path`, and a function in `functions` when given.

    A rule with no layer makes its frames transparent: their time goes to the layer around them.
    """

    layer: str | None
    path: str
    functions: tuple[str, ...] = ()

    def matches(self, file_path: str, function: str) -> bool:
        return self.path in file_path and (not self.functions or function in self.functions)


CONVERTERS = "ORM converters (from_db_value)"
INSTANCES = "ORM model instances"
ROWS = "ORM result rows"
COMPILER = "ORM query building"
VALIDATION = "model validation"
# The profiler's own frames: samples ending in them are its overhead, not the figure's time.
PROFILER_PATH = "/pyinstrument/"
# The first matching rule wins: specific ones first. The benchmark's own frames (the profiling
# middleware, its round-trip counters, the in-process harness) are transparent.
LAYERS: tuple[Rule, ...] = (
    Rule(None, "/tools/bench/"),
    Rule("Extended JSON parsing", "/bson/json_util.py"),
    Rule("Mongo driver and round trips", "/pymongo/"),
    Rule("Mongo driver and round trips", "/bson/"),
    Rule("Redis", "/redis/"),
    Rule("django-redis", "/django_redis/"),
    Rule("django-redis", "/config/cache_client.py"),
    Rule("relational driver (SQL)", "/sqlite3/"),
    Rule("relational driver (SQL)", "/psycopg/"),
    Rule("relational driver (SQL)", "/django/db/backends/"),
    Rule(CONVERTERS, "/django/db/models/sql/compiler.py", ("apply_converters", "get_converters")),
    Rule(ROWS, "/django/db/models/sql/compiler.py", ("results_iter",)),
    Rule(ROWS, "/django_mongodb_backend/compiler.py", ("_make_result", "cursor_iter", "results_iter")),
    Rule(ROWS, "/mongodb_engine/compiler.py", ("__next__", "_make_result", "cursor_iter", "results_iter")),
    Rule(CONVERTERS, "/django_mongodb_backend/operations.py"),
    Rule(CONVERTERS, "/mongodb_engine/operations.py"),
    Rule(CONVERTERS, "/django_mongodb_backend/fields/"),
    Rule(CONVERTERS, "/django/db/models/fields/", ("from_db_value", "to_python", "_from_db_value")),
    Rule(CONVERTERS, "/django/db/models/expressions.py", ("get_db_converters", "convert_value", "<lambda>")),
    Rule(CONVERTERS, "/django/utils/timezone.py"),
    Rule(VALIDATION, "/django/db/models/base.py", ("full_clean", "clean_fields", "validate_unique", "clean")),
    Rule(VALIDATION, "/django/core/validators.py"),
    Rule(INSTANCES, "/django/db/models/base.py"),
    Rule(INSTANCES, "/django/db/models/query.py", ("__iter__",)),
    Rule(COMPILER, "/django_mongodb_backend/"),
    Rule(COMPILER, "/mongodb_engine/"),
    Rule(COMPILER, "/django/db/models/"),
    Rule("session", "/django/contrib/sessions/"),
    Rule("session", "/users/sessions.py"),
    Rule("password hashing", "/django/contrib/auth/hashers.py"),
    Rule("auth", "/django/contrib/auth/"),
    Rule("auth", "/axes/"),
    Rule("Markdown", "/markdown_it/"),
    Rule("Markdown", "/markup/"),
    Rule("template render", "/django/template/"),
    Rule("template render", "/django/templatetags/"),
    Rule("middleware", "/django/middleware/"),
    Rule("middleware", "/django/contrib/messages/"),
    Rule("middleware", "/csp/"),
    Rule("middleware", "/security_headers/"),
    Rule("middleware", "/whitenoise/"),
    Rule("middleware", "/middleware.py"),
    Rule("page cache", "/page_cache/"),
    Rule("forms", "/django/forms/"),
    Rule("Faker (demo data)", "/faker/"),
    Rule("app code", "/notes/"),
    Rule("app code", "/users/"),
    Rule("app code", "/home/"),
    Rule("app code", "/health/"),
    Rule("app code", "/replicas/"),
    Rule("request handling", "/django/core/handlers/"),
    Rule("URL reversing", "/django/urls/"),
    Rule("request handling", "/django/http/"),
    Rule("request handling", "/gunicorn/"),
)


def parse_frame(frame: str) -> tuple[str, str]:
    """A pyinstrument frame string (function NUL file NUL line, then attributes) as (function, file path)."""
    identifier = frame.split("\x01", 1)[0]
    function, _, rest = identifier.partition("\x00")
    file_path = rest.partition("\x00")[0]
    return function, file_path


def layer_of(frame: str, rules: Sequence[Rule] = LAYERS) -> str | None:
    function, file_path = parse_frame(frame)
    for rule in rules:
        if rule.matches(file_path, function):
            return rule.layer
    return None


def frame_label(frame: str) -> str:
    """`function (package/file.py)`: short enough for a table cell, enough to find it."""
    function, file_path = parse_frame(frame)
    parts = Path(file_path).parts
    for marker in ("site-packages", "python3.11"):
        if marker in parts:
            parts = parts[parts.index(marker) + 1 :]
            break
    else:
        parts = parts[-2:]
    return f"{function} ({'/'.join(parts)})" if parts else function


def leaf_label(stack: Sequence[str]) -> str:
    """The innermost frame's label; a built-in (a socket read, json.loads) is named with its caller."""
    function, file_path = parse_frame(stack[-1])
    if file_path.startswith("<") and len(stack) > 1:
        return f"{function} in {frame_label(stack[-2])}"
    return frame_label(stack[-1])


@dataclass
class LayerTime:
    layer: str
    self_ms: float  # per request (or repeat)
    cumulative_ms: float


@dataclass
class ProfileSummary:
    """One profiled figure: time per request by layer, the costliest functions, round trips per request."""

    key: str
    unit: str  # what one of `samples` is: "request", "1,000 notes"
    samples: int  # requests (or repeats) profiled
    total_ms: float  # wall-clock per request under the profiler
    layers: list[LayerTime] = field(default_factory=list)  # every layer on a stack, by self time, largest first
    top_frames: list[tuple[str, float]] = field(default_factory=list)  # (label, self ms per request)
    round_trips: dict[str, float] = field(default_factory=dict)  # store → per request

    def shares(self) -> list[tuple[str, float]]:
        """Each layer's self time as a share of the total, largest first (layers with none left out)."""
        if self.total_ms <= 0:
            return []
        return [(layer.layer, layer.self_ms / self.total_ms) for layer in self.layers if layer.self_ms > 0]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> ProfileSummary:
        data = json.loads(text)
        data["layers"] = [LayerTime(**layer) for layer in data["layers"]]
        data["top_frames"] = [tuple(frame) for frame in data["top_frames"]]
        return cls(**data)


def summarise(
    key: str,
    records: Iterable[FrameRecord],
    *,
    samples: int,
    unit: str = "request",
    round_trips: dict[str, int] | None = None,
    top: int = 6,
    rules: Sequence[Rule] = LAYERS,
) -> ProfileSummary:
    """Group `records` (pyinstrument frame records of `samples` requests) by layer, per request."""
    if samples <= 0:
        raise ValueError("a profile needs at least one sample")
    self_time: Counter[str] = Counter()
    cumulative: Counter[str] = Counter()
    by_frame: Counter[str] = Counter()
    total = 0.0
    layers_cache: dict[str, str | None] = {}
    for stack, seconds in records:
        if stack and PROFILER_PATH in parse_frame(stack[-1])[1]:
            continue
        total += seconds
        layers = []
        for frame in stack:
            if frame not in layers_cache:
                layers_cache[frame] = layer_of(frame, rules)
            layers.append(layers_cache[frame])
        known = [layer for layer in layers if layer is not None]
        self_time[known[-1] if known else OTHER] += seconds
        for layer in set(known) or {OTHER}:
            cumulative[layer] += seconds
        if stack:
            by_frame[leaf_label(stack)] += seconds
    per = 1000 / samples
    return ProfileSummary(
        key=key,
        unit=unit,
        samples=samples,
        total_ms=total * per,
        layers=[
            LayerTime(layer, self_time[layer] * per, seconds * per)
            for layer, seconds in sorted(cumulative.items(), key=lambda item: (-self_time[item[0]], item[0]))
        ],
        top_frames=[(label, seconds * per) for label, seconds in by_frame.most_common(top)],
        round_trips={store: count / samples for store, count in (round_trips or {}).items()},
    )


def summarise_directory(key: str, directory: Path) -> ProfileSummary | None:
    """Summarise the requests bench/middleware.py profiled for `key` (one JSON file each), or None if none."""
    files = sorted((directory / key).glob("*.json"))
    if not files:
        return None
    records: list[FrameRecord] = []
    trips: Counter[str] = Counter()
    for path in files:
        profiled = json.loads(path.read_text())
        records += [(stack, seconds) for stack, seconds in profiled["records"]]
        trips.update(profiled["round_trips"])
    return summarise(key, records, samples=len(files), round_trips=dict(trips))
