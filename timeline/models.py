"""The timeline's data: crises, sources and articles, actors, statements, events and citations.

Everything the machine extracts carries provenance and an editorial status; readers only ever see
items whose status is published (`.published()` on every QuerySet here).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from timeline.querysets import (
    ActorQuerySet,
    ArticleQuerySet,
    CitationQuerySet,
    EditorialQuerySet,
    EventQuerySet,
    StatementQuerySet,
)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class Provenance(models.TextChoices):
    MACHINE = "machine", "Extracted by the machine"
    EDITOR = "editor", "Entered by an editor"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def content_hash(text: str) -> str:
    """The fingerprint that makes re-ingesting the same article text a no-op."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class Editorial(models.Model):
    """Provenance and editorial state shared by everything that appears on the timeline."""

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published items are shown to readers and anonymous API callers.",
    )
    provenance = models.CharField(
        max_length=10,
        choices=Provenance.choices,
        default=Provenance.EDITOR,
        help_text="Whether the machine extracted this item or an editor entered it.",
    )
    confidence = models.FloatField(
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="How sure the extractor was (0 to 1). Review low-confidence drafts first.",
    )
    edited_by_editor = models.BooleanField(
        default=False,
        help_text="Set once an editor changes a machine-made item: re-extraction leaves it alone.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who last published or rejected this item.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    first_published_at = models.DateTimeField(
        null=True, blank=True, help_text="When readers could first see this item."
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised on every save, so that two editors' concurrent edits are detected.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EditorialQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Crisis(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text="Leave empty while the crisis is ongoing."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name_plural = "crises"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="crisis_end_not_before_start",
                violation_error_message="The crisis cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:crisis", args=[self.slug])


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200] or "source"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


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
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(max_length=12, default="en")
    ingestion_status = models.CharField(
        max_length=12, choices=IngestionStatus.choices, default=IngestionStatus.PENDING
    )
    ingestion_error = models.TextField(blank=True)
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

    def save(self, *args: object, **kwargs: object) -> None:
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("timeline:article", args=[self.pk])


class Actor(Editorial):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        STATE = "state", "State or government"
        ORGANISATION = "organisation", "Organisation"
        GROUP = "group", "Group"
        MEDIA = "media", "Media"

    name = models.CharField(max_length=200, help_text="The canonical name, e.g. Joe Biden.")
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(
        max_length=200, blank=True, help_text='Title or role, e.g. "Secretary of State".'
    )
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The state or organisation this actor belongs to (Blinken → United States).",
    )
    wikidata_id = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q6279.")],
    )
    description = models.TextField(blank=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [
            ("publish_actor", "Can publish, unpublish and reject actors"),
            ("merge_actor", "Can merge and split actors"),
        ]
        indexes = [models.Index(fields=["status", "name"], name="actor_status_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="actor_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timeline:actor", args=[self.slug])


class ActorAlias(models.Model):
    """Another name an actor goes by; matching across articles uses the normalised key."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="actor_alias_unique_per_actor")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = alias_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def alias_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name for matching."""
    return slugify(name).replace("-", " ")


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
    text = models.TextField(help_text="The words said, without quotation marks.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    cue = models.CharField(max_length=60, blank=True, help_text='The reporting verb: "said".')
    medium = models.CharField(
        max_length=200, blank=True, help_text='Addressee or medium, e.g. "NBC News".'
    )
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    objects = StatementQuerySet.as_manager()

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
        return f"{self.speaker or 'Unknown'}: {words}"

    @property
    def independent_sources(self) -> int:
        """Independent outlets that report this, from its prefetched citations (see
        `independent_source_count`); proposed citations never count."""
        return independent_source_count(c for c in self.citations.all() if not c.proposed)


class Event(Editorial):
    class Verification(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        REPORTED = "reported", "Reported"
        UNVERIFIED = "unverified", "Unverified"
        DISPUTED = "disputed", "Disputed"

    crises = models.ManyToManyField(Crisis, related_name="events", blank=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Only for events that span days.")
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
    is_scheduled = models.BooleanField(
        default=False, help_text="Announced for a later date than the article's publication."
    )
    category = models.ForeignKey(EventCategory, on_delete=models.PROTECT, related_name="events")
    verification = models.CharField(
        max_length=12, choices=Verification.choices, default=Verification.REPORTED
    )
    place = models.CharField(max_length=200, blank=True)
    actors = models.ManyToManyField(Actor, through="EventActor", related_name="events")
    public_note = models.TextField(
        blank=True, help_text="Context or caveats shown to readers with the event."
    )
    claims = models.ManyToManyField(
        Statement, through="Claim", related_name="claimed_events", blank=True
    )

    objects = EventQuerySet.as_manager()

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
    outlets = {c.article.source_id or c.article.publisher_id for c in citations}
    outlets.discard(None)
    return len(outlets)


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


class EditorComment(models.Model):
    """A private note between editors about an event; never shown to readers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]


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
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = name.replace("_", " ")
            pair = isinstance(values, list) and len(values) == 2
            before, after = values if pair else ("", values)
            rows.append((label[:1].upper() + label[1:], str(before), str(after)))
        return rows


class Merge(models.Model):
    """One merge of two actors or two events, with what is needed to undo it exactly."""

    class Kind(models.TextChoices):
        ACTOR = "actor", "Actors"
        EVENT = "event", "Events"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    kept_id = models.PositiveBigIntegerField(help_text="The item that remains.")
    merged_id = models.PositiveBigIntegerField(help_text="The item folded into it.")
    merged_name = models.CharField(max_length=300)
    undo = models.JSONField(help_text="Everything the merge changed, to restore it exactly.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → #{self.kept_id} ({self.get_kind_display().lower()})"
