"""Settings for the test suite: the real settings with a test-only key and fast password hashing."""
import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# The test client and live_server speak plain HTTP; production's HTTPS settings are checked by
# tests/test_security.py with `check --deploy` in a production-like environment instead.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Login throttling is switched on in the tests that exercise it (the test client's login() calls
# authenticate() without a request, which django-axes refuses).
AXES_ENABLED = False

# The API's throttles stay on but out of the way of the suite's thousands of requests (schemathesis);
# tests/api/test_throttling.py lowers them to see a 429.
API_THROTTLE_USER = "1000000/hour"
API_THROTTLE_ANON = "1000000/hour"

# Background tasks run at once, inside the request or command that enqueues them; the tests of the
# database queue (tests/reminders/test_tasks.py) switch to django_tasks_db and run its worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
