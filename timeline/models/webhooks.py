"""Webhooks for API consumers: where to tell them that published items changed, and every
delivery with its attempts, for the admin's delivery log."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

# What a webhook may be told of.
WEBHOOK_KINDS = ("published", "corrected", "retracted")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def all_kinds() -> list[str]:
    return list(WEBHOOK_KINDS)


class Webhook(models.Model):
    name = models.CharField(max_length=200, help_text="Whose endpoint it is, e.g. Example Daily.")
    url = models.URLField(max_length=2000, help_text="Where the POST goes (https, public host).")
    secret = models.CharField(
        max_length=200,
        default=new_secret,
        help_text="Signs each body: X-Timeline-Signature is sha256=HMAC-SHA256(secret, body) in "
        "hex. Give it to the consumer; change it to revoke.",
    )
    kinds = models.JSONField(
        default=all_kinds,
        help_text='What it is told of: any of "published", "corrected", "retracted".',
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, kind: str) -> bool:
        return self.active and kind in (self.kinds or [])


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting (or retrying)"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed after every attempt"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=20)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.kind} to {self.webhook} ({self.get_status_display()})"
