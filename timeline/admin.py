"""The editors' tool: review what the machine extracted, fix it, publish it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from timeline import review
from timeline.extraction.article_text import ParseError
from timeline.forms import ArticleImportForm
from timeline.ingestion import pipeline, sources
from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Claim,
    Correction,
    Crisis,
    EditorComment,
    Event,
    EventActor,
    EventCategory,
    Merge,
    Source,
    Statement,
)
from timeline.services import articles, citations, editorial, merges

admin.site.site_header = "Crisis Timeline — editors"
admin.site.site_title = "Crisis Timeline"
admin.site.index_title = "Review, fix and publish"


@admin.action(description="Publish the selected items", permissions=["publish"])
def publish_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    changed = editorial.items_publish(items=queryset, by=request.user)
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
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/timeline/merge_confirm.html", context)


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
        cleaned = super().clean()
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
        ignored = {"expected_version", "correction_note", "status"}
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
        return ", ".join(sorted(str(item) for item in value))  # type: ignore[attr-defined]
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, Model):
        # The form's initial value of a foreign key is the related row's id.
        value = field.queryset.filter(pk=value).first() or value  # type: ignore[union-attr]
    return str(value)


class EditorialAdmin(SimpleHistoryAdmin):
    """Shared behaviour for actors, statements and events."""

    form = EditorialForm
    actions = [publish_selected, unpublish_selected, reject_selected]
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


@admin.display(description="Cited excerpt")
def excerpt_preview(obj: Citation) -> str:
    if obj.pk is None or obj.article_id is None:
        return "—"
    return format_html("<q>{}</q>", obj.excerpt)


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ("article", "start", "end", excerpt_preview, "provenance", "proposed")
    readonly_fields = (excerpt_preview, "provenance", "proposed")
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
    readonly_fields = ("content_hash", "created_at", "updated_at")
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
    actions = [*EditorialAdmin.actions, merge_selected]


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
    inlines = [EventActorInline, CitationInline, ClaimInline, EditorCommentInline]
    actions = [*EditorialAdmin.actions, merge_selected]

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
            for claim in formset.queryset.model.objects.filter(event=form.instance):
                if claim.stance == Claim.Stance.DENIES:
                    editorial.event_flag_disputed(event=form.instance)


@admin.register(EventCategory)
class EventCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "colour", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


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
            content = sources.decode(upload.read(), name=label)
            parsed_articles = sources.parse_content(content, kind=sources.kind_of(label))
        except ParseError as exc:
            return [pipeline.Outcome(label=label, error=str(exc))]
    else:
        label = "pasted text"
        try:
            parsed_articles = sources.parse_content(data["text"], kind="auto")
        except ParseError as exc:
            return [pipeline.Outcome(label=label, error=str(exc))]
    return list(pipeline.ingest_parsed(parsed_articles, label=label, **options))
