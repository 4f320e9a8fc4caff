"""Actors, statements and events: the change forms editors fix drafts in, and their inlines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from timeline.admin.actions import (
    mark_key_selected,
    merge_selected,
    publish_selected,
    reject_selected,
    unmark_key_selected,
    unpublish_selected,
)
from timeline.models import (
    Actor,
    ActorAlias,
    Citation,
    Claim,
    EditorComment,
    Event,
    EventActor,
    EventCategory,
    Statement,
)
from timeline.services import editorial

if TYPE_CHECKING:
    from timeline.admin.actions import AdminAction


class EditorialForm(forms.ModelForm):
    """Adds what every edit of a timeline item needs: conflict detection and correction notes."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when changing a published item: what was corrected and why. "
        "Readers see it in the item's corrections record.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk:
            editorial.check_version(item=self.instance, expected=cleaned.get("expected_version"))
            if (
                self.instance.first_published_at
                and self.content_changes()
                and not (cleaned.get("correction_note") or "").strip()
            ):
                self.add_error(
                    "correction_note",
                    "This item has been published: say what you corrected, for readers.",
                )
        return cleaned

    def content_changes(self) -> dict[str, list[object]]:
        """Field → [before, after] as readers should read them: names, not database ids."""
        # Choosing key items rearranges story mode, and corrects nothing readers were told.
        ignored = {"expected_version", "correction_note", "status", "is_key"}
        return {
            name: [
                _readable(self.fields[name], self.initial.get(name)),
                _readable(self.fields[name], self.cleaned_data.get(name)),
            ]
            for name in self.changed_data
            if name not in ignored
        }


def _readable(field: forms.Field, value: object) -> str:
    if value is None:
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(str(item) for item in cast("Iterable[object]", value)))
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, Model):
        # The form's initial value of a foreign key is the related row's id.
        related = field.queryset.filter(pk=value).first() if field.queryset is not None else None
        value = related or value
    return str(value)


class EditorialAdmin(SimpleHistoryAdmin):
    """Shared behaviour for actors, statements and events."""

    form = EditorialForm
    actions: list[AdminAction] = [publish_selected, unpublish_selected, reject_selected]
    readonly_fields = (
        "provenance",
        "confidence",
        "version",
        "edited_by_editor",
        "reviewed_by",
        "reviewed_at",
        "first_published_at",
        "created_at",
        "updated_at",
    )

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"timeline.publish_{self.model._meta.model_name}")

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"timeline.merge_{self.model._meta.model_name}")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Editors edit drafts; changing what readers already see is a publisher's correction.
        if obj is not None and obj.first_published_at and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ("status",)
        return fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # As the API's edits do. The form checked the version in `clean`, where a conflict is
        # shown to the editor; the form set the fields, and the admin saves the relations next.
        editorial.item_update(
            item=obj,
            by=request.user,
            edited=form.has_changed(),
            note=form.cleaned_data.get("correction_note", ""),
            changes=form.content_changes(),
        )


