"""Settings for the Panzhihua Industrial Workforce Platform, read from the environment.

Every value comes from an environment variable (or a ``NAME_FILE`` pointing at a file holding it),
parsed strictly: a typo in a boolean is an error, not a silent "false". ``WORKFORCE_ENV=production``
turns on the deployment settings and refuses to start without real secrets.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from workforce.core.encryption_keys import FIELD_KEY_HINT, field_key_problems

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("WORKFORCE_VAR_DIR", PROJECT_DIR / "var"))

# Development-only fallbacks. Production refuses to start with any of them (see below).
_INSECURE_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
_INSECURE_FIELD_KEY = "dGhpcy1pcy1hLWRldmVsb3BtZW50LWtleS0zMmJ5dGU="
_INSECURE_HASH_KEY = "insecure-development-lookup-hash-key"


def env(name: str, default: str | None = None) -> str | None:
    """Return the variable ``name``, or the contents of the file named by ``name_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    """Parse a strict boolean: only ``true`` or ``false`` (any case) are accepted."""
    value = (env(name, default) or "").strip().lower()
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def envint(name: str, default: int, minimum: int | None = None) -> int:
    """Parse a strict integer, refusing one below ``minimum`` (when given)."""
    value = env(name, str(default))
    try:
        number = int(value or "")
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envfile(name: str) -> str:
    """A path to an existing file, or empty when unset; a path that names no file refuses to start."""
    value = (env(name, "") or "").strip()
    if value and not Path(value).is_file():
        raise ImproperlyConfigured(f"{name} must name an existing file, not {value!r}")
    return value


def envlist(name: str, default: str = "") -> list[str]:
    """Parse a comma-separated list, ignoring empty items."""
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


ENVIRONMENT = env("WORKFORCE_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(f"WORKFORCE_ENV must be 'development' or 'production', not {ENVIRONMENT!r}")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DEBUG", "false" if IS_PRODUCTION else "true")
SECRET_KEY = env("SECRET_KEY", _INSECURE_SECRET_KEY) or ""
# Fernet key (urlsafe base64 of 32 bytes) for sensitive fields; older keys may follow, comma-separated,
# so that keys can be rotated (docs/decisions/0003-field-encryption.md).
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", _INSECURE_FIELD_KEY)
if _key_problems := field_key_problems(FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("; ".join(_key_problems) + f" ({FIELD_KEY_HINT})")
# HMAC key for the keyed hashes that allow exact lookup of encrypted values.
LOOKUP_HASH_KEY = env("LOOKUP_HASH_KEY", _INSECURE_HASH_KEY) or ""

if IS_PRODUCTION:
    _problems = []
    if SECRET_KEY == _INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
        _problems.append("SECRET_KEY (at least 50 characters)")
    if not FIELD_ENCRYPTION_KEYS or _INSECURE_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
        _problems.append("FIELD_ENCRYPTION_KEYS")
    if LOOKUP_HASH_KEY == _INSECURE_HASH_KEY or len(LOOKUP_HASH_KEY) < 32:
        _problems.append("LOOKUP_HASH_KEY (at least 32 characters)")
    if not env("ALLOWED_HOSTS"):
        _problems.append("ALLOWED_HOSTS")
    if _problems:
        raise ImproperlyConfigured("Production needs real secrets; set: " + ", ".join(_problems))

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "workforce.core",
    "workforce.accounts",
    "workforce.reference",
    "workforce.registry",
    "workforce.imports",
    "workforce.indicators",
    "workforce.supervision",
    "workforce.unions",
    "workforce.portal",
    "workforce.skills",
    "workforce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "workforce.accounts.middleware.RefreshSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "workforce.accounts.middleware.RequireTwoFactorForStaffMiddleware",
    "workforce.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "workforce.urls"
WSGI_APPLICATION = "workforce.wsgi.application"
ASGI_APPLICATION = "workforce.asgi.application"

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
            ],
        },
    },
]

# Widgets render through the project's templates, which override the select (templates/django/forms/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite (WAL) is the embedded default; DATABASE_URL points at PostgreSQL in production.
DATABASE_URL = env("DATABASE_URL")
# Seconds a connection is kept for the thread's next requests (0: one per request). On SQLite too: a new
# connection per request repeats the PRAGMAs below and starts with an empty page cache (bench/load).
DB_CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 60)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: a list's correlated scope subquery (registry ``in_district``) is costed high enough
        # to trigger it, and compiling took 0.4-0.8 s of a query that runs in a tenth of that (issue 15); the
        # web's short queries never repay it.
        # Added to any ``options`` the URL gives (``?options=-c statement_timeout=...``), never replacing them.
        database_options = DATABASES["default"].setdefault("OPTIONS", {})
        database_options["options"] = " ".join(filter(None, [database_options.get("options"), "-c jit=off"]))
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "workforce.sqlite3")),
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
                    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["workforce.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "workforce.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "workforce.accounts.validators.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "workforce.accounts.validators.CharacterClassValidator"},
    {"NAME": "workforce.accounts.validators.KeyboardWalkValidator"},
    {"NAME": "workforce.accounts.validators.UserNamesValidator"},
]

