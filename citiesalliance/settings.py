"""Settings read from the environment (cookiecutter-django style).

DATABASE_URL  default: SQLite file in the checkout (db.sqlite3)
SECRET_KEY    required when DEBUG is off
DEBUG         "1"/"true" turns on debug (and the demo passwords)
ALLOWED_HOSTS comma-separated
EMAIL_URL     mail server, e.g. smtp://user:pass@host:587?tls=1 (or console:// in development);
              without it nothing is emailed (no reminders) and the password-reset pages are off
SITE_URL      the address people reach the site at (links in reminders, the IATI export)
"""
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local development).")
    # Development only: a fixed key is harmless when DEBUG is on and never used in production.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    # Translated content (issue 19): before the admin, as django-modeltranslation asks.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mptt",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "citiesalliance",
    "results",
    "indicators",
    "scorecard",
    "spreadsheets",
    # Background work: Django's tasks API (django-tasks backport) on its database queue (django-tasks-db).
    "django_tasks",
    "django_tasks_db",
    # Reminders by email (digests of what is due, the review queue, published editions).
    "reminders",
    # The open-data layer (REST API, IATI export): the top app, importing every other one.
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from static/, never a CDN
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path or parameters: a NUL byte is a 400, never a query PostgreSQL refuses.
    "citiesalliance.middleware.InvalidCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language (issue 19): the language menu's cookie, else the browser's Accept-Language
    # (after the session, before CommonMiddleware as Django asks); a signed-in person's own choice
    # is applied by PersonLanguageMiddleware below, once the person is known.
    "django.middleware.locale.LocaleMiddleware",
    # A reading request reads the cache stamps (permissions, chains, figures) once, in one query
    # (citiesalliance/page_cache.py): before anything checks a permission.
    "citiesalliance.page_cache.RequestMemoMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person reads in the language they chose, whichever browser they use (citiesalliance/languages.py).
    "citiesalliance.languages.PersonLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Reading needs a role: each URL's view permissions (citiesalliance/access.py), after the login.
    "citiesalliance.access.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # A dropped database connection in a view: a 503 page saying nothing was saved, not a server
    # error. (Dropped while a middleware above loads the session or the user, it reaches
    # urls.handler500, citiesalliance.middleware.server_error, which gives the same page.)
    "citiesalliance.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failed logins and refuses while locked out
    "citiesalliance.auth_backend.CachedPermissionsBackend",  # ModelBackend, permissions kept between requests
    "citiesalliance.auth_backend.ProgrammeRolesBackend",  # a role within one country programme
]

ROOT_URLCONF = "citiesalliance.urls"

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
                "citiesalliance.context_processors.site",
                "citiesalliance.context_processors.page_permissions",  # `perms` for the page's framework
            ],
        },
    },
]

WSGI_APPLICATION = "citiesalliance.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A kept connection the server dropped while idle (restart, failover, idle timeout) is
        # checked and replaced at the start of the next request, instead of failing that request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked" under concurrent requests; and
    # write-ahead logging, so that readers never wait for a writer (a large import's transaction
    # would otherwise hold every page, the import's own progress page included, until it commits).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after 5 failures for one username from one address, that pair is
# locked out for 15 minutes; a successful login resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"


def client_address_settings(proxy_count: int) -> dict:
    """How django-axes finds the client's address behind `proxy_count` reverse proxies.

    Behind nginx every request comes from 127.0.0.1: a lockout keyed on that would lock a user out
    for everyone. django-axes 8 asks django-ipware (a dependency here; without it axes silently
    keys on REMOTE_ADDR), and by default reads REMOTE_ADDR only, so X-Forwarded-For is named here.
    django-ipware counts the proxies listed *in* X-Forwarded-For, which leaves out the last one
    (its address is REMOTE_ADDR): one nginx is an ipware count of 0. Not strict, so the address
    taken is always the one our outermost proxy appended, counted from the right; whatever a client
    wrote on the left of the header is never trusted.
    """
    if proxy_count <= 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None,
                "IPWARE_STRICT": False}
    return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
            "AXES_IPWARE_PROXY_COUNT": proxy_count - 1, "IPWARE_STRICT": False}


PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))  # reverse proxies in front of gunicorn
_client_address = client_address_settings(PROXY_COUNT)
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
IPWARE_STRICT = _client_address["IPWARE_STRICT"]



