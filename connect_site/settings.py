"""Connect settings: one module, configured from the environment (see .env.example)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-only-used-with-debug-on")
else:
    try:
        SECRET_KEY = env("SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see .env.example)."
        ) from exc

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address links in emails and calendar files point to; `check --deploy` refuses a
# production configuration without an https one (accounts.checks).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

INSTALLED_APPS = [
    "connect_site.apps.ConnectAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",
    "django_filters",
    "core",
    "accounts",
    "notifications",
    "groups",
    "events",
    "volunteering",
    "workspace",
    "partners",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # outside the rest, so every page carries the header
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # visitors' pages from the cache, before the rest runs (needs the language: after Locale)
    "core.pagecache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.MemberLanguageMiddleware",  # a member's profile language wins
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.PasswordResetLimitMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.web.NotFoundMiddleware",
]

ROOT_URLCONF = "connect_site.urls"
WSGI_APPLICATION = "connect_site.wsgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.site",
                "notifications.context_processors.inbox",
                "workspace.context_processors.attention",
                "partners.context_processors.partner_link",
            ],
        },
    },
]

# Every form and field is drawn through templates/forms/ (widgets from "django.forms" above).
FORM_RENDERER = "core.forms_rendering.FormRenderer"

# Database: SQLite by default (WAL mode, IMMEDIATE transactions so writers queue instead of
# failing); PostgreSQL when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# PostgreSQL: psycopg's prepare_threshold (see below), None when prepared statements are off.
DATABASE_PREPARE_THRESHOLD = 5 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None
# PostgreSQL: what each connection asks for when it opens (startup options; PgBouncer refuses a
# connection carrying one it does not track: behind it, set both switches false and make the
# same settings on the server for the site's role, ALTER ROLE ... IN DATABASE ... SET ...).
# - No just-in-time compilation: PostgreSQL compiles a statement whose estimated cost passes
#   jit_above_cost, which a page's query reaches on a large site when the planner overestimates
#   its rows (a search), and compiling takes hundreds of milliseconds to save a few.
# - One generic plan for each prepared statement: Django binds every query on the client, so
#   only the statements that ask for a server-bound cursor (the header's counts, core.header;
#   the compiled reads of core.compiled) are ever prepared, and for those PostgreSQL would
#   otherwise plan anew at each run (its "custom plans"), which for a statement with many joins
#   and subqueries costs more than running it.
# DATABASE_GENERIC_PLANS follows DATABASE_JIT_OFF unless set: a site that turned startup options
# off for its pooler keeps them off.
_JIT_OFF = env.bool("DATABASE_JIT_OFF", default=True)
DATABASE_STARTUP_OPTIONS = " ".join(
    option
    for option, wanted in (
        ("-c jit=off", _JIT_OFF),
        (
            "-c plan_cache_mode=force_generic_plan",
            DATABASE_PREPARE_THRESHOLD is not None
            and env.bool("DATABASE_GENERIC_PLANS", default=_JIT_OFF),
        ),
    )
    if wanted
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 60,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=60000;"
            ),
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Statements psycopg may prepare after this many runs on a connection. Django binds every
    # query on the client, so only the queries that ask for a server-bound cursor (the header's
    # counts, core.header; the partner API's compiled reads, core.compiled) are ever prepared.
    # Behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21), set
    # DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "prepare_threshold", DATABASE_PREPARE_THRESHOLD
    )
    if DATABASE_STARTUP_OPTIONS:  # after any the DATABASE_URL gives (?options=...)
        _given = DATABASES["default"]["OPTIONS"].get("options", "")
        DATABASES["default"]["OPTIONS"]["options"] = f"{_given} {DATABASE_STARTUP_OPTIONS}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SITE_ID = 1

# django-allauth: the email address is the login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address in the browser that signed up logs the person in (allauth only does so
# for the sign-up still in that session) and takes them where they were going.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Connect] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # axes checks a lock-out before allauth
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Password-reset mail is also limited per address and per visitor by core.ratelimit
# (RATE_LIMITS["password_reset"], accounts.middleware), on top of allauth's per-minute limit.

# django-axes: lock out after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"

# Behind a reverse proxy every request comes from the proxy's address: say how many proxies
# append to X-Forwarded-For, so limits count the visitor's address, not the proxy's (otherwise a
# few failed logins from anyone would lock everyone out). One rule reads it:
# core.ratelimit.client_address, which allauth's adapter and axes (accounts.auth) call too.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Sessions are read from the cache (Redis in production) and kept in the database too, so a
# signed-in page costs no session query and a cache flush logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# core.ratelimit: (attempts, seconds) per person and per visitor address, counted in the cache.
RATE_LIMITS = {
    "password_reset": (5, 3600),
    "group_create": (10, 3600),
    "event_create": (30, 3600),
    "join_request": (30, 3600),
    "rsvp": (60, 3600),
    # Partner API requests per key per minute (partners.api.throttling).
    "api": (env.int("PARTNER_API_RATE_PER_MINUTE", default=600), 60),
    "organizer_message": (20, 3600),
    "report": (20, 3600),
    "organizer_contact": (10, 3600),
    "shift_signup": (60, 3600),
    "statement_verify": (120, 3600),
    "care_calendar_create": (10, 3600),
    "care_slot_take": (60, 3600),
}
# One answer to "who is this visitor" for axes, allauth and core.ratelimit.
AXES_CLIENT_IP_CALLABLE = "accounts.auth.client_ip"

# English and Spanish: a member's profile says which (accounts.middleware), otherwise the
# language cookie set by the footer's switcher or the browser's Accept-Language (LocaleMiddleware).
# The catalogue is locale/es; bin/check-translations keeps it complete (docs/translations.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The site's own date formats per language (connect_site/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["connect_site.formats"]
TIME_ZONE = "UTC"
# The zone new accounts start in and the time zone picker offers first (core.timezones).
SITE_TIME_ZONE = env.str("SITE_TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded pictures (core.pictures): local files under MEDIA_ROOT by default (served by Django
# only with DEBUG on; in production by the web server, or by any django-storages backend named
# in MEDIA_STORAGE with its options as JSON in MEDIA_STORAGE_OPTIONS).
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
PICTURE_MAX_BYTES = env.int("PICTURE_MAX_BYTES", default=10 * 1024 * 1024)
PICTURE_MAX_PIXELS = env.int("PICTURE_MAX_PIXELS", default=40_000_000)
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


def mail_file_path(email_url: str, *, default: Path, base_dir: Path = BASE_DIR) -> Path:
    """The folder of `filemail://` mail: `filemail:///abs/dir` is absolute, `filemail://var/x`
    relative to the project, `filemail://` the default (django-environ would drop the leading
    slash, and the setting used to ignore the URL's folder altogether)."""
    parts = urlsplit(email_url)
    folder = parts.netloc + parts.path
    if not folder:
        return default
    path = Path(folder)
    return path if path.is_absolute() else base_dir / path


# Email: in development, one file per mail connection under var/mail (or the folder of
# `filemail:///some/dir`), so the worker's reminders can be read there; EMAIL_URL says otherwise
# (consolemail://, smtp://...).
_email_url = env("EMAIL_URL", default="filemail://" if DEBUG else "smtp://localhost:25")
_email = env.email_url_config(_email_url)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = str(
    mail_file_path(_email_url, default=Path(env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))))
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Connect <noreply@connect.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis when REDIS_URL is set; otherwise an embedded broker (kombu's filesystem transport) and a
# local-memory cache, so one machine needs no server at all.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        # Django's Redis cache, reusing one client object (core.rediscache)
        "default": {"BACKEND": "core.rediscache.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast exchanges (worker control) live beside the queues, not in the working folder.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "notifications-dispatch-due": {
        "task": "notifications.tasks.notifications_dispatch_due_task",
        "schedule": 60.0,
    },
    "notifications-weekly-digests": {
        "task": "notifications.tasks.notifications_schedule_digests_task",
        "schedule": crontab(minute=5),
    },
    "groups-join-request-summaries": {
        "task": "groups.tasks.join_request_summaries_schedule_task",
        "schedule": crontab(hour=7, minute=41),
    },
    "partners-webhooks-dispatch": {
        "task": "partners.tasks.webhook_deliveries_dispatch_task",
        "schedule": 60.0,
    },
    "partners-registration-emails": {
        "task": "partners.tasks.registration_emails_send_due_task",
        "schedule": 300.0,
    },
    "events-series-materialize": {
        "task": "events.tasks.event_series_materialize_all_task",
        "schedule": crontab(minute=17),
    },
    "volunteering-shift-series-materialize": {
        "task": "volunteering.tasks.shift_series_materialize_all_task",
        "schedule": crontab(minute=23),
    },
    "care-slot-series-materialize": {
        "task": "volunteering.care.tasks.care_slot_series_materialize_all_task",
        "schedule": crontab(minute=23),
    },
    "care-empty-slots-alert": {
        "task": "volunteering.care.tasks.care_empty_slots_alert_task",
        "schedule": crontab(minute=29),
    },
    "partners-idempotency-expire": {
        "task": "partners.tasks.idempotency_records_expire_task",
        "schedule": crontab(minute=41),
    },
}
# How long the partner API remembers an Idempotency-Key (partners.upkeep).
PARTNER_API_IDEMPOTENCY_HOURS = 24

