"""What the API reads and writes. Fields are listed explicitly; nested summaries are read-only.

Reads expect the QuerySets' `with_related()` (and `Citation.objects.for_display()`, which cuts the
excerpt in the database), so a page of items costs a constant number of queries. Writes validate
everything first (a citation's span against its article's length, an end date against the start)
and then save in one transaction, through `timeline.services` where a service exists.

What readers see of other items: citations are the confirmed ones only (a corroboration the machine
proposed is not yet a source), and an actor still in review is left out where a published item
would name it: its role in an event is omitted (the views' querysets), a statement's speaker or an
actor's affiliation reads null (`context["public"]`, set by the views). Editors see everything.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from rest_framework import serializers

from timeline.api.inputs import citations_field, crises_field, roles_field
from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Claim,
    Correction,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    EventPlace,
    Place,
    Provenance,
    Source,
    Statement,
)
from timeline.services import actors, citations, editorial

# Read: summaries nested in other items.


def _url_field() -> serializers.CharField:
    # Not a URLField: the URL may be unknown, and "" is not a valid URI for the schema.
    return serializers.CharField(read_only=True, help_text="The address; empty when unknown.")


class SourceSerializer(serializers.ModelSerializer):
    url = _url_field()

    class Meta:
        model = Source
        fields = ["id", "slug", "name", "kind", "url"]
        read_only_fields = fields


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["slug", "name"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = EventCategory
        fields = ["slug", "name", "colour"]
        read_only_fields = fields


class ActorSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "kind"]
        read_only_fields = fields


class EventPlaceSerializer(serializers.ModelSerializer):
    """Where an event happened: the place, its point, and how sure the machine was."""

    slug = serializers.CharField(source="place.slug", read_only=True)
    name = serializers.CharField(source="place.name", read_only=True)
    kind = serializers.CharField(source="place.kind", read_only=True)
    iso_code = serializers.CharField(source="place.iso_code", read_only=True)
    latitude = serializers.FloatField(source="place.latitude", read_only=True)
    longitude = serializers.FloatField(source="place.longitude", read_only=True)

    class Meta:
        model = EventPlace
        fields = [
            "slug",
            "name",
            "kind",
            "iso_code",
            "latitude",
            "longitude",
            "mention",
            "confidence",
        ]
        read_only_fields = fields


class PlaceSerializer(serializers.ModelSerializer):
    country: serializers.SlugRelatedField[Place] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The country it lies in."
    )
    event_count = serializers.IntegerField(
        read_only=True, help_text="The events at this place the caller may see."
    )

    class Meta:
        model = Place
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "iso_code",
            "latitude",
            "longitude",
            "country",
            "gazetteer_id",
            "event_count",
        ]
        read_only_fields = fields


class SpeakerSerializer(serializers.ModelSerializer):
    affiliation = ActorSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "kind", "title", "affiliation"]
        read_only_fields = fields


class CitedArticleSerializer(serializers.ModelSerializer):
    url = _url_field()
    # The metaclass takes declared fields into _declared_fields: this never shadows Field.source.
    source = SourceSummarySerializer(read_only=True, allow_null=True)  # type: ignore[assignment]  # see above
    publisher = SourceSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "title", "url", "published_at", "source", "publisher"]
        read_only_fields = fields


class CitationSerializer(serializers.ModelSerializer):
    excerpt = serializers.CharField(read_only=True, help_text="The article's text in the span.")
    outlet = serializers.SerializerMethodField(help_text="Where it was published.")
    article = CitedArticleSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "excerpt", "start", "end", "outlet", "article"]
        read_only_fields = fields

    def get_outlet(self, citation: Citation) -> str:
        source = citation.article.publisher or citation.article.source
        return source.name if source else ""


class RoleSerializer(serializers.ModelSerializer):
    actor = ActorSummarySerializer(read_only=True)

    class Meta:
        model = EventActor
        fields = ["actor", "role"]
        read_only_fields = fields


EDITORIAL_FIELDS = [
    "status",
    "provenance",
    "confidence",
    "first_published_at",
    "updated_at",
    "version",
    "corrections",
]


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["created_at", "note", "changes"]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["statement", "stance"]
        read_only_fields = fields


def _corrections_field() -> CorrectionSerializer:
    return CorrectionSerializer(
        many=True,
        read_only=True,
        help_text="The public record of changes made after the item was first published.",
    )


def _source_count_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        source="independent_sources",
        read_only=True,
        help_text="Independent outlets citing it: a wire story republished by others counts once.",
    )


def _hide_unpublished(actor: Actor | None) -> bool:
    return actor is None or not actor.is_published


# Read: the items themselves.


class CrisisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Crisis
        fields = ["id", "slug", "title", "summary", "start_date", "end_date", "updated_at"]
        read_only_fields = fields


class ActorSerializer(serializers.ModelSerializer):
    affiliation = ActorSummarySerializer(read_only=True, allow_null=True)
    aliases: serializers.SlugRelatedField[ActorAlias] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    corrections = _corrections_field()

    class Meta:
        model = Actor
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "title",
            "affiliation",
            "aliases",
            "wikidata_id",
            "description",
            *EDITORIAL_FIELDS,
        ]
        read_only_fields = fields

    def to_representation(self, actor: Actor) -> dict[str, Any]:
        data = super().to_representation(actor)
        if self.context.get("public") and _hide_unpublished(actor.affiliation):
            data["affiliation"] = None
        return data


class ArticleSerializer(serializers.ModelSerializer):
    url = _url_field()
    # The metaclass takes declared fields into _declared_fields: this never shadows Field.source.
    source = SourceSummarySerializer(read_only=True, allow_null=True)  # type: ignore[assignment]  # see above
    publisher = SourceSummarySerializer(read_only=True, allow_null=True)
    crises: serializers.SlugRelatedField[Crisis] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "source",
            "publisher",
            "published_at",
            "byline",
            "standfirst",
            "language",
            "crises",
            "ingestion_status",
        ]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "text",
            "caption",
            "image_url",
            "image_caption",
            "image_credit",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    speaker = SpeakerSerializer(read_only=True, allow_null=True)
    crises: serializers.SlugRelatedField[Crisis] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    citations = CitationSerializer(many=True, read_only=True)
    source_count = _source_count_field()
    corrections = _corrections_field()

    class Meta:
        model = Statement
        fields = [
            "id",
            "speaker",
            "speaker_description",
            "text",
            "kind",
            "cue",
            "medium",
            "date",
            "date_precision",
            "is_key",
            "crises",
            "citations",
            "source_count",
            *EDITORIAL_FIELDS,
        ]
        read_only_fields = fields

    def to_representation(self, statement: Statement) -> dict[str, Any]:
        data = super().to_representation(statement)
        if self.context.get("public"):
            speaker = statement.speaker
            if _hide_unpublished(speaker):
                data["speaker"] = None
            elif speaker is not None and _hide_unpublished(speaker.affiliation):
                data["speaker"]["affiliation"] = None
        return data


class EventSerializer(serializers.ModelSerializer):
    category = CategorySerializer(read_only=True)
    crises: serializers.SlugRelatedField[Crisis] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    actors = RoleSerializer(source="roles", many=True, read_only=True)
    places = EventPlaceSerializer(
        source="place_links",
        many=True,
        read_only=True,
        help_text="Where it happened, with coordinates (WGS 84 decimal degrees).",
    )
    citations = CitationSerializer(many=True, read_only=True)
    source_count = _source_count_field()
    sources_matched_automatically = serializers.IntegerField(
        read_only=True,
        help_text="More outlets the machine matched as reporting this event that no editor has "
        "confirmed yet: not counted in source_count.",
    )
    claims = ClaimSerializer(
        source="claim_links",
        many=True,
        read_only=True,
        help_text="Statements (by id) that support or deny the event; a denial disputes it.",
    )
    corrections = _corrections_field()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "summary",
            "start_date",
            "end_date",
            "date_precision",
            "date_is_fallback",
            "date_source",
            "is_scheduled",
            "is_key",
            "category",
            "verification",
            "place",
            "places",
            "public_note",
            "crises",
            "actors",
            "citations",
            "source_count",
            "sources_matched_automatically",
            "claims",
            *EDITORIAL_FIELDS,
        ]
        read_only_fields = fields


# Write.


EDITING_FIELDS = ["version", "correction_note"]


def _readable(value: Any) -> str:
    """A field's value as the corrections record shows it: names, not ids."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class EditorialWriteSerializer(serializers.ModelSerializer):
    """Shared save logic: editor provenance, the edited mark, citations replaced when given, and
    for changes: the conflict check on `version` and the public correction of a published item.
    """

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text="The item's `version` as you read it. If someone has saved it since, nothing "
        "is saved and the answer is 409: read it again and reapply your change. Leave it out "
        "only to overwrite whatever is there.",
    )
    correction_note = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=2000,
        help_text="Required when changing a published item: what was corrected and why. Readers "
        "see it in the item's corrections record.",
    )

    # Relations described for the corrections record, read before and after a change.
    described_relations: dict[str, Any] = {}

    def _describe(self, item: Any, names: list[str]) -> dict[str, str]:
        described = {}
        for name in names:
            if name in self.described_relations:
                described[name] = self.described_relations[name](item)
            else:
                described[name] = _readable(getattr(item, name))
        return described

    # Fields saved after the item itself, by `_save_related`: its relations.
    related_fields: tuple[str, ...] = ()

    @transaction.atomic
    def update(self, item: Any, data: dict[str, Any]) -> Any:
        """The change goes through `editorial.item_update`, as the admin's does."""
        expected = data.pop("version", None)
        note = data.pop("correction_note", "")
        described = list(data)
        related = self._pop_related(data)
        request = self.context.get("request")
        editorial.item_update(
            item=item,
            by=getattr(request, "user", None),
            fields=data,
            expected_version=expected,
            note=note,
            save_related=lambda: self._save_related(item, related),
            describe=lambda: self._describe(item, described),
        )
        return item

    def _pop_related(self, data: dict[str, Any]) -> dict[str, Any]:
        return {name: data.pop(name) for name in self.related_fields if name in data}

    def _save_related(self, item: Any, related: dict[str, Any]) -> None:
        pass

    @staticmethod
    def _creating(data: dict[str, Any]) -> dict[str, Any]:
        for name in EDITING_FIELDS:
            data.pop(name, None)
        return data

    def _save_citations(self, item: Any, cited: list[dict[str, Any]] | None) -> None:
        if cited is None:
            return
        # Corroborations the machine proposed stay for an editor to confirm or split.
        item.citations.confirmed().delete()
        kind = "event" if isinstance(item, Event) else "statement"
        for citation in cited:
            citations.citation_create(
                article=citation["article"],
                start=citation["start"],
                end=citation["end"],
                **{kind: item},
            )


