"""Every FilterSet: events and statements for the reader pages, exports and API; actors and articles
for the API.

Plain django-filter FilterSets with no DRF import, so a Django view can use them as forms:

    filterset = EventFilter(request.GET, queryset=Event.objects.published(), request=request)
    if filterset.is_valid(): events = filterset.qs  # else: filterset.errors, per field

Invalid input (an unknown slug or choice, a malformed date, `date_from` after `date_to`) makes the
FilterSet invalid with a message on the field concerned: DRF turns that into a 400, a page into
form errors. Draft actors, and so their slugs, are only known to users allowed to view drafts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest

from timeline.models import (
    Actor,
    ActorQuerySet,
    Article,
    Citation,
    Crisis,
    DatePrecision,
    Event,
    EventActor,
    EventCategory,
    EventQuerySet,
    Place,
    Source,
    Statement,
    StatementQuerySet,
    Status,
)

# The text search configuration; the GIN indexes of migration 0003 are built with the same one,
# and PostgreSQL only uses them when the query's expression matches theirs exactly.
SEARCH_CONFIG = "english"
EVENT_SEARCH_FIELDS = ("title", "summary")
STATEMENT_SEARCH_FIELDS = ("text",)
MAX_QUERY_LENGTH = 200
ISO_DATE = ["%Y-%m-%d"]

# What the timeline filters: events or statements.
_Items = TypeVar("_Items", EventQuerySet[Event], StatementQuerySet[Statement])


def can_view_drafts(request: HttpRequest | None, model: type[Model]) -> bool:
    """Editors (anyone with the model's view permission) see drafts; everyone else does not."""
    if request is None:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    opts = model._meta
    return bool(user.has_perm(f"{opts.app_label}.view_{opts.model_name}"))


def _actors(request: HttpRequest | None) -> ActorQuerySet:
    actors = Actor.objects.all()
    return actors if can_view_drafts(request, Actor) else actors.published()


def text_search(queryset: QuerySet, fields: tuple[str, ...], value: str) -> QuerySet:
    """Full-text search: PostgreSQL's (indexed) text search, or every word as a substring."""
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config=SEARCH_CONFIG)
        query = SearchQuery(value, search_type="websearch", config=SEARCH_CONFIG)
        return queryset.alias(search_document=vector).filter(search_document=query)
    for word in value.split():
        word_anywhere = Q()
        for field in fields:
            word_anywhere |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(word_anywhere)
    return queryset


class UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time, in UTC: PostgreSQL refuses offsets past ±15:59, which ISO allows."""

    def clean(self, value: Any) -> dt.datetime | None:
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(
                "This time is out of range; give one after the year 1.", code="out_of_range"
            ) from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class SpanForm(forms.Form):
    """Cross-field checks for the date range."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        date_from: dt.date | None = cleaned.get("date_from")
        date_to: dt.date | None = cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            message = (
                f"date_from ({date_from.isoformat()}) is after date_to ({date_to.isoformat()}); "
                "swap them or leave one out."
            )
            self.add_error("date_from", forms.ValidationError(message, code="invalid_range"))
        return cleaned


