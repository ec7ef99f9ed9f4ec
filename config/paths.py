"""Which view a path resolves to, remembered per process: middleware that look before the handler resolves ask here.

The URLconf does not change while the process runs, so each path is resolved once (a bounded
LRU: a junk path takes one slot, no more). Resolving on every request cost the page cache
0.1-0.2 ms of CPU per cookie-less GET (issue #18); the request body limit resolves each request
that has a body. Both share these slots.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, ResolverMatch, get_urlconf, resolve


@lru_cache(maxsize=4096)
def _resolved(urlconf: str, path: str) -> ResolverMatch | None:
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return None


def resolved(path: str) -> ResolverMatch | None:
    """The match of `path` in the URLconf in use (None for no view); shared, so read it, never change it."""
    return _resolved(get_urlconf() or settings.ROOT_URLCONF, path)


@receiver(setting_changed)
def forget_resolved_paths(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _resolved.cache_clear()