class EventWriteSerializer(EditorialWriteSerializer):
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=EventCategory.objects.all(), help_text="e.g. military."
    )
    crises = crises_field()
    actors = roles_field()
    citations = citations_field()

    class Meta:
        model = Event
        fields = [
            "title",
            "summary",
            "start_date",
            "end_date",
            "date_precision",
            "is_scheduled",
            "category",
            "verification",
            "place",
            "public_note",
            "crises",
            "actors",
            "citations",
            *EDITING_FIELDS,
        ]

    described_relations = {
        "crises": lambda event: ", ".join(sorted(str(c) for c in event.crises.all())),
        "actors": lambda event: ", ".join(
            sorted(
                f"{r.actor} ({r.get_role_display().lower()})"
                for r in event.roles.select_related("actor")
            )
        ),
        "citations": lambda event: "; ".join(
            f"{c.article} [{c.start}:{c.end}]" for c in event.citations.confirmed()
        ),
    }

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        start = data.get("start_date", getattr(self.instance, "start_date", None))
        end = data.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": "An event cannot end before it starts."}, code="end_before_start"
            )
        return data

    related_fields = ("crises", "actors", "citations")

    @transaction.atomic
    def create(self, data: dict[str, Any]) -> Event:
        related = self._pop_related(self._creating(data))
        event = Event.objects.create(**data, provenance=Provenance.EDITOR)
        self._save_related(event, related)
        return event

    def _save_related(self, event: Event, related: dict[str, Any]) -> None:
        if (crises := related.get("crises")) is not None:
            event.crises.set(crises)
        if (roles := related.get("actors")) is not None:
            event.roles.all().delete()
            unique = {(r["actor"].pk, r["role"]): r for r in roles}.values()
            EventActor.objects.bulk_create(
                EventActor(event=event, actor=r["actor"], role=r["role"]) for r in unique
            )
        self._save_citations(event, related.get("citations"))