def email_settings(url: str) -> dict:
    """EMAIL_* settings from an EMAIL_URL (parsed by dj-email-url; see the README's table)."""
    if not url:
        return {"EMAIL_CONFIGURED": False}
    parsed = dj_email_url.parse(url)
    if "EMAIL_BACKEND" not in parsed:  # dj-email-url silently ignores a scheme it does not know
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme in {url.split(':', 1)[0]!r}; use smtp://, "
                                   "submission:// (port 587, STARTTLS), console:// or file:///path.")
    return {**{k: v for k, v in parsed.items() if v is not None},
            "EMAIL_CONFIGURED": True}


# Mail: password-reset links (and anything else the site emails). Without EMAIL_URL nothing is sent and
# the reset pages say to ask an administrator, instead of claiming an email went out.
_email = email_settings(os.environ.get("EMAIL_URL", "").strip())
EMAIL_CONFIGURED = _email.pop("EMAIL_CONFIGURED")
for _name, _value in _email.items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", _email.get("DEFAULT_FROM_EMAIL", "webmaster@localhost"))
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 10  # a stuck mail server must not hang a web worker
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(24 * 3600)))

# The cache (issue 17): pages keep their evaluated figures under the figures' stamp, so any backend is
# correct; CACHE_URL picks one. locmem:// (default, per process), db://TABLE (run `manage.py
# createcachetable` first), redis://HOST:PORT/DB (several servers share it; needs the redis package),
# dummy:// (nothing kept). PAGE_CACHE_SECONDS=0 turns the page cache off.
def cache_settings(url: str) -> dict:
    scheme, _, rest = url.partition("://")
    backends = {"locmem": "django.core.cache.backends.locmem.LocMemCache",
                "db": "django.core.cache.backends.db.DatabaseCache",
                "redis": "django.core.cache.backends.redis.RedisCache",
                "rediss": "django.core.cache.backends.redis.RedisCache",
                "dummy": "django.core.cache.backends.dummy.DummyCache"}
    if scheme not in backends:
        raise ImproperlyConfigured(f"CACHE_URL {url!r}: use locmem://, db://TABLE, redis://HOST:PORT/DB or dummy://")
    options = {"BACKEND": backends[scheme]}
    if scheme == "db":
        options["LOCATION"] = rest or "citiesalliance_cache"
    elif scheme.startswith("redis"):
        options["LOCATION"] = url
    else:
        options["LOCATION"] = rest or "citiesalliance"
    if scheme == "locmem":
        options["OPTIONS"] = {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))}
    return {"default": options}


CACHES = cache_settings(os.environ.get("CACHE_URL", "locmem://").strip())
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# PostgreSQL: the cache stamps' query is prepared once per connection (citiesalliance/page_cache.py).
# Set 0 behind a pooler that shares server sessions (PgBouncer in transaction mode).
DATABASE_PREPARED_STAMPS = env_bool("DATABASE_PREPARED_STAMPS", True)

# Sessions end after 8 hours, and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# The catalogue of the templates/ directory and the citiesalliance package; each app keeps its own
# in <app>/locale/. Compiled by `make messages` (run by `make run` and `make test`).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# The languages of the interface and of the stored content (issue 19). Figures are written in the
# reader's format (1 234,5 in French; 1.234,5 in Spanish and Portuguese) by citiesalliance/l10n.py,
# which groups thousands itself: USE_THOUSAND_SEPARATOR stays off, so years and codes never get one.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("pt", "Português")]
FORMAT_MODULE_PATH = ["citiesalliance.formats"]  # Spanish figures 1.234,5 (Django's groups by spaces)
# Result statements and indicator names and definitions are stored per language (results/translation.py,
# indicators/translation.py); a missing translation falls back to the English text.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es", "pt")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Rows created with the plain field name (fixtures, tests, the shell) keep it as their English text.
MODELTRANSLATION_AUTO_POPULATE = "default"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Audit history: who made a change is taken from the request by HistoryRequestMiddleware.
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# django-import-export's admin exports (and any other export through its formats): CSV cells are
# guarded against formula injection as every CSV of the site is (citiesalliance/formula_guard.py).
# (Classes, as the library asks; its docs import its formats in settings the same way.)
from import_export.formats.base_formats import XLSX  # noqa: E402

