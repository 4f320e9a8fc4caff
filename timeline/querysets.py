"""Reads: every list the app shows is built from these QuerySet methods."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Substr

if TYPE_CHECKING:
    from timeline.models import Actor, Crisis


class EditorialQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(status="published")

    def drafts(self) -> Self:
        return self.filter(status="draft")

    def for_crisis(self, crisis: Crisis | int) -> Self:
        return self.filter(crises=crisis)


class ActorQuerySet(EditorialQuerySet):
    def matching_name(self, name: str) -> Self:
        """Actors whose canonical name or one of whose aliases matches `name`."""
        from timeline.models import alias_key

        key = alias_key(name)
        return self.filter(Q(name__iexact=name) | Q(aliases__key=key)).distinct()


class CitationQuerySet(models.QuerySet):
    def with_excerpt(self) -> Self:
        """Cut the excerpt in the database, so lists never load whole article texts."""
        return self.annotate(
            excerpt_text=Substr("article__text", F("start") + 1, F("end") - F("start"))
        )

    def for_display(self) -> Self:
        return (
            self.with_excerpt()
            .select_related("article__source", "article__publisher")
            .defer("article__text")
        )


class StatementQuerySet(EditorialQuerySet):
    def for_actor(self, actor: Actor | int) -> Self:
        return self.filter(speaker=actor)

    def between(self, start: dt.date | None, end: dt.date | None) -> Self:
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def with_related(self) -> Self:
        from timeline.models import Citation

        return self.select_related("speaker__affiliation").prefetch_related(
            Prefetch("citations", queryset=Citation.objects.for_display())
        )


class EventQuerySet(EditorialQuerySet):
    def between(self, start: dt.date | None, end: dt.date | None) -> Self:
        """Events whose span [start_date, end_date] overlaps [start, end]."""
        qs = self
        if start:
            qs = qs.filter(Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start))
        if end:
            qs = qs.filter(start_date__lte=end)
        return qs

    def for_actor(self, actor: Actor | int) -> Self:
        return self.filter(roles__actor=actor).distinct()

    def with_related(self) -> Self:
        from timeline.models import Citation, EventActor

        return self.select_related("category").prefetch_related(
            Prefetch("roles", queryset=EventActor.objects.select_related("actor")),
            Prefetch("citations", queryset=Citation.objects.for_display()),
        )

    def chronological(self) -> Self:
        return self.order_by("start_date", "id")


class ArticleQuerySet(models.QuerySet):
    def ingested(self) -> Self:
        return self.filter(ingestion_status="done")

    def failed(self) -> Self:
        return self.filter(ingestion_status="failed")

    def summaries(self) -> Self:
        """Articles for lists: everything but the (large) text."""
        return self.select_related("source", "publisher").defer("text")
