"""Webhooks: publishing, correcting and retracting tell each subscribed endpoint, signed, with
retries until it answers, and a delivery log. The endpoint is served on loopback by the test."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.factories import make_event
from tests.ingestion.test_fetch import serving
from timeline.models import Event, Status, Webhook, WebhookDelivery
from timeline.services import editorial

pytestmark = pytest.mark.django_db


class Endpoint:
    """What the consumer's endpoint received, and the statuses it answers with, in turn."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []


ENDPOINT = Endpoint()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ENDPOINT.received.append((dict(self.headers.items()), body))
        status = ENDPOINT.answers.pop(0) if ENDPOINT.answers else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def endpoint_url() -> Iterator[str]:
    with serving(Handler) as url:
        yield url + "/hook"


@pytest.fixture(autouse=True)
def loopback(settings: Any) -> None:
    settings.INGEST_ALLOW_PRIVATE_URLS = True
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    ENDPOINT.__init__()  # type: ignore[misc]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[Callable[[], object]], None]:
    """Runs a change as if its transaction committed: what waits for the commit runs after."""

    def run(change: Callable[[], object]) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


def hook(url: str, **fields: Any) -> Webhook:
    return Webhook.objects.create(name="Example Daily", url=url, secret="s3cret", **fields)


def publish(event: Event) -> Callable[[], object]:
    return lambda: editorial.items_publish(items=Event.objects.filter(pk=event.pk), by=None)


Committed = Callable[[Callable[[], object]], None]


def test_publishing_posts_a_signed_notice_to_the_webhook(
    endpoint_url: str, committed: Committed
) -> None:
    hook(endpoint_url)
    event = make_event()

    committed(publish(event))

    [(headers, body)] = ENDPOINT.received
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Timeline-Signature"], expected)
    notice = json.loads(body)
    assert (notice["kind"], notice["type"]) == ("published", "event")
    assert notice["items"][0]["id"] == event.pk
    assert notice["items"][0]["url"].endswith(event.get_absolute_url())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 204)


def test_a_correction_and_a_retraction_are_told_too(
    endpoint_url: str, committed: Committed
) -> None:
    hook(endpoint_url)
    event = make_event(status=Status.PUBLISHED)
    event.first_published_at = event.created_at
    event.save()

    committed(
        lambda: editorial.item_correct(
            item=event, changes={"title": ["a", "b"]}, note="Fixed.", by=None
        )
    )
    committed(lambda: editorial.items_unpublish(items=Event.objects.filter(pk=event.pk), by=None))

    kinds = [json.loads(body)["kind"] for _, body in ENDPOINT.received]
    assert kinds == ["corrected", "retracted"]


def test_a_webhook_hears_only_the_kinds_it_asked_for(
    endpoint_url: str, committed: Committed
) -> None:
    hook(endpoint_url, kinds=["retracted"])
    hook(endpoint_url, active=False)

    committed(publish(make_event()))

    assert ENDPOINT.received == []
    assert not WebhookDelivery.objects.exists()


def test_an_endpoint_that_fails_is_retried_until_it_answers(
    endpoint_url: str, committed: Committed
) -> None:
    hook(endpoint_url)
    ENDPOINT.answers = [500, 503]

    committed(publish(make_event()))

    assert len(ENDPOINT.received) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)


def test_an_endpoint_that_never_answers_well_is_left_failed_with_its_error(
    endpoint_url: str, committed: Committed
) -> None:
    hook(endpoint_url)
    ENDPOINT.answers = [500, 500, 500, 500]

    committed(publish(make_event()))

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.error == "The endpoint answered 500."


def test_a_webhook_on_a_private_address_is_refused(
    endpoint_url: str, settings: Any, committed: Committed
) -> None:
    settings.INGEST_ALLOW_PRIVATE_URLS = False
    hook(endpoint_url)

    committed(publish(make_event()))

    assert ENDPOINT.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and "127.0.0.1" in delivery.error


def test_nothing_is_sent_when_the_publication_is_rolled_back(
    endpoint_url: str, committed: Committed
) -> None:
    from django.db import transaction

    hook(endpoint_url)
    event = make_event()

    def publish_then_fail() -> None:
        with transaction.atomic():
            publish(event)()
            raise RuntimeError("the editor's request failed after publishing")

    with pytest.raises(RuntimeError):
        committed(publish_then_fail)

    assert ENDPOINT.received == []
    assert not WebhookDelivery.objects.exists()
