"""The production settings plus the benchmark's floor view (bench/urls.py) and its profiling middleware.

The middleware (bench/middleware.py) is outermost, so that a profile covers every other layer, and
takes itself out of the chain unless BENCH_PROFILE_DIR is set; even then it passes every request
that does not carry the benchmark's profiling header straight through.
"""

from config.settings import *  # the same settings, two additions
from config.settings import MIDDLEWARE as SITE_MIDDLEWARE

ROOT_URLCONF = "tools.bench.urls"
MIDDLEWARE = ["tools.bench.middleware.ProfileMiddleware", *SITE_MIDDLEWARE]
