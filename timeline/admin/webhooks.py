"""Webhooks and their delivery log. Only superusers see them: a webhook's secret signs what the
site tells its consumers."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from timeline.models import Webhook, WebhookDelivery


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ("created_at", "kind", "status", "attempts", "response_status", "error")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Deliveries (latest first)"


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "url")
    inlines = [WebhookDeliveryInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("webhook", "kind", "status", "attempts", "response_status", "created_at")
    list_filter = ("status", "kind", "webhook")
    list_select_related = ("webhook",)
    readonly_fields = (
        "webhook",
        "kind",
        "payload",
        "status",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "delivered_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # deliveries come from publications, corrections and retractions