# Sign-in protection (accounts/services.py): failures per username and address together, and per address.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
# Each failure past the limit doubles the lockout (per username and address), up to this (decision 0010).
LOGIN_LOCKOUT_MAX = timedelta(hours=envint("LOGIN_LOCKOUT_MAX_HOURS", 24))
# Staff roles must verify a TOTP device. Demo installs may switch it off to make trying the platform easy.
REQUIRE_TWO_FACTOR_FOR_STAFF = envbool("REQUIRE_TWO_FACTOR_FOR_STAFF", "true")
OTP_TOTP_ISSUER = "攀枝花产业工人平台"
# A TOTP device is enrolled only with a one-time code the administrator issues (decision 0010).
TOTP_ENROLMENT_CODE_LIFETIME = timedelta(hours=envint("TOTP_ENROLMENT_CODE_HOURS", 72))
# API tokens expire; each user keeps at most this many (issuing one more revokes the oldest).
API_TOKEN_LIFETIME = timedelta(days=envint("API_TOKEN_LIFETIME_DAYS", 30))
API_TOKENS_PER_USER = envint("API_TOKENS_PER_USER", 10)

# The worker's portal (decision 0019): one-time SMS codes for sign-up and password reset. The backend is a class
# with ``send_code`` (portal/sms.py); the file backend writes each code to PORTAL_SMS_FILE, for the demo and tests.
PORTAL_SMS_BACKEND = env("PORTAL_SMS_BACKEND", "workforce.portal.sms.FileBackend") or ""
PORTAL_SMS_FILE = Path(env("PORTAL_SMS_FILE") or str(VAR_DIR / "sms" / "outbox.txt"))
PORTAL_SMS_CODE_MINUTES = envint("PORTAL_SMS_CODE_MINUTES", 10, minimum=1)
# At most one code a PORTAL_SMS_RESEND_SECONDS per phone; per rolling hour at most PORTAL_SMS_PHONE_HOURLY codes
# to one phone and PORTAL_SMS_ADDRESS_HOURLY from one address.
PORTAL_SMS_RESEND_SECONDS = envint("PORTAL_SMS_RESEND_SECONDS", 60, minimum=0)
PORTAL_SMS_PHONE_HOURLY = envint("PORTAL_SMS_PHONE_HOURLY", 5, minimum=1)
PORTAL_SMS_ADDRESS_HOURLY = envint("PORTAL_SMS_ADDRESS_HOURLY", 30, minimum=1)
# This many wrong entries of a code (or registry mismatches behind it) void it and lock its phone out.
PORTAL_SMS_CODE_ATTEMPTS = envint("PORTAL_SMS_CODE_ATTEMPTS", 5, minimum=1)
PORTAL_SMS_LOCKOUT = timedelta(minutes=envint("PORTAL_SMS_LOCKOUT_MINUTES", 30, minimum=1))
# How long the QR code of an electronic membership card stays valid after the worker's page made it.
PORTAL_CARD_TOKEN_MINUTES = envint("PORTAL_CARD_TOKEN_MINUTES", 10, minimum=1)

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle sessions expire SESSION_COOKIE_AGE after the last request: accounts.middleware.RefreshSessionMiddleware
# writes a used session again at most once a SESSION_REFRESH_SECONDS, not on every request (bench/load).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = envint("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be at least 0 and less than SESSION_COOKIE_AGE")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")) or "")
WHITENOISE_USE_FINDERS = not IS_PRODUCTION  # development servers serve straight from the app folders
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files live outside the web root and are served only through views that check scope.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")) or "")
# The indicators' registry columns between processes (decision 0006): a cache, safe to delete. It holds
# per-worker flags derived from sensitive attributes, so each file is sealed with the field key (decision 0009).
INDICATOR_COLUMNS_DIR = Path(env("INDICATOR_COLUMNS_DIR") or str(VAR_DIR / "indicators"))
# Roster uploads and their problem reports hold every ID and phone number of a roster: they are sealed
# at rest and deleted after this many days; a committed upload (the first snapshot of the workers it
# created, decision 0008) after IMPORT_COMMITTED_FILE_RETENTION_DAYS from its commit, 0 keeping it as
# long as the registry (decision 0011).
IMPORT_FILE_RETENTION_DAYS = envint("IMPORT_FILE_RETENTION_DAYS", 30)
IMPORT_COMMITTED_FILE_RETENTION_DAYS = envint("IMPORT_COMMITTED_FILE_RETENTION_DAYS", 0)
# A check or commit job that has not renewed its lease for this long is taken for dead (decision 0011).
IMPORT_JOB_LEASE_SECONDS = envint("IMPORT_JOB_LEASE_SECONDS", 120)
if IMPORT_FILE_RETENTION_DAYS < 1 or IMPORT_COMMITTED_FILE_RETENTION_DAYS < 0 or IMPORT_JOB_LEASE_SECONDS < 10:
    raise ImproperlyConfigured("IMPORT_FILE_RETENTION_DAYS must be at least 1, IMPORT_COMMITTED_FILE_RETENTION_DAYS "
                               "at least 0 (0: kept), IMPORT_JOB_LEASE_SECONDS at least 10")
