"""Settings for the roadmap execution portal.

Everything that differs between the demo run, the test suite and production comes from
environment variables (see README). The defaults are the zero-set-up demo: SQLite, tasks
run in-process, e-mail printed to the console.
"""

import secrets
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Sessions, password-reset links and tokens are signed with this key: a production process
# (DEBUG off) refuses to start without its own. Only the demo run (DJANGO_DEBUG=1, `make run`)
# falls back to a public key; the test suite gets a throwaway key from config/settings_test.py.
# Commands that only read the code (migrations, message catalogs, the API schema, static files)
# sign nothing and serve nothing: they run without a key, on a throwaway one, so build steps and
# migration checks work on a machine that holds no secrets.
CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "spectacular", "collectstatic"}
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY and len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py":
    if sys.argv[1] in CODE_ONLY_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Не задан DJANGO_SECRET_KEY: в рабочем режиме (DJANGO_DEBUG выключен) портал не запускается "
            "без собственного секретного ключа. Задайте DJANGO_SECRET_KEY (50+ случайных символов) или "
            "DJANGO_DEBUG=1 для демонстрационного запуска. / DJANGO_SECRET_KEY is not set: with DEBUG off "
            "the portal needs its own secret key (or set DJANGO_DEBUG=1 for the demo)."
        )
    SECRET_KEY = "demo-insecure-key-change-me"  # noqa: S105 - demo run only (DEBUG on)

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
    "axes",
    "csp",
    "core",
    "schools",
    "roadmaps",
    "monitoring",
    "questionnaires",
    "diagnostics",
    "reporting",
    "audit",
    "dashboard",
]

