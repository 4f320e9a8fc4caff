"""Watched feeds: what each follows, when it was last polled and how that went, every entry seen."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from timeline.models import FeedEntry, FeedPoll, WatchedFeed
from timeline.services import feeds


class FeedPollInline(admin.TabularInline):
    model = FeedPoll
    fields = ("polled_at", "status", "http_status", "entries", "new_entries", "ingested", "error")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "Polls (latest first)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[FeedPoll]:
        return super().get_queryset(request).order_by("-polled_at", "-pk")


@admin.action(description="Poll the selected feeds now", permissions=["change"])
def poll_now(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[WatchedFeed]
) -> None:
    """Make them due: the next beat tick (or `manage.py poll_feeds`) polls them."""
    count = feeds.feed_schedule_now(feeds=list(queryset))
    modeladmin.message_user(
        request,
        f"{count} feed(s) will be polled at the next tick of the poller (within a minute).",
        messages.INFO,
    )


@admin.register(WatchedFeed)
class WatchedFeedAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "crisis",
        "kind",
        "active",
        "status",
        "last_polled_at",
        "next_poll_at",
        "entries_found",
        "failures",
        "auto_publish",
    )
    list_filter = ("crisis", "status", "active", "kind", "auto_publish")
    list_select_related = ("crisis",)
    search_fields = ("name", "url", "outlet")
    readonly_fields = (
        "status",
        "last_polled_at",
        "next_poll_at",
        "last_error",
        "failures",
        "entries_found",
        "etag",
        "last_modified",
    )
    fieldsets = (
        (None, {"fields": ("crisis", "name", "url", "kind", "outlet", "keywords", "sections")}),
        ("Polling", {"fields": ("active", "interval_minutes")}),
        ("Publishing", {"fields": ("auto_publish", "auto_publish_confidence")}),
        ("Last polls", {"fields": readonly_fields}),
    )
    inlines = [FeedPollInline]
    actions = [poll_now]

    def get_readonly_fields(self, request: HttpRequest, obj: WatchedFeed | None = None) -> Any:
        """Auto-publish publishes without review: only publishers may turn it on or tune it."""
        fields = tuple(super().get_readonly_fields(request, obj))
        if not feeds.can_auto_publish(request.user):
            fields += ("auto_publish", "auto_publish_confidence")
        return fields


@admin.register(FeedEntry)
class FeedEntryAdmin(admin.ModelAdmin):
    list_display = ("title", "feed", "status", "attempts", "first_seen_at", "article")
    list_filter = ("status", "feed")
    list_select_related = ("feed", "article")
    search_fields = ("title", "url", "key")
    readonly_fields = (
        "feed",
        "key",
        "url",
        "title",
        "status",
        "attempts",
        "error",
        "article",
        "first_seen_at",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries come from polls only
