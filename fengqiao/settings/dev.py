"""Local development and the `make run` demo: SQLite in var/, throwaway keys. DEBUG stays off
unless DJANGO_DEBUG=true: a newcomer's 404 is the Chinese page, not Django's English debug page
(issue #21); `make run` serves static files with `runserver --insecure`."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-0b7f3c9e6a2d41f8")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
# The demo signs in with a password alone; enrolling an authenticator stays possible (my account).
os.environ.setdefault("FENGQIAO_TOTP_REQUIRED", "false")
# Throwaway demo keys: never use them for real data.
os.environ.setdefault("FENGQIAO_PII_KEYS", "dev1:ZGV2LW9ubHktcGlpLWtleS0wMTIzNDU2Nzg5YWJjZGU=")
os.environ.setdefault("FENGQIAO_BLIND_INDEX_KEY", "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTAxMjM0NTY=")
# The demo's SMS (portal and signing codes) go to a file, one JSON line each: see the README.
os.environ.setdefault("FENGQIAO_SMS_BACKEND", "fengqiao.notifications.sms.FileBackend")

from fengqiao.settings.base import *  # noqa: F403

# Hashed names as in production, without the .gz/.br files: collectstatic (run by `make run`
# and the browser tests) takes 2 s of CPU instead of a minute spent on brotli.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
