"""Balie's one settings module: every value comes from the environment.

Defaults are safe for a developer laptop (`make run`): SQLite under var/, in-memory channel
layer and cache, mail printed to the console. `BALIE_ENV=production` refuses to start
without a real SECRET_KEY and ALLOWED_HOSTS and turns on every HTTPS safeguard.
All variables are listed in `.env.example`.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from balie.core import env
from balie.core.env import ConfigurationError

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env.string("BALIE_VAR_DIR", str(PROJECT_DIR / "var")))

BALIE_ENV = env.string("BALIE_ENV", "development")
if BALIE_ENV not in {"development", "production", "test"}:
    raise ConfigurationError(f"BALIE_ENV={BALIE_ENV!r} must be development, production or test")
PRODUCTION = BALIE_ENV == "production"

DEBUG = env.boolean("DEBUG", default=not PRODUCTION)

_DEV_SECRET_KEY = "django-insecure-balie-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env.string("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigurationError(
            "SECRET_KEY (or SECRET_KEY_FILE) is required when BALIE_ENV=production"
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ConfigurationError("SECRET_KEY must be a random string of at least 50 characters")

ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigurationError(
        "ALLOWED_HOSTS is required when BALIE_ENV=production (comma-separated)"
    )
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", ".localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = env.string_list("CSRF_TRUSTED_ORIGINS")

# Public address of this installation, used in emails and links (no trailing slash).
BALIE_BASE_URL = env.string("BALIE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "balie.core.admin_config.BalieAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "channels",
    "ninja",  # serves the Swagger UI bundled in the django-ninja wheel at /api/docs (offline)
    "balie.core",
    "balie.tenancy",
    "balie.customers",
    "balie.orders",
    "balie.knowledge",
    "balie.inbox",
    "balie.channels",
    "balie.assistant",
    "balie.webhooks",
    "balie.api",
    "balie.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "balie.core.staticfiles.WhiteNoiseMiddleware",  # WhiteNoise, async-friendly under ASGI
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last on purpose: makes the whole chain synchronous under ASGI (see core/middleware.py).
    "balie.core.middleware.SyncChainMiddleware",
]

ROOT_URLCONF = "balie.urls"
ASGI_APPLICATION = "balie.asgi.application"
WSGI_APPLICATION = "balie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "balie.web.context_processors.balie",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'balie.sqlite3'}")
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DEBUG else 60)
except ValueError as error:
    raise ConfigurationError(
        f"DATABASE_URL is not a database URL Balie understands: {error}"
    ) from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    if _database["NAME"] not in ("", ":memory:"):
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the worker writes; IMMEDIATE transactions take the
    # write lock up front so two writers queue on busy_timeout instead of failing mid-way.
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too, not SQLite's shared in-memory database: there a second thread
    # (a browser test's server, a racing worker) gets "table is locked" instead of waiting.
    _database["TEST"] = {
        "NAME": env.string("BALIE_SQLITE_TEST_NAME") or str(VAR_DIR / "test-balie.sqlite3")
    }
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database.setdefault("OPTIONS", {})
    _database["CONN_HEALTH_CHECKS"] = True
else:
    raise ConfigurationError("DATABASE_URL must be sqlite:///… or postgres://…")
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache -----------------------------------------------------------
REDIS_URL = env.string("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError("REDIS_URL must start with redis://, rediss:// or unix://")
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env.string("BALIE_REDIS_PREFIX", "balie")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.string("BALIE_REDIS_PREFIX", "balie"),
            # Fail fast instead of hanging a request when Redis is unreachable.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.string("BALIE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email", "scheduled", "webhooks"],
    }
}
# A worker counts as alive while its heartbeat is younger than this (seconds).
BALIE_WORKER_HEARTBEAT_TIMEOUT = env.integer(
    "BALIE_WORKER_HEARTBEAT_TIMEOUT", default=60, minimum=5
)
# When false, `balie serve` does not start a worker and scheduler beside the web server.
BALIE_EMBEDDED_WORKER = env.boolean("BALIE_EMBEDDED_WORKER", default=True)
# Outgoing webhooks only go to public https addresses; true also allows loopback/private
# addresses and plain http (development and tests, never on a server shops use).
BALIE_WEBHOOKS_ALLOW_PRIVATE = env.boolean("BALIE_WEBHOOKS_ALLOW_PRIVATE", default=False)
# Shops' admins type their mailboxes' IMAP and SMTP servers: only servers on the internet,
# unless this allows loopback/private addresses too (a mail server in your own network).
BALIE_MAILBOX_ALLOW_PRIVATE = env.boolean("BALIE_MAILBOX_ALLOW_PRIVATE", default=False)

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "tenancy.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Sign-in throttling: this many failures per address or per IP within the window lock it out.
BALIE_LOGIN_MAX_FAILURES = env.integer("BALIE_LOGIN_MAX_FAILURES", default=5, minimum=1)
BALIE_LOGIN_WINDOW_SECONDS = env.integer("BALIE_LOGIN_WINDOW_SECONDS", default=900, minimum=1)
OTP_TOTP_ISSUER = "Balie"

# --- Knowledge base and assistant -------------------------------------------------------------
BALIE_KB_ATTACHMENT_MAX_BYTES = env.integer(
    "BALIE_KB_ATTACHMENT_MAX_BYTES", default=25_000_000, minimum=1
)
# A process rebuilds its cached search index of a shop when articles change, and at the latest
# after this many seconds, so new views and votes reach the ranking.
BALIE_KB_INDEX_MAX_AGE_SECONDS = env.integer(
    "BALIE_KB_INDEX_MAX_AGE_SECONDS", default=600, minimum=1
)
# Optional: an OpenAI-compatible chat completions endpoint that rephrases the assistant's
# answers from the articles it found (never anything else). Empty: nothing is sent anywhere.
BALIE_ASSISTANT_LLM_URL = env.string("BALIE_ASSISTANT_LLM_URL")
BALIE_ASSISTANT_LLM_MODEL = env.string("BALIE_ASSISTANT_LLM_MODEL")
BALIE_ASSISTANT_LLM_API_KEY = env.string("BALIE_ASSISTANT_LLM_API_KEY")
BALIE_ASSISTANT_LLM_TIMEOUT_SECONDS = env.integer(
    "BALIE_ASSISTANT_LLM_TIMEOUT_SECONDS", default=8, minimum=1
)

# --- Email ------------------------------------------------------------------------------------
# Outgoing mail for the installation itself (password resets, invitations). Shops' own
# mailboxes are configured per shop in the app. Without EMAIL_HOST mail is printed to the console
# in development; in production it goes to a local MTA on localhost:25 (never the console).
_EMAIL_HOST = env.string("EMAIL_HOST", "localhost" if PRODUCTION else "")
_EMAIL_PORT = env.integer("EMAIL_PORT", default=587 if env.string("EMAIL_HOST") else 25, minimum=1)
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": _EMAIL_PORT,
                "username": env.string("EMAIL_HOST_USER"),
                "password": env.string("EMAIL_HOST_PASSWORD"),
                "use_tls": env.boolean("EMAIL_USE_TLS", default=_EMAIL_PORT == 587),
                "use_ssl": env.boolean("EMAIL_USE_SSL", default=_EMAIL_PORT == 465),
                "timeout": 30,
            },
        }
        if _EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Balie <balie@localhost>")
# A shop's mailbox without an SMTP server of its own sends through the installation's mail
# server above (in development: the console). Off by default in production, where a shop's
# mail should leave through its own provider (SPF, DKIM).
BALIE_MAILBOXES_USE_INSTALLATION_MAIL = env.boolean(
    "BALIE_MAILBOXES_USE_INSTALLATION_MAIL", default=not PRODUCTION
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "balie_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns on every start when the folder is missing; an empty one is the honest state
# before `collectstatic` (development serves from the apps' folders).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.string("BALIE_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; see base.html
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.boolean("BALIE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.integer("BALIE_HSTS_SECONDS", default=31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.boolean("BALIE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
if PRODUCTION and not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way door an operator opts into; say so instead of warning forever.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Logging ----------------------------------------------------------------------------------
LOG_LEVEL = env.string("BALIE_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "balie.core.log_format.KeyValueFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own console handler on "django", which printed DEBUG-time
        # messages (e.g. every task run) a second time without a timestamp.
        "django": {"level": LOG_LEVEL},
        "django.db.backends": {"level": "WARNING"},
        "uvicorn.access": {"level": "WARNING" if not DEBUG else "INFO"},
    },
}

# --- API --------------------------------------------------------------------------------------
NINJA_PAGINATION_MAX_LIMIT = 200
