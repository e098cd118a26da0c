"""All settings. Environments differ only through environment variables and the two thin
modules ``dev`` and ``test`` that preset a few of them; DEBUG is off unless asked for."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if env.bool("FENGQIAO_READ_DOTENV", default=False):
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Behind nginx the client address (audit log, per-address limits) is read from the header the
# proxy sets, but only on requests that come from one of these addresses or networks
# (core.middleware.client_address). Empty: REMOTE_ADDR is the client.
FENGQIAO_TRUSTED_PROXIES = env.list("FENGQIAO_TRUSTED_PROXIES", default=[])
FENGQIAO_CLIENT_IP_HEADER = env.str("FENGQIAO_CLIENT_IP_HEADER", default="X-Real-IP")
# Portal verification codes (portal.services.code_send): per phone a minute and a day; per
# citizen address an hour, raised by every code then used, up to the hard limit.
FENGQIAO_PORTAL_CODES_PER_PHONE_MINUTE = env.int(
    "FENGQIAO_PORTAL_CODES_PER_PHONE_MINUTE", default=1
)
FENGQIAO_PORTAL_CODES_PER_PHONE_DAY = env.int("FENGQIAO_PORTAL_CODES_PER_PHONE_DAY", default=10)
FENGQIAO_PORTAL_CODES_PER_IP_HOUR = env.int("FENGQIAO_PORTAL_CODES_PER_IP_HOUR", default=10)
FENGQIAO_PORTAL_CODES_PER_IP_HOUR_HARD = env.int(
    "FENGQIAO_PORTAL_CODES_PER_IP_HOUR_HARD", default=60
)
FENGQIAO_CSP_REPORT_ONLY = env.bool("FENGQIAO_CSP_REPORT_ONLY", default=False)
# Requests a minute per address (per credential on the API): core.ratelimit
FENGQIAO_RATE_LIMITS = {
    "login": env.int("FENGQIAO_RATE_LOGIN", default=30),
    "portal": env.int("FENGQIAO_RATE_PORTAL", default=30),
    "api": env.int("FENGQIAO_RATE_API", default=600),
}
# The cache each scope counts in; unnamed scopes use "default" (prod: see settings/prod.py).
FENGQIAO_RATE_LIMIT_CACHES: dict[str, str] = {}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # `runserver --insecure` leaves /static/ to WhiteNoise, which knows the hashed names.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI from its bundled static files, never from a CDN
    "django_htmx",
    "django_tasks",
    "fengqiao.core.tasks_app.TasksDatabaseConfig",  # django_tasks_db, named in Chinese
    "fengqiao.core",
    "fengqiao.audit",
    "fengqiao.regions",
    "fengqiao.orgs",
    "fengqiao.accounts",
    "fengqiao.notifications",
    "fengqiao.privacy",
    "fengqiao.cases",
    "fengqiao.routing",
    "fengqiao.intake",
    "fengqiao.mediation",
    "fengqiao.supervision",
    "fengqiao.patrols",
    "fengqiao.kpi",
    "fengqiao.documents",
    "fengqiao.esign",
    "fengqiao.dataio",
    "fengqiao.knowledge",
    "fengqiao.selfhelp",
    "fengqiao.legalaid",
    "fengqiao.registers",
    "fengqiao.wellbeing",
    "fengqiao.cadences",
    "fengqiao.portal",
    "fengqiao.feed",
    "fengqiao.open311",
    "fengqiao.audit_review",
    "fengqiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fengqiao.core.security_headers.SecurityHeadersMiddleware",
    # Static files before anything that reads the session or counts requests (#16).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Reference data in memory: its version read at most once per request (#15).
    "fengqiao.core.refcache.RefCacheMiddleware",
    "fengqiao.core.ratelimit.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "fengqiao.core.nul_guard.NulGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fengqiao.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fengqiao.accounts.security.IdleTimeoutMiddleware",
    "fengqiao.accounts.passwords.PasswordExpiryMiddleware",
    "fengqiao.core.middleware.RequestContextMiddleware",
    # Innermost: a view's empty 405 becomes a Chinese page before anything else sees it.
    "fengqiao.core.not_allowed.NotAllowedPageMiddleware",
]

ROOT_URLCONF = "fengqiao.urls"
WSGI_APPLICATION = "fengqiao.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fengqiao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fengqiao.notifications.context.unread",
                "fengqiao.accounts.context.navigation",
            ],
        },
    }
]


# <select> built in Python (core.form_renderer): the same markup at a fraction of the cost.
FORM_RENDERER = "fengqiao.core.form_renderer.FastSelectRenderer"


def _database(url: str) -> dict:
    """Parse DATABASE_URL and add what each engine needs to behave under concurrent writers."""
    config = env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock up front, so two writers queue instead of
        # failing with "database is locked" half-way through (STACK.md, django-tasks-db row).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;",
        }
    else:
        config.setdefault("CONN_MAX_AGE", env.int("FENGQIAO_CONN_MAX_AGE", default=60))
        config.setdefault("CONN_HEALTH_CHECKS", True)
        # CJK trigrams need a UTF-8 ctype (STACK.md: with LC_CTYPE 'C' pg_trgm sees nothing).
        config["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    return config


DATABASES = {
    "default": _database(
        env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'fengqiao.sqlite3'}")
    )
}
# A streaming replica of the primary (pg_basebackup -R) for the dashboard, ledger and audit-search
# reads: core.replica says which reads may go there. Tests mirror it onto the primary.
FENGQIAO_READ_REPLICA = ""
if env.str("DATABASE_REPLICA_URL", default=""):
    FENGQIAO_READ_REPLICA = "replica"
    DATABASES["replica"] = _database(env.str("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["fengqiao.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's password check; the session's user is read with the reference-data version (#15).
AUTHENTICATION_BACKENDS = ["fengqiao.accounts.backends.UserWithVersionBackend"]

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
    {"NAME": "fengqiao.accounts.passwords.CharacterKindsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:todo"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("FENGQIAO_SESSION_SECONDS", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = (
    False  # htmx reads the token from the cookie-free meta tag; kept default-safe
)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Chinese first: the interface language is the deployment's choice, not the browser's
# (no LocaleMiddleware), so an English-language browser on an office PC still sees Chinese.
LANGUAGE_CODE = env.str("FENGQIAO_LANGUAGE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "fengqiao" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "fengqiao" / "static"]
# collectstatic writes every file under a content-hashed name (app.3f9c0a1b2d4e.css) with .gz
# and .br beside it; pages link the hashed names, so a deploy is never served stale CSS or JS,
# and those names are cached for a year, immutable (#16: 7 days under plain names, the 1.1 MB
# chart library uncompressed). WhiteNoise serves them with the right encoding and headers under
# gunicorn and `runserver` alike; nginx may serve the same files itself (deploy/nginx).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Names without a hash (only what a page cannot link by hash, e.g. /static/favicon.ico) for an
# hour; hashed names get a year whatever this says.
WHITENOISE_MAX_AGE = 3600
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Region boundaries for the dashboard map: <12-digit code>.geojson files (a tile grid otherwise)
FENGQIAO_BOUNDARIES_DIR = env.str("FENGQIAO_BOUNDARIES_DIR", default=str(MEDIA_ROOT / "boundaries"))

TASKS = {
    "default": {
        "BACKEND": env.str("FENGQIAO_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

NINJA_PAGINATION_PER_PAGE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("FENGQIAO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Project knobs carry a FENGQIAO_ prefix and are read where used (settings.X).
# Keys for personal data: base64 of 32 random bytes each. The blind-index key is separate so a
# leaked index never helps decrypt. Production must set both; dev/test preset throwaway ones.
FENGQIAO_PII_KEYS = env.list("FENGQIAO_PII_KEYS", default=[])  # "id:base64key", newest first
# Or from a KMS: a dotted path to a callable returning that list (core.crypto.file_key_provider
# reads FENGQIAO_PII_KEYS_FILE, e.g. written by a KMS agent or systemd LoadCredential=)
FENGQIAO_KEY_PROVIDER = env.str("FENGQIAO_KEY_PROVIDER", default="")
FENGQIAO_PII_KEYS_FILE = env.str("FENGQIAO_PII_KEYS_FILE", default="")
FENGQIAO_BLIND_INDEX_KEY = env.str("FENGQIAO_BLIND_INDEX_KEY", default="")
FENGQIAO_OVERDUE_SWEEP_SECONDS = env.int("FENGQIAO_OVERDUE_SWEEP_SECONDS", default=300)
FENGQIAO_CASES_PER_PAGE = env.int("FENGQIAO_CASES_PER_PAGE", default=25)
# Mediation (人民调解法 art.31 回访; 民事诉讼法 art.205 司法确认 window of 30 days)
FENGQIAO_MEDIATION_FOLLOW_UP_DAYS = env.int("FENGQIAO_MEDIATION_FOLLOW_UP_DAYS", default=15)
FENGQIAO_MEDIATION_FOLLOW_UP_BEFORE_DUE_DAYS = env.int(
    "FENGQIAO_MEDIATION_FOLLOW_UP_BEFORE_DUE_DAYS", default=3
)
FENGQIAO_MEDIATION_CONFIRMATION_REMIND_DAYS = env.int(
    "FENGQIAO_MEDIATION_CONFIRMATION_REMIND_DAYS", default=7
)
# What `manage.py run_scheduler` enqueues, and how often (seconds); the db_worker runs them.
# Every 排查 job is idempotent per period, so the sweep may run often.
FENGQIAO_PATROL_SWEEP_SECONDS = env.int("FENGQIAO_PATROL_SWEEP_SECONDS", default=3600)
FENGQIAO_PERIODIC_TASKS = [
    ("fengqiao.cases.tasks.mark_overdue_cases", FENGQIAO_OVERDUE_SWEEP_SECONDS),
    ("fengqiao.kpi.tasks.generate_due_reports", 6 * 3600),  # idempotent per region and period
    ("fengqiao.cases.tasks.seal_ledger_days", 3600),  # seals each finished day once
    ("fengqiao.audit.tasks.seal_audit_days", 3600),  # the audit log's daily seals, likewise
    ("fengqiao.mediation.tasks.remind_mediation_deadlines", 24 * 3600),  # 司法确认, 回访
    # 排查 rounds per period, sensitive-period rounds, missing-report flags, task reminders
    ("fengqiao.patrols.tasks.sweep_patrols", FENGQIAO_PATROL_SWEEP_SECONDS),
    # due-soon notices, automatic 督办 of overdue cases, overdue replies and escalation
    ("fengqiao.supervision.tasks.sweep_supervision", FENGQIAO_OVERDUE_SWEEP_SECONDS),
    # the outbox: SMS, email, group robots, results back to 12345 / the court: retries
    ("fengqiao.notifications.tasks.send_due_outbound", 60),
    ("fengqiao.cadences.tasks.flag_missed_meetings", 6 * 3600),  # once per missed due date
    # the event feed's webhook subscribers: each one's next batch once the last one arrived
    ("fengqiao.feed.tasks.dispatch_webhooks", 30),
    # ledger imports whose worker died mid-job: back in the queue, or failed after the last try
    ("fengqiao.intake.tasks.requeue_stale_imports", 60),
]
# 督办 and notification channels (supervision)
FENGQIAO_DUE_SOON_DAYS = env.int("FENGQIAO_DUE_SOON_DAYS", default=3)
FENGQIAO_SUPERVISION_REPLY_DAYS = env.int("FENGQIAO_SUPERVISION_REPLY_DAYS", default=3)  # working
FENGQIAO_DELIVERY_MAX_ATTEMPTS = env.int("FENGQIAO_DELIVERY_MAX_ATTEMPTS", default=6)
# SMS (notifications.sms): dotted path of the backend; the console backend is for development
# only and refused in production (core.checks).
FENGQIAO_SMS_BACKEND = env.str(
    "FENGQIAO_SMS_BACKEND", default="fengqiao.notifications.sms.ConsoleBackend"
)
FENGQIAO_SMS_FILE = env.str("FENGQIAO_SMS_FILE", default=str(BASE_DIR / "var" / "sms-outbox.jsonl"))
FENGQIAO_SMS_GATEWAY_URL = env.str("FENGQIAO_SMS_GATEWAY_URL", default="")
FENGQIAO_SMS_GATEWAY_TOKEN = env.str("FENGQIAO_SMS_GATEWAY_TOKEN", default="")
# Aliyun (AliyunBackend) and Tencent Cloud (TencentBackend): signed APIs with approved templates
FENGQIAO_SMS_ACCESS_KEY_ID = env.str("FENGQIAO_SMS_ACCESS_KEY_ID", default="")
FENGQIAO_SMS_ACCESS_KEY_SECRET = env.str("FENGQIAO_SMS_ACCESS_KEY_SECRET", default="")
FENGQIAO_SMS_SIGN_NAME = env.str("FENGQIAO_SMS_SIGN_NAME", default="")
FENGQIAO_SMS_SDK_APP_ID = env.str("FENGQIAO_SMS_SDK_APP_ID", default="")  # Tencent only
FENGQIAO_SMS_REGION = env.str("FENGQIAO_SMS_REGION", default="")
FENGQIAO_SMS_ENDPOINT = env.str("FENGQIAO_SMS_ENDPOINT", default="")  # default: the public one
FENGQIAO_SMS_TEMPLATES = {  # kind of message -> the provider's approved template
    "code": env.str("FENGQIAO_SMS_TEMPLATE_CODE", default=""),  # ${code}
    "receipt": env.str("FENGQIAO_SMS_TEMPLATE_RECEIPT", default=""),  # ${code}: tracking code
    "notice": env.str("FENGQIAO_SMS_TEMPLATE_NOTICE", default=""),  # ${content}
}
# Imports (core.upload_limits): refused before parsing when over these.
FENGQIAO_IMPORT_MAX_BYTES = env.int("FENGQIAO_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
FENGQIAO_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "FENGQIAO_IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024
)
FENGQIAO_IMPORT_MAX_ROWS = env.int("FENGQIAO_IMPORT_MAX_ROWS", default=50_000)
# A ledger job whose worker gave no sign of life (its progress file, written every 100 rows and
# every 10 s while rows move) for this long is taken as dead and queued again, up to this many
# runs in all (intake.import_jobs; issue #16).
FENGQIAO_IMPORT_STALE_SECONDS = env.int("FENGQIAO_IMPORT_STALE_SECONDS", default=600)
FENGQIAO_IMPORT_MAX_ATTEMPTS = env.int("FENGQIAO_IMPORT_MAX_ATTEMPTS", default=3)
FENGQIAO_SITE_URL = env.str("FENGQIAO_SITE_URL", default="")  # links in SMS / robot messages
FENGQIAO_LOGIN_MAX_FAILURES = env.int("FENGQIAO_LOGIN_MAX_FAILURES", default=5)
FENGQIAO_LOGIN_LOCK_MINUTES = env.int("FENGQIAO_LOGIN_LOCK_MINUTES", default=15)
FENGQIAO_IDLE_MINUTES = env.int("FENGQIAO_IDLE_MINUTES", default=30)
FENGQIAO_PASSWORD_MAX_AGE_DAYS = env.int("FENGQIAO_PASSWORD_MAX_AGE_DAYS", default=90)  # 0: never
# Staff sign in with a password and an authenticator code (MLPS level 3: two kinds of proof)
FENGQIAO_TOTP_REQUIRED = env.bool("FENGQIAO_TOTP_REQUIRED", default=True)
# Parties of closed cases are anonymised after this many years (PIPL art.47; 短期卷宗 30 年)
FENGQIAO_PARTY_RETENTION_YEARS = env.int("FENGQIAO_PARTY_RETENTION_YEARS", default=30)

# Classification and risk signals (intake.classify, intake.risk)
FENGQIAO_CLASSIFIER_PATH = env.str(
    "FENGQIAO_CLASSIFIER_PATH", default=str(BASE_DIR / "var" / "classifier.json")
)
FENGQIAO_MASS_PEOPLE = env.int(
    "FENGQIAO_MASS_PEOPLE", default=10
)  # people at which a dispute is 群体性
# Sensitive periods (name, from MM-DD, to MM-DD): risk is raised while one lasts
FENGQIAO_SENSITIVE_PERIODS = [
    ("春节前后欠薪高发期", "12-15", "02-15"),
    ("全国两会", "03-01", "03-15"),
    ("国庆假期", "09-28", "10-08"),
]
