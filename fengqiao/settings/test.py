"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL; fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-5d1e8a7c")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("FENGQIAO_PII_KEYS", "t1:dGVzdC1vbmx5LXBpaS1rZXktMDEyMzQ1Njc4OWFiY2Q=")
os.environ.setdefault("FENGQIAO_BLIND_INDEX_KEY", "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0wMTIzNDU=")
os.environ.setdefault("FENGQIAO_TOTP_REQUIRED", "false")  # the two-factor tests turn it on
os.environ.setdefault("FENGQIAO_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from fengqiao.settings.base import *  # noqa: F403

# Argon2 costs ~190 ms a hash here; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Uploaded and generated files of a test run go to a fresh temporary folder, never into var/.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(
    os.environ.get("FENGQIAO_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="fengqiao-test-media-")
)
FENGQIAO_CLASSIFIER_PATH = str(
    MEDIA_ROOT / "classifier.json"
)  # no trained model unless a test trains one
FENGQIAO_SENSITIVE_PERIODS = []  # tests set the calendar they need
# Tests fire hundreds of requests a minute from one address; the rate-limit tests lower these.
FENGQIAO_RATE_LIMITS = {"login": 100_000, "portal": 100_000, "api": 100_000}

# Tests render pages without running collectstatic first: plain names, files from the finders.
# fengqiao/core/tests/test_static_files.py runs collectstatic with the real storage.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = MEDIA_ROOT / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
