"""Settings for the regional development dialogue portal.

One module for every environment: behaviour is switched by environment variables (see
`.env.example`). With no variable set except `DJANGO_DEBUG=1` the portal runs on an SQLite file
and a file-system Celery broker, so nothing needs to be installed to try it.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

# The local data of `make run` (SQLite database, uploads, file-system broker).
VAR_DIR = Path(env.str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# A production instance must never run on a guessable key.
_DEV_SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak: use at least 50 random characters.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The portal's address, for links in e-mails sent by the worker (which has no request to ask).
PORTAL_URL = env("DJANGO_PORTAL_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "csp",
    "cachalot",
    "django_guid",
    "rest_framework",
    "drf_spectacular",
    "core",
    "accounts",
    "regions",
    "forum",
    "dialogues",
    "reports",
    "followup",
    "records",
    # Last: it composes the apps above (start pages, calendar feed, GDPR, demo data); nothing imports it.
    "portal",
    "api",  # the read-only JSON API and the open data, on the same floor as portal
]

MIDDLEWARE = [
    # First and last: request counts and latencies by view and status for /metrics.
    "core.metrics.RequestMetricsBeforeMiddleware",
    # Every log line of a request, and of the Celery tasks it queues, carries its request id.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above everything that reads the database (the session's user, the audit log's actor): a 503 in an outage.
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the log-in check: a password log-in that still owes its second factor reaches only the
    # code and enrolment pages; the account's session list learns when a session was last used.
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.SessionSeenMiddleware",
    "core.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.BadInputMiddleware",  # a NUL byte: a 400 page before any view
    "core.middleware.FormTokenMiddleware",  # a form sent twice changes things once
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
    "core.metrics.RequestMetricsAfterMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.fragments.fragments",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database server that accepts connections and never answers must not hold a request (or
    # /healthz) until gunicorn kills it: connecting gives up, and a dead peer is noticed by keepalives.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5),
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
            # The 1:1 figures are many correlated subqueries: once the planner's estimate crosses the
            # JIT threshold, PostgreSQL spends ~1 s compiling a query that runs in ~1 ms.
            "options": "-c jit=off",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`: the web server and the worker's processes write to one file. A transaction takes
    # the write lock when it begins (IMMEDIATE), so writers wait their turn (up to `timeout` s)
    # instead of failing with "database is locked" when a reading transaction starts to write; WAL
    # lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# Every connection to Redis, the broker and the SMTP server gives up after this long (a server that
# accepts connections and never answers would otherwise hold a request until gunicorn kills it).
NETWORK_TIMEOUT_SECONDS = env.float("NETWORK_TIMEOUT_SECONDS", default=1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis outage costs a request half a second at most, then it reads the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CACHES["fragments"] = {**CACHES["default"], "KEY_PREFIX": "fragments"}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without Redis each process has a cache of its own, which could not see the writes of the
    # others (the Celery worker's, say): page parts are then not cached at all.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The layout's parts whose key holds everything they show (core.fragments.layout_key: the user's
# row as read on this request, the language, the section) need no invalidation, so each process
# keeps its own: no network round trip on every page.
CACHES["layout"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2_000}}
# The logged-in user is kept there too, under the time of the last write to the users' and counties'
# tables (accounts.backends): this bounds what a write made while Redis was away can leave stale.
# 0 reads the user from the database on every request.
USER_CACHE_SECONDS = env.int("USER_CACHE_SECONDS", default=60)

# Expensive page parts are cached (core/fragments.py) and invalidated by django-cachalot's record
# of every write. Its query cache stays off: it would only move the queries to Redis.
CACHALOT_ENABLED = False
# The portal writes through the ORM only; watching raw SQL would cost every query a scan.
CACHALOT_INVALIDATE_RAW = False
# The time limit bounds how stale a part can be after writes made while Redis was away.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=300)
# The apps whose tables the cached parts show (a write to any of them is a new version of every
# part): users' names and roles, and the domain apps.
FRAGMENT_SOURCE_APPS = ("accounts", "regions", "forum", "dialogues", "followup", "reports", "records")
# cachalot.W001: core.cache.TolerantRedisCache is Django's RedisCache, tolerant of outages.
SILENCED_SYSTEM_CHECKS = ["cachalot.W001"]

MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# An uploaded file above the largest the portal accepts keeps only its first bytes (and its real
# size, by which it is refused): the disk never takes more than that (core.uploads).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "core.uploads.BoundedUploadHandler",
]
# No MEDIA_URL: uploaded and generated files are served only through permission-checked views.

# Where uploaded and generated files are stored: an S3-compatible object store when S3_BUCKET is
# set (web and workers on several machines share it), else the folder MEDIA_ROOT (`make run`, one
# machine). Every file is read and written through Django's storage API, never by a local path.
# The portal streams each download itself after its permission check (README "Stored files"):
# it never hands out a bucket URL, and it sets no ACL on what it writes, so the objects are as
# private as the bucket (which must not be public).
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    from botocore.config import Config as _BotoConfig

    _addressing_style = env.str("S3_ADDRESSING_STYLE", default="auto")
    if _addressing_style not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured('S3_ADDRESSING_STYLE is "auto", "path" or "virtual".')
    _file_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # Empty: Amazon S3 itself (by region); else the address of MinIO, SeaweedFS, Ceph …
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            # Empty keys: boto3's own chain (AWS_ACCESS_KEY_ID …, an instance or pod role).
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "addressing_style": None if _addressing_style == "auto" else _addressing_style,
            "signature_version": "s3v4",
            # Under a prefix, when the bucket is shared with other data.
            "location": env.str("S3_PREFIX", default="").strip("/"),
            # Two files of one name never replace each other: the second gets a suffix, as on disk.
            "file_overwrite": False,
            # No ACL header: the objects are the bucket owner's and as private as the bucket.
            "default_acl": None,
            "querystring_auth": True,
            # A file read for a download is held in memory up to this size, then in a temporary file.
            "max_memory_size": 2 * 1024 * 1024,
            "client_config": _BotoConfig(
                connect_timeout=env.float("S3_CONNECT_TIMEOUT", default=5.0),
                read_timeout=env.float("S3_READ_TIMEOUT", default=30.0),
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
else:
    _file_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# --- The read-only API (api/, /api/v1/) ----------------------------------------------------
# A bearer token is the only way in (no session, so no CSRF); every list is paged; requests are
# throttled per token on the default cache (Redis), the open data per client address, and wrong
# tokens per client address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_THROTTLE_TOKEN", default="600/minute"),
        "open": env.str("API_THROTTLE_OPEN", default="120/minute"),
        "failed_token": env.str("API_THROTTLE_FAILED_TOKEN", default="30/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regionala utvecklingsdialoger API",
    "DESCRIPTION": "Read-only API of the regional development dialogues portal. Send "
    "`Authorization: Bearer <token>`; a token sees what its account sees on the pages. "
    "The open data (/api/v1/open/) needs no token and is published under CC0 1.0.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.PasswordBackend",
    # Marks a session begun by single sign-on (accounts/oidc_views.py); it authenticates nothing itself.
    "accounts.oidc.OidcBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on with OpenID Connect (README "Single sign-on"): none unless OIDC_PROVIDERS names
# some, e.g. OIDC_PROVIDERS=ministry,kalmar with OIDC_MINISTRY_ISSUER, OIDC_MINISTRY_CLIENT_ID,
# OIDC_MINISTRY_CLIENT_SECRET and OIDC_MINISTRY_NAME (the button reads "Logga in med <name>").
OIDC_PROVIDERS = []
for _slug in env.list("OIDC_PROVIDERS", default=[]):
    if not re.fullmatch(r"[a-z0-9-]{1,40}", _slug):
        raise ImproperlyConfigured(f"OIDC_PROVIDERS: {_slug!r} is not a short name of a-z, 0-9 and '-'.")
    _prefix = "OIDC_" + _slug.upper().replace("-", "_") + "_"
    _provider = {
        "slug": _slug,
        "name": env.str(_prefix + "NAME", default=""),
        "issuer": env.str(_prefix + "ISSUER", default="").rstrip("/"),
        "client_id": env.str(_prefix + "CLIENT_ID", default=""),
        "client_secret": env.str(_prefix + "CLIENT_SECRET", default=""),
        "discovery_url": env.str(_prefix + "DISCOVERY_URL", default=""),
        "scope": env.str(_prefix + "SCOPE", default="openid email profile"),
    }
    _missing = [_prefix + key.upper() for key in ("name", "issuer", "client_id", "client_secret") if not _provider[key]]
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on provider {_slug!r} needs {', '.join(_missing)}.")
    OIDC_PROVIDERS.append(_provider)
# Off: only people who already have an account may log in. On: an unknown person with a verified
# e-mail address gets an inactive account without a role, which an administrator completes.
OIDC_CREATE_USERS = env.bool("OIDC_CREATE_USERS", default=False)
# Seconds a provider may take to answer the portal (discovery, keys, token).
OIDC_TIMEOUT_SECONDS = env.float("OIDC_TIMEOUT_SECONDS", default=10.0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A working day, and gone when the browser closes.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE_SECONDS", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_VERBOSE = False
# Failures count per (e-mail, address), from the address core.client_address vouches for, so a
# stranger cannot lock a user out; accounts.lockout.AxesHandler adds a throttle per address.
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"
AXES_HANDLER = "accounts.lockout.AxesHandler"
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)

# Two-factor authentication (accounts/mfa.py, README "Two-factor authentication"): a code from an
# authenticator app after the password, required for ministry, agency and administrator accounts,
# and for county users too when OTP_REQUIRED_FOR_COUNTIES is on (else they may choose it). Wrong
# codes count towards the log-in lockout above; django-otp throttles each device besides.
OTP_REQUIRED_FOR_COUNTIES = env.bool("OTP_REQUIRED_FOR_COUNTIES", default=False)
OTP_TOTP_ISSUER = "Regionala utvecklingsdialoger"
# The session list (accounts.UserSession) notes a session's last request at most this often.
SESSION_SEEN_INTERVAL_SECONDS = 300

# Every create, change and delete of the portal's own records is logged with who and when.
AUDITLOG_INCLUDE_ALL_MODELS = True
# Not records of the portal's work: the outbox and the digest items hold copies of e-mails (personal
# data), a checked import file waits only between preview and confirmation (the lines it saves are
# logged), a form token only remembers that a form was sent.
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "contenttypes",
    "auth",
    "axes",
    "admin",
    "core.outgoingmail",
    "core.digestitem",
    "followup.importstash",
    "core.formtoken",
    # The authenticator keys and recovery codes are secrets: enrolling, resetting and turning the
    # second factor off are recorded on the user instead (accounts.services). A session's row
    # changes with every visit.
    "otp_totp",
    "otp_static",
    "django_otp",
    "accounts.usersession",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login", "token_hash")
AUDITLOG_DISABLE_ON_RAW_SAVE = True

# Served over HTTPS in production; DJANGO_HTTPS=0 only for local plain-HTTP runs.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=HTTPS)
# How many reverse proxies in front of the portal append to X-Forwarded-For (core/client_address.py
# takes the client's address from the entry the nearest of them vouches for). DJANGO_BEHIND_PROXY=1,
# the older switch, still means one proxy.
TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=1 if env.bool("DJANGO_BEHIND_PROXY", default=False) else 0)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Public records (README "Public records") ----------------------------------------------
# The prefix of the portal's registration numbers ("N" gives N2026/00123), and who gives them:
# "portal" (a gap-free yearly series) or "registry" (the registrar enters the number from the
# ministry's own registry, which stays the master).
RECORDS_SERIES_PREFIX = env.str("RECORDS_SERIES_PREFIX", default="N")
RECORDS_NUMBERS_FROM = env.str("RECORDS_NUMBERS_FROM", default="portal")
if RECORDS_NUMBERS_FROM not in ("portal", "registry"):
    raise ImproperlyConfigured('RECORDS_NUMBERS_FROM is "portal" or "registry".')
if not re.fullmatch(r"[A-Za-zÅÄÖåäö]{1,6}", RECORDS_SERIES_PREFIX):
    raise ImproperlyConfigured("RECORDS_SERIES_PREFIX is one to six letters, e.g. N.")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["config.formats"]  # one date style per kind of value, per language
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": _file_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "core.staticfiles.ManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter left open reads "Alla" ("All"), not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Only the worker talks to the SMTP server (core.mail.mail_deliver), never a web request.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=20.0)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Regionala utvecklingsdialoger <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long an invitation's one-time link to create an account works (accounts/invitations.py).
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# --- Celery ---------------------------------------------------------------------------------
# Without REDIS_URL the broker is a folder on disk: a real worker, no server to install. Task
# outcomes are recorded on our own models, so the result backend is optional.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Reliability: acknowledge a task only when it has finished, and give it back to the queue when
# the worker process dies, so a killed worker loses nothing. A task is bounded in time, and the
# broker's visibility timeout stays above the hard limit so a running task is never handed out
# twice, yet a lost one returns within minutes.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 180),
        # A send from a web request (after commit) waits NETWORK_TIMEOUT_SECONDS at most, once: it
        # is not retried (core.queueing._send), and the sweeps send it later.
        "socket_connect_timeout": NETWORK_TIMEOUT_SECONDS,
        "socket_timeout": NETWORK_TIMEOUT_SECONDS,
        "max_retries": 1,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS
CELERY_BROKER_CONNECTION_TIMEOUT = NETWORK_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY = False
# The Redis result backend subscribes to a task's result when it is sent, from the web request too.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = NETWORK_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = NETWORK_TIMEOUT_SECONDS
CELERY_BEAT_SCHEDULE: dict = {
    # E-mails that could not be queued (broker away) or whose worker died are sent again.
    "accounts-mail-sweep": {
        "task": "accounts.tasks.mail_sweep_task",
        "schedule": timedelta(minutes=5),
    },
    # A RUS stage recorded ahead of time is entered, and its followers e-mailed, when its day comes.
    "regions-strategy-stages-refresh": {
        "task": "regions.tasks.strategy_stages_refresh_task",
        "schedule": timedelta(hours=6),
    },
    # Forum members are e-mailed a meeting's agenda the meeting's `reminder_days` before it, once.
    "forum-meeting-reminders": {
        "task": "forum.tasks.meeting_reminders_send_task",
        "schedule": timedelta(hours=1),
    },
    # Counties that have not submitted are e-mailed 7 and 1 days before the deadline, once a day.
    "dialogues-submission-reminders": {
        "task": "dialogues.tasks.submission_reminders_send_task",
        "schedule": timedelta(hours=1),
    },
    # One e-mail a day to each person who chose the daily digest and has notifications waiting
    # (at 07:00 in CELERY_TIMEZONE, before the working day; a second run sends nothing twice).
    "core-mail-digests": {
        "task": "core.tasks.mail_digests_send_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Disposal (gallring) of what the retention rules say is due, at night (records.retention);
    # in bounded batches, so a long backlog is worked off over several nights.
    "records-dispose": {
        "task": "records.tasks.records_dispose_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Feedback reports never queued (broker away during a round close) or left by a dead worker.
    "dialogues-reports-sweep": {
        "task": "dialogues.tasks.reports_sweep_task",
        "schedule": timedelta(minutes=2),
    },
    # Archive packages never queued (broker away) or left by a dead worker.
    "records-archive-packages-sweep": {
        "task": "records.tasks.archive_packages_sweep_task",
        "schedule": timedelta(minutes=5),
    },
}

# --- Logging, request ids and metrics ----------------------------------------------------------
# A request's id comes from the proxy's X-Request-ID when it is a UUID (anything else is replaced,
# so no client can write into the logs), is returned in the response, and travels with every Celery
# task the request queues (django-guid's Celery integration).
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
# "json": one JSON object per line (for a log collector); "plain" (default): readable lines.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'plain' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"},
        "task_id": {"()": "django_guid.integrations.celery.log_filters.CeleryTracing"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s "
            "%(celery_parent_id)s %(celery_current_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id", "task_id"]}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Its own INFO lines ("Header `X-Request-ID` found ...") are noise on every request.
        "django_guid": {"level": "WARNING"},
    },
}

# /metrics (Prometheus) answers only a scraper that sends this token as "Authorization: Bearer …";
# without a token the address does not exist. Under gunicorn with several workers, set
# PROMETHEUS_MULTIPROC_DIR to an empty folder so that the workers' figures are added up.
METRICS_TOKEN = env.str("DJANGO_METRICS_TOKEN", default="")
PROMETHEUS_METRIC_NAMESPACE = "dialoger"