MIDDLEWARE = [
    "core.health.HealthCheckMiddleware",  # /healthz for probes: before host checks and redirects
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.http.BodyLimitMiddleware",  # before CSRF: it refuses big bodies before anything reads them
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets the audit log know who changed a membership or a grant (model signals carry no request).
    "audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Tells the user when work was accepted but waits for the broker (core/outbox.py).
    "core.outbox.DelayedWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "schools.middleware.RegionTimezoneMiddleware",
    # A reader of the whole country sees one region at a time on the list pages (schools/focus.py).
    "schools.focus.RegionFocusMiddleware",
    # Last: turns a login refused for too many failures into the lockout page (429).
    "axes.middleware.AxesMiddleware",
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
        # A persistent connection is checked before reuse: a database restart costs no request a 500.
        conn_health_checks=True,
    )
}
# An optional read replica (a streaming standby of the same database): report builds and exports
# read from it through core/replica.py; pages, the API and every write use "default".
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
READ_FROM_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "schools.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a password login (portal or admin) while its username or address is locked
    # out; it needs the request, which every login form passes.
    "axes.backends.AxesStandaloneBackend",
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
# Uploaded and generated files go through Django's storage API only (no code reads a local path),
# so web nodes and workers share them: MEDIA_ROOT on one machine, or an S3-compatible object store
# (django-storages) when DJANGO_FILE_STORAGE=s3 — then N web nodes and N workers run side by side.
FILE_STORAGE = env_str("DJANGO_FILE_STORAGE", "filesystem")
if FILE_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured(f"DJANGO_FILE_STORAGE must be filesystem or s3, got {FILE_STORAGE!r}")
DEFAULT_FILE_STORAGE_SETTINGS = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            # Files are private: the portal streams them after the access gate; nothing is public.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if FILE_STORAGE == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_SETTINGS,
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
# Uploads (evidence, questionnaire files, roadmap import): one check in core/uploads.py, one size
# cap enforced while the bytes arrive (core/http.py), archive limits before any DOCX/XLSX is opened.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 2**20
# Where a large upload waits while it arrives: gunicorn gives each worker its own folder and removes
# it when the worker dies (deploy/gunicorn.conf.py); elsewhere the system's temporary folder.
FILE_UPLOAD_TEMP_DIR = env_str("DJANGO_FILE_UPLOAD_TEMP_DIR") or None
# A whole request may carry the file plus the form's other fields.
UPLOAD_REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 2**20
# Without a logged-in session or an API token (login, password reset) a body is small.
ANONYMOUS_REQUEST_MAX_BYTES = env_int("ANONYMOUS_REQUEST_MAX_KB", 64) * 1024
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_MB", 100) * 2**20
UPLOAD_MAX_ARCHIVE_ENTRIES = env_int("UPLOAD_MAX_ARCHIVE_ENTRIES", 1000)
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 200)
API_PATH_PREFIX = "/api/"
FILE_UPLOAD_HANDLERS = [
    "core.http.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "portal@roadmaps.local")
# Absolute address of the portal, for links in e-mails.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)

# --- Transport and browser security (production = DEBUG off; see README «Безопасность») ------
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# TLS ends at the reverse proxy, which must set (overwrite) X-Forwarded-Proto; Django trusts it
# to know a request came over HTTPS and redirects plain HTTP to HTTPS.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Browsers remember to use HTTPS only; a year, subdomains included (0 switches it off).
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# The preload directive only says the site agrees to be on browsers’ HTTPS-only lists (submitting
# the domain is a separate, manual step); DJANGO_HSTS_PRELOAD=0 leaves it out.
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("DJANGO_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from our own origin
# only — no inline <script>, no on…= handlers, no style="" attributes (templates keep them in
# static/js and static/css). Stored files are served with a stricter policy of their own
# (core.downloads.attachment).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Shared cache: Redis when REDIS_URL is set (API throttles, password-reset limits are then
# counted once for all gunicorn workers), process memory in the demo run.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL", REDIS_URL),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
        }
        if REDIS_URL or env_str("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Login protection (django-axes): failed password logins on the portal and the admin are counted
# per username and per client address in the database (shared by every process); past the limit
# both are locked out for the cool-off period. The lockout page says when to try again.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Successful logins are in the audit log (audit/), not in a second table of axes.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "schools.accounts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind the proxy the client is the first address of X-Forwarded-For (the proxy appends it).
AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
# Password reset sends e-mail to anyone who types an address: limited per client address and per
# address typed, counted in the shared cache (schools/accounts.py).
PASSWORD_RESET_LIMIT_PER_IP = env_int("PASSWORD_RESET_LIMIT_PER_IP", 10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)

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
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# A broker that is down must not hold a request for long: the outbox keeps the work (core/outbox.py).
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Redis redelivers an unacknowledged message after the visibility timeout: it must be longer than
# the longest task's hard time limit (30 min, the daily digests), or a task still running is given
# to a second worker; tests/core/test_outbox.py checks every registered task against it. A worker
# killed as a whole is caught sooner by the sweepers (stale reports, the outbox lease).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 40 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# The outbox: a message is published again if it never reached the broker after OUTBOX_GRACE_SECONDS
# or has not finished OUTBOX_LEASE_SECONDS after publishing (longer than any task's time limit).
OUTBOX_GRACE_SECONDS = env_int("OUTBOX_GRACE_SECONDS", 30)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 45 * 60)
# Reports: a building worker touches its report every REPORT_HEARTBEAT_SECONDS; one silent for
# REPORT_STALE_SECONDS is taken as dead and the report is queued again by the sweeper; a queued
# report whose message has waited REPORT_REQUEUE_SECONDS is published again (a claim makes
# duplicates harmless).
REPORT_HEARTBEAT_SECONDS = env_int("REPORT_HEARTBEAT_SECONDS", 15)
REPORT_STALE_SECONDS = env_int("REPORT_STALE_SECONDS", 120)
REPORT_REQUEUE_SECONDS = env_int("REPORT_REQUEUE_SECONDS", 10 * 60)
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 60)
# A roadmap of at most this many items downloads at once; a larger one is built by a worker
# (rendering 1,500–3,000 items took 19–41 s and +750 MB inside a web worker).
ROADMAP_INSTANT_EXPORT_MAX_ITEMS = env_int("ROADMAP_INSTANT_EXPORT_MAX_ITEMS", 300)
ROUND_DEADLINE_DAYS = env_int("ROUND_DEADLINE_DAYS", 15)
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 90)
# Test hook: lets a report's parameters ask for N transient failures (see reporting/services.py).
# Days a deleted roadmap, execution report or evidence stays in the trash before the purge.
SOFT_DELETE_RETENTION_DAYS = env_int("SOFT_DELETE_RETENTION_DAYS", 30)
REPORTS_FAULT_INJECTION = env_bool("REPORTS_FAULT_INJECTION", default=False)
# The one place that declares periodic work (times in UTC; each job judges deadlines in the
# region's own time zone).
CELERY_BEAT_SCHEDULE = {
    # Workers prove they are alive (read by /healthz).
    "worker-heartbeat": {"task": "config.celery.heartbeat", "schedule": 60},
    # Nothing queued is lost: the outbox and stale or never-dispatched reports are published again.
    "sweep-outbox": {"task": "core.tasks.sweep_outbox_task", "schedule": SWEEP_INTERVAL_SECONDS},
    "sweep-reports": {"task": "reporting.tasks.sweep_reports_task", "schedule": SWEEP_INTERVAL_SECONDS},
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
    # Roadmaps, execution reports and evidence longer than SOFT_DELETE_RETENTION_DAYS in the trash.
    "purge-trash": {"task": "monitoring.tasks.purge_trash_task", "schedule": crontab(hour=20, minute=40)},
    # Reminds directors the day before a questionnaire's deadline (judged in each region's time).
    "questionnaire-reminders": {
        "task": "questionnaires.tasks.send_questionnaire_reminders",
        "schedule": 24 * 60 * 60,
    },
}

