"""Production: every secret and address from the environment (see deploy/fengqiao.env.example),
TLS ends at nginx, logs as JSON lines, a cache shared by all web processes (the database: no
extra service), and the checks of ``manage.py check --deploy`` satisfied."""

import os

# nginx runs on the same host (deploy/nginx): its X-Real-IP is believed from loopback only.
os.environ.setdefault("FENGQIAO_TRUSTED_PROXIES", "127.0.0.1,::1")

from fengqiao.settings.base import *  # noqa: F403
from fengqiao.settings.base import env

DEBUG = False
FENGQIAO_PRODUCTION = True  # core.checks: e.g. the console SMS backend is refused
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")  # required: the names nginx serves

# nginx terminates TLS and says so in X-Forwarded-Proto (deploy/nginx/fengqiao.conf).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))  # noqa: F405
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))  # noqa: F405

# Counters that every gunicorn worker on every server must share (the sign-in and portal rate
# limits): the database cache (``manage.py createcachetable`` once, see docs/deployment.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "fengqiao_cache",
    },
    "worker": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fengqiao"},
}
# The API and Open311 are limited by nginx per credential for all workers (limit_req, deploy/
# nginx); the application's own count of them stays in each worker's memory: no database write
# per request (issue #15: 6 → 11-17 queries for an API detail with the database cache).
FENGQIAO_RATE_LIMIT_CACHES = {"api": "worker", "open311": "worker"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "fengqiao.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("FENGQIAO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Staff sign in with an authenticator; the interface stays Chinese whatever the browser says.
FENGQIAO_TOTP_REQUIRED = env.bool("FENGQIAO_TOTP_REQUIRED", default=True)
