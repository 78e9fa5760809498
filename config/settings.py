"""Settings for the roadmap execution portal.

Everything that differs between the demo run, the test suite and production comes from
environment variables (see README). The defaults are the zero-set-up demo: SQLite, tasks
run in-process, e-mail printed to the console.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("DJANGO_REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    # Demo and tests only: production sets DJANGO_REQUIRE_SECRET_KEY=1 in docker-compose.
    SECRET_KEY = "demo-insecure-key-change-me"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "schools",
    "roadmaps",
    "monitoring",
    "questionnaires",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "schools.middleware.RegionTimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "schools.context_processors.access_scope",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "schools.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user row — anonymous visitors never get object grants.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Demo/test runs serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=True)
# Evidence uploads: checked by content, size and name (monitoring/uploads.py).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "portal@roadmaps.local")
# Absolute address of the portal, for links in e-mails.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Celery: with no broker configured (the demo run) tasks run eagerly in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", env_str("REDIS_URL", ""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 14 * 60)
CELERY_TIMEZONE = "UTC"
ROUND_DEADLINE_DAYS = env_int("ROUND_DEADLINE_DAYS", 15)
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 90)
# Test hook: lets a report's parameters ask for N transient failures (see reporting/services.py).
REPORTS_FAULT_INJECTION = env_bool("REPORTS_FAULT_INJECTION", default=False)
# The one place that declares periodic work (times in UTC; each job judges deadlines in the
# region's own time zone).
CELERY_BEAT_SCHEDULE = {
    # Opens last quarter's monitoring rounds, closes rounds past their deadline (closing queues the
    # department's quarterly reports).
    "monitoring-rounds": {
        "task": "monitoring.tasks.monitoring_rounds_task",
        "schedule": crontab(hour=18, minute=10),
    },
    # The executors' and reviewers' daily digest (morning in Siberia and in Moscow alike).
    "execution-reminders": {
        "task": "monitoring.tasks.send_reminders_task",
        "schedule": crontab(hour=2, minute=0),
    },
    # Report files past their retention period.
    "purge-reports": {"task": "reporting.tasks.purge_reports_task", "schedule": crontab(hour=20, minute=30)},
    # Reminds directors the day before a questionnaire's deadline (judged in each region's time).
    "questionnaire-reminders": {
        "task": "questionnaires.tasks.send_questionnaire_reminders",
        "schedule": 24 * 60 * 60,
    },
}

# The API (/api/v1/, see README «API»): personal tokens for scripts, the session for the browser;
# every view is a schools.api.GatedApiViewSet, so permissions come from the gate.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "schools.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "schools.api_defaults.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["schools.api_defaults.ApiThrottle"],
    # Per token (a script) or per user (the browser); e.g. API_THROTTLE_RATE=600/minute.
    "DEFAULT_THROTTLE_RATES": {"api": env_str("API_THROTTLE_RATE", "600/minute")},
    "EXCEPTION_HANDLER": "schools.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Портал дорожных карт — API",
    "DESCRIPTION": (
        "API для интеграций и скриптов. Авторизация: личный токен из профиля "
        "(`Authorization: Bearer rmp_…`) или сессия браузера. Все данные — в пределах ваших "
        "прав: чужой объект отвечает 404, запись без права — 403. Ошибки: "
        '`{"detail": "…", "fields": {"поле": ["сообщение"]}}`.'
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a «kind», «status» or «level»: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "schools.models.Municipality.Kind",
        "OrganizationKindEnum": "schools.models.Organization.Kind",
        "SchoolStatusLevelEnum": "schools.models.SchoolStatus.Level",
        "RoadmapLevelEnum": "roadmaps.models.Roadmap.Level",
        "RoadmapStatusEnum": "roadmaps.models.Roadmap.Status",
        "ExecutionStatusEnum": "monitoring.models.ExecutionReport.Status",
        "ReviewStateEnum": "monitoring.models.ExecutionReport.Review",
        "EvidenceKindEnum": "monitoring.models.Evidence.Kind",
        "QuestionnaireStatusEnum": "questionnaires.models.Questionnaire.Status",
        "QuestionKindEnum": "questionnaires.models.Question.Kind",
        "ResponseStatusEnum": "questionnaires.models.Response.Status",
        "ReportKindEnum": "reporting.models.Report.Kind",
        "ReportStatusEnum": "reporting.models.Report.Status",
        "ReportFormatEnum": "reporting.models.Report.Format",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
