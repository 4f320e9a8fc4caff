"""The actor directory in the admin: people, the names they go by, the roles they held and when."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from timeline.models import DirectoryAlias, DirectoryEntry, DirectoryRole


class DirectoryAliasInline(admin.TabularInline):
    model = DirectoryAlias
    extra = 1


class DirectoryRoleInline(admin.TabularInline):
    model = DirectoryRole
    extra = 1
    fields = ["title", "affiliation", "valid_from", "valid_to", "origin", "seen", "last_seen"]
    readonly_fields = ["origin", "seen", "last_seen"]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "roles_held", "updated_at"]
    search_fields = ["name", "aliases__name", "roles__title", "roles__affiliation"]
    list_filter = ["roles__origin"]
    inlines = [DirectoryAliasInline, DirectoryRoleInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DirectoryEntry]:
        return super().get_queryset(request).annotate(role_count=Count("roles", distinct=True))

    @admin.display(description="Roles", ordering="role_count")
    def roles_held(self, entry: Any) -> int:
        return int(entry.role_count)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is DirectoryRole:
            # A role an editor adds or changes is their word: it beats what articles printed.
            for role_form in formset.forms:
                if role_form.has_changed() and isinstance(role_form.instance, DirectoryRole):
                    role_form.instance.origin = DirectoryRole.Origin.EDITOR
        super().save_formset(request, form, formset, change)