from citiesalliance.formula_guard import GuardedCSV  # noqa: E402

IMPORT_EXPORT_FORMATS = [GuardedCSV, XLSX]

MPTT_ADMIN_LEVEL_INDENT = 20

# Security headers. Production (DEBUG off) is HTTPS-only; each can be turned off by the environment
# for a deployment behind a TLS-terminating proxy that already does it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "citiesalliance.views.csrf_failure"  # the site's 403 page: why, and a way back

# Content-Security-Policy (django-csp): everything from this site only; no inline script.
# Inline style attributes stay allowed (progress bars are sized with style="width: ...").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Uploads: Django keeps larger bodies on disk; evidence files are checked for type and size in forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# REST API (api/, /api/v1/): token per person (managed in the admin) or the site's session; every
# request needs the view permission of what it reads (api/permissions.py). Throttle rates read the
# environment, e.g. API_THROTTLE_USER=2000/hour.
API_THROTTLE_USER = os.environ.get("API_THROTTLE_USER", "5000/hour")
API_THROTTLE_ANON = os.environ.get("API_THROTTLE_ANON", "60/hour")
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "50"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "500"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request with no credentials gets 401 and a WWW-Authenticate: Token header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserThrottle", "api.throttling.AnonThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cities Alliance results API",
    "DESCRIPTION": (
        "Results chains, indicators and their approved figures, the computed scorecard and the published "
        "editions of the Cities Alliance results-based management system. Authenticate with a personal "
        "token (`Authorization: Token <key>`, issued in the admin) or the site's session. Only approved "
        "figures are returned unless a person who may edit them asks for `figures=working`."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.HasARole"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.schema.add_error_responses"],
    "ENUM_NAME_OVERRIDES": {
        "MeasurementStatusEnum": "indicators.models.Measurement.Status",
        "TargetStatusEnum": "indicators.models.Target.Status",
        "BaselineStatusEnum": "indicators.models.Baseline.Status",
        "RatingEnum": "indicators.models.Rating",
    },
}

# IATI 2.03 results export (api/iati.py): the activity's fixed fields. Set the organisation
# identifier to the one registered with IATI before publishing.
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XI-IATI-CITIESALLIANCE")
IATI_REPORTING_ORG_TYPE = os.environ.get("IATI_REPORTING_ORG_TYPE", "40")  # 40 Multilateral
IATI_REPORTING_ORG_NAME = os.environ.get("IATI_REPORTING_ORG_NAME", "Cities Alliance")
IATI_PARTICIPATING_ROLE = os.environ.get("IATI_PARTICIPATING_ROLE", "4")  # 4 Implementing
IATI_ACTIVITY_STATUS = os.environ.get("IATI_ACTIVITY_STATUS", "2")  # 2 Implementation
IATI_DEFAULT_LANGUAGE = os.environ.get("IATI_DEFAULT_LANGUAGE", "en")
IATI_INCLUDE_ACTIVITIES = env_bool("IATI_INCLUDE_ACTIVITIES", False)  # as result type 9 (Other)
# The address people reach the site at: evidence files in the export and the links in reminders point to it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background tasks (django-tasks): the database queue by default, worked by `manage.py db_worker`
# (started by `make run`; its own systemd unit in production). TASKS_BACKEND may name another
# backend, e.g. django_tasks_rq.RQBackend for a Redis queue (see the README).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    },
}

# Tasks queued once a published edition's PDF is made (or could not be), each given edition_id:
# the Committee's notice goes out then, not at the next daily run. Named here, not imported, so
# that the scorecard app does not depend on the apps above it.
EDITION_PUBLISHED_TASKS = ["reminders.tasks.edition_notice_task"]

# Reminders (reminders/): the daily digests look this many days ahead; an edition's notice goes to the
# Executive Committee if it was published at most REMINDERS_EDITION_DAYS ago (so that a first run
# does not announce every old edition).
REMINDERS_DUE_DAYS = int(os.environ.get("REMINDERS_DUE_DAYS", "14"))
REMINDERS_EDITION_DAYS = int(os.environ.get("REMINDERS_EDITION_DAYS", "7"))
# A large import's job (spreadsheets/jobs.py) whose worker has not beaten for this long is marked failed.
IMPORT_JOB_STALE_SECONDS = int(os.environ.get("IMPORT_JOB_STALE_SECONDS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
