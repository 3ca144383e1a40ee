"""Django settings for onewindow. Every value comes from the environment (see docs/operations.md).

Development defaults are safe for a laptop: DEBUG on, SQLite under var/, a fixed development key.
With DEBUG off the process refuses to start unless SECRET_KEY, ONEWINDOW_PII_KEY and ALLOWED_HOSTS
are given, so a production box can never run on the development keys.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from onewindow.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ONEWINDOW_VAR_DIR", str(BASE_DIR / "var")))
# Runtime files (SQLite database, uploads, collected static) live here, never in the source tree.
for _sub in ("", "static", "media"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-onewindow-do-not-use-in-production"
# 32 bytes (hex) for SM4 encryption and the SM3 blind index; production keys come from the environment.
_DEV_PII_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
ONEWINDOW_PII_KEY = env_str("ONEWINDOW_PII_KEY", _DEV_PII_KEY)
# Retired PII keys, kept only to decrypt old values during a key rotation (see onewindow/core/crypto.py).
ONEWINDOW_PII_OLD_KEYS = env_list("ONEWINDOW_PII_OLD_KEYS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")

if not DEBUG:
    if SECRET_KEY == _DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    if ONEWINDOW_PII_KEY == _DEV_PII_KEY:
        raise ImproperlyConfigured("ONEWINDOW_PII_KEY must be set when DEBUG is off")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "onewindow.core",
    "onewindow.audit",
    "onewindow.org",
    "onewindow.catalog",
    "onewindow.cases",
    "onewindow.hall",
    "onewindow.citizens",
    "onewindow.portal",
    "onewindow.feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onewindow.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "onewindow.org.middleware.DeviceSessionMiddleware",
    "onewindow.citizens.session.TerminalIdleMiddleware",
    "onewindow.core.middleware.IdleTimeoutMiddleware",
    "onewindow.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the locked-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onewindow.urls"
WSGI_APPLICATION = "onewindow.wsgi.application"
ASGI_APPLICATION = "onewindow.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "onewindow" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onewindow.core.context_processors.ui_preferences",
                "onewindow.core.context_processors.security_policy",
            ],
        },
    },
]

# --- Database: SQLite embedded by default; PostgreSQL in production and CI via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'onewindow.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Short write transactions plus WAL let the dev server and a worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

# --- Cache: Redis when REDIS_URL is given (production, CI), local memory otherwise.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication and 等保 2.0 controls: lockout, password policy, idle timeout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "onewindow.core.passwords.CharacterClassValidator"},
]
AXES_FAILURE_LIMIT = env_int("ONEWINDOW_LOGIN_FAILURE_LIMIT", 5)
ONEWINDOW_LOCKOUT_MINUTES = env_int("ONEWINDOW_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = ONEWINDOW_LOCKOUT_MINUTES / 60  # hours
# Lock the account, not the address: every clerk of a township hall sits behind one NAT address,
# and locking it would shut the whole center out (hence axes.W006 is silenced).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "onewindow.core.lockout.lockout_response"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Idle-session timeout in minutes (等保: 会话超时); the session cookie itself also ends with the browser.
ONEWINDOW_IDLE_TIMEOUT_MINUTES = env_int("ONEWINDOW_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = 12 * 3600
# Kiosks and hall screens stay signed in (sliding); their token can be revoked at any time.
ONEWINDOW_DEVICE_SESSION_DAYS = env_int("ONEWINDOW_DEVICE_SESSION_DAYS", 30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env_bool("ONEWINDOW_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind the county's TLS-terminating reverse proxy:
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if env_bool("ONEWINDOW_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Take the client address from X-Forwarded-For (the entry the proxy appended) only behind a proxy.
ONEWINDOW_TRUST_X_FORWARDED_FOR = env_bool("ONEWINDOW_TRUST_X_FORWARDED_FOR", default=False)
SECURE_HSTS_SECONDS = env_int("ONEWINDOW_HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = env_bool("ONEWINDOW_SSL_REDIRECT", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Other processes notice a calendar edit within this many seconds (the editing process at once).
ONEWINDOW_CALENDAR_RECHECK_SECONDS = env_int("ONEWINDOW_CALENDAR_RECHECK_SECONDS", 5)

# --- Language and time: the UI is Chinese; deadlines are Beijing dates.
LANGUAGE_CODE = "zh-hans"
# Chinese only: staff and citizens get the same Chinese screens whatever their browser asks for.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "onewindow" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

# --- Public links and printed documents.
# The address citizens reach the portal at, printed into QR codes (guide pages, the QR wall, notices).
# Empty: the address of the request (fine for pages; PDFs made by a command then need it set).
ONEWINDOW_PUBLIC_BASE_URL = env_str("ONEWINDOW_PUBLIC_BASE_URL", "").rstrip("/")
# The CJK font embedded in every PDF (Debian fonts-wqy-microhei; any TTF/TTC with Chinese glyphs).
ONEWINDOW_CJK_FONT = env_str("ONEWINDOW_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# --- Background tasks (django-tasks): inline by default (the embedded SQLite demo); in production the
# database queue, drained by `manage.py db_worker`, with `manage.py scheduler` enqueuing periodic jobs.
TASKS = {
    "default": {
        "BACKEND": env_str("ONEWINDOW_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}
# How often the scheduler runs the deadline sweep (超时提醒, overdue 容缺 terminations).
ONEWINDOW_SWEEP_MINUTES = env_int("ONEWINDOW_SWEEP_MINUTES", 30)
# How often the scheduler checks each hall's queues against the tidal-window thresholds.
ONEWINDOW_TIDAL_MINUTES = env_int("ONEWINDOW_TIDAL_MINUTES", 2)
# Seasonal load factors for the staffing planner until a year of history exists (category code → {month: factor});
# the 医保 payment season (September–December) is the busy one.
ONEWINDOW_HALL_SEASONAL_FACTORS = {"medical_social": {9: 1.3, 10: 1.3, 11: 1.4, 12: 1.5}}

# Short messages: a class with send(messages); the default only logs (no outside call).
ONEWINDOW_SMS_BACKEND = env_str("ONEWINDOW_SMS_BACKEND", "onewindow.core.sms.ConsoleSmsBackend")
ONEWINDOW_SMS_SIGNATURE = env_str("ONEWINDOW_SMS_SIGNATURE", "【嘉祥县政务服务】")
# Case attachments (applicants' documents): private, outside MEDIA_ROOT and any web root, served only
# through a view that checks the reader may see the case.
ONEWINDOW_PRIVATE_DIR = Path(env_str("ONEWINDOW_PRIVATE_DIR", str(VAR_DIR / "private")))
ONEWINDOW_ATTACHMENT_MAX_BYTES = env_int("ONEWINDOW_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Uploaded sample forms, blank forms and result samples.
ONEWINDOW_GUIDE_FILE_MAX_BYTES = env_int("ONEWINDOW_GUIDE_FILE_MAX_BYTES", 10 * 1024 * 1024)

# --- Citizen portal sign-in (SMS code, optional unified identity by OpenID Connect, self-service terminals).
# A code is valid this long, may be re-sent after this many seconds, and is void after this many wrong tries.
ONEWINDOW_CITIZEN_CODE_TTL_SECONDS = env_int("ONEWINDOW_CITIZEN_CODE_TTL_SECONDS", 300)
ONEWINDOW_CITIZEN_CODE_RESEND_SECONDS = env_int("ONEWINDOW_CITIZEN_CODE_RESEND_SECONDS", 60)
ONEWINDOW_CITIZEN_CODE_MAX_ATTEMPTS = env_int("ONEWINDOW_CITIZEN_CODE_MAX_ATTEMPTS", 5)
# Codes sent per hour: per mobile number, and per client address (a town hall's terminals share one address).
ONEWINDOW_CITIZEN_CODES_PER_MOBILE_HOUR = env_int("ONEWINDOW_CITIZEN_CODES_PER_MOBILE_HOUR", 5)
ONEWINDOW_CITIZEN_CODES_PER_IP_HOUR = env_int("ONEWINDOW_CITIZEN_CODES_PER_IP_HOUR", 60)
# Wrong codes per client address in 15 minutes before that address must wait.
ONEWINDOW_CITIZEN_CODE_FAILURES_PER_IP = env_int("ONEWINDOW_CITIZEN_CODE_FAILURES_PER_IP", 20)
# Self-service terminal (自助服务终端): a citizen left idle this long is signed out (countdown shown first).
ONEWINDOW_TERMINAL_IDLE_SECONDS = env_int("ONEWINDOW_TERMINAL_IDLE_SECONDS", 120)
# The province's unified identity (OpenID Connect); off unless issuer and client id are set. Endpoints come
# from the issuer's discovery document unless given (an intranet proxy may publish them elsewhere).
ONEWINDOW_OIDC_ISSUER = env_str("ONEWINDOW_OIDC_ISSUER", "").rstrip("/")
ONEWINDOW_OIDC_CLIENT_ID = env_str("ONEWINDOW_OIDC_CLIENT_ID", "")
ONEWINDOW_OIDC_CLIENT_SECRET = env_str("ONEWINDOW_OIDC_CLIENT_SECRET", "")
ONEWINDOW_OIDC_AUTHORIZATION_ENDPOINT = env_str("ONEWINDOW_OIDC_AUTHORIZATION_ENDPOINT", "")
ONEWINDOW_OIDC_TOKEN_ENDPOINT = env_str("ONEWINDOW_OIDC_TOKEN_ENDPOINT", "")
ONEWINDOW_OIDC_JWKS_URI = env_str("ONEWINDOW_OIDC_JWKS_URI", "")
ONEWINDOW_OIDC_SCOPES = env_str("ONEWINDOW_OIDC_SCOPES", "openid profile phone")
ONEWINDOW_OIDC_NAME_CLAIM = env_str("ONEWINDOW_OIDC_NAME_CLAIM", "name")
ONEWINDOW_OIDC_ID_NUMBER_CLAIM = env_str("ONEWINDOW_OIDC_ID_NUMBER_CLAIM", "id_card")
ONEWINDOW_OIDC_BUTTON_LABEL = env_str("ONEWINDOW_OIDC_BUTTON_LABEL", "省统一身份认证登录")
ONEWINDOW_OIDC_TIMEOUT_SECONDS = env_int("ONEWINDOW_OIDC_TIMEOUT_SECONDS", 10)

# --- Ratings (好差评, issue 7).
# A service may be rated within this many working days after it was given (国办发〔2019〕51号 practice: 5).
ONEWINDOW_RATING_WINDOW_WORKING_DAYS = env_int("ONEWINDOW_RATING_WINDOW_WORKING_DAYS", 5)
# 差评 限期整改: working days allowed; 满意度回访: the share of delivered cases to call back and how far back.
ONEWINDOW_RECTIFICATION_WORKING_DAYS = env_int("ONEWINDOW_RECTIFICATION_WORKING_DAYS", 5)
ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT = env_int("ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT", 20)
ONEWINDOW_FOLLOWUP_DAYS = env_int("ONEWINDOW_FOLLOWUP_DAYS", 30)
# 吐槽找茬: working days to reply (GB/T 36113 steps).
ONEWINDOW_COMPLAINT_WORKING_DAYS = env_int("ONEWINDOW_COMPLAINT_WORKING_DAYS", 5)
# Outer bound on a signed rating link's age in calendar days (the working-day window above is checked as well;
# 20 days cover 5 working days across the Spring Festival holiday).
ONEWINDOW_RATING_LINK_MAX_AGE_DAYS = env_int("ONEWINDOW_RATING_LINK_MAX_AGE_DAYS", 20)
# The window's evaluator tablet offers a finished ticket for this many minutes (until the next call there).
ONEWINDOW_EVALUATOR_RECENT_MINUTES = env_int("ONEWINDOW_EVALUATOR_RECENT_MINUTES", 10)
# A half-filled rating left untouched this long is cleared; the thank-you screen returns to idle sooner.
ONEWINDOW_EVALUATOR_RESET_SECONDS = env_int("ONEWINDOW_EVALUATOR_RESET_SECONDS", 45)
# How often the idle tablet asks whether a service has just finished at its window.
ONEWINDOW_EVALUATOR_POLL_SECONDS = env_int("ONEWINDOW_EVALUATOR_POLL_SECONDS", 3)

# --- API: DRF with one error shape, OpenAPI by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then gets 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "onewindow.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "onewindow API",
    "DESCRIPTION": "镇街一窗受理政务服务平台 — 设备、移动端与上级平台接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from the installed package: county intranets have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several contexts name a field `status` or `kind`; one enum component per choice set, named here.
    "ENUM_NAME_OVERRIDES": {
        "ItemKindEnum": "onewindow.catalog.models.ItemKind",
        "CaseStatusEnum": "onewindow.cases.flow.Status",
        "TaskStatusEnum": "onewindow.cases.models.TaskStatus",
        "ApplicantKindEnum": "onewindow.cases.models.ApplicantKind",
        "NoticeKindEnum": "onewindow.cases.models.NoticeKind",
        "DeliveryMethodEnum": "onewindow.cases.models.DeliveryMethod",
    },
}

# --- Logging: one JSON object per line; ID and phone numbers are masked before anything is written.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pii": {"()": "onewindow.core.logging.RedactPIIFilter"}},
    "formatters": {"json": {"()": "onewindow.core.logging.JSONFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact_pii"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers keep their plain handlers unless told otherwise; route them through redaction.
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
