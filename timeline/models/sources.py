"""Where the text comes from: outlets (sources) and the articles they published."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self, cast

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Least
from django.urls import reverse

from timeline.extraction.article_text.copies import is_copy, text_signature
from timeline.models.choices import Status, content_hash, slug_base
from timeline.models.editorial import Crisis

# How far apart two outlets print one wire story: the same day, or a weekly's next issue.
COPY_WINDOW_DAYS = 3


class SourceQuerySet(models.QuerySet["Source"]):
    def public(self) -> Self:
        """Outlets that reported or printed an article readers can see (`Article...public()`):
        one known only from drafts stays unlisted."""
        articles = Article.objects.public()
        return self.filter(
            Exists(articles.filter(source=OuterRef("pk")))
            | Exists(articles.filter(publisher=OuterRef("pk")))
        )


class Source(models.Model):
    class Kind(models.TextChoices):
        AGENCY = "agency", "News agency"
        NEWSPAPER = "newspaper", "Newspaper"
        BROADCASTER = "broadcaster", "Broadcaster"
        ONLINE = "online", "Online outlet"
        GOVERNMENT = "government", "Government"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True, help_text="The outlet, e.g. Reuters.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(blank=True, help_text="The outlet's home page.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slug_base(self.name, fallback="source")
        super().save(*args, **kwargs)


class ArticleQuerySet(models.QuerySet["Article"]):
    def public(self) -> Self:
        """Articles a published item cites (a confirmed citation): what readers may open, on the
        pages and in the API alike. One that only drafts cite is still in review."""
        # Citation is defined with the items, which import this module: reached by relation.
        citation = cast(type[models.Model], self.model._meta.get_field("citations").related_model)
        published = Q(event__status=Status.PUBLISHED) | Q(statement__status=Status.PUBLISHED)
        confirmed = citation._default_manager.filter(published, proposed=False)
        return self.filter(Exists(confirmed.filter(article=OuterRef("pk"))))

    def ingested(self) -> Self:
        return self.filter(ingestion_status=Article.IngestionStatus.DONE)

    def failed(self) -> Self:
        return self.filter(ingestion_status=Article.IngestionStatus.FAILED)

    def with_review_counts(self) -> Self:
        """Annotate what is left to review per article: drafts, proposed citations, and the
        lowest confidence among the drafts (`lowest_confidence`, 1 when there are none)."""
        draft_event = Q(citations__event__status=Status.DRAFT)
        draft_statement = Q(citations__statement__status=Status.DRAFT)
        lowest_event = Min("citations__event__confidence", filter=draft_event)
        lowest_statement = Min("citations__statement__confidence", filter=draft_statement)
        return self.annotate(
            draft_events=Count("citations__event", filter=draft_event, distinct=True),
            draft_statements=Count("citations__statement", filter=draft_statement, distinct=True),
            proposed_citations=Count(
                "citations", filter=Q(citations__proposed=True), distinct=True
            ),
            lowest_confidence=Least(
                Coalesce(lowest_event, Value(1.0)), Coalesce(lowest_statement, Value(1.0))
            ),
        )

    def awaiting_review(self) -> Self:
        """Articles with drafts or proposed citations left, least confident first."""
        return (
            self.with_review_counts()
            .filter(Q(draft_events__gt=0) | Q(draft_statements__gt=0) | Q(proposed_citations__gt=0))
            .order_by("lowest_confidence", "-published_at", "pk")
        )

    def copies_of(self, article: Article, *, days: int = COPY_WINDOW_DAYS) -> list[Article]:
        """The stored articles from other outlets that print `article`'s story (a wire story
        republished), published within `days` of it; only the fields that relate them loaded."""
        if not article.text_signature:
            return []
        window = dt.timedelta(days=days)
        candidates = (
            self.exclude(pk=article.pk)
            .filter(
                published_at__range=(article.published_at - window, article.published_at + window)
            )
            .only("id", "source", "publisher", "published_at", "text_signature")
            .select_related("source")
            .order_by("published_at", "pk")
        )
        return [c for c in candidates if is_copy(article.text_signature, c.text_signature)]

    def summaries(self) -> Self:
        """Articles for lists: everything but the (large) text."""
        return self.select_related("source", "publisher").defer("text")


class Article(models.Model):
    class IngestionStatus(models.TextChoices):
        PENDING = "pending", "Waiting to be processed"
        PROCESSING = "processing", "Being processed"
        DONE = "done", "Extracted"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Who reported the story (the agency for a wire story).",
    )
    publisher = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="republished_articles",
        help_text="Where it was published, when that differs from the source "
        "(a Reuters story republished by a newspaper).",
    )
    crises = models.ManyToManyField(Crisis, related_name="articles", blank=True)
    url = models.URLField(max_length=2000, blank=True, default="")
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True, help_text="The summary line under the headline.")
    byline = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(db_index=True)
    text = models.TextField(help_text="The article's plain text. Citations point into it.")
    caption = models.TextField(blank=True, help_text="Photo caption, kept apart from the text.")
    # The outlet's own picture, linked (never copied here): content, like the article's URL.
    image_url = models.URLField(
        "lead image",
        max_length=2000,
        blank=True,
        help_text="The article's lead image at the outlet (https), shown on story slides. Clear "
        "it if the picture should not be shown.",
    )
    image_caption = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the lead image shows, as the outlet describes it: the image's alt text.",
    )
    image_credit = models.CharField(
        max_length=300, blank=True, help_text='Who the lead image is by: "Reuters/Jane Doe".'
    )
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    text_signature = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="A sketch of the text's word runs, to find other outlets' copies of it.",
    )
    language = models.CharField(max_length=12, default="en")
    ingestion_status = models.CharField(
        max_length=12, choices=IngestionStatus.choices, default=IngestionStatus.PENDING
    )
    ingestion_error = models.TextField(blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who gave the app this article (empty: the system, a feed or the demo).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="article_url_unique_when_present",
                violation_error_message="An article with this URL is already stored.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.content_hash = content_hash(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "text" in update_fields:
            self.text_signature = text_signature(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("timeline:article", args=[self.pk])
