"""The lists nested in a write (an item's citations, roles and crises): validated whole, in bulk.

Two things DRF does not do for nested lists, and a hostile caller finds at once:
- each related value is looked up with its own query, so a body of 60,000 roles holds a worker for
  minutes: here every list has a cap (`MAX_ITEMS`) and its related objects are fetched in one query;
- in a PATCH, DRF treats every nested field as optional too, so `citations: [{}]` reached the save
  without an article: here an item in a list is always whole, whatever the request's method.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from timeline.models import Actor, Article, Crisis, EventActor

# More than any real item has (the busiest events cite a few dozen articles), few enough that
# one body cannot hold a worker.
MAX_ITEMS = 200


def _too_many(kind: str) -> serializers.ValidationError:
    return serializers.ValidationError(
        f"At most {MAX_ITEMS} {kind} in one request.", code="too_many_items"
    )


class PrefetchedRelatedField(serializers.RelatedField):
    """A related field that looks its value up among objects fetched once for the whole list
    (`prefetch`), falling back to its own query when used alone. Mixed into DRF's own related
    fields (before them) so the schema still reads a slug or an id."""

    prefetched: dict[str, Model] | None = None

    def lookup(self) -> str:
        return str(getattr(self, "slug_field", "pk"))

    def prefetch(self, values: list[Any]) -> None:
        queryset = self.get_queryset()
        assert queryset is not None  # every field here is given one
        lookup = self.lookup()
        field = (
            queryset.model._meta.get_field(lookup) if lookup != "pk" else queryset.model._meta.pk
        )
        keys = set()
        for value in values:
            if isinstance(value, bool) or not isinstance(value, str | int):
                continue
            if isinstance(value, str) and "\x00" in value:
                continue  # no stored key holds one, and PostgreSQL refuses it in a query
            try:
                key = field.to_python(value)
            except DjangoValidationError:
                continue  # not an id at all: "incorrect_type" below, without a query
            if not isinstance(key, int) or -(2**63) <= key < 2**63:  # what the database holds
                keys.add(key)
        found = queryset.filter(**{f"{lookup}__in": keys}) if keys else []
        self.prefetched = {str(getattr(obj, lookup)): obj for obj in found}

    def to_internal_value(self, data: Any) -> Model:
        # A slug field's message for a wrong type is "invalid", an id field's "incorrect_type".
        wrong_type = "incorrect_type" if "incorrect_type" in self.error_messages else "invalid"
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail(wrong_type, data_type=type(data).__name__)
        if self.prefetched is None:
            self.prefetch([data])
        assert self.prefetched is not None
        found = self.prefetched.get(str(data))
        if found is not None:
            return found
        if self.lookup() == "pk" and not str(data).lstrip("-").isdigit():
            self.fail(wrong_type, data_type=type(data).__name__)
        self.fail("does_not_exist", slug_name=self.lookup(), value=data, pk_value=data)
        raise AssertionError("fail() raises")


class ActorBySlug(PrefetchedRelatedField, serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", queryset=Actor.objects.all(), **kwargs)


class ArticleById(PrefetchedRelatedField, serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Article.objects.all(), **kwargs)


class PrefetchedListSerializer(serializers.ListSerializer):
    """Caps the list, then fetches every item's related objects in one query per field."""

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        if isinstance(data, list):
            if len(data) > MAX_ITEMS:
                raise _too_many(self.field_name or "items")
            assert isinstance(self.child, serializers.Serializer)
            for name, field in self.child.fields.items():
                if isinstance(field, PrefetchedRelatedField):
                    field.prefetch([i.get(name) for i in data if isinstance(i, dict)])
        return super().to_internal_value(data)


class WholeItemSerializer(serializers.Serializer):
    """An item of a nested list: required fields stay required and defaults apply, also in a
    PATCH (where DRF would skip both, the request being partial)."""

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        missing = {}
        for name, field in self.fields.items():
            if name in data or field.read_only:
                continue
            if field.default is not empty:
                data[name] = field.default() if callable(field.default) else field.default
            elif field.required:
                missing[name] = serializers.ErrorDetail(
                    str(field.error_messages["required"]), code="required"
                )
        if missing:
            raise serializers.ValidationError(missing)
        return data


class CitationInputSerializer(WholeItemSerializer):
    article = ArticleById(help_text="The cited article's id.")
    start = serializers.IntegerField(min_value=0, help_text="First character of the span.")
    end = serializers.IntegerField(min_value=1, help_text="One past its last character.")

    class Meta:
        list_serializer_class = PrefetchedListSerializer

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        data = super().validate(data)
        length = len(data["article"].text)
        if data["end"] <= data["start"]:
            raise serializers.ValidationError(
                {"end": "The span must end after it starts (end > start)."}, code="empty_span"
            )
        if data["end"] > length:
            raise serializers.ValidationError(
                {
                    "end": f"The span [{data['start']}, {data['end']}) lies outside the "
                    f"article's text, which has {length} characters."
                },
                code="span_outside_article",
            )
        return data


class RoleInputSerializer(WholeItemSerializer):
    actor = ActorBySlug(help_text="The actor's slug.")
    role = serializers.ChoiceField(choices=EventActor.Role.choices, default=EventActor.Role.AGENT)

    class Meta:
        list_serializer_class = PrefetchedListSerializer


def citations_field() -> CitationInputSerializer:
    return CitationInputSerializer(many=True, required=False, help_text="Replaces them.")


def roles_field() -> RoleInputSerializer:
    return RoleInputSerializer(many=True, required=False, help_text="Replaces the roles.")


class PrefetchedManyRelatedField(ManyRelatedField):
    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, list) and len(data) > MAX_ITEMS:
            raise _too_many(self.field_name or "values")
        if isinstance(data, list) and isinstance(self.child_relation, PrefetchedRelatedField):
            self.child_relation.prefetch(data)
        return list(super().to_internal_value(data))


class CrisisBySlug(PrefetchedRelatedField, serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", queryset=Crisis.objects.all(), **kwargs)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> PrefetchedManyRelatedField:
        list_kwargs: dict[str, Any] = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return PrefetchedManyRelatedField(**list_kwargs)


def crises_field() -> Any:
    return CrisisBySlug(
        many=True,
        required=False,
        help_text="Slugs of the crises the item belongs to.",
    )
