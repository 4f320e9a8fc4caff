"""The editors' tool: review what the machine extracted, fix it, publish it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html

from timeline import services
from timeline.extraction.article_text import ParseError
from timeline.forms import ArticleImportForm
from timeline.ingestion import pipeline
from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    Provenance,
    Source,
    Statement,
)

admin.site.site_header = "Crisis Timeline — editors"
admin.site.site_title = "Crisis Timeline"
admin.site.index_title = "Review, fix and publish"


@admin.action(description="Publish the selected items")
def publish_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    changed = services.items_publish(items=queryset, by=request.user)
    modeladmin.message_user(request, f"Published {changed} item(s).", messages.SUCCESS)


@admin.action(description="Reject the selected items")
def reject_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    changed = services.items_reject(items=queryset, by=request.user)
    modeladmin.message_user(request, f"Rejected {changed} item(s).", messages.SUCCESS)


class EditorialAdmin(admin.ModelAdmin):
    """Shared behaviour for actors, statements and events."""

    actions = [publish_selected, reject_selected]
    readonly_fields = (
        "provenance",
        "confidence",
        "edited_by_editor",
        "reviewed_by",
        "reviewed_at",
        "first_published_at",
        "created_at",
        "updated_at",
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # An editor's change protects a machine-made item from being overwritten by re-extraction.
        if change and obj.provenance == Provenance.MACHINE and form.has_changed():
            obj.edited_by_editor = True
        super().save_model(request, obj, form, change)


@admin.display(description="Cited excerpt")
def excerpt_preview(obj: Citation) -> str:
    if obj.pk is None or obj.article_id is None:
        return "—"
    return format_html("<q>{}</q>", obj.excerpt)


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ("article", "start", "end", excerpt_preview, "provenance")
    readonly_fields = (excerpt_preview, "provenance")
    autocomplete_fields = ("article",)


class EventActorInline(admin.TabularInline):
    model = EventActor
    extra = 0
    autocomplete_fields = ("actor",)


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 0
    fields = ("name",)


@admin.register(Crisis)
class CrisisAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "start_date", "end_date")
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "start_date"


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "url")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "ingestion_status", "language")
    list_filter = ("ingestion_status", "source", "crises", "language")
    list_select_related = ("source",)
    search_fields = ("title", "url", "byline")
    date_hierarchy = "published_at"
    autocomplete_fields = ("source", "publisher")
    filter_horizontal = ("crises",)
    readonly_fields = ("content_hash", "created_at", "updated_at")
    change_list_template = "admin/timeline/article/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        import_view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", import_view, name="timeline_article_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Paste, upload or link an article; show the drafts extracted from it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        outcomes: list[pipeline.Outcome] = []
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            outcomes = list(_import_outcomes(form))
            for outcome in outcomes:
                if not outcome.ok:
                    form.add_error(None, f"{outcome.label}: {outcome.error}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import article",
            "form": form,
            "outcomes": [o for o in outcomes if o.ok],
        }
        return TemplateResponse(request, "admin/timeline/article/import.html", context)


@admin.register(Actor)
class ActorAdmin(EditorialAdmin):
    list_display = ("name", "kind", "title", "affiliation", "status", "provenance", "confidence")
    list_filter = ("status", "kind", "provenance")
    list_select_related = ("affiliation",)
    search_fields = ("name", "title", "aliases__name")
    autocomplete_fields = ("affiliation",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ActorAliasInline]


@admin.register(Statement)
class StatementAdmin(EditorialAdmin):
    list_display = ("__str__", "kind", "date", "status", "provenance", "confidence")
    list_filter = ("status", "kind", "provenance", "crises")
    list_select_related = ("speaker",)
    search_fields = ("text", "speaker__name", "medium")
    date_hierarchy = "date"
    autocomplete_fields = ("speaker",)
    filter_horizontal = ("crises",)
    inlines = [CitationInline]


@admin.register(Event)
class EventAdmin(EditorialAdmin):
    list_display = (
        "title",
        "start_date",
        "date_precision",
        "category",
        "verification",
        "status",
        "provenance",
        "confidence",
    )
    list_filter = ("status", "category", "verification", "date_precision", "provenance", "crises")
    list_select_related = ("category",)
    search_fields = ("title", "summary", "place")
    date_hierarchy = "start_date"
    filter_horizontal = ("crises",)
    inlines = [EventActorInline, CitationInline]


@admin.register(EventCategory)
class EventCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "colour", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "event", "statement", "provenance")
    list_filter = ("provenance",)
    list_select_related = ("article", "event", "statement__speaker")
    search_fields = ("article__title", "event__title", "statement__text")
    autocomplete_fields = ("article",)
    raw_id_fields = ("event", "statement")
    readonly_fields = (excerpt_preview,)


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


def _import_outcomes(form: ArticleImportForm) -> list[pipeline.Outcome]:
    data = form.cleaned_data
    crises = [data["crisis"]] if data["crisis"] else []
    options = {
        "crises": crises,
        "published_at": data["published_at"],
        "source_name": data["source_name"],
        "force": data["force"],
    }
    if data["url"]:
        return list(pipeline.ingest_source(data["url"], **options))
    if data["file"]:
        upload = data["file"]
        label = upload.name
        try:
            content = pipeline.decode(upload.read(), name=label)
            articles = pipeline.parse_content(content, kind=pipeline.kind_of(label))
        except ParseError as exc:
            return [pipeline.Outcome(label=label, error=str(exc))]
    else:
        label = "pasted text"
        try:
            articles = pipeline.parse_content(data["text"], kind="auto")
        except ParseError as exc:
            return [pipeline.Outcome(label=label, error=str(exc))]
    return list(pipeline.ingest_parsed(articles, label=label, **options))
