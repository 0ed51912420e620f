"""Settings for kiemdinh, complete in this one module and driven by the environment.

Without any variable set, the app runs on the embedded default: a SQLite file under var/, tasks
run in-process (no Redis), e-mail printed to the console. Production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS and the EMAIL_* variables (see README).
"""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_cache, env_database, env_int, env_list, env_storage, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KIEMDINH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105  # nosec B105  # DEBUG only: production refuses to start without SECRET_KEY
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (50+ random characters) or run with DEBUG=1 for development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

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
    "kiemdinh.apps.LoginLogConfig",  # django-axes, named "Nhật ký đăng nhập" in the admin
    "schools",
    "audit",
    "notifications",
    "standards",
    "evidence",
    "selfassessment",
    "reviews",
    "evaluations",
    "exports",
    "ops",
    "demo",  # the demo data and its seed_demo command: the top layer, imports the apps
    "home",  # the start pages and dashboards: the top layer, may read from every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Vietnamese unless the person chose English (never the browser's Accept-Language).
    "schools.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL in the URL, query or cookies: the 400 page before any view queries (PostgreSQL refuses NUL).
    "kiemdinh.middleware.InvalidCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kiemdinh.middleware.ContentSecurityPolicyMiddleware",
    # Axes must come last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kiemdinh.urls"
WSGI_APPLICATION = "kiemdinh.wsgi.application"
ASGI_APPLICATION = "kiemdinh.asgi.application"

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
                "home.context_processors.navigation",
            ],
            # {% load workflow %}: {% actions_for obj as acts %} (kiemdinh/workflow.py).
            "libraries": {"workflow": "kiemdinh.workflow_tags"},
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kiemdinh.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "schools.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "schools.auth.UsernameOrEmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # Our users keep their name in full_name (first_name/last_name stay empty).
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "first_name", "last_name")},
    },
    {"NAME": "schools.auth.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login rate limiting (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failures count under the account's username however it was typed (see the function).
AXES_USERNAME_CALLABLE = "schools.auth.axes_login_name"
# The client's address, for the lock: REMOTE_ADDR, or behind N trusted proxies the address the
# outermost of them saw (X-Forwarded-For read from the right). Behind one proxy by default when
# BEHIND_PROXY is on, or every user would share the proxy's address and its lock.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY", False) else 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "schools.auth.client_address"
# A locked-out person may ask for an e-mailed link that lifts the lock on their address.
LOGIN_UNLOCK_LINK_MINUTES = 30

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kiemdinh.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Evidence files, exports and dossiers are private: MEDIA_ROOT (or the bucket, when
    # AWS_STORAGE_BUCKET_NAME is set) is never served directly, only through permission-checked views.
    "default": env_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
EVIDENCE_MAX_UPLOAD_MB = env_int("EVIDENCE_MAX_UPLOAD_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# Uploads past FILE_UPLOAD_MAX_MEMORY_SIZE are spooled here, a directory of their own, so that the
# files a killed worker leaves behind can be found and deleted (beat entry evidence-temp-uploads-clean).
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", "") or str(VAR_DIR / "upload-tmp")
FILE_UPLOAD_TEMP_MAX_AGE_HOURS = env_int("FILE_UPLOAD_TEMP_MAX_AGE_HOURS", 6, minimum=1)
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "evidence.upload_handlers.TemporaryFileUploadHandler",  # Django's, making FILE_UPLOAD_TEMP_DIR on demand
]
# Django's check that FILE_UPLOAD_TEMP_DIR exists (files.E001) would stop `migrate` and every start of
# a fresh installation: the directory is made by the handler above on the first large upload.
SILENCED_SYSTEM_CHECKS = ["files.E001"]

# E-mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "") or ""
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kiemdinh <no-reply@kiemdinh.local>")
# Where the file backend (`make run`'s default) writes each e-mail, one file per message.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "") or str(VAR_DIR / "mail")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Long exports (the dossier) on that default run in a thread of the web process, not inside the
# request that asked for them (exports/runner.py); with a broker they go to the Celery worker.
EXPORT_JOBS_IN_PROCESS = env_bool("EXPORT_JOBS_IN_PROCESS", CELERY_TASK_ALWAYS_EAGER)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# The queue every process of this installation sends to and the worker reads: two installations
# sharing one Redis (a staging beside production, the two-node proof in the tests) name their own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "") or "celery"
# Every periodic job of the project, in one place (style.md item 18).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "emails-flush-pending": {"task": "notifications.tasks.emails_flush_pending", "schedule": 600.0},
    # 07:00 local time (CELERY_TIMEZONE is Asia/Ho_Chi_Minh).
    "evaluations-reminders-daily": {
        "task": "evaluations.tasks.reminders_dispatch",
        "schedule": crontab(hour=7, minute=0),
    },
}
CELERY_BEAT_SCHEDULE["exports-jobs-expire"] = {"task": "exports.tasks.export_jobs_expire", "schedule": 1800.0}
CELERY_BEAT_SCHEDULE["evidence-temp-uploads-clean"] = {"task": "evidence.tasks.temp_uploads_clean_due", "schedule": 3600.0}
# Django's cache: shared by every node on Redis when CACHE_URL (or REDIS_URL) is set, else the
# process's memory. Sessions stay in the database (Django's default engine), never node-local.
CACHES = {"default": env_cache()}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
_CACHE_REDIS = CACHES["default"]["LOCATION"] if CACHES["default"]["BACKEND"].endswith("RedisCache") else ""
# The Redis that /healthz probes: the broker's, else the cache's.
REDIS_URL = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else _CACHE_REDIS

# Security. Production (DEBUG off) gets secure cookies, HSTS and an HTTPS redirect unless the
# deployment terminates TLS elsewhere and says so with SECURE_SSL_REDIRECT=0.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_FAILURE_VIEW = "kiemdinh.views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = 60 * 60 * 12

# Exports: the report PDF follows Nghị định 30/2020 (A4, margins within its bounds, 13 pt).
EXPORT_PDF_MARGINS_MM = {
    "top": env_int("EXPORT_PDF_MARGIN_TOP_MM", 20, minimum=0),
    "bottom": env_int("EXPORT_PDF_MARGIN_BOTTOM_MM", 20, minimum=0),
    "left": env_int("EXPORT_PDF_MARGIN_LEFT_MM", 30, minimum=0),
    "right": env_int("EXPORT_PDF_MARGIN_RIGHT_MM", 15, minimum=0),
}
EXPORT_PDF_FONT_SIZE_PT = env_int("EXPORT_PDF_FONT_SIZE_PT", 13, minimum=8)
EXPORT_JOB_TTL_HOURS = env_int("EXPORT_JOB_TTL_HOURS", 72, minimum=1)
EXPORT_JOB_STALE_MINUTES = 30
EXPORT_DOSSIER_FILES_MAX_MB = env_int("EXPORT_DOSSIER_FILES_MAX_MB", 500, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
