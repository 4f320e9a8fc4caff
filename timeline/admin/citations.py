"""Citations (confirm or split the machine's proposals), claims, corrections, comments, merges."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from timeline.admin.items import excerpt_preview
from timeline.models import (
    Citation,
    Claim,
    Correction,
    EditorComment,
    Merge,
)
from timeline.services import citations, editorial, merges


@admin.action(description="Confirm: they report the same thing", permissions=["change"])
def confirm_citations(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    for citation in queryset.filter(proposed=True):
        citations.citation_confirm(citation=citation, by=request.user)
    modeladmin.message_user(request, "Confirmed the proposed citations.", messages.SUCCESS)


@admin.action(description="Split: make each an item of its own", permissions=["change"])
def split_citations(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    made = [
        citations.citation_split(citation=c, by=request.user)
        for c in queryset.filter(proposed=True)
    ]
    modeladmin.message_user(request, f"Split off {len(made)} new draft item(s).", messages.SUCCESS)


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "event", "statement", "provenance", "proposed")
    list_filter = ("proposed", "provenance")
    list_select_related = ("article", "event", "statement__speaker")
    search_fields = ("article__title", "event__title", "statement__text")
    autocomplete_fields = ("article",)
    raw_id_fields = ("event", "statement")
    readonly_fields = (excerpt_preview, "proposed", "proposal")
    actions = [confirm_citations, split_citations]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("statement", "stance", "event")
    list_filter = ("stance",)
    list_select_related = ("statement__speaker", "event")
    autocomplete_fields = ("statement",)
    raw_id_fields = ("event",)

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        editorial.claim_link(
            event=obj.event, statement=obj.statement, stance=obj.stance, by=request.user
        )


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("note", "event", "statement", "actor", "corrected_by", "created_at")
    list_select_related = ("event", "statement", "actor", "corrected_by")
    readonly_fields = ("event", "statement", "actor", "changes", "corrected_by", "created_at")
    search_fields = ("note",)
    date_hierarchy = "created_at"


@admin.register(EditorComment)
class EditorCommentAdmin(admin.ModelAdmin):
    list_display = ("body", "event", "author", "created_at")
    list_select_related = ("event", "author")
    readonly_fields = ("author", "created_at")
    raw_id_fields = ("event",)
    search_fields = ("body", "event__title")


@admin.action(description="Undo the selected merges", permissions=["change"])
def undo_merges(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for merge in queryset.filter(undone_at__isnull=True):
        merges.merge_undo(merge=merge, by=request.user)
    modeladmin.message_user(request, "Undid the selected merges.", messages.SUCCESS)


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "merged_by", "created_at", "undone_at")
    list_filter = ("kind",)
    readonly_fields = (
        "kind",
        "kept_id",
        "merged_id",
        "merged_name",
        "undo",
        "merged_by",
        "created_at",
        "undone_at",
    )
    actions = [undo_merges]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # merges are made from the actor and event lists
