"""Polystore settings: one module, read from the environment (README, "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from config import environment as env
from config import scale_out

BASE_DIR = Path(__file__).resolve().parent.parent

# ----------------------------------------------------------------------------- core
DEBUG = env.boolean("DJANGO_DEBUG", default=False)
SECRET_KEY = env.secret_key(debug=DEBUG)
ALLOWED_HOSTS = env.allowed_hosts(debug=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before django_mongodb_backend: loads it without GeoDjango, which Polystore never uses (mongodb_engine/without_gis.py).
    "mongodb_engine",
    "django_mongodb_backend",
    "csp",
    "axes",
    "markup",
    "users",
    "notes",
    "health",
    "home",
    "demo",
]

MIDDLEWARE = [
    "health.middleware.LivenessMiddleware",
    "request_limits.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security_headers.middleware.CSPMiddleware",  # django-csp's, its policy built once (security_headers/)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "health.middleware.StoreUnavailableMiddleware",
    # Cached anonymous pages answer here, before the session and everything after it (page_cache/middleware.py).
    "page_cache.middleware.EarlyPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "users.sessions.RequestSessionMiddleware",
    "replicas.reads.ReplicaReadsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ----------------------------------------------------------------------------- stores
# The relational store holds everything but notes; config/routers.py sends notes to MongoDB.
DATABASES = {
    "default": env.relational_database(debug=DEBUG, base_dir=BASE_DIR),
    "mongodb": env.document_database(debug=DEBUG),
}
DATABASE_ROUTERS = ["django_mongodb_backend.routers.MongoRouter", "config.routers.StoreRouter"]
# Scale-out (replicas/): relational reads on streaming replicas, read-your-writes for whoever just wrote.
DATABASES |= scale_out.relational_replicas(DATABASES["default"])
DATABASE_REPLICA_MAX_LAG = scale_out.replica_max_lag()
DATABASE_ROUTERS.insert(1, "replicas.router.ReplicaRouter")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL, SESSION_CACHE_URL = env.redis_urls(debug=DEBUG)
_REDIS_OPTIONS = {
    # django-redis's DefaultClient without its failed int() on every hit of a pickled value (config/cache_client.py).
    "CLIENT_CLASS": "config.cache_client.DirectDecodeClient",
    # A Redis outage costs milliseconds per request, never a 500: errors are logged and ignored.
    "IGNORE_EXCEPTIONS": True,
    "LOG_IGNORED_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
    "CONNECTION_POOL_KWARGS": {"max_connections": 50},
}
CACHES = {
    "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": CACHE_URL, "OPTIONS": _REDIS_OPTIONS},
    "sessions": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": SESSION_CACHE_URL, "OPTIONS": _REDIS_OPTIONS},
}
# Scale-out: with REDIS_SENTINELS, both aliases find the master through Sentinel and follow a failover;
# reads stay on the master too (one server in LOCATION), so counters and page versions read their writes.
if REDIS_SENTINELS := scale_out.redis_sentinels():
    _master = scale_out.sentinel_master_name()
    for _alias, _location in zip(
        CACHES, scale_out.sentinel_cache_locations(CACHE_URL, SESSION_CACHE_URL, _master), strict=True
    ):
        CACHES[_alias] |= {
            "LOCATION": [_location],
            "OPTIONS": _REDIS_OPTIONS | scale_out.sentinel_options(REDIS_SENTINELS),
        }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Pages kept for anonymous visitors (page_cache/); writes drop them at once, 0 turns it off.
PAGE_CACHE_SECONDS = env.integer("PAGE_CACHE_SECONDS", default=300)

# Sessions are read from Redis and kept durably in the relational store, so a Redis
# restart logs nobody out (the `cache` engine loops on create() when errors are ignored).
SESSION_ENGINE = "users.sessions"  # cached_db, without a new session's first copy in Redis (users/sessions.py)
SESSION_CACHE_ALIAS = "sessions"

# ----------------------------------------------------------------------------- auth
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "notes:list"
LOGOUT_REDIRECT_URL = "home:home"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "display_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes checks every login first (it authenticates nobody); MemberBackend, Django's ModelBackend,
# accepts a username or an email and keeps a member logged in only while their session's row exists.
AUTHENTICATION_BACKENDS = [
    "users.throttling.LoginThrottleBackend",
    "users.sessions.MemberBackend",
]

# Login throttling (users/throttling.py): 5 failures for one account from one address lock that
# account there (not the others behind the address, nor the account elsewhere); 50 failures from
# one address, whatever the accounts, lock the address. Each lasts 15 minutes after its last failure
# (HTTP 429). Counters live in Redis; a successful login forgives the account at that address.
AXES_HANDLER = "users.throttling.MemberLoginHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = env.integer("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", default=50, minimum=AXES_FAILURE_LIMIT)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # the two counts; their limits are above
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "users.throttling.lockout_response"
AXES_USERNAME_CALLABLE = "users.throttling.login_account"
AXES_CLIENT_IP_CALLABLE = "users.throttling.client_ip_address"
# The cache handler writes no AccessAttempt rows: their admin pages would stay empty.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.integer("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Password-reset mail: SMTP when EMAIL_HOST is set, otherwise printed to the log.
EMAIL_HOST = env.text("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.integer("EMAIL_PORT", default=587, minimum=1)
    EMAIL_HOST_USER = env.text("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", default="Polystore <polystore@localhost>")

# ----------------------------------------------------------------------------- i18n
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# ----------------------------------------------------------------------------- static files
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.static_files.ManifestStaticFilesStorage"
    },
}

# ----------------------------------------------------------------------------- security
# Request bodies (request_limits): at most this many bytes, files included, and no multipart,
# unless a view opts in with request_body_limit(); checked before anything reads the body.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts only from our own origin (all vendored); inline style attributes are allowed because
# the Django admin's templates use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.boolean("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# ----------------------------------------------------------------------------- logging
# Structured (JSON lines) to stdout in production, readable lines in development.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain" if DEBUG else "json",
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django_redis": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}
