"""What readers see on the timeline: statements and events, the actors' roles in them, claims,
the citations that ground each one in an article's text, and the public record of corrections.

Each QuerySet sits beside its model; `with_related` prefetches the citations and corrections
defined further down this module, so nothing here imports lazily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, Substr, Trunc
from django.urls import reverse
from simple_history.models import HistoricalRecords

from timeline.models.actors import Actor
from timeline.models.choices import DatePrecision, Provenance, Status, validate_plausible_date
from timeline.models.chronology import DENSITY_UNITS, ChronologyMixin
from timeline.models.editorial import Crisis, Editorial, EditorialQuerySet
from timeline.models.places import Place
from timeline.models.sources import Article


class EventCategory(models.Model):
    """The editable list of event categories (military, diplomatic, …)."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    colour = models.CharField(
        max_length=7,
        default="#5b6770",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1f77b4.")],
        help_text="Shown on the timeline's overview and badges.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "event categories"

    def __str__(self) -> str:
        return self.name


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

    def outside(self, start: dt.date | None, end: dt.date | None) -> Self:
        """Statements dated before `start` or after `end`: the complement of `between`."""
        outside = Q(pk__in=[])
        if start:
            outside |= Q(date__lt=start)
        if end:
            outside |= Q(date__gt=end)
        return self.filter(outside)

    def key(self) -> Self:
        """The statements editors chose as key to the crisis (story mode's slides)."""
        return self.filter(is_key=True)

    def with_related(self) -> Self:
        """With the speaker, the citations readers see and the public corrections record."""
        return self.select_related("speaker__affiliation").prefetch_related(
            Prefetch("citations", queryset=Citation.objects.for_display()),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "pk")),
        )


StatementManager = models.Manager.from_queryset(StatementQuerySet)


