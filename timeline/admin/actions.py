"""Bulk actions on editorial items: publish, unpublish, reject, mark key, merge; each calls its
service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from timeline.models import (
    Actor,
)
from timeline.services import editorial, key_items, merges

if TYPE_CHECKING:
    from collections.abc import Callable

    # An admin action: it may answer with a page of its own, as the merge asks which to keep.
    AdminAction = Callable[[admin.ModelAdmin[Any], HttpRequest, QuerySet[Any]], HttpResponse | None]


@admin.action(description="Publish the selected items", permissions=["publish"])
def publish_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    changed = editorial.items_publish(items=queryset, by=request.user).items
    modeladmin.message_user(request, f"Published {changed} item(s).", messages.SUCCESS)


@admin.action(description="Unpublish the selected items (back to draft)", permissions=["publish"])
def unpublish_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    changed = editorial.items_unpublish(items=queryset, by=request.user)
    modeladmin.message_user(request, f"Unpublished {changed} item(s).", messages.SUCCESS)


@admin.action(description="Reject the selected items", permissions=["change"])
def reject_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    try:
        changed = editorial.items_reject(items=queryset, by=request.user)
    except PermissionDenied as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    modeladmin.message_user(request, f"Rejected {changed} item(s).", messages.SUCCESS)


@admin.action(description="Mark the selected items as key (story mode)", permissions=["change"])
def mark_key_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    _mark_key(modeladmin, request, queryset, key=True)


@admin.action(description="Unmark the selected items as key", permissions=["change"])
def unmark_key_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    _mark_key(modeladmin, request, queryset, key=False)


def _mark_key(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, *, key: bool
) -> None:
    try:
        changed = key_items.items_mark_key(items=queryset, key=key, by=request.user)
    except PermissionDenied as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    done = "Marked" if key else "Unmarked"
    modeladmin.message_user(request, f"{done} {changed} item(s) as key.", messages.SUCCESS)


@admin.action(description="Merge the selected items…", permissions=["merge"])
def merge_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    """Ask which of two items to keep, then fold the other into it."""
    items = list(queryset.order_by("pk")[:3])
    if len(items) != 2:
        modeladmin.message_user(request, "Select exactly two items to merge.", messages.ERROR)
        return None
    keep_id = request.POST.get("keep")
    if request.POST.get("confirm") and keep_id in {str(i.pk) for i in items}:
        keep = next(i for i in items if str(i.pk) == keep_id)
        merge = next(i for i in items if i is not keep)
        merge_service = merges.actor_merge if isinstance(keep, Actor) else merges.event_merge
        merge_service(keep=keep, merge=merge, by=request.user)
        modeladmin.message_user(
            request,
            f"Merged “{merge}” into “{keep}”. Undo it from Merges if it was a mistake.",
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": f"Merge two {modeladmin.model._meta.verbose_name_plural}",
        "items": items,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/timeline/merge_confirm.html", context)