class StatementWriteSerializer(EditorialWriteSerializer):
    speaker = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.all(),
        allow_null=True,
        required=False,
        help_text="The speaker's slug; null when unknown.",
    )
    crises = crises_field()
    citations = citations_field()

    class Meta:
        model = Statement
        fields = [
            "speaker",
            "speaker_description",
            "text",
            "kind",
            "cue",
            "medium",
            "date",
            "date_precision",
            "crises",
            "citations",
            *EDITING_FIELDS,
        ]

    described_relations = {
        "crises": EventWriteSerializer.described_relations["crises"],
        "citations": EventWriteSerializer.described_relations["citations"],
    }

    related_fields = ("crises", "citations")

    @transaction.atomic
    def create(self, data: dict[str, Any]) -> Statement:
        related = self._pop_related(self._creating(data))
        statement = Statement.objects.create(**data, provenance=Provenance.EDITOR)
        self._save_related(statement, related)
        return statement

    def _save_related(self, statement: Statement, related: dict[str, Any]) -> None:
        if (crises := related.get("crises")) is not None:
            statement.crises.set(crises)
        self._save_citations(statement, related.get("citations"))


class AliasNamesField(serializers.ListField):
    """Written as a list of names; read (the browsable API's form) from the actor's aliases."""

    def to_representation(self, data: Any) -> list[Any]:
        if hasattr(data, "all"):
            data = [alias.name for alias in data.all()]
        return super().to_representation(data)