# Figures of union or party membership and migrant workers in groups smaller than this are suppressed for
# users who may not unmask workers (indicators.disclosure, decision 0009); 1 or less shows every cell.
INDICATOR_MINIMUM_CELL = envint("INDICATOR_MINIMUM_CELL", 5)
# Roster uploads larger than this many bytes, or with more data rows, are refused (docs/operator-guide.md
# "Sizing roster imports"); the import's page polls a running job's status every IMPORT_POLL_SECONDS.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 100 * 1024 * 1024, minimum=1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 1_000_000, minimum=1)
IMPORT_POLL_SECONDS = envint("IMPORT_POLL_SECONDS", 2, minimum=1)
# A problem report's ".building" marker older than this was left by a job that died: a new build may start.
IMPORT_REPORT_BUILD_TIMEOUT_SECONDS = envint("IMPORT_REPORT_BUILD_TIMEOUT_SECONDS", 3600, minimum=60)
# Evidence files attached to supervision progress reports.
SUPERVISION_ATTACHMENT_MAX_BYTES = envint("SUPERVISION_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Lists and the API count matching rows up to this many and say "more than" beyond it (core.paging).
LIST_COUNT_CAP = envint("LIST_COUNT_CAP", 2_000, minimum=100)
# A CJK TrueType/OpenType font for the PDF reports (indicators, supervision); unset: the first of
# core.fonts.FONT_CANDIDATES installed (`make fonts`).
REPORT_FONT = envfile("REPORT_FONT")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workforce.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # No NUL character in any submitted text: PostgreSQL cannot store or compare it (decision 0012).
    "DEFAULT_PARSER_CLASSES": [
        "workforce.core.api.parsers.JSONParser",
        "workforce.core.api.parsers.FormParser",
        "workforce.core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "workforce.core.api.pagination.CountCappedPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "workforce.core.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_USER_RATE", "6000/hour")},
    "EXCEPTION_HANDLER": "workforce.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "攀枝花产业工人队伍建设服务平台 API",
    "DESCRIPTION": "Panzhihua Industrial Workforce Platform: registry of workers and employers. Every time is "
                   "ISO 8601 in China time with its offset (2026-12-08T01:26:00+08:00, Asia/Shanghai); dates are "
                   "calendar days in China.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The refusals shared by every view (400/401/403/404/409/429), documented once (decision 0012).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workforce.core.api.schema.add_error_responses",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc are served from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" field with different choices; name each enum after its choices.
    "ENUM_NAME_OVERRIDES": {
        "CertificateKindEnum": "workforce.registry.choices.CertificateKind",
        "EmployerFactKindEnum": "workforce.registry.choices.EmployerFactKind",
        "WorkerFactKindEnum": "workforce.registry.choices.WorkerFactKind",
        "LegalPersonKindEnum": "workforce.registry.choices.LegalPersonKind",
        "LegalPersonKindCorrectionEnum": "workforce.registry.choices.CORRECTABLE_LEGAL_PERSON_KINDS",
        "OrganisationKindEnum": "workforce.unions.choices.OrganisationKind",
        "ApplicationKindEnum": "workforce.unions.choices.ApplicationKind",
        "ApplicationStatusEnum": "workforce.unions.choices.ApplicationStatus",
        "StatusEnum": "workforce.imports.choices.ImportStatus",  # the name it had before the unions app
        "ContractTypeEnum": "workforce.registry.choices.ContractType",
        "AppraisalBodyKindEnum": "workforce.skills.choices.BodyKind",
        "CompetitionKindEnum": "workforce.skills.choices.CompetitionKind",
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Background jobs: huey on SQLite by default, Redis in production (REDIS_URL).
HUEY = {
    "name": "workforce",
    "immediate": envbool("HUEY_IMMEDIATE", "false"),
    "results": True,
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused or missing page (4xx) is one line, without the traceback Django attaches to it.
    "filters": {"client_errors_in_one_line": {"()": "workforce.core.logs.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_in_one_line"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Django's own "django" logger would print each record a second time through its console handler.
    "loggers": {"django.db.backends": {"level": "WARNING"},
                "django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Test runs use a fast password hasher (see conftest.py); everything else is as in production.
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
