"""Settings for Crisis Timeline.

One file; every value that differs between a laptop and production comes from the environment.
With nothing set, the app runs in development mode on a SQLite file in the project folder.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_origins(name: str) -> list[str]:
    """Web origins (scheme, host and port, as browsers compare them), or "*" for any site."""
    origins = env_list(name, [])
    for origin in origins:
        parts = urlsplit(origin)
        whole = parts.scheme in ("http", "https") and parts.hostname and not parts.path.strip("/")
        if origin != "*" and (not whole or parts.query or parts.fragment):
            raise ImproperlyConfigured(
                f"{name} lists origins such as https://news.example.com (scheme and host, with a "
                f"port if any, no path), or *; got {origin!r}."
            )
    return [origin if origin == "*" else origin.rstrip("/") for origin in origins]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string when DEBUG is off "
            '(for example: python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where readers find the site. Exports build their permalinks and calendar UIDs from this, never
# from a request's Host header: 127.0.0.1 and localhost must not give a subscriber two copies.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's address, e.g. https://timeline.example.org; got {SITE_URL!r}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "simple_history",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An anonymous reader's repeat request, answered from the readers' cache before the rest
    # (timeline/caching.py); below the three above, so their headers go on it too.
    "timeline.caching.ReaderFastLane",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every page and API answer; a reader's repeat visit gets a 304 with no body.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which user made each change in the editorial history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crisis.urls"

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

WSGI_APPLICATION = "crisis.wsgi.application"

# SQLite in the project folder by default; DATABASE_URL=postgres://user@host/name in production.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 0),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django can use: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, ingestion) share the file: wait for locks instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes counts failed logins first; after AXES_FAILURE_LIMIT wrong passwords for one user
# name from one address, that pair is locked out for AXES_COOLOFF_TIME. Locking the pair (rather
# than the user name alone) keeps a stranger from locking an editor out of the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_COOLOFF_MESSAGE = (
    "Too many failed logins from your address. Wait "
    f"{LOGIN_LOCKOUT_MINUTES} minutes and try again, or ask an administrator to unlock you "
    "(manage.py axes_reset_username NAME)."
)
# And an address trying many user names is locked after LOGIN_ADDRESS_FAILURE_LIMIT failures in
# all (crisis/logins.py): high enough for a newsroom's editors behind one address.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "crisis.logins.UserAndAddressLimits"
# Behind NUM_PROXIES proxies of our own, every request comes from the nearest one: the client is
# the address the outermost of ours saw, counted from the right of X-Forwarded-For (whatever the
# client wrote further left is not trusted).
TRUSTED_PROXIES = env_int("NUM_PROXIES", 0)


def axes_client_ip(request: Any) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    hops = [address.strip() for address in forwarded if address.strip()]
    if TRUSTED_PROXIES and len(hops) >= TRUSTED_PROXIES:
        return hops[-TRUSTED_PROXIES]
    return str(request.META.get("REMOTE_ADDR", ""))


AXES_CLIENT_IP_CALLABLE = axes_client_ip
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Length alone lets through what a guesser tries first: one character repeated, spaces,
    # keyboard runs, dates, a word and its digits. zxcvbn's estimate (0-4) must reach 3.
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
PASSWORD_MINIMAL_STRENGTH = 3

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE {TIME_ZONE!r} is not a known time zone (try 'UTC' or 'Europe/London')."
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Hashed file names (app.3f9a1c.css) are cached for ten years and marked immutable by whitenoise;
# this is for the few unhashed files (favicon, robots.txt): an hour, so a change shows up soon.
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 0 if DEBUG else 3600)

# Cache: local memory per process by default; REDIS_URL=redis://host:6379/0 shares one cache
# between web processes (and machines), so the timeline's density counts are computed once.
REDIS_URL = env_str("REDIS_URL")
# The cache is an optimisation: with Redis down, every read misses and every write is dropped
# (logged), and pages are built afresh; only /healthz reports it. Without REDIS_URL each process
# has its own memory cache, and so its own count of the API's rate limits.
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Anonymous readers' pages and API lists are kept whole this long, keyed on the data's version
# (timeline/caching.py), so a publish shows at once; 0 turns that off.
RESPONSE_CACHE_SECONDS = env_int("RESPONSE_CACHE_SECONDS", 300)

# Security: strict by default outside development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets this header itself; otherwise clients could spoof HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy: scripts, styles and everything else from this site only, no inline
# script or style, no plugins, no framing. Pages pass data to scripts with json_script; a view
# that needs more (the API's documentation pages) loosens the policy for itself alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # One inline style attribute, by hash: django-simple-history's admin history page
        # (style="border-top: 0"). Every other style attribute stays blocked.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The sites that may frame the readers' embeddable timeline (/embed/crises/<slug>/), such as a
# newsroom's article pages: comma-separated origins, or * for any site. No other page is framable.
EMBED_ALLOWED_ORIGINS = env_origins("EMBED_ALLOWED_ORIGINS")

# Background ingestion (Celery). With CELERY_BROKER_URL (redis://127.0.0.1:6379/1) set, `ingest
# --async` queues articles for `celery -A crisis worker`; without it, tasks run inline in the
# calling process, so the default set-up needs no extra service.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# An article is acknowledged once processed, so a worker that dies mid-article hands it back;
# one article at a time per worker process, since each takes a second or more of CPU.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # progress is read from the articles' ingestion status
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
INGEST_MAX_RETRIES = env_int("INGEST_MAX_RETRIES", 3)
INGEST_RETRY_BACKOFF = env_int("INGEST_RETRY_BACKOFF", 10)  # seconds, doubled on each retry
# An article "processing" for this long lost its worker; the redelivered task may take it over.
INGEST_STALE_SECONDS = env_int("INGEST_STALE_SECONDS", 900)
# Workers send task events, so `celery -A crisis events` or Flower can watch them.
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
# `celery -A crisis beat` asks every minute which watched feeds are due (each has its own
# interval); machines without a beat process run `manage.py poll_feeds` instead.
CELERY_BEAT_SCHEDULE = {
    "poll-due-feeds": {"task": "timeline.poll_due_feeds", "schedule": 60.0},
}

# Webhooks (timeline/webhooks.py): a delivery that gets no 2xx is tried again after
# WEBHOOK_RETRY_BACKOFF seconds, doubled each time, WEBHOOK_MAX_ATTEMPTS attempts in all.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5)
WEBHOOK_RETRY_BACKOFF = env_int("WEBHOOK_RETRY_BACKOFF", 30)

# Watched feeds (timeline/ingestion/feeds.py)
FEED_MAX_BYTES = env_int("FEED_MAX_BYTES", 10 * 1024 * 1024)
FEED_FETCH_TIMEOUT = env_int("FEED_FETCH_TIMEOUT", 30)
# Seconds between two requests of one process to one host (a feed and its articles alike).
FEED_HOST_DELAY = env_float("FEED_HOST_DELAY", 2.0)
# How long a claimed feed stays taken: past it, a feed whose worker died is due again.
FEED_POLL_LEASE = env_int("FEED_POLL_LEASE", 900)

# Ingestion
DEMO_CORPUS_DIR = Path(env_str("DEMO_CORPUS_DIR", str(BASE_DIR.parent / "shared" / "corpus")))
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 5 * 1024 * 1024)
# Request bodies (forms, API JSON; not uploaded files) past this are refused with a 400 before any
# view runs: room for one article's text pasted into a form, and its other fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_BYTES + 1024 * 1024
# Fetching pages on private or loopback addresses is refused (SSRF); tests serving pages on
# loopback turn this on.
INGEST_ALLOW_PRIVATE_URLS = env_bool("INGEST_ALLOW_PRIVATE_URLS", False)
INGEST_FETCH_TIMEOUT = env_int("INGEST_FETCH_TIMEOUT", 30)
# Batches: at most this many articles in one API request; the admin's import page sends a file
# of more than INGEST_INLINE_MAX articles to the workers as a batch instead of extracting it in
# the request.
INGEST_BATCH_MAX = env_int("INGEST_BATCH_MAX", 1000)
INGEST_INLINE_MAX = env_int("INGEST_INLINE_MAX", 3)

# The public API at /api/v1/ (timeline/api/). Editors write with a token (`Authorization: Token
# …`, made in the admin or with `manage.py drf_create_token`) and the editors group's permissions.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["timeline.api.permissions.EditorModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["timeline.api.filtering.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "timeline.api.pagination.KeysetPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "timeline.api.throttling.AnonReadThrottle",
        "timeline.api.throttling.WriteThrottle",
    ],
    # Per client: anonymous callers by address, editors by account. "" turns a limit off.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/minute") or None,
        "write": env_str("API_WRITE_RATE", "60/minute") or None,
    },
    "DEFAULT_SCHEMA_CLASS": "timeline.api.schema.TimelineAutoSchema",
    "EXCEPTION_HANDLER": "timeline.api.views.exception_handler",
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Crisis Timeline API",
    "DESCRIPTION": (
        "A cited chronology of geopolitical crises: events, statements, actors and the news "
        "articles they come from. Anonymous callers read published items; editors write with a "
        "token (`Authorization: Token <key>`). Lists are cursor-paginated: follow `next` until it "
        "is null. Errors come as `{detail, code, errors: [{field, code, message}]}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "timeline.models.Actor.Kind",
        "SourceKindEnum": "timeline.models.Source.Kind",
        "StatementKindEnum": "timeline.models.Statement.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
