"""Deployment and security settings: what `check --deploy` and a browser would see."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        k: v for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                     "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set this for their own process
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "citiesalliance.settings",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
        "ALLOWED_HOSTS": "rbm.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    })
    run = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env["DJANGO_SETTINGS_MODULE"] = "citiesalliance.settings"
    run = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "Set SECRET_KEY in the environment" in run.stderr


def test_security_headers_on_every_page(client, committee):
    client.force_login(committee)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_scripts_in_templates():
    """CSP allows scripts from this site only: an inline <script> would silently not run."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for chunk in text.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_login_page_is_the_only_page_without_login(client, db):
    assert client.get(reverse("login")).status_code == 200
    for url in ("/", "/admin/", reverse("results:alignment_map"), reverse("results:result", args=["X"])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response.url


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, settings, make_user):
    settings.AXES_ENABLED = True
    user = make_user(username="victim")
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "victim", "password": "wrong"})
        assert response.status_code == 200
        assert "match. Please try again." in response.content.decode()
    # The limit-th failure locks the pair out; now even the right password is refused for a while.
    response = client.post(url, {"username": "victim", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(url, {"username": "victim", "password": "pw-for-tests"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    from axes.utils import reset
    reset(username=user.username)
    response = client.post(url, {"username": "victim", "password": "pw-for-tests"})
    assert response.status_code == 302
