"""The production settings plus the benchmark's floor and ceiling views (bench/urls.py) and its two middleware.

The middleware (bench/middleware.py) is outermost, so that a profile covers every other layer, and
takes itself out of the chain unless BENCH_PROFILE_DIR is set; even then it passes every request
that does not carry the benchmark's profiling header straight through. The cached-page ceiling
(bench/views.py) answers where cached anonymous pages do, just before page_cache's middleware.
"""

from config.settings import *  # the same settings, two additions
from config.settings import MIDDLEWARE as SITE_MIDDLEWARE

ROOT_URLCONF = "tools.bench.urls"
EARLY_PAGES = SITE_MIDDLEWARE.index("page_cache.middleware.EarlyPageMiddleware")
MIDDLEWARE = [
    "tools.bench.middleware.ProfileMiddleware",
    *SITE_MIDDLEWARE[:EARLY_PAGES],
    "tools.bench.views.CachedPageCeilingMiddleware",
    *SITE_MIDDLEWARE[EARLY_PAGES:],
]
