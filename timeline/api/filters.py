"""Filters the API alone uses (actors, articles); events and statements use timeline.filters."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from timeline.filters import UTCDateTimeFilter
from timeline.models import Actor, Article, Crisis, Source


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=Actor.Kind.choices, distinct=False, help_text="Repeat for several."
    )
    q = django_filters.CharFilter(
        method="filter_q", max_length=200, help_text="Part of the name or of an alias."
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
        aliased = Actor.objects.filter(aliases__name__icontains=value).values("pk")
        return queryset.filter(Q(name__icontains=value) | Q(pk__in=aliased))


class ArticleFilter(django_filters.FilterSet):
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