class TimelineFilter(django_filters.FilterSet):
    """What events and statements are filtered by alike."""

    crisis = django_filters.ModelChoiceFilter(
        field_name="crises",
        to_field_name="slug",
        queryset=Crisis.objects.all(),
        help_text="A crisis's slug, e.g. russia-ukraine-2021-2022.",
    )
    source = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Source.objects.all(),
        method="filter_source",
        help_text="An outlet's slug: items cited from its articles (as source or publisher).",
    )
    # ISO dates only: 01/02/2022 means a different day in London and in Washington.
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        input_formats=ISO_DATE,
        help_text="Earliest date, as YYYY-MM-DD (inclusive).",
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to",
        input_formats=ISO_DATE,
        help_text="Latest date, as YYYY-MM-DD (inclusive).",
    )
    precision = django_filters.MultipleChoiceFilter(
        field_name="date_precision",
        choices=DatePrecision.choices,
        distinct=False,
        help_text="How exactly the date is known; repeat for several.",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        distinct=False,
        help_text="Editorial status; anonymous callers only ever see published items.",
    )
    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only items changed at or after this ISO 8601 time, for incremental sync.",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words to search for in the text (full-text search on PostgreSQL), or in the "
        "name or an alias of an actor taking part or speaking.",
    )

    search_fields: tuple[str, ...] = ()
    actor_field = ""  # the relation to the item's actors: searching names the actor finds the item

    class Meta:
        form = SpanForm

    def filter_source(self, queryset: QuerySet, name: str, value: Source | None) -> QuerySet:
        if value is None:
            return queryset
        # Confirmed citations only: a proposed one is the machine's guess, not yet a source.
        cited = Citation.objects.confirmed().filter(
            Q(article__source=value) | Q(article__publisher=value),
            **{self._meta.model._meta.model_name: OuterRef("pk")},
        )
        return queryset.filter(Exists(cited))

    def filter_in(self, queryset: QuerySet, name: str, value: list[Any]) -> QuerySet:
        """Any of several rows of a foreign key (the field is named by `field_name`)."""
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The words in the item's text, or in the name or an alias of one of its actors."""
        value = value.strip()
        if not value:
            return queryset
        worded = text_search(queryset.model.objects.all(), self.search_fields, value)
        named = _actors(self.request).named_like(value)
        by_actor = queryset.model.objects.filter(**{f"{self.actor_field}__in": named})
        return queryset.filter(Q(pk__in=worded.values("pk")) | Q(pk__in=by_actor.values("pk")))

    # Both QuerySets' `between` knows its model's dates (an event's span, a statement's day).
    def filter_date_from(self, queryset: _Items, name: str, value: dt.date) -> _Items:
        return queryset.between(value, None) if value else queryset

    def filter_date_to(self, queryset: _Items, name: str, value: dt.date) -> _Items:
        return queryset.between(None, value) if value else queryset


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """ "west,south,east,north" in decimal degrees, as GeoJSON orders a bounding box."""
    parts = [part.strip() for part in value.split(",")]
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise forms.ValidationError(
            "Give the box as west,south,east,north in decimal degrees, e.g. 22,44,41,53.",
            code="invalid_bbox",
        ) from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise forms.ValidationError(
            "Longitudes go from -180 to 180 and latitudes from -90 to 90, south before north.",
            code="invalid_bbox",
        )
    return west, south, east, north


class BoundingBoxField(forms.CharField):
    def clean(self, value: Any) -> tuple[float, float, float, float] | None:
        text = super().clean(value)
        return parse_bbox(text) if text else None


class BoundingBoxFilter(django_filters.CharFilter):
    field_class = BoundingBoxField


class EventFilter(TimelineFilter):
    """Events by crisis, actors, category, verification, source, span, precision and words.

    `date_from`/`date_to` keep every event whose span [start_date, end_date] overlaps the range.
    """

    actor = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=_actors,
        method="filter_actor",
        help_text="An actor's slug; repeat for several (events involving any of them).",
    )
    category = django_filters.ModelMultipleChoiceFilter(
        field_name="category",
        to_field_name="slug",
        queryset=EventCategory.objects.all(),
        method="filter_in",
        help_text="A category's slug, e.g. military; repeat for several.",
    )
    verification = django_filters.MultipleChoiceFilter(
        choices=Event.Verification.choices, distinct=False, help_text="Repeat for several."
    )
    place = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Place.objects.all(),
        method="filter_place",
        help_text="A place's slug, e.g. belarus; repeat for several (events at any of them).",
    )
    bbox = BoundingBoxFilter(
        method="filter_bbox",
        help_text="Events with a place inside west,south,east,north (decimal degrees).",
    )

    search_fields = EVENT_SEARCH_FIELDS
    actor_field = "actors"

    class Meta(TimelineFilter.Meta):
        model = Event
        fields = [
            "crisis",
            "actor",
            "category",
            "verification",
            "place",
            "bbox",
            "source",
            "date_from",
            "date_to",
            "precision",
            "status",
            "updated_since",
            "q",
        ]

    def filter_place(self, queryset: EventQuerySet[Event], name: str, value: list[Place]) -> Any:
        return queryset.at_places(value) if value else queryset

    def filter_bbox(
        self,
        queryset: EventQuerySet[Event],
        name: str,
        value: tuple[float, float, float, float] | None,
    ) -> Any:
        return queryset.within(*value) if value else queryset

    def filter_actor(self, queryset: QuerySet, name: str, value: list[Actor]) -> QuerySet:
        if not value:
            return queryset
        # A subquery rather than a join: no duplicate rows, so no DISTINCT to sort around.
        involved = EventActor.objects.filter(event=OuterRef("pk"), actor__in=value)
        return queryset.filter(Exists(involved))


