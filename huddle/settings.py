"""Huddle's settings: one module, every value from the environment.

HUDDLE_ENV selects the profile: "development" (the default for `make run`),
"test" or "production". Production refuses to start with DEBUG on or without
SECRET_KEY.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from huddle.attachments import config as attachments_config
from huddle.env import (
    development_secret_key,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

HUDDLE_ENV = env_str("HUDDLE_ENV", "test" if "pytest" in sys.modules else "development")
if HUDDLE_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("HUDDLE_ENV must be development, test or production")
PRODUCTION = HUDDLE_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = development_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huddle.core",
    "huddle.practices",
    "huddle.accounts",
    "huddle.clients",
    "huddle.messaging",
    "huddle.portal",
    "huddle.notifications",
    "huddle.events",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huddle.twofactor",
    "huddle.throttle",
    "huddle.audit",
    "huddle.availability",
    "huddle.attachments",
    "huddle.records",
    "huddle.search",
    "huddle.administration",
    "huddle.demo",
    "csp",
    "django_htmx",  # only for its static htmx and {% htmx_script %} (docs/FACE.md)
    # Only for its templates and static files: /api/v1/docs serves Swagger UI from
    # this server (no CDN, no inline script), so the Content-Security-Policy holds there.
    "ninja",
]

MIDDLEWARE = [
    # The security headers first, so every answer carries them, a 413 too
    # (docs/ARCHITECTURE.md, "Headers, CSP and rate limits").
    "django.middleware.security.SecurityMiddleware",
    "huddle.core.middleware.CSPMiddleware",  # django-csp's, its header built once
    "huddle.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "huddle.core.middleware.BodySizeLimitMiddleware",
    # security: requests from other sites change nothing (Sec-Fetch-Site); a
    # method not in upper case is no method (501).
    "huddle.core.middleware.FetchMetadataMiddleware",
    "huddle.core.middleware.UpperCaseMethodMiddleware",
    "huddle.core.middleware.ApiMethodNotAllowedMiddleware",
    "huddle.core.middleware.HeadAsGetMiddleware",  # HEAD answers as GET (face)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "huddle.accounts.middleware.IdleSessionMiddleware",
    # A practice that requires two-factor sign-in: a session without it reaches only
    # the set-up page (docs/AUTH.md).
    "huddle.twofactor.middleware.TwoFactorRequiredMiddleware",
    "huddle.audit.middleware.ClientAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "huddle.urls"
ASGI_APPLICATION = "huddle.asgi.application"
WSGI_APPLICATION = "huddle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huddle.messaging.context.unread",
                "huddle.availability.context.away",
            ],
        },
    },
]

# Databases: a SQLite file by default, PostgreSQL (or any dj-database-url URL) when set.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'huddle.sqlite3'}")
if DATABASE_URL.startswith("sqlite:///") and ":memory:" not in DATABASE_URL:
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
# huddle/wsgi.py sets HUDDLE_SERVER=wsgi: its worker threads are few and live long.
UNDER_WSGI = env_str("HUDDLE_SERVER") == "wsgi"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "huddle.core.sqlite"
    # Under a WSGI server (huddle/wsgi.py sets HUDDLE_SERVER) each worker thread keeps
    # its connection: opening one costs more than a simple request (PERFORMANCE.md).
    # Under ASGI a request's thread ends with it, so a kept connection would only leak.
    DATABASES["default"]["CONN_MAX_AGE"] = 600 if UNDER_WSGI else 0
    # Tests use a file too, so concurrent writers in tests meet real SQLite locking.
    _db_file = Path(str(DATABASES["default"]["NAME"]))
    DATABASES["default"]["TEST"] = {"NAME": str(_db_file.with_name(f"test_{_db_file.name}"))}
    DATABASES["default"]["OPTIONS"] = {
        # Concurrent writers queue for the lock instead of failing (STYLE.md 7).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # journal_size_limit: after a checkpoint the WAL file is cut back to 64 MiB,
        # so one burst does not leave a huge file behind (docs/RELIABILITY.md).
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            "PRAGMA journal_size_limit=67108864;"
        ),
    }
else:
    # Under ASGI every request runs in a thread of its own, so a persistent
    # connection (CONN_MAX_AGE) is never reused, only left open until its thread is
    # collected: under load PostgreSQL ran out of connections (tests/reliability,
    # docs/RELIABILITY.md). A pool per server process reuses and bounds them; a
    # request waits (up to 20 s) for a free one, checked before it is handed out.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: the planner's estimates for a user with many threads passed its cost
    # threshold, and compiling took ~18 ms of a 1 ms query (docs/PERFORMANCE.md).
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    # A statement that runs longer than DATABASE_STATEMENT_SECONDS is cancelled by
    # the server (a request never hangs on a stuck lock); connecting gives up after
    # DATABASE_CONNECT_SECONDS; TCP keepalives notice a dead server or network path
    # within about 20 s instead of the kernel's two hours (docs/RELIABILITY.md).
    _statement_ms = env_int("DATABASE_STATEMENT_SECONDS", 30, minimum=1) * 1000
    _pg_options["options"] = (
        f"{_pg_options.get('options', '')} -c jit=off -c statement_timeout={_statement_ms}"
    ).strip()
    _pg_options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_SECONDS", 5, minimum=1))
    _pg_options.update(keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=2)
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters travel apart from the statement text, so a statement a connection
        # has run 5 times is prepared once and not parsed and planned again: a reply
        # costs PostgreSQL 2.8 ms of CPU instead of 4.0-4.8 (docs/PERFORMANCE.md). Off
        # (false) behind a pooler that cannot keep prepared statements per client.
        _pg_options.update(server_side_binding=True, prepare_threshold=5)
    if UNDER_WSGI:
        # Under a WSGI server the worker threads are few and live long: each keeps
        # its connection, which the threads bound, cheaper than the pool (PERFORMANCE.md).
        DATABASES["default"]["CONN_MAX_AGE"] = 600
    else:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 10, minimum=1),
            "timeout": 20,
        }

# SQLite: /healthz reports unhealthy once this much of the write-ahead log is not
# yet copied back into the database file (docs/RELIABILITY.md, "SQLite's WAL").
SQLITE_WAL_ALERT_BYTES = env_int("SQLITE_WAL_ALERT_MB", 256, minimum=1) * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["huddle.accounts.backends.EmailBackend"]
LOGIN_URL = "/signin"
LOGIN_REDIRECT_URL = "/"
PASSWORD_HASHERS = [
    # Tests hash with Argon2 too, at a lower memory cost so the suite stays fast.
    "huddle.accounts.hashers.TestArgon2PasswordHasher"
    if HUDDLE_ENV == "test"
    # security: OWASP's server parameters (7 MiB, t=5, p=1); older hashes upgrade
    # at sign-in (docs/AUTH.md).
    else "huddle.accounts.hashers.ServerArgon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sessions: server-side, ended by sign-out, idle time (per practice) and an absolute limit.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 12, minimum=1)
# The absolute limit: a session ends this long after its sign-in, however busy
# (huddle.accounts.middleware; docs/AUTH.md).
SESSION_MAX_HOURS = 12

# Two-factor sign-in (docs/AUTH.md): the name authenticator apps show.
OTP_TOTP_ISSUER = "Huddle"
# Failed sign-ins (a wrong password or authentication code) allowed per hour before
# password sign-in is refused for the rest of that hour: per account (the email
# typed, known or not) and per client address, over all accounts (huddle/throttle).
SIGNIN_FAILURES_PER_ACCOUNT = env_int("SIGNIN_FAILURES_PER_ACCOUNT", 100, minimum=1)
SIGNIN_FAILURES_PER_ADDRESS = env_int("SIGNIN_FAILURES_PER_ADDRESS", 300, minimum=1)
SIGNIN_FAILURE_WINDOW_SECONDS = 3600

# Request bodies larger than this answer 413 (huddle.core.middleware).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 256 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
# security: a request body that stops arriving for this long answers 408, in the
# ASGI entry (huddle/core/bodylimit.py); paths with a larger limit of their own
# (attachments) name it in REQUEST_BYTES_BY_PATH_PREFIX.
REQUEST_READ_TIMEOUT_SECONDS = env_int("REQUEST_READ_TIMEOUT_SECONDS", 30, minimum=1)
REQUEST_BYTES_BY_PATH_PREFIX: dict[str, int] = {}
# security: the Contact line of /.well-known/security.txt (RFC 9116).
SECURITY_CONTACT = env_str("SECURITY_CONTACT", "mailto:security@localhost")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    # Attachments (docs/ATTACHMENTS.md): var/attachments, or S3 (ATTACHMENT_STORAGE=s3).
    "attachments": attachments_config.storage(VAR_DIR),
}
# Attachments: the largest file, larger uploads answer 413; a malware scanner to call
# (a dotted path, e.g. huddle.attachments.scanning.clamd_scan), off when empty.
ATTACHMENT_MAX_BYTES = attachments_config.max_bytes()
ATTACHMENT_SCANNER = env_str("ATTACHMENT_SCANNER")
# Request bodies these paths may send beyond MAX_REQUEST_BYTES (a file and its
# multipart framing); huddle.core.middleware.BodySizeLimitMiddleware reads it.
LARGE_BODY_PATHS = {"/api/v1/attachments": ATTACHMENT_MAX_BYTES + 64 * 1024}

REDIS_URL = env_str("REDIS_URL")
# Live events (docs/EVENTS.md): channel names start with the prefix, so several
# installations (or test runs) can share one Redis.
EVENTS_CHANNEL_PREFIX = env_str("EVENTS_CHANNEL_PREFIX", "huddle")
EVENTS_KEEPALIVE_SECONDS = env_int("EVENTS_KEEPALIVE_SECONDS", 20, minimum=1)
EVENTS_AUTH_CHECK_SECONDS = env_int("EVENTS_AUTH_CHECK_SECONDS", 5, minimum=1)
# How often each stream process reads recent entries, for the publishes that were
# lost (huddle/events/sweep.py; docs/EVENTS.md, "When a publish is lost").
EVENTS_SWEEP_SECONDS = env_int("EVENTS_SWEEP_SECONDS", 2, minimum=1)
# Live events are AES-GCM sealed in Redis; empty: one key derived from SECRET_KEY
# (huddle/events/sealing.py says how to make and rotate keys).
EVENTS_ENCRYPTION_KEYS = env_str("EVENTS_ENCRYPTION_KEYS")

# Shared state of the server processes (the send rate limits): in Redis when it is
# there, so every process counts the same; otherwise in this process's memory,
# which is right for the single-process default (`make run`).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": EVENTS_CHANNEL_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sends per user per minute before 429 (huddle/core/ratelimit.py); 0 turns a limit off.
# The test profile starts with them off; tests of the limits turn them on.
RATE_LIMIT_MESSAGES_PER_MINUTE = env_int(
    "RATE_LIMIT_MESSAGES_PER_MINUTE", 0 if HUDDLE_ENV == "test" else 60
)
RATE_LIMIT_THREADS_PER_MINUTE = env_int(
    "RATE_LIMIT_THREADS_PER_MINUTE", 0 if HUDDLE_ENV == "test" else 20
)
# security: one budget per user for every other write that tells others or is
# audited (header edits, archive toggles, deletions, administration), and sign-ins
# (successful ones too) per client address (docs/SECURITY.md).
RATE_LIMIT_WRITES_PER_MINUTE = env_int(
    "RATE_LIMIT_WRITES_PER_MINUTE", 0 if HUDDLE_ENV == "test" else 120, minimum=0
)
RATE_LIMIT_SIGN_INS_PER_MINUTE = env_int(
    "RATE_LIMIT_SIGN_INS_PER_MINUTE", 0 if HUDDLE_ENV == "test" else 30, minimum=0
)

EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Huddle <no-reply@localhost>")

# Email notifications (F8): sent when a new message is still unread this long after
# it arrived; their sign-in links point at SITE_URL.
NOTIFICATION_DELAY_SECONDS = env_int("NOTIFICATION_DELAY_SECONDS", 120)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# conversation (F19): how long after sending its author may edit or remove a message.
MESSAGE_EDIT_MINUTES = env_int("MESSAGE_EDIT_MINUTES", 15)
# Records (docs/RECORDS.md): where practice exports are written, how long break-the-glass
# access lasts, and an optional Unicode TrueType font for thread PDFs.
RECORDS_EXPORT_DIR = Path(env_str("RECORDS_EXPORT_DIR", str(VAR_DIR / "exports")))
EMERGENCY_ACCESS_MINUTES = env_int("EMERGENCY_ACCESS_MINUTES", 60, minimum=1)
RECORDS_PDF_FONT = env_str("RECORDS_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The audit log records REMOTE_ADDR; when the proxy in front cannot hand the client's
# address to the server process, turn this on to take X-Forwarded-For's last address
# instead (docs/AUDIT.md). Off by default: anyone can send that header.
AUDIT_TRUST_X_FORWARDED_FOR = env_bool("AUDIT_TRUST_X_FORWARDED_FOR", default=False)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: pages load app.css and their own JS files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    # TLS ends at the proxy in front of the server processes.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "console_plain": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_traceback"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "filters": {"no_traceback": {"()": "huddle.core.logfilters.NoTraceback"}},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # security: an invalid Host is logged as one warning line, without a traceback.
        "django.security.DisallowedHost": {
            "handlers": ["console_plain"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}


NINJA_PAGINATION_MAX_LIMIT = 200
