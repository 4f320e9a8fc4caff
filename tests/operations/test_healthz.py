"""/healthz tells a load balancer whether this process can serve: plain JSON, 200 or 503."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.test import Client

from crisis import health

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/5"


def test_it_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert set(body["checks"]) == {"database"}  # no shared cache or broker configured


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_cursor() -> None:
        raise connection.Database.OperationalError(  # type: ignore[attr-defined]  # each backend sets its DB-API module
            "connection to db.internal:5432 refused"
        )

    monkeypatch.setattr(health, "check_database", broken_cursor)


@pytest.mark.usefixtures("database_down")
def test_it_is_unavailable_when_the_database_is_down_and_says_which_check_failed(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert "db.internal" not in response.content.decode()  # not why: that is for the logs
    assert "connection to db.internal:5432 refused" in caplog.text


@pytest.mark.usefixtures("database_down")
def test_staff_see_why_a_check_failed(client: Client, editor: Any) -> None:
    editor.is_staff = True
    editor.save()
    client.force_login(editor)

    response = client.get("/healthz")

    assert (
        "connection to db.internal:5432 refused" in response.json()["checks"]["database"]["error"]
    )


def test_it_checks_the_shared_cache_and_the_broker_when_configured(
    client: Client, settings: Settings
) -> None:
    settings.REDIS_URL = REDIS_TEST_URL
    settings.CELERY_BROKER_URL = REDIS_TEST_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
        }
    }
    from crisis.celery import app

    app.conf.broker_url = REDIS_TEST_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None

    assert response.status_code == 200, response.content
    assert set(response.json()["checks"]) == {"database", "cache", "broker"}


def test_a_broker_that_does_not_answer_is_a_503_naming_it(
    client: Client, settings: Settings
) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from crisis.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_it_only_answers_reads(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
