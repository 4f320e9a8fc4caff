"""Crises, outlets and articles: the import page (paste, upload, URL) and retrying an ingestion."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from timeline.admin import review
from timeline.admin.forms import ArticleImportForm
from timeline.extraction.article_text import ParseError
from timeline.ingestion import pipeline, sources
from timeline.models import (
    Article,
    Crisis,
    IngestBatch,
    Source,
)
from timeline.services import articles


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


@admin.action(description="Retry ingestion of the selected articles", permissions=["change"])
def retry_ingestion(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Article]
) -> None:
    """Extract again the selected articles whose ingestion failed or whose worker died."""
    done = Article.IngestionStatus.DONE
    skipped = queryset.filter(ingestion_status=done).count()
    retried = 0
    for article in queryset.exclude(ingestion_status=done).defer("text"):
        try:
            pipeline.article_retry(article=article)
        except articles.IngestError as exc:
            modeladmin.message_user(request, f"“{article.title}”: {exc}", messages.ERROR)
        else:
            retried += 1
    note = f"; {skipped} were extracted already (ingest them with force to redo)" if skipped else ""
    modeladmin.message_user(request, f"Retried {retried} article(s){note}.", messages.INFO)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "ingestion_status", "language")
    list_filter = ("ingestion_status", "source", "crises", "language")
    list_select_related = ("source",)
    search_fields = ("title", "url", "byline")
    date_hierarchy = "published_at"
    autocomplete_fields = ("source", "publisher")
    filter_horizontal = ("crises",)
    readonly_fields = ("content_hash", "imported_by", "created_at", "updated_at")
    change_list_template = "admin/timeline/article/change_list.html"
    actions = [retry_ingestion]

    def get_urls(self) -> list[URLPattern]:
        def wrap(view: Any) -> Any:
            return self.admin_site.admin_view(view)

        return [
            path("import/", wrap(self.import_view), name="timeline_article_import"),
            path("review/", wrap(self.review_queue_view), name="timeline_article_review_queue"),
            path("<int:pk>/review/", wrap(self.review_view), name="timeline_article_review"),
            *super().get_urls(),
        ]

    def review_queue_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return review.queue_view(self, request)

    def review_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("timeline.change_event"):
            raise PermissionDenied
        return review.article_view(self, request, pk)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Paste, upload or link an article; show the drafts extracted from it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        outcomes: list[pipeline.Outcome] = []
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            imported = _import_outcomes(form, by=request.user)
            if isinstance(imported, IngestBatch):
                self.message_user(
                    request,
                    f"{imported.articles.count()} article(s) handed to the workers as one batch; "
                    "this page shows how far they are.",
                    messages.SUCCESS,
                )
                return redirect("admin:timeline_ingestbatch_change", imported.pk)
            outcomes = imported
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


def _import_outcomes(form: ArticleImportForm, *, by: Any) -> list[pipeline.Outcome] | IngestBatch:
    """What importing the form's article(s) came to; a file of more than INGEST_INLINE_MAX
    articles goes to the workers as a batch, off the request."""
    data = form.cleaned_data
    crises = [data["crisis"]] if data["crisis"] else []
    options = {
        "by": by,
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
            content = sources.decode(upload.read(), name=label)
            parsed_articles = sources.parse_content(content, kind=sources.kind_of(label))
        except ParseError as exc:
            return [pipeline.Outcome(label=label, error=str(exc))]
        if len(parsed_articles) > settings.INGEST_INLINE_MAX:
            items = [
                pipeline.BatchItem(
                    parsed=parsed,
                    label=f"record {number} of {label}",
                    published_at=options["published_at"],
                    crises=crises,
                    source_name=options["source_name"],
                    force=options["force"],
                )
                for number, parsed in enumerate(parsed_articles, start=1)
            ]
            return pipeline.enqueue_batch(items, label=label, by=by)
    else:
        label = "pasted text"
        try:
            parsed_articles = sources.parse_content(data["text"], kind="auto")
        except ParseError as exc:
            return [pipeline.Outcome(label=label, error=str(exc))]
    return list(pipeline.ingest_parsed(parsed_articles, label=label, **options))


@admin.action(
    description="Retry the failed articles of the selected batches", permissions=["change"]
)
def retry_failed(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[IngestBatch]
) -> None:
    requeued = sum(pipeline.batch_retry(batch=batch) for batch in queryset)
    modeladmin.message_user(request, f"{requeued} failed article(s) queued again.", messages.INFO)


@admin.register(IngestBatch)
class IngestBatchAdmin(admin.ModelAdmin):
    """Many articles handed over at once: how far the workers are, and what failed and why."""

    list_display = ("label", "created_by", "created_at", "done", "failed", "pending", "refusals")
    list_select_related = ("created_by",)
    search_fields = ("label",)
    readonly_fields = ("label", "created_by", "created_at", "progress_table", "refused")
    fields = readonly_fields
    actions = [retry_failed]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # batches come from the import page and the API

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestBatch]:
        status = Article.IngestionStatus
        waiting = [status.PENDING, status.PROCESSING]
        return (
            super()
            .get_queryset(request)
            .annotate(
                done_count=Count("articles", filter=Q(articles__ingestion_status=status.DONE)),
                failed_count=Count("articles", filter=Q(articles__ingestion_status=status.FAILED)),
                pending_count=Count("articles", filter=Q(articles__ingestion_status__in=waiting)),
            )
        )

    @admin.display(description="done", ordering="done_count")
    def done(self, batch: Any) -> int:
        return int(batch.done_count)

    @admin.display(description="failed", ordering="failed_count")
    def failed(self, batch: Any) -> int:
        return int(batch.failed_count)

    @admin.display(description="waiting", ordering="pending_count")
    def pending(self, batch: Any) -> int:
        return int(batch.pending_count)

    @admin.display(description="refused")
    def refusals(self, batch: IngestBatch) -> int:
        return len(batch.refused)

    @admin.display(description="Articles")
    def progress_table(self, batch: IngestBatch) -> str:
        rows = batch.articles.order_by("pk").values_list(
            "pk", "title", "ingestion_status", "ingestion_error"
        )
        return format_html(
            "<table><tr><th>Article</th><th>Status</th><th>Error</th></tr>{}</table>",
            format_html_join(
                "",
                '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
                (
                    (reverse("admin:timeline_article_change", args=[pk]), title, status, error)
                    for pk, title, status, error in rows
                ),
            ),
        )