class Statement(Editorial):
    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        PARTIAL = "partial", "Partial quote"
        REPORTED = "reported", "Reported speech"

    crises = models.ManyToManyField(Crisis, related_name="statements", blank=True)
    speaker = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text="Leave empty when the speaker is unknown.",
    )
    speaker_description = models.CharField(
        max_length=200,
        blank=True,
        help_text='An unnamed source as the article gives it ("a senior US official"), when no '
        "named actor speaks. Empty and no speaker: unattributed, for an editor to settle.",
    )
    text = models.TextField(help_text="The words said, without quotation marks.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    cue = models.CharField(max_length=60, blank=True, help_text='The reporting verb: "said".')
    medium = models.CharField(
        max_length=200, blank=True, help_text='Addressee or medium, e.g. "NBC News".'
    )
    date = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    is_key = models.BooleanField(
        "key statement",
        default=False,
        help_text="One of the crisis's key statements: story mode shows only these while any are "
        "marked, and readers may still switch to all items. Choosing them is no correction.",
    )

    objects: ClassVar[StatementManager] = StatementManager()

    class Meta:
        ordering = ["date", "id"]
        permissions = [("publish_statement", "Can publish, unpublish and reject statements")]
        indexes = [
            models.Index(fields=["status", "date", "id"], name="statement_status_date"),
            models.Index(fields=["speaker", "date"], name="statement_speaker_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="statement_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        words = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"{self.attribution}: {words}"

    @property
    def attribution(self) -> str:
        """Who said it, as an editor or reader should read it: the speaker's name, the unnamed
        source as the article describes it, or "Unattributed"."""
        if self.speaker is not None:
            return self.speaker.name
        return self.speaker_description or "Unattributed"

    @property
    def independent_sources(self) -> int:
        """Independent outlets that report this, from its prefetched citations (see
        `independent_source_count`); proposed citations never count."""
        return independent_source_count(c for c in self.citations.all() if not c.proposed)


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

    def outside(self, start: dt.date | None, end: dt.date | None) -> Self:
        """Events wholly before `start` or after `end`: the complement of `between`."""
        outside = Q(pk__in=[])
        if start:
            outside |= Q(start_date__lt=start) & (Q(end_date__isnull=True) | Q(end_date__lt=start))
        if end:
            outside |= Q(start_date__gt=end)
        return self.filter(outside)

    def for_actor(self, actor: Actor | int) -> Self:
        return self.filter(roles__actor=actor).distinct()

    def key(self) -> Self:
        """The events editors chose as key to the crisis (story mode's slides)."""
        return self.filter(is_key=True)

    def at_places(self, places: Iterable[Place | int]) -> Self:
        """Events that happened at any of `places` (a subquery: no duplicate rows)."""
        at = EventPlace.objects.filter(event=OuterRef("pk"), place__in=list(places))
        return self.filter(Exists(at))

    def place_density(self, unit: str = "day") -> models.QuerySet[Any, Any]:
        """How many of these events happened at each place, per day (or week, …) and category,
        grouped in the database: rows of `bin`, `place_id`, the place's `slug`, `name`, `kind`,
        `latitude` and `longitude`, `category_id` and `n`. An event at two places counts at
        both."""
        if unit not in DENSITY_UNITS:
            raise ValueError(f"unit must be one of {', '.join(DENSITY_UNITS)}; got {unit!r}.")
        day = F("event__start_date") if unit == "day" else Trunc("event__start_date", unit)
        return (
            EventPlace.objects.filter(event__in=self.order_by().values("pk"))
            .annotate(
                bin=day,
                category_id=F("event__category_id"),
                slug=F("place__slug"),
                name=F("place__name"),
                kind=F("place__kind"),
                latitude=F("place__latitude"),
                longitude=F("place__longitude"),
            )
            .values(
                "bin", "place_id", "slug", "name", "kind", "latitude", "longitude", "category_id"
            )
            .annotate(n=Count("event_id"))
            .order_by("bin", "place_id")
        )

    def within(self, west: float, south: float, east: float, north: float) -> Self:
        """Events with a place inside the bounding box (see `PlaceQuerySet.within`)."""
        inside = Place.objects.within(west, south, east, north).values("pk")
        at = EventPlace.objects.filter(event=OuterRef("pk"), place__in=inside)
        return self.filter(Exists(at))

    def with_related(self, *, published_actors: bool = False) -> Self:
        """With the category, the actors' roles and the citations readers see.

        `published_actors`: for readers, leave out the roles of actors still in review.
        """
        roles = EventActor.objects.select_related("actor")
        if published_actors:
            roles = roles.filter(actor__status=Status.PUBLISHED)
        return self.select_related("category").prefetch_related(
            Prefetch("roles", queryset=roles),
            Prefetch("citations", queryset=Citation.objects.for_display()),
            Prefetch("place_links", queryset=EventPlace.objects.select_related("place")),
        )

    def chronological(self) -> Self:
        return self.order_by("start_date", "id")

    def foldable(self) -> Self:
        """Machine drafts no editor has touched, each cited (beyond proposals) by one article
        only: what ingestion may fold into another event that reports the same happening.

        An event an editor made, reviewed, edited, split off or confirmed a second article's
        citation of is never folded: the editor's word is final.
        """
        confirmed_articles = Count(
            "citations__article", filter=Q(citations__proposed=False), distinct=True
        )
        return (
            self.filter(
                provenance=Provenance.MACHINE,
                status=Status.DRAFT,
                edited_by_editor=False,
                reviewed_at__isnull=True,
            )
            .annotate(confirmed_articles=confirmed_articles)
            .filter(confirmed_articles__lte=1)
        )

    def with_source_count(self, *, include_proposed: bool = False) -> Self:
        """Annotate `source_count`: independent outlets citing each event.

        A story is counted by its originating source (the agency of a wire story), so a Reuters
        story republished by two newspapers counts once.
        """
        cited = Q() if include_proposed else Q(citations__proposed=False)
        outlet = Coalesce("citations__article__source_id", "citations__article__publisher_id")
        return self.annotate(source_count=Count(outlet, filter=cited, distinct=True))


EventManager = models.Manager.from_queryset(EventQuerySet)


class Event(Editorial):
    class Verification(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        REPORTED = "reported", "Reported"
        UNVERIFIED = "unverified", "Unverified"
        DISPUTED = "disputed", "Disputed"

    crises = models.ManyToManyField(Crisis, related_name="events", blank=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    start_date = models.DateField(validators=[validate_plausible_date])
    end_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text="Only for events that span days.",
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How exactly the date is known: a day, a week, a month or a year.",
    )
    date_is_fallback = models.BooleanField(
        default=False,
        help_text="The text gave no date, so the article's publication date was used.",
    )

    class DateSource(models.TextChoices):
        CLAUSE = "clause", "its own clause"
        SENTENCE = "sentence", "elsewhere in its sentence"
        PARAGRAPH = "paragraph", "its paragraph"
        LEAD = "lead", "the article's lead"
        PUBLICATION = "publication", "the publication date"
        UNRECORDED = "", "not recorded (an editor's date, or extracted before it was kept)"

    date_source = models.CharField(
        max_length=12,
        choices=DateSource.choices,
        default=DateSource.UNRECORDED,
        blank=True,
        help_text="Where the machine found the date: the surer the nearer (its own clause). "
        "Empty for dates an editor gave.",
    )
    is_scheduled = models.BooleanField(
        default=False, help_text="Announced for a later date than the article's publication."
    )
    category = models.ForeignKey(EventCategory, on_delete=models.PROTECT, related_name="events")
    verification = models.CharField(
        max_length=12, choices=Verification.choices, default=Verification.REPORTED
    )
    place = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where, as the article words it; the map uses the places below.",
    )
    places = models.ManyToManyField(
        Place,
        through="EventPlace",
        related_name="events",
        blank=True,
        help_text="Where it happened, from the gazetteers: more than one where the text says so.",
    )
    actors = models.ManyToManyField(Actor, through="EventActor", related_name="events")
    public_note = models.TextField(
        blank=True, help_text="Context or caveats shown to readers with the event."
    )
    claims = models.ManyToManyField(
        Statement, through="Claim", related_name="claimed_events", blank=True
    )
    is_key = models.BooleanField(
        "key event",
        default=False,
        help_text="One of the crisis's key events: story mode shows only these while any are "
        "marked, and readers may still switch to all items. Choosing them is no correction.",
    )

    objects: ClassVar[EventManager] = EventManager()

    class Meta:
        ordering = ["start_date", "id"]
        permissions = [
            ("publish_event", "Can publish, unpublish and reject events"),
            ("merge_event", "Can merge and split events"),
        ]
        indexes = [
            models.Index(fields=["status", "start_date", "id"], name="event_status_start"),
            models.Index(fields=["category", "start_date"], name="event_category_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_end_not_before_start",
                violation_error_message="An event cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="event_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:event", args=[self.pk])

    @property
    def independent_sources(self) -> int:
        """Independent outlets that report this, from its prefetched citations (see
        `independent_source_count`); proposed citations never count."""
        return independent_source_count(c for c in self.citations.all() if not c.proposed)

    def sources_matched_automatically(self) -> int:
        """Independent outlets the machine found reporting this too, not yet confirmed by an
        editor: outlets beyond those of the confirmed citations (one query)."""
        confirmed = outlets_of(self.citations.all())
        proposed = set(
            Citation.objects.filter(event=self, proposed=True)
            .annotate(outlet=Coalesce("article__source_id", "article__publisher_id"))
            .values_list("outlet", flat=True)
        )
        return len(proposed - confirmed - {None})


class EventActor(models.Model):
    class Role(models.TextChoices):
        AGENT = "agent", "Agent"
        TARGET = "target", "Target"
        PARTICIPANT = "participant", "Participant"
        MENTIONED = "mentioned", "Mentioned"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="event_roles")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PARTICIPANT)

    class Meta:
        ordering = ["event", "role", "actor__name"]
        indexes = [
            # An actor's events (actor page, ?actor= on the timeline and the API) read from the
            # index alone: by event id the unique (event, actor, role) constraint serves.
            models.Index(fields=["actor", "event"], name="eventactor_actor_event"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"], name="event_actor_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class EventPlace(models.Model):
    """A place an event happened at, with how sure the machine was that the name means it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="place_links")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="event_links")
    mention = models.CharField(
        max_length=200, blank=True, help_text="The name as the article gives it."
    )
    confidence = models.FloatField(
        default=1.0,
        help_text="Below 0.5 the name fits several places (Georgia) and the context did not "
        "tell which: check it.",
    )

    class Meta:
        ordering = ["event", "pk"]
        indexes = [models.Index(fields=["place", "event"], name="eventplace_place_event")]
        constraints = [
            models.UniqueConstraint(fields=["event", "place"], name="event_place_unique"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="eventplace_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} @ {self.place}"


class Claim(models.Model):
    """A statement that supports or denies an event (Moscow denies planning to invade)."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        DENIES = "denies", "Denies"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="claim_links")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="claim_links")
    stance = models.CharField(max_length=10, choices=Stance.choices)

    class Meta:
        ordering = ["stance", "statement__date"]
        constraints = [
            models.UniqueConstraint(fields=["event", "statement"], name="claim_unique_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.statement} — {self.get_stance_display().lower()} — {self.event}"


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


class Citation(models.Model):
    """A character span [start, end) of an article's text, supporting one event or statement."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="citations")
    start = models.PositiveIntegerField(help_text="First character of the cited span.")
    end = models.PositiveIntegerField(help_text="One past the last character of the cited span.")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    provenance = models.CharField(
        max_length=10, choices=Provenance.choices, default=Provenance.EDITOR
    )
    proposed = models.BooleanField(
        default=False,
        help_text="Another article seems to report the same thing, so the machine attached its "
        "citation here. Confirm it, or split it off into an item of its own. Readers do not see "
        "proposed citations.",
    )
    proposal = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What the machine extracted from this citation, used when it is split off.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article__published_at", "start", "id"]
        indexes = [models.Index(fields=["article", "start"], name="citation_article_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="citation_span_not_empty",
                violation_error_message="A citation must cover at least one character.",
            ),
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(statement__isnull=True))
                | (Q(event__isnull=True) & Q(statement__isnull=False)),
                name="citation_supports_one_item",
                violation_error_message="A citation supports exactly one event or one statement.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.start}:{self.end}]"

    @property
    def excerpt(self) -> str:
        annotated = getattr(self, "excerpt_text", None)
        if annotated is not None:
            return annotated
        return self.article.text[self.start : self.end]

    def clean(self) -> None:
        super().clean()
        if self.article_id is None or self.start is None or self.end is None:
            return
        length = len(self.article.text)
        if self.end > length or self.start >= self.end:
            raise ValidationError(
                {
                    "end": f"The span [{self.start}, {self.end}) lies outside the article's "
                    f"text, which has {length} characters."
                }
            )


def independent_source_count(citations: Iterable[Citation]) -> int:
    """How many independent outlets the (already loaded) citations come from.

    The same rule as `EventQuerySet.with_source_count`, for citations prefetched anyway: a story
    counts by its originating source, so a wire story republished by two papers is one source.
    Pass confirmed citations only (`Citation.objects.for_display()`): proposed ones are not yet
    sources.
    """
    return len(outlets_of(citations) - {None})


def outlets_of(citations: Iterable[Citation]) -> set[int | None]:
    """The originating outlet of each (already loaded) citation: the agency of a wire story."""
    return {c.article.source_id or c.article.publisher_id for c in citations}


class Correction(models.Model):
    """A public record of a change made to an item after it was published."""

    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField(help_text="What was corrected and why, for readers.")
    changes = models.JSONField(default=dict, help_text="Field name → [before, after].")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, statement__isnull=True, actor__isnull=True)
                | Q(event__isnull=True, statement__isnull=False, actor__isnull=True)
                | Q(event__isnull=True, statement__isnull=True, actor__isnull=False),
                name="correction_of_one_item",
            )
        ]

    def __str__(self) -> str:
        return self.note[:60]

    @property
    def changed_fields(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) for each change, for the reader's corrections record."""
        model: type[models.Model] = (
            Event if self.event_id else Statement if self.statement_id else Actor
        )
        rows = []
        for name, values in self.changes.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            # Corrections name the item's own fields; a reverse relation has no verbose name.
            if isinstance(field, models.Field):
                label = str(field.verbose_name)
            else:
                label = name.replace("_", " ")
            pair = isinstance(values, list) and len(values) == 2
            before, after = values if pair else ("", values)
            rows.append((label[:1].upper() + label[1:], str(before), str(after)))
        return rows