# The API (/api/v1/, see README «API»): personal tokens for scripts, the session for the browser;
# every view is a schools.gate.GatedViewSet, so permissions come from the gate.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "schools.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.StrictFilterBackend",
        "core.filters.StrictOrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["core.pagination.ApiThrottle"],
    # Per token (a script) or per user (the browser); e.g. API_THROTTLE_RATE=600/minute.
    "DEFAULT_THROTTLE_RATES": {"api": env_str("API_THROTTLE_RATE", "600/minute")},
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    # ASCII: generators name the client package after the title (``roadmaps-portal-api-client``).
    "TITLE": "Roadmaps Portal API",
    "DESCRIPTION": (
        "API для интеграций и скриптов: дорожные карты, обязательства и отчёты об исполнении, "
        "подтверждения, анкеты, раунды мониторинга, аналитические отчёты.\n\n"
        "**Авторизация.** Личный токен из профиля («Профиль» → «Токены API»): заголовок "
        "`Authorization: Bearer rmp_…`. Токен действует с правами владельца; его права бывают «только "
        "чтение» (любая запись — 403, code `insufficient_scope`) или «чтение и запись», срок — бессрочно "
        "или до даты (истёкший — 401). Чужой объект отвечает 404, запись без права — 403. Саму схему "
        "можно читать без токена.\n\n"
        '**Ошибки** всегда в одном виде: `{"code": "invalid", "detail": "…", "fields": '
        '{"поле": ["сообщение"]}}` — `code` стабилен (см. ErrorCodeEnum), `detail` по-русски. 400 — '
        "любая ошибка ввода (поле, параметр, неизвестное поле тела или параметр запроса), 401, 403, 404, "
        "405 — метод, 409 — состояние объекта не позволяет (отчёт уже отправлен), 413, 415, 422 — "
        "Idempotency-Key повторён с другим телом, 429 — лимит запросов.\n\n"
        "**Лимит запросов** — на токен (`API_THROTTLE_RATE`, по умолчанию 600 в минуту): заголовки "
        "`X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`; при 429 — `Retry-After`.\n\n"
        "**Условные запросы.** Ответы на чтение несут `ETag` (хеш тела) и `Last-Modified`; с "
        "`If-None-Match` или `If-Modified-Since` неизменившийся ответ — 304 без тела. `Vary: "
        "Authorization`.\n\n"
        "**Повтор без дублей.** Заказ отчёта и загрузка подтверждения принимают `Idempotency-Key`: "
        "повтор с тем же ключом в течение суток вернёт первый ответ и ничего не создаст.\n\n"
        "**Словарь.** `execution_status` — что сообщил исполнитель (done, partial, …), `review_state` — "
        "проверка (draft, submitted, accepted, returned) — в фильтрах и в телах одинаково. Ссылки в "
        "телах (`next`, `download`) — полные адреса; время — в часовом поясе региона."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVERS": [{"url": "/", "description": "Этот же сервер (адрес, с которого получена схема)"}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.postprocess",
    ],
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
        "ErrorCodeEnum": "core.api.ERROR_CODE_CHOICES",
        "RoundStateEnum": "monitoring.models.MonitoringRound.State",
        "ReportEventActionEnum": "monitoring.models.ReportEvent.Action",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; failures and lockouts are in the audit log already.
    "loggers": {"axes": {"level": env_str("AXES_LOG_LEVEL", "WARNING")}},
}