class StatementSpeakerForm(EditorialForm):
    """The statements list's one-step fix: set who said it, straight from the list."""

    class Meta:
        model = Statement
        fields = ["speaker"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors.pop("correction_note", None):
            self.add_error(
                "speaker",
                "This statement is published: change its speaker from its own page, with a "
                "correction note for readers.",
            )
        return cleaned


class AttributionFilter(admin.SimpleListFilter):
    title = "attribution"
    parameter_name = "attribution"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("named", "A named speaker"),
            ("described", "An unnamed source"),
            ("unattributed", "Unattributed"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "named":
            return queryset.filter(speaker__isnull=False)
        if self.value() == "described":
            return queryset.filter(speaker__isnull=True).exclude(speaker_description="")
        if self.value() == "unattributed":
            return queryset.filter(speaker__isnull=True, speaker_description="")
        return queryset


@admin.display(description="Source as written")
def unnamed_source(obj: Statement) -> str:
    if obj.speaker_id is not None:
        return ""
    if obj.speaker_description:
        return format_html("<em>{}</em> (unnamed)", obj.speaker_description)
    return format_html("<strong>{}</strong>", "Unattributed")


@admin.display(description="Cited excerpt")
def excerpt_preview(obj: Citation) -> str:
    if obj.pk is None or obj.article_id is None:
        return "—"
    return format_html("<q>{}</q>", obj.excerpt)


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    # django-stubs allow only names here; Django also takes callables (see readonly_fields).
    fields = ("article", "start", "end", excerpt_preview, "provenance", "proposed")  # type: ignore[assignment]
    readonly_fields = (excerpt_preview, "provenance", "proposed")  # type: ignore[assignment]
    autocomplete_fields = ("article",)


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    autocomplete_fields = ("statement",)
    verbose_name = "claim or counter-claim"


class EditorCommentInline(admin.StackedInline):
    model = EditorComment
    extra = 1
    fields = ("body", "author", "created_at")
    readonly_fields = ("author", "created_at")
    verbose_name = "private editor comment"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # comments are a record: add new ones, do not rewrite old ones


class EventActorInline(admin.TabularInline):
    model = EventActor
    extra = 0
    autocomplete_fields = ("actor",)


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 0
    fields = ("name",)


@admin.register(Actor)
class ActorAdmin(EditorialAdmin):
    list_display = ("name", "kind", "title", "affiliation", "status", "provenance", "confidence")
    list_filter = ("status", "kind", "provenance")
    list_select_related = ("affiliation",)
    search_fields = ("name", "title", "aliases__name")
    autocomplete_fields = ("affiliation",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ActorAliasInline]
    actions = [*EditorialAdmin.actions, merge_selected]


@admin.register(Statement)
class StatementAdmin(EditorialAdmin):
    list_display = (
        "__str__",
        "speaker",
        unnamed_source,
        "kind",
        "date",
        "status",
        "is_key",
        "provenance",
        "confidence",
    )
    # Set the speaker of an unattributed or wrongly attributed quote in one step, from the list.
    list_editable = ("speaker",)
    list_filter = (AttributionFilter, "status", "is_key", "kind", "provenance", "crises")
    list_select_related = ("speaker",)
    search_fields = ("text", "speaker__name", "speaker_description", "medium")
    date_hierarchy = "date"
    autocomplete_fields = ("speaker",)
    filter_horizontal = ("crises",)
    inlines = [CitationInline]
    actions = [*EditorialAdmin.actions, mark_key_selected, unmark_key_selected]

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> type[forms.ModelForm]:
        return super().get_changelist_form(request, form=StatementSpeakerForm, **kwargs)


@admin.register(Event)
class EventAdmin(EditorialAdmin):
    list_display = (
        "title",
        "start_date",
        "date_precision",
        "category",
        "verification",
        "status",
        "is_key",
        "provenance",
        "confidence",
    )
    list_filter = (
        "status",
        "is_key",
        "category",
        "verification",
        "date_precision",
        "provenance",
        "crises",
    )
    list_select_related = ("category",)
    search_fields = ("title", "summary", "place")
    date_hierarchy = "start_date"
    filter_horizontal = ("crises",)
    inlines = [EventActorInline, CitationInline, ClaimInline, EditorCommentInline]
    actions = [*EditorialAdmin.actions, mark_key_selected, unmark_key_selected, merge_selected]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is EditorComment:
            for comment in formset.save(commit=False):
                if comment.pk is None:
                    saved = editorial.event_comment(
                        event=form.instance, author=request.user, body=comment.body
                    )
                    comment.pk = saved.pk
            return
        super().save_formset(request, form, formset, change)
        if formset.model is Claim:
            # A denial by a party flags the event as disputed, whoever entered it.
            claims = formset.queryset.model.objects.filter(event=form.instance)
            for claim in claims.select_related("statement__speaker"):
                if claim.stance == Claim.Stance.DENIES:
                    editorial.event_flag_disputed(
                        event=form.instance, denial=claim.statement, by=request.user
                    )


@admin.register(EventCategory)
class EventCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "colour", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ActorAlias)
class ActorAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "actor")
    list_select_related = ("actor",)
    search_fields = ("name", "actor__name")
    autocomplete_fields = ("actor",)


@admin.register(EventActor)
class EventActorAdmin(admin.ModelAdmin):
    list_display = ("event", "actor", "role")
    list_filter = ("role",)
    list_select_related = ("event", "actor")
    search_fields = ("event__title", "actor__name")
    autocomplete_fields = ("actor",)
    raw_id_fields = ("event",)