class StatementFilter(TimelineFilter):
    """Statements by crisis, speaker, source, date, precision and words."""

    actor = django_filters.ModelMultipleChoiceFilter(
        field_name="speaker",
        to_field_name="slug",
        queryset=_actors,
        method="filter_in",
        help_text="The speaker's slug; repeat for several (statements by any of them).",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Statement.Kind.choices,
        distinct=False,
        help_text="Direct quote, partial quote or reported speech.",
    )

    search_fields = STATEMENT_SEARCH_FIELDS
    actor_field = "speaker"

    class Meta(TimelineFilter.Meta):
        model = Statement
        fields = [
            "crisis",
            "actor",
            "kind",
            "source",
            "date_from",
            "date_to",
            "precision",
            "status",
            "updated_since",
            "q",
        ]


# Actors, places and articles: the API lists them.


class PlaceFilter(django_filters.FilterSet):
    """Places (for the API) by kind, crisis, name and bounding box."""

    kind = django_filters.MultipleChoiceFilter(
        choices=Place.Kind.choices, distinct=False, help_text="Repeat for several."
    )
    crisis = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Crisis.objects.all(),
        method="filter_crisis",
        help_text="Places of this crisis's events.",
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=MAX_QUERY_LENGTH
    )
    bbox = BoundingBoxFilter(method="filter_bbox", help_text="west,south,east,north.")

    class Meta:
        model = Place
        fields = ["kind", "crisis", "q", "bbox"]

    def filter_crisis(self, queryset: QuerySet, name: str, value: Crisis | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(pk__in=Place.objects.filter(events__crises=value).values("pk"))

    def filter_bbox(
        self, queryset: QuerySet, name: str, value: tuple[float, float, float, float] | None
    ) -> QuerySet:
        return (
            Place.objects.within(*value).filter(pk__in=queryset.values("pk")) if value else queryset
        )


class ActorFilter(django_filters.FilterSet):
    """Actors (for the API) by kind, name or alias, and time of change."""

    kind = django_filters.MultipleChoiceFilter(
        choices=Actor.Kind.choices, distinct=False, help_text="Repeat for several."
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        help_text="Part of the name or of an alias.",
    )
    updated_since = UTCDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after (ISO 8601)."
    )

    class Meta:
        model = Actor
        fields = ["kind", "q", "updated_since"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=Actor.objects.named_like(value).values("pk"))


class ArticleFilter(django_filters.FilterSet):
    """Articles (for the API) by crisis and outlet."""

    crisis = django_filters.ModelChoiceFilter(
        field_name="crises", to_field_name="slug", queryset=Crisis.objects.all()
    )
    source = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Source.objects.all(),
        method="filter_source",
        help_text="An outlet's slug, as source or publisher.",
    )

    class Meta:
        model = Article
        fields = ["crisis", "source"]

    def filter_source(self, queryset: QuerySet, name: str, value: Source | None) -> QuerySet:
        return queryset.filter(Q(source=value) | Q(publisher=value)) if value else queryset