# The notification outbox: rows claimed per batch (one task and one SMTP connection each), how
# long a claim lasts before another worker may take the batch again (at least twice the task
# time limit), and how many attempts before a message is marked failed.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=500)
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=600)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)

# Until the partner API lands, an API view lets nobody in unless it says who may (its own
# permission_classes); a session counts as a login, with CSRF checked on writes.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["core.api_permissions.DenyAll"],
    # Every API error as RFC 9457 application/problem+json (partners.api.problems).
    "EXCEPTION_HANDLER": "partners.api.problems.exception_handler",
}
# The partner API refuses request bodies larger than this (413).
PARTNER_API_MAX_BODY_BYTES = 64 * 1024
# How many people one partner's client may ask to register for one event or shift (429 above).
PARTNER_API_REGISTRATIONS_PER_TARGET = env.int("PARTNER_API_REGISTRATIONS_PER_TARGET", default=25)
SPECTACULAR_SETTINGS = {
    "TITLE": "Connect partner API",
    "DESCRIPTION": "Publish and pull community events.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from this site's static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several shapes have a `status`: each set of choices gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "ScheduleStatusEnum": ["scheduled", "cancelled"],
        "ProjectStatusEnum": ["active", "cancelled"],
        "RsvpStatusEnum": ["going", "waitlisted"],
        "SignupStatusEnum": ["signed_up", "waitlisted"],
    },
}

