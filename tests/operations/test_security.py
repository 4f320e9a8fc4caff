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

ROOT = Path(__file__).resolve().parents[2]
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


def test_an_address_guessing_many_user_names_is_locked_out(
    client: Client, editor: User, settings: Any
) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert try_login(guesser, "guess", username=f"user{n}") == 200

    assert try_login(guesser, "guess", username="one-more") == 429
    assert try_login(guesser, PASSWORD) == 429
    assert try_login(client, PASSWORD) == 302  # from elsewhere, the editor still gets in


def test_an_address_shared_by_a_newsroom_allows_a_few_typos_each(
    editor: User, settings: Any
) -> None:
    office = Client(REMOTE_ADDR="198.51.100.20")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        try_login(office, "typo", username=f"colleague{n % 6}")

    assert try_login(office, PASSWORD) == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "127.0.0.1"),  # no proxy of ours: the header is the client's own word
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # what our proxy saw, not the spoof
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "127.0.0.1"),  # fewer hops than proxies: do not trust it
    ],
)
def test_login_throttling_counts_the_client_behind_our_proxies(
    monkeypatch: pytest.MonkeyPatch, proxies: int, forwarded: str, expected: str
) -> None:
    from django.test import RequestFactory

    import crisis.settings

    monkeypatch.setattr(crisis.settings, "TRUSTED_PROXIES", proxies)
    request = RequestFactory().post("/admin/login/", HTTP_X_FORWARDED_FOR=forwarded)
    assert crisis.settings.axes_client_ip(request) == expected


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
    [
        "short",
        "password1234",
        "123456789012",
        "erin@example.org1",
        "aaaaaaaaaaaa",
        " " * 12,
        "qwertyuiop12",
        "abcabcabcabc",
    ],
    ids=[
        "too-short",
        "common",
        "numeric",
        "like-the-email",
        "one-letter-repeated",
        "twelve-spaces",
        "keyboard-run",
        "repeated-pattern",
    ],
)
def test_weak_passwords_are_refused(password: str, editor: User) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_a_long_passphrase_is_accepted(editor: User) -> None:
    validate_password("river-lantern-quietly-orbit", user=editor)


# Request limits


def test_the_body_limit_leaves_room_for_one_article(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.INGEST_MAX_BYTES


# Bad input: every mistake is a 4xx with a sentence, never a 500


@pytest.fixture
def editor_api_client(editor: User) -> Any:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(editor)
    return client


def event_body(**fields: Any) -> str:
    return json.dumps({"title": "t", "start_date": "2022-02-11", "category": "military", **fields})


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/v1/events/?date_from=notadate", 400),
        ("/api/v1/events/?date_from=99999-01-01", 400),
        ("/api/v1/events/?date_to=2022-02-30", 400),
        ("/api/v1/events/?page_size=1000000000", 400),
        ("/api/v1/events/?page_size=-5", 400),
        ("/api/v1/events/?cursor=garbage%00", 400),
        ("/api/v1/events/?category=%3Cscript%3E", 400),
        ("/api/v1/events/?q=" + "a" * 5000, 400),
        ("/api/v1/events/?updated_since=yesterday", 400),
        ("/api/v1/events/abc/", 404),
        ("/api/v1/events/99999999999999999999999/", 404),
        ("/api/v1/changes/?since=notatime", 400),
    ],
    ids=lambda v: str(v)[:40],
)
def test_bad_query_parameters_get_a_4xx_with_a_sentence(
    client: Client, url: str, code: int
) -> None:
    response = client.get(url)
    assert response.status_code == code
    assert response.json()["detail"].endswith(".")


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe\x00",
        json.dumps([1, 2]),
        event_body(title={"a": 1}),
        event_body(title="t" * 100_000),
        event_body(title="t\x00"),
        event_body(start_date="2022-02-30"),
        event_body(start_date="99999-01-01"),
        event_body(end_date="2022-02-10"),
        event_body(crises="not-a-list"),
        event_body(category=None),
        event_body(actors=[{"actor": "nobody", "role": "king"}]),
        event_body(citations=[{"article": 1, "start": -1, "end": 10**30}]),
    ],
    ids=lambda v: str(v)[:40],
)
def test_bad_api_bodies_get_a_400_with_a_sentence(editor_api_client: Any, body: Any) -> None:
    response = editor_api_client.generic(
        "POST", "/api/v1/events/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_deeply_nested_json_gets_a_400(editor_api_client: Any) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    response = editor_api_client.generic(
        "POST", "/api/v1/events/", data=deep, content_type="application/json"
    )
    assert response.status_code == 400


def test_an_oversized_api_body_gets_a_413_with_a_sentence(
    editor_api_client: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = editor_api_client.generic(
        "POST",
        "/api/v1/events/",
        data=event_body(summary="x" * 20_000),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The request body is larger than the 10,000 bytes allowed; send less at a time."
    )


def test_an_oversized_form_gets_a_page_saying_why(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(reverse("admin:login"), {"username": "x" * 4096})
    assert response.status_code == 413
    assert "send less at a time" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["?date_from=2022-99-99", "?category=%3Cb%3E", "?q=" + "a" * 10_000],
    ids=["bad-date", "unknown-category", "huge-search"],
)
def test_bad_filters_on_the_timeline_page_get_a_400(client: Client, query: str) -> None:
    from tests.factories import make_crisis

    crisis = make_crisis()
    assert client.get(f"/crises/{crisis.slug}/{query}").status_code == 400


def test_an_admin_form_with_an_impossible_date_says_so(editor_client: Client) -> None:
    response = editor_client.post(
        reverse("admin:timeline_event_add"),
        {"title": "t", "start_date": "2022-02-30", "category": 1},
    )
    assert response.status_code == 200  # the form again, with the error beside the field
    assert "Enter a valid date." in response.content.decode()
