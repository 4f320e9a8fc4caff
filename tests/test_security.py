"""Security headers, production settings, login throttling, passwords and request limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Logging in dozens of times with PBKDF2 takes seconds; the throttling is what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# Headers


@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_every_page_carries_a_strict_content_security_policy(client: Client, url: str) -> None:
    response = client.get(url)
    policy = csp_directives(response["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline scripts, no eval, no other origins
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_pages_refuse_framing_sniffing_and_leaking_the_referrer(client: Client) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def production_settings(**env: str) -> dict[str, Any]:
    """The settings a production process would run with, read in a fresh interpreter."""
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "ALLOWED_HOSTS",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_https_is_enforced() -> None:
    values = production_settings(
        DEBUG="0", SECRET_KEY="s" * 60, ALLOWED_HOSTS="timeline.example.org"
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["ALLOWED_HOSTS"] == ["timeline.example.org"]


def test_production_responses_carry_hsts(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_session_cookie_is_httponly(client: Client, editor: User) -> None:
    response = client.post(
        reverse("admin:login"), {"username": "erin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"] is True


# Logins


def try_login(client: Client, password: str, username: str = "erin") -> int:
    response = client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )
    return response.status_code


def test_it_locks_out_a_password_guesser_after_five_failures(client: Client, editor: User) -> None:
    for _ in range(4):
        assert try_login(client, "guess") == 200  # the login form again, with an error
    assert try_login(client, "guess") == 429

    # Locked out: even the right password is refused for now, with a sentence saying why.
    response = client.post(reverse("admin:login"), {"username": "erin", "password": PASSWORD})
    assert response.status_code == 429
    assert "Wait 15 minutes and try again" in response.content.decode()


def test_a_stranger_guessing_cannot_lock_an_editor_out_from_elsewhere(
    client: Client, editor: User
) -> None:
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        try_login(stranger, "guess")
    assert try_login(stranger, PASSWORD) == 429
    assert try_login(client, PASSWORD) == 302


def test_a_successful_login_forgets_earlier_failures(client: Client, editor: User) -> None:
    for _ in range(4):
        try_login(client, "typo")
    assert try_login(client, PASSWORD) == 302
    client.logout()
    for _ in range(4):
        assert try_login(client, "typo") == 200


def test_client_login_in_tests_passes_the_request(client: Client, editor: User) -> None:
    # django-axes needs the request to count attempts; force_login needs nothing.
    assert client.login(request=HttpRequest(), username="erin", password=PASSWORD)


@pytest.mark.parametrize(
    "password",
    ["short", "password1234", "123456789012", "erin@example.org1"],
    ids=["too-short", "common", "numeric", "like-the-email"],
)
def test_weak_passwords_are_refused(password: str, editor: User) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_a_long_passphrase_is_accepted(editor: User) -> None:
    validate_password("river-lantern-quietly-orbit", user=editor)


# Request limits


def test_an_oversized_form_body_is_refused_before_any_view_runs(
    client: Client, editor: User, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(reverse("admin:login"), {"username": "erin", "password": "x" * 4096})
    assert response.status_code == 400


def test_the_body_limit_leaves_room_for_one_article(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.INGEST_MAX_BYTES
