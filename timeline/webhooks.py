"""Webhooks: API consumers told of every publication, correction and retraction.

The editorial services announce each change (`services.signals.items_changed`); for every
active webhook that wants that kind, a `WebhookDelivery` is stored in the same transaction and
queued once it commits. A delivery is a POST of JSON, signed with the webhook's secret
(`X-Timeline-Signature: sha256=<hex HMAC-SHA256 of the body>`), through the same SSRF-safe
network code as article fetching; any answer but a 2xx is retried after WEBHOOK_RETRY_BACKOFF
seconds, doubled each time, WEBHOOK_MAX_ATTEMPTS attempts in all, then the delivery is failed
with its error in the admin's delivery log.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model
from django.urls import NoReverseMatch
from django.utils import timezone

from timeline.ingestion.fetch import FetchError, post_json
from timeline.models import Webhook, WebhookDelivery

SIGNATURE_HEADER = "X-Timeline-Signature"


def signature(secret: str, body: bytes) -> str:
    """What a consumer recomputes to trust a delivery: compare with `hmac.compare_digest`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def on_items_changed(*, kind: str, model: type[Model], pks: list[int], **_: Any) -> None:
    """Store a delivery for each webhook that wants `kind`, queued when the change commits."""
    hooks = [hook for hook in Webhook.objects.filter(active=True) if hook.wants(kind)]
    if not hooks:
        return
    payload = {
        "kind": kind,
        "type": model._meta.model_name,
        "items": [_item(model, pk) for pk in sorted(pks)],
        "at": timezone.now().isoformat(),
    }
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(webhook=hook, kind=kind, payload=payload)
        transaction.on_commit(functools.partial(_queue, delivery.pk))


def _item(model: type[Model], pk: int) -> dict[str, object]:
    site = settings.SITE_URL.rstrip("/")
    item: dict[str, object] = {"id": pk}
    try:
        instance = model._default_manager.only("pk").get(pk=pk)
        item["url"] = site + instance.get_absolute_url()  # type: ignore[attr-defined]
    except (AttributeError, NoReverseMatch, model.DoesNotExist):  # type: ignore[attr-defined]
        pass
    return item


def _queue(delivery_id: int) -> None:
    from timeline.tasks import deliver_webhook

    deliver_webhook.delay(delivery_id)


def delivery_attempt(*, delivery_id: int) -> bool:
    """POST one delivery once; True when it is done (delivered, failed for good, or gone),
    False when it should be tried again."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return True
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        SIGNATURE_HEADER: signature(delivery.webhook.secret, body),
        "X-Timeline-Kind": delivery.kind,
        "X-Timeline-Delivery": str(delivery.pk),
        "User-Agent": "CrisisTimeline/0.1 (webhook)",
    }
    status_code: int | None = None
    error = ""
    try:
        status_code = post_json(
            delivery.webhook.url, body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT
        )
        if not 200 <= status_code < 300:
            error = f"The endpoint answered {status_code}."
    except FetchError as exc:
        error = str(exc)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    delivery.refresh_from_db(fields=["attempts"])
    if not error:
        status = WebhookDelivery.Status.DELIVERED
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        status = WebhookDelivery.Status.FAILED
    else:
        status = WebhookDelivery.Status.PENDING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status,
        response_status=status_code,
        error=error,
        delivered_at=timezone.now() if status == WebhookDelivery.Status.DELIVERED else None,
    )
    return status != WebhookDelivery.Status.PENDING