# The crisis signpost (core.crisis): "Country|Name|phone|https://address" entries separated by
# ";", shown in the footer and on support and recovery groups' pages. Empty: nothing shown.
CRISIS_HELPLINES = env.str("CRISIS_HELPLINES", default="")
# Places (core.places): the operator's country (ISO code, e.g. GB) is preferred when a typed town
# exists in several countries; the offline gazetteer holds towns of at least this many people
# (500, 1000, 5000 or 15000: smaller means more towns and more memory).
SITE_COUNTRY = env("SITE_COUNTRY", default="GB").upper()
PLACES_MIN_POPULATION = env.int("PLACES_MIN_POPULATION", default=15000)
# A geocoder for the addresses organizers type (geopy): "" (off, the default: no network call
# is ever made; coordinates come from the town) or "nominatim", with GEOCODER_USER_AGENT naming
# the site as Nominatim's usage policy asks. GEOCODER_TIMEOUT: seconds before giving up.
GEOCODER = env("GEOCODER", default="")
GEOCODER_USER_AGENT = env("GEOCODER_USER_AGENT", default="connect")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)

# Pagination caps for the website.
PAGE_SIZE = 20
# Public pages for visitors without a session come from the cache (core.pagecache); a change
# announced on core.bus shows at once, anything else within this many seconds. 0: off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
MAX_PAGE_SIZE = 100
# Event cards in lists (events.cards): the part of each card that is the same for everyone is
# kept in the cache under the page cache's version, for this many seconds at most. 0: off.
EVENT_CARD_CACHE_SECONDS = env.int("EVENT_CARD_CACHE_SECONDS", default=60)

# Security: safe defaults that `check --deploy` asks for when DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): only the site's own scripts, styles and images; no
# inline script or style. JSON-LD blocks are data, not scripts, so the policy does not block them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Pictures may come from a storage service's own address (MEDIA_URL).
        "img-src": ["'self'", "data:"]
        + (
            [f"{urlsplit(MEDIA_URL).scheme}://{urlsplit(MEDIA_URL).netloc}"]
            if urlsplit(MEDIA_URL).netloc
            else []
        ),
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes announces itself at INFO on every command; only its warnings matter.
    "loggers": {"axes": {"level": "WARNING"}},
}