class ActorWriteSerializer(EditorialWriteSerializer):
    slug = serializers.SlugField(
        max_length=220, required=False, help_text="Made from the name when left out."
    )
    affiliation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.all(),
        allow_null=True,
        required=False,
        help_text="Slug of the state or organisation the actor belongs to.",
    )
    aliases = AliasNamesField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=100,
        help_text="Other names the actor goes by (added to those already known).",
    )

    class Meta:
        model = Actor
        fields = [
            "name",
            "slug",
            "kind",
            "title",
            "affiliation",
            "aliases",
            "wikidata_id",
            "description",
            *EDITING_FIELDS,
        ]

    described_relations = {
        "aliases": lambda actor: ", ".join(sorted(a.name for a in actor.aliases.all())),
    }

    def validate_slug(self, slug: str) -> str:
        others = Actor.objects.filter(slug=slug)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("Another actor has this slug.", code="unique")
        return slug

    def validate_affiliation(self, affiliation: Actor | None) -> Actor | None:
        if affiliation is not None and self.instance is not None and affiliation == self.instance:
            raise serializers.ValidationError("An actor cannot belong to itself.", code="cycle")
        return affiliation

    related_fields = ("aliases",)

    @transaction.atomic
    def create(self, data: dict[str, Any]) -> Actor:
        related = self._pop_related(self._creating(data))
        data.setdefault("slug", actors.actor_unique_slugs([data["name"]])[0])
        actor = Actor.objects.create(**data, provenance=Provenance.EDITOR)
        self._save_related(actor, related)
        return actor

    def _save_related(self, actor: Actor, related: dict[str, Any]) -> None:
        actors.actor_add_aliases(actor=actor, names=related.get("aliases", []))


# Merges


class EventMergeSerializer(serializers.Serializer):
    merge = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(),
        help_text="The id of the event to fold into this one: its citations, actors, claims and "
        "corrections move over and it is removed. The merge can be undone from the admin.",
    )


class ActorMergeSerializer(serializers.Serializer):
    merge = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.all(),
        help_text="The slug of the actor to fold into this one: its statements, roles and "
        "members move over, its names become aliases. The merge can be undone from the admin.",
    )


# Ingestion


class ArticleIngestSerializer(serializers.Serializer):
    """An article to store and extract drafts from: its text, or its page's HTML."""

    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=settings.INGEST_MAX_BYTES,
        help_text="The article as plain text: headline, byline and dateline lines, then the body.",
    )
    html = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=settings.INGEST_MAX_BYTES,
        help_text="Or the article's web page, as HTML.",
    )
    url = serializers.URLField(
        required=False, allow_blank=True, max_length=2000, help_text="Where it was published."
    )
    published_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Publication time; needed when the text's dateline does not give it.",
    )
    source_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="The outlet, e.g. Reuters."
    )
    crises = crises_field()
    force = serializers.BooleanField(
        default=False, help_text="Extract again even if the article is already stored."
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("text", "html") if data.get(name, "").strip()]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"text": "Give the article as either `text` or `html` (exactly one of them)."},
                code="required" if not given else "ambiguous",
            )
        return data


class IngestDraftsSerializer(serializers.Serializer):
    actors = ActorSerializer(many=True, read_only=True)
    statements = StatementSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)


class IngestResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(
        read_only=True, help_text="False when the same article was already stored (a no-op)."
    )
    article = ArticleSerializer(read_only=True)
    drafts = IngestDraftsSerializer(
        read_only=True, help_text="The drafts made from it, for an editor to review."
    )
