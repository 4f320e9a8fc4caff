"""The cache is an optimisation: with Redis down, readers and API callers are served uncached
(issue 19 item 19), and the API's rate limits are counted in the shared cache when there is one
(item 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client
from django_redis import get_redis_connection
from rest_framework.test import APIClient

from tests.factories import make_actor, make_citation, make_crisis, make_event
from timeline.models import Status

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db

REDIS_DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1
REDIS_UP = "redis://127.0.0.1:6379/6"


def redis_cache(settings: Settings, url: str) -> None:
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }


@pytest.fixture
def published_event() -> None:
    crisis = make_crisis(slug="ru-ua")
    event = make_event(title="Russia moves troops", status=Status.PUBLISHED)
    event.crises.add(crisis)
    russia = make_actor(slug="russia", name="Russia", status=Status.PUBLISHED)
    event.roles.create(actor=russia, role="agent")
    make_citation(event=event)


@pytest.mark.usefixtures("published_event")
@pytest.mark.parametrize("path", ["/", "/crises/ru-ua/", "/actors/russia/", "/api/v1/events/"])
def test_with_redis_down_pages_and_the_api_are_served_uncached(
    client: Client, settings: Settings, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    redis_cache(settings, REDIS_DOWN)
    settings.RESPONSE_CACHE_SECONDS = 300  # the readers' cache is on, and cannot answer

    first = client.get(path)
    again = client.get(path)

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.content == again.content
    assert "Russia" in first.content.decode()


def test_with_redis_down_the_health_check_names_the_cache(
    client: Client, settings: Settings
) -> None:
    redis_cache(settings, REDIS_DOWN)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_the_api_rate_limit_is_counted_in_the_shared_cache(
    settings: Settings,
) -> None:
    redis_cache(settings, REDIS_UP)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "write": None},
    }
    cache.clear()
    try:
        # Two web processes share nothing but Redis: each client here stands for one.
        answers = [APIClient().get("/api/v1/events/").status_code for _ in range(3)]
        counted = get_redis_connection("default").keys("*throttle*")
    finally:
        cache.clear()

    assert answers == [200, 200, 429]
    assert counted  # the history is in Redis, where every process reads it


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.utils import CursorWrapper

    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


@pytest.mark.usefixtures("published_event")
@pytest.mark.parametrize(
    ("path", "kind"),
    [("/", "text/html"), ("/crises/ru-ua/", "text/html"), ("/api/v1/events/", "application/json")],
)
def test_with_the_database_down_readers_get_a_503_saying_when_to_come_back(
    request: pytest.FixtureRequest, path: str, kind: str
) -> None:
    client = Client(raise_request_exception=False)
    request.getfixturevalue("database_down")

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith(kind)
    assert "try again in 30 seconds" in response.content.decode()
    assert "5432" not in response.content.decode()


def test_any_other_failure_is_a_plain_500_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from timeline.api import views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views.EventViewSet, "list", broken)
    response = Client(raise_request_exception=False).get("/api/v1/events/")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "secret detail" not in response.content.decode()
