"""Settings, read from the environment with safe defaults for the embedded mode.

The embedded default needs no other server: SQLite in a data folder, the in-memory
channel layer and huey on SQLite. Setting ``DATABASE_URL`` and ``REDIS_URL`` moves the same
code onto PostgreSQL and Redis. Nothing here reads a setting elsewhere at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import csp.constants as csp_constants
import dj_database_url
import django_stubs_ext
import redis

from cadenza.lib.environment import (
    env_bool,
    env_list,
    env_positive_ints,
    load_or_create_secret_key,
)
from cadenza.lib.rate_limit import Rate, parse_rates

# Lets typed generics such as ``admin.ModelAdmin[Course]`` be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CADENZA_DATA_DIR", Path.cwd() / "data")).resolve()

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY") or load_or_create_secret_key(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "huey.contrib.djhuey",
    "axes",
    # Its templates and static files: the API docs serve Swagger UI from the site itself.
    "ninja",
    # The real-time transport (no models): hands actions the channel layer's group send.
    "cadenza.realtime",
    "cadenza.accounts",
    "cadenza.orgs",
    "cadenza.activity",
    "cadenza.notifications",
    "cadenza.courses",
    "cadenza.learning",
    "cadenza.assignments",
    "cadenza.forums",
    "cadenza.live",
    "cadenza.api",
    "cadenza.web",
    "cadenza.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (decision 0010); it also makes request.csp_nonce.
    "cadenza.web.csp.PagePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL in a URL would reach a query (a 500 on PostgreSQL): 400 before any view.
    "cadenza.web.addresses.RefuseNulInAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cadenza.accounts.middleware.ViewerTimeZoneMiddleware",
    # Last, so it sees the log-in page's answer (cadenza.accounts.login_throttle).
    "cadenza.accounts.login_throttle.LoginThrottleMiddleware",
]

ROOT_URLCONF = "cadenza.config.urls"
ASGI_APPLICATION = "cadenza.config.asgi.application"
WSGI_APPLICATION = "cadenza.config.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            # Django's SQLite backend with connections reused in the process (decision 0017).
            "ENGINE": "cadenza.lib.sqlite_pool",
            "NAME": str(DATA_DIR / "cadenza.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # The test database is a file, not Django's in-memory default: an in-memory
            # database is one connection shared by the browser tests' server threads, and
            # two concurrent requests (an autosave and a progress report) then break each
            # other's transactions. A file gives each thread its own connection, as in use.
            "TEST": {"NAME": str(DATA_DIR / "test-cadenza.sqlite3")},
        }
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.postgresql":
        # DESIGN section 6: under ASGI, persistent connections leak across threads;
        # Django's pool is the only safe way to reuse PostgreSQL connections.
        config["CONN_MAX_AGE"] = 0
        # With a pool, this makes Django pass psycopg_pool's ``check_connection`` as the pool's
        # ``check``: a connection that died while pooled (a restart, pg_terminate_backend) is
        # replaced before it is lent, instead of failing the request that borrows it.
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "10")),
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's database sessions, read with a query compiled once per process (same table).
SESSION_ENGINE = "cadenza.accounts.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttle (django-axes; cadenza.accounts.login_throttle): after this many failed
# log-ins for one account, or from one address, both are refused for the cool-off, and each
# further try while refused starts the cool-off again. `cadenza axes_reset` or the admin's
# "Access attempts" lift it.
AUTHENTICATION_BACKENDS = [
    "cadenza.accounts.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CADENZA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CADENZA_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # a successful log-in must not clear an address's count
AXES_DISABLE_ACCESS_LOG = True  # last_login suffices; no row written per log-in
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cadenza.accounts.login_throttle.attempted_email"
AXES_LOCKOUT_CALLABLE = "cadenza.accounts.login_throttle.lockout_response"
AXES_COOLOFF_MESSAGE = (
    "Too many failed log-ins for this account or from this address. Wait a few minutes "
    "and try again, or reset your password."
)
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns (an error in the test suite) when the folder is missing before collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CADENZA_MEDIA_DIR", DATA_DIR / "media")).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need `collectstatic`; tests and DEBUG serve the source files directly.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("CADENZA_TESTING", default=False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: a video may be large; everything else is capped by the course rules.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CADENZA_MAX_VIDEO_BYTES = int(os.environ.get("CADENZA_MAX_VIDEO_BYTES", str(500 * 1024 * 1024)))
CADENZA_MAX_RESOURCE_BYTES = int(
    os.environ.get("CADENZA_MAX_RESOURCE_BYTES", str(50 * 1024 * 1024))
)
# Learners' assignment files: under the data directory, outside MEDIA_ROOT and STATIC_ROOT
# (never served by a web server, only by the assignment's download view as an attachment).
CADENZA_SUBMISSIONS_DIR = Path(
    os.environ.get("CADENZA_SUBMISSIONS_DIR", DATA_DIR / "submissions")
).resolve()
CADENZA_MAX_SUBMISSION_BYTES = int(
    os.environ.get("CADENZA_MAX_SUBMISSION_BYTES", str(20 * 1024 * 1024))
)


# Video providers: Jitsi's token audience (default: the organization's app id) and the
# checksum BigBlueButton expects (sha1 by default; sha256/sha384/sha512 where configured).
CADENZA_JITSI_AUDIENCE = os.environ.get("CADENZA_JITSI_AUDIENCE", "")
CADENZA_BBB_CHECKSUM = os.environ.get("CADENZA_BBB_CHECKSUM", "sha1")

REDIS_URL = os.environ.get("REDIS_URL", "")
# Names the live room hub's Redis channels, so two installs can share one Redis.
LIVE_HUB_PREFIX = os.environ.get("LIVE_HUB_PREFIX", "cadenza")
# Each server process re-checks who may stay in its rooms this often (seconds): revoked
# access closes a socket within this time. One query per room per sweep.
LIVE_SWEEP_SECONDS = float(os.environ.get("CADENZA_LIVE_SWEEP_SECONDS", "5"))
# A server process's presence lease (seconds): its people stop counting this long after it
# dies (cadenza.realtime.presence); renewed every third of it.
LIVE_PRESENCE_LEASE_SECONDS = float(os.environ.get("CADENZA_LIVE_PRESENCE_LEASE_SECONDS", "5"))
# A person who chose it before joining has their camera and microphone stopped (they leave
# the room) when the room's page stays hidden this long (seconds; on a phone: another app,
# the screen locked).
LIVE_AWAY_SECONDS = float(os.environ.get("CADENZA_LIVE_AWAY_SECONDS", "60"))
# At most one presence frame per room and process this often (seconds).
LIVE_PRESENCE_INTERVAL = float(os.environ.get("CADENZA_LIVE_PRESENCE_INTERVAL", "1"))
# A room's frames go out at most this often (seconds) per process; what arrives meanwhile is
# sent in one write per socket. A message after a quiet spell goes at once. 0: no window.
LIVE_FLUSH_SECONDS = float(os.environ.get("CADENZA_LIVE_FLUSH_SECONDS", "0.05"))
# The room's writes a person can repeat quickly, limited per person and kind: kind=
# per_second/burst (cadenza.lib.rate_limit.parse_rates; cadenza.live.room.limits).
LIVE_WRITE_LIMITS = parse_rates(
    os.environ.get("CADENZA_LIVE_WRITE_LIMITS", ""),
    defaults={
        "chat": Rate(per_second=1, burst=10),
        "questions": Rate(per_second=0.2, burst=3),
        "votes": Rate(per_second=2, burst=10),
        "hands": Rate(per_second=0.5, burst=4),
    },
)
# Server processes tune the garbage collector (cadenza.config.collector); a test run keeps
# CPython's defaults, and tests/config/test_collector.py checks the tuning itself.
SERVER_GC_TUNING = env_bool(
    "CADENZA_GC_TUNING", default=not env_bool("CADENZA_TESTING", default=False)
)
# The thresholds they set (CADENZA_GC_THRESHOLDS, e.g. 700,10,10 for CPython's defaults): the
# young generation is collected every 50,000 allocations, not 700 (why: cadenza.config.collector).
SERVER_GC_THRESHOLDS = env_positive_ints("CADENZA_GC_THRESHOLDS", default=(50_000, 20, 10))

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis's layer on a blocking pool (max_connections, then wait up to
            # timeout seconds), riding out a Redis outage (cadenza.realtime.channel_layer).
            "BACKEND": "cadenza.realtime.channel_layer.RoomChannelLayer",
            # redis-py 8 reads with a 5 s socket timeout, the same as channels-redis's
            # blocking pop: every idle channel then fails with "Timeout reading". A longer
            # socket timeout keeps the blocking pop the one that times out. The prefix keeps
            # two installs (or test runs) on one Redis out of each other's groups.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 30,
                        "max_connections": 50,
                        "timeout": 20,
                    }
                ],
                "prefix": f"{LIVE_HUB_PREFIX}:asgi",
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", default=False)
if REDIS_URL:
    HUEY: dict[str, Any] = {
        "huey_class": "huey.RedisHuey",
        "name": "cadenza",
        # A blocking pool (wait up to 20 s for one of 50 connections), not redis-py's pool
        # that fails at once at 100 (a burst of tasks once overflowed it).
        "connection_pool": redis.BlockingConnectionPool.from_url(
            REDIS_URL, max_connections=50, timeout=20
        ),
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "cadenza",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# A send that hangs must end well within the outbox's claim on the row (five minutes).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cadenza <cadenza@localhost>")

# Production hardening: on unless DEBUG; `cadenza check --deploy` is clean with DEBUG off.
SECURE_HTTPS = env_bool("CADENZA_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SECURE_HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_HTTPS else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)


def _site_url() -> str:
    """The site's address that every link in an e-mail starts with (``cadenza.lib.site_address``):
    ``CADENZA_SITE_URL`` when set; else the first host name of ``ALLOWED_HOSTS`` that is not
    this machine's own, on https when the site is; else the embedded default's address."""
    configured = os.environ.get("CADENZA_SITE_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    local = {"127.0.0.1", "localhost", "[::1]", "*"}
    named = [host for host in ALLOWED_HOSTS if host not in local and not host.startswith(".")]
    if named:
        return f"{'https' if SECURE_HTTPS else 'http'}://{named[0]}"
    return "http://localhost:8000"


CADENZA_SITE_URL = _site_url()
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Decision 0010: scripts and styles only from our own files or inline with this response's
# nonce; no eval. Images by URL in Markdown and video units by URL need https: (they are
# shown, never run). The live room's page adds its video provider's origin (cadenza.web.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'", csp_constants.NONCE],
        "img-src": ["'self'", "data:", "https:"],
        "media-src": ["'self'", "https:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],  # as X_FRAME_OPTIONS
    }
}
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = [
    # axes.W002 asks for axes' own middleware by name; ours is its subclass (login_throttle).
    "axes.W002",
    *env_list("CADENZA_SILENCED_CHECKS", default=[]),
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
