"""Reads: every list the app shows is built from these QuerySet methods."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Count, F, Min, Prefetch, Q, Value
from django.db.models.functions import Coalesce, Least, Substr, Trunc

if TYPE_CHECKING:
    from timeline.models import Actor, Crisis


# Timeline items sort by (date, rank, id): on one day, events (rank 0) come before statements
# (rank 1). A reading window starts after or ends before such a key; see `after` and `before`.
ChronologyKey = tuple[dt.date, int, int]

DENSITY_UNITS = ("day", "week", "month", "year")


def _keyset(field: str, rank: int, key: ChronologyKey, *, after: bool) -> Q:
    """Rows of one kind (all of `rank`) that sort strictly after (or before) `key`."""
    date, key_rank, pk = key
    op = "gt" if after else "lt"
    same_day = Q(**{field: date})
    if rank == key_rank:
        same_day &= Q(**{f"pk__{op}": pk})
    elif (rank > key_rank) != after:
        # Every row of this kind on that day sorts on the other side of the key.
        same_day = Q(pk__in=[])
    # The redundant bound lets the (status, date, id) index start its range at the key's day;
    # with the OR alone, SQLite walks the index from the far end (0.8 s at 100,000 events).
    return Q(**{f"{field}__{op}e": date}) & (Q(**{f"{field}__{op}": date}) | same_day)


class ChronologyMixin:
    """Keyset paging and density for anything placed on the timeline by a date field."""

    date_field: str
    rank: int

    def after(self, key: ChronologyKey) -> Self:
        return self.filter(_keyset(self.date_field, self.rank, key, after=True))  # type: ignore[attr-defined,no-any-return]

    def before(self, key: ChronologyKey) -> Self:
        return self.filter(_keyset(self.date_field, self.rank, key, after=False))  # type: ignore[attr-defined,no-any-return]

    def forwards(self) -> Self:
        return self.order_by(self.date_field, "id")  # type: ignore[attr-defined,no-any-return]

    def backwards(self) -> Self:
        return self.order_by(f"-{self.date_field}", "-id")  # type: ignore[attr-defined,no-any-return]

    def density(self, unit: str = "day", by: str | None = None) -> models.QuerySet:
        """Counts per day (or week, month, year), and per `by` if given, grouped in the database.

        Rows are dicts with `bin` (the first day of the bin), `n` and, with `by`, that field.
        Filter with subqueries (Exists), not joins to many rows, or rows are counted twice.
        """
        if unit not in DENSITY_UNITS:
            raise ValueError(f"unit must be one of {', '.join(DENSITY_UNITS)}; got {unit!r}.")
        key = F(self.date_field) if unit == "day" else Trunc(self.date_field, unit)
        fields = ["bin", by] if by else ["bin"]
        return (
            self.order_by()  # type: ignore[attr-defined]
            .filter(**{f"{self.date_field}__isnull": False})
            .annotate(bin=key)
            .values(*fields)
            .annotate(n=Count("id"))
            .order_by("bin")
        )


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

    def confirmed(self) -> Self:
        """Citations an editor has not yet confirmed (proposed corroborations) are left out."""
        return self.filter(proposed=False)

    def for_display(self) -> Self:
        """Citations as readers see them: confirmed, with their excerpt and outlet."""
        return (
            self.confirmed()
            .with_excerpt()
            .select_related("article__source", "article__publisher")
            .defer("article__text")
        )


class StatementQuerySet(ChronologyMixin, EditorialQuerySet):
    date_field = "date"
    rank = 1

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
        """With the speaker, the citations readers see and the public corrections record."""
        from timeline.models import Citation, Correction

        return self.select_related("speaker__affiliation").prefetch_related(
            Prefetch("citations", queryset=Citation.objects.for_display()),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "pk")),
        )


class EventQuerySet(ChronologyMixin, EditorialQuerySet):
    date_field = "start_date"
    rank = 0

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

    def with_related(self, *, published_actors: bool = False) -> Self:
        """With the category, the actors' roles and the citations readers see.

        `published_actors`: for readers, leave out the roles of actors still in review.
        """
        from timeline.models import Citation, EventActor

        roles = EventActor.objects.select_related("actor")
        if published_actors:
            roles = roles.filter(actor__status="published")
        return self.select_related("category").prefetch_related(
            Prefetch("roles", queryset=roles),
            Prefetch("citations", queryset=Citation.objects.for_display()),
        )

    def chronological(self) -> Self:
        return self.order_by("start_date", "id")

    def with_source_count(self, *, include_proposed: bool = False) -> Self:
        """Annotate `source_count`: independent outlets citing each event.

        A story is counted by its originating source (the agency of a wire story), so a Reuters
        story republished by two newspapers counts once.
        """
        cited = Q() if include_proposed else Q(citations__proposed=False)
        outlet = Coalesce("citations__article__source_id", "citations__article__publisher_id")
        return self.annotate(source_count=Count(outlet, filter=cited, distinct=True))


class ArticleQuerySet(models.QuerySet):
    def ingested(self) -> Self:
        return self.filter(ingestion_status="done")

    def failed(self) -> Self:
        return self.filter(ingestion_status="failed")

    def with_review_counts(self) -> Self:
        """Annotate what is left to review per article: drafts, proposed citations, and the
        lowest confidence among the drafts (`lowest_confidence`, 1 when there are none)."""
        draft_event = Q(citations__event__status="draft")
        draft_statement = Q(citations__statement__status="draft")
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

    def summaries(self) -> Self:
        """Articles for lists: everything but the (large) text."""
        return self.select_related("source", "publisher").defer("text")
