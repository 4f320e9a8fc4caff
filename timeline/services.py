"""Writes: every change to the timeline goes through one of these functions.

The admin, the API, the ingestion pipeline and the management commands all call them, so each rule
(validation, editorial state, provenance) lives in one place.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from timeline.extraction.similarity import (
    PRECISION_SLACK_DAYS,
    content_words,
    dates_compatible,
    wording_similarity,
)
from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Claim,
    Correction,
    Crisis,
    EditorComment,
    Editorial,
    Event,
    EventActor,
    EventCategory,
    Merge,
    Provenance,
    Source,
    Statement,
    Status,
    alias_key,
    content_hash,
)

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import Model, QuerySet

    from timeline.extraction.article_text import ParsedArticle
    from timeline.extraction.types import Extraction, Span

    User = AbstractBaseUser | AnonymousUser

EDITORIAL_MODELS = (Actor, Statement, Event)


def _reviewer(by: User | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None  # type: ignore[return-value]


def check_can_publish(by: User | None, model: type) -> None:
    """Publishing, unpublishing and rejecting published items is for publishers.

    `by=None` is the system itself (the demo loader, data migrations), which may do anything.
    """
    if by is None:
        return
    codename = f"timeline.publish_{model._meta.model_name}"
    if not by.has_perm(codename):
        raise PermissionDenied(
            f"Only publishers can publish or unpublish {model._meta.verbose_name_plural}; "
            "ask a publisher to review them."
        )


def check_can_merge(by: User | None, model: type) -> None:
    if by is None:
        return
    if not by.has_perm(f"timeline.merge_{model._meta.model_name}"):
        raise PermissionDenied(
            f"Only publishers can merge {model._meta.verbose_name_plural}; ask a publisher."
        )


def _mark_reviewed(items: QuerySet, by: User | None, **changes: object) -> int:
    """Apply an editorial decision in one UPDATE, and record it in each item's history."""
    now = timezone.now()
    pks = list(items.values_list("pk", flat=True))
    changed = items.model.objects.filter(pk__in=pks).update(
        reviewed_by=_reviewer(by),
        reviewed_at=now,
        updated_at=now,
        version=F("version") + 1,
        **changes,
    )
    items.model.history.bulk_history_create(
        list(items.model.objects.filter(pk__in=pks)),
        update=True,
        default_user=_reviewer(by),
        default_change_reason=str(changes.get("status", "")),
        default_date=now,
    )
    return changed


@transaction.atomic
def items_publish(*, items: QuerySet, by: User | None) -> int:
    """Publish the given actors, statements or events; returns how many changed."""
    check_can_publish(by, items.model)
    pending = items.exclude(status=Status.PUBLISHED)
    changed = _mark_reviewed(
        pending.filter(first_published_at__isnull=True),
        by,
        status=Status.PUBLISHED,
        first_published_at=timezone.now(),
    )
    return changed + _mark_reviewed(pending, by, status=Status.PUBLISHED)


@transaction.atomic
def items_unpublish(*, items: QuerySet, by: User | None) -> int:
    """Take published items back to draft: readers stop seeing them, mirrors get a tombstone."""
    check_can_publish(by, items.model)
    return _mark_reviewed(items.filter(status=Status.PUBLISHED), by, status=Status.DRAFT)


@transaction.atomic
def items_reject(*, items: QuerySet, by: User | None) -> int:
    """Reject items: they stay stored, for the record, but readers never see them.

    Editors may reject drafts; rejecting something published is unpublishing, for publishers.
    """
    if items.filter(status=Status.PUBLISHED).exists():
        check_can_publish(by, items.model)
    return _mark_reviewed(items.exclude(status=Status.REJECTED), by, status=Status.REJECTED)


def citation_create(
    *,
    article: Article,
    start: int,
    end: int,
    event: Event | None = None,
    statement: Statement | None = None,
    provenance: str = Provenance.EDITOR,
) -> Citation:
    """Cite article.text[start:end] for one event or statement; refuses spans outside the text."""
    citation = Citation(
        article=article,
        start=start,
        end=end,
        event=event,
        statement=statement,
        provenance=provenance,
    )
    citation.full_clean()
    citation.save()
    return citation


def actor_add_aliases(*, actor: Actor, names: list[str]) -> None:
    """Record other names for an actor (its own canonical name is never stored as an alias)."""
    own_key = alias_key(actor.name)
    existing = set(actor.aliases.values_list("key", flat=True))
    for name in names:
        key = alias_key(name)
        if key and key != own_key and key not in existing:
            ActorAlias.objects.create(actor=actor, name=name)
            existing.add(key)


def crisis_get_or_create(*, slug: str, title: str = "", summary: str = "") -> Crisis:
    crisis, _ = Crisis.objects.get_or_create(
        slug=slug, defaults={"title": title or slug.replace("-", " ").title(), "summary": summary}
    )
    return crisis


# --------------------------------------------------------------------------------------------------
# Ingestion: an article and everything extracted from it, stored together or not at all.


class IngestError(ValueError):
    """The article cannot be ingested as given; the message says what to do."""


@dataclass
class IngestResult:
    article: Article
    created: bool  # False when the same article was already stored
    # False when it was extracted already and left as it was (a no-op). True for a new article,
    # a forced re-extraction, and a retry of one whose ingestion failed or whose worker died.
    extracted: bool = True
    actors: list[Actor] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Items already on the timeline that this article reports too (a citation was proposed).
    corroborated: list[Event | Statement] = field(default_factory=list)

    @property
    def drafts(self) -> int:
        return len(self.statements) + len(self.events)


def article_find_existing(*, url: str, text: str) -> Article | None:
    """The stored article with the same URL or the same text, if any."""
    query = Q(content_hash=content_hash(text))
    if url:
        query |= Q(url=url)
    return Article.objects.filter(query).order_by("pk").first()


def article_ingest(
    *,
    parsed: ParsedArticle,
    published_at: dt.datetime | None = None,
    crises: Sequence[Crisis] = (),
    source_name: str = "",
    force: bool = False,
    extract: Callable[[str, dt.date], Extraction] | None = None,
) -> IngestResult:
    """Store an article and the drafts extracted from it, in one transaction.

    Re-ingesting the same article (same URL or same text) is a no-op; `force` re-extracts and
    replaces the machine-made drafts that no editor has touched. When extraction fails, the
    article is still stored, marked "failed" with the error, so it can be retried.

    The same two steps run apart for background ingestion: `article_store_pending` here, then
    `article_claim` and `article_extract` in a worker (timeline.tasks).
    """
    stored = article_store_pending(
        parsed=parsed,
        published_at=published_at,
        crises=crises,
        source_name=source_name,
        force=force,
    )
    return article_ingest_stored(stored=stored, crises=crises, extract=extract)


def article_ingest_stored(
    *,
    stored: StoredArticle,
    crises: Sequence[Crisis] = (),
    extract: Callable[[str, dt.date], Extraction] | None = None,
) -> IngestResult:
    """The second half of `article_ingest`: claim the article `article_store_pending` stored, if
    it is pending, and extract it. A batch stores its articles first, to parse them together."""
    if not stored.pending:
        return IngestResult(article=stored.article, created=False, extracted=False)
    article = article_claim(article_id=stored.article.pk)
    if article is None:
        raise IngestError(
            "A background worker is extracting this article right now; check its ingestion "
            "status in a moment instead of ingesting it again."
        )
    result = article_extract(article=article, crises=crises, extract=extract)
    result.created = stored.created
    return result


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    created: bool  # False when the article was already stored
    pending: bool  # waiting for extraction; False when it was extracted already


def article_store_pending(
    *,
    parsed: ParsedArticle,
    published_at: dt.datetime | None = None,
    crises: Sequence[Crisis] = (),
    source_name: str = "",
    force: bool = False,
) -> StoredArticle:
    """Store an article, with its text, as "pending" extraction: the first step of ingesting.

    An article already extracted is left as it is (unless `force`), only added to `crises`;
    one that failed, or that `force` re-extracts, is set pending again. Refuses, with
    IngestError, an article without text, without a publication time, or with bad fields.
    """
    if not parsed.body.strip():
        raise IngestError("The article has no text to extract from.")
    published_at = published_at or parsed.published_at
    if published_at is None:
        raise IngestError(
            "The article's publication time could not be recognised: give it explicitly "
            "(for example --published 2022-02-11T22:00Z)."
        )
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)

    existing = article_find_existing(url=parsed.url, text=parsed.body)
    if existing is None:
        article = _article_build(parsed, published_at)
        try:
            with transaction.atomic():
                _article_save(article, source_name or parsed.source_name)
                article.crises.add(*crises)
            return StoredArticle(article=article, created=True, pending=True)
        except IntegrityError:
            # Stored by another process since we looked (two workers given the same batch).
            existing = article_find_existing(url=parsed.url, text=parsed.body)
            if existing is None:
                raise
    existing.crises.add(*crises)
    if existing.ingestion_status == Article.IngestionStatus.DONE and not force:
        return StoredArticle(article=existing, created=False, pending=False)
    waiting = Article.objects.filter(pk=existing.pk)
    if not force:
        # Never pull an article from under the worker extracting it.
        waiting = waiting.exclude(ingestion_status=Article.IngestionStatus.PROCESSING)
    waiting.update(ingestion_status=Article.IngestionStatus.PENDING, updated_at=timezone.now())
    existing.refresh_from_db(fields=["ingestion_status"])
    return StoredArticle(article=existing, created=False, pending=True)


def article_claim(*, article_id: int) -> Article | None:
    """Take a pending article for extraction: pending → processing. None if it is not pending.

    One conditional UPDATE decides, so when two workers receive the same article (a redelivered
    message, a batch queued twice) exactly one of them extracts it. An article left
    "processing" for INGEST_STALE_SECONDS belonged to a worker that died (its message comes
    back to the queue): it may be claimed again.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.INGEST_STALE_SECONDS)
    status = Article.IngestionStatus
    claimed = (
        Article.objects.filter(pk=article_id)
        .filter(
            Q(ingestion_status=status.PENDING)
            | Q(ingestion_status=status.PROCESSING, updated_at__lt=stale)
        )
        .update(ingestion_status=status.PROCESSING, updated_at=now)
    )
    return Article.objects.get(pk=article_id) if claimed else None


def article_extract(
    *,
    article: Article,
    crises: Sequence[Crisis] | None = None,
    extract: Callable[[str, dt.date], Extraction] | None = None,
) -> IngestResult:
    """Extract a claimed article and store its drafts in one transaction; mark it done.

    Drafts join `crises` (by default, the article's own). When extraction fails, nothing but
    the article's "failed" status and error is written, and IngestError is raised.
    """
    if extract is None:
        from timeline.extraction.pipeline import extract
    if crises is None:
        crises = list(article.crises.all())
    try:
        # The parse (seconds of CPU) runs outside the transaction: inside, it would hold the
        # locks of rows written so far, and two workers storing the same new actor would queue.
        extraction = extract(article.text, article.published_at.date())
        for attempt in range(1, STORE_ATTEMPTS + 1):
            try:
                return _article_store_extraction(article, extraction, crises)
            except IntegrityError:
                # Another worker committed one of the same new actors (its slug or name)
                # between our look-up and our insert: store again, matching its row this time.
                if attempt == STORE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
    except Exception as exc:
        logger.warning("Extraction failed for %r: %s", article.title or article.url, exc)
        logger.debug("Extraction failure", exc_info=True)
        # Keep what the editor gave: the article itself, marked failed, so it can be retried.
        article_mark_failed(article=article, error=f"{type(exc).__name__}: {exc}")
        raise IngestError(
            f"Extraction failed ({type(exc).__name__}: {exc}). The article was stored as "
            "failed; fix the cause and ingest it again to retry."
        ) from exc


# Tries at storing an article's drafts when concurrent workers race to create the same actor.
STORE_ATTEMPTS = 3


@transaction.atomic
def _article_store_extraction(
    article: Article, extraction: Extraction, crises: Sequence[Crisis]
) -> IngestResult:
    _drafts_remove_replaceable(article)
    result = _drafts_store(article, extraction, crises)
    article.ingestion_status = Article.IngestionStatus.DONE
    article.ingestion_error = ""
    article.save(update_fields=["ingestion_status", "ingestion_error", "updated_at"])
    return result


def article_mark_failed(*, article: Article, error: str) -> None:
    article.ingestion_status = Article.IngestionStatus.FAILED
    article.ingestion_error = error[:2000]
    article.save(update_fields=["ingestion_status", "ingestion_error", "updated_at"])


def article_requeue(*, article_id: int) -> bool:
    """Set a failed article pending again for another attempt; its last error stays visible."""
    return bool(
        Article.objects.filter(
            pk=article_id, ingestion_status=Article.IngestionStatus.FAILED
        ).update(ingestion_status=Article.IngestionStatus.PENDING, updated_at=timezone.now())
    )


def article_retry(
    *, article: Article, extract: Callable[[str, dt.date], Extraction] | None = None
) -> IngestResult:
    """Extract again an article whose ingestion failed, or whose worker died (processing for
    INGEST_STALE_SECONDS), or that still waits: the admin's "Retry ingestion".

    IngestError when there is nothing to retry (extracted already, or a live worker has it) or
    when extraction fails again (the article is then failed with the new error).
    """
    article_requeue(article_id=article.pk)
    claimed = article_claim(article_id=article.pk)
    if claimed is None:
        status = Article.objects.filter(pk=article.pk).values_list("ingestion_status", flat=True)
        if status.first() == Article.IngestionStatus.PROCESSING:
            raise IngestError(
                "A worker is extracting this article right now; check its status in a moment."
            )
        raise IngestError(
            "This article was extracted already; to extract it again, ingest it with force."
        )
    result = article_extract(article=claimed, extract=extract)
    result.created = False
    return result


def _article_build(parsed: ParsedArticle, published_at: dt.datetime) -> Article:
    """A validated, unsaved article; bad fields raise IngestError naming them."""
    article = Article(
        url=parsed.url,
        title=(parsed.title or parsed.body.split("\n", 1)[0])[:500],
        standfirst=parsed.standfirst,
        byline=parsed.byline[:300],
        published_at=published_at,
        text=parsed.body,
        caption=parsed.caption,
        language=(parsed.language or "en")[:12],
        ingestion_status=Article.IngestionStatus.PENDING,
    )
    try:
        article.full_clean(exclude=["content_hash", "source", "publisher"], validate_unique=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()
        )
        raise IngestError(f"The article cannot be stored: {problems}") from exc
    return article


def _article_save(article: Article | None, source_name: str) -> Article:
    assert article is not None
    name = source_name.strip()[:200]
    if name:
        article.source = Source.objects.filter(name__iexact=name).first() or Source.objects.create(
            name=name, kind=Source.Kind.AGENCY if name in KNOWN_AGENCIES else Source.Kind.OTHER
        )
    article.save()
    return article


KNOWN_AGENCIES = {"Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "Interfax"}


def _drafts_remove_replaceable(article: Article) -> None:
    """Remove the machine-made drafts from this article that no editor has touched."""
    replaceable = {
        "provenance": Provenance.MACHINE,
        "status": Status.DRAFT,
        "edited_by_editor": False,
    }
    Event.objects.filter(citations__article=article, **replaceable).delete()
    Statement.objects.filter(citations__article=article, **replaceable).delete()
    article.citations.filter(proposed=True, provenance=Provenance.MACHINE).delete()


def _drafts_store(
    article: Article, extraction: Extraction, crises: Sequence[Crisis]
) -> IngestResult:
    """Store an article's drafts with a number of queries set by the article, not the database.

    Every name the extraction mentions is matched against the stored actors in one lookup; new
    rows go in with bulk inserts (with their history records); corroboration candidates are
    fetched once per speaker set and once per date window. What is stored is what storing item by
    item stored: the same actors, aliases, drafts, citations, proposals and history.
    """
    result = IngestResult(article=article, created=True)
    # Spans already cited by items an editor kept: re-extraction must not add them again.
    kept_spans = set(article.citations.values_list("start", "end"))
    crisis_ids = list(dict.fromkeys(crisis.pk for crisis in crises))
    citations: list[Citation] = []

    actors_by_name, directory = _actors_store(extraction, result)

    found_statements = [
        found
        for found in extraction.statements
        if (found.span.start, found.span.end) not in kept_spans
    ]
    speakers = [
        actors_by_name.get(found.speaker or "") or directory.find(found.speaker)
        for found in found_statements
    ]
    earlier_quotes = _StatementCandidates(
        article=article,
        speaker_ids={speaker.pk for speaker in speakers if speaker is not None},
        limit=STATEMENT_CANDIDATES + len(found_statements),
    )
    corroborated_statements: list[Statement] = []
    for found, speaker in zip(found_statements, speakers, strict=True):
        same_quote = earlier_quotes.find(text=found.content, speaker=speaker)
        if same_quote is not None:
            citations.append(
                _machine_citation(
                    article,
                    found.span,
                    statement=same_quote,
                    proposal={
                        "text": found.content,
                        "kind": found.kind,
                        "cue": found.cue[:60],
                        "medium": found.medium[:200],
                        "confidence": _unit(found.confidence),
                    },
                )
            )
            corroborated_statements.append(same_quote)
            result.corroborated.append(same_quote)
            continue
        statement = Statement(
            speaker=speaker,
            text=found.content,
            kind=found.kind,
            cue=found.cue[:60],
            medium=found.medium[:200],
            date=found.date.start if found.date else article.published_at.date(),
            date_precision=found.date.precision if found.date else "day",
            provenance=Provenance.MACHINE,
            confidence=_unit(found.confidence),
        )
        citations.append(_machine_citation(article, found.span, statement=statement))
        result.statements.append(statement)
    bulk_create_with_history(result.statements, Statement)

    categories = {category.slug: category for category in EventCategory.objects.all()}
    found_events = [
        found for found in extraction.events if (found.span.start, found.span.end) not in kept_spans
    ]
    end_dates = [
        found.date.end if found.date.end and found.date.end > found.date.start else None
        for found in found_events
    ]
    earlier_events = _EventCandidates(
        article=article,
        windows=[
            (f.date.start, end or f.date.start)
            for f, end in zip(found_events, end_dates, strict=True)
        ],
        limit=EVENT_CANDIDATES + len(found_events),
    )
    corroborated_events: list[Event] = []
    roles: list[EventActor] = []
    for found, end_date in zip(found_events, end_dates, strict=True):
        event_roles = {
            (actors_by_name[name].pk, role) for name, role in found.actors if name in actors_by_name
        }
        category = categories.get(found.category) or categories["other"]
        same_event = earlier_events.find(
            title=found.title,
            summary=found.summary,
            start=found.date.start,
            end=end_date,
            precision=found.date.precision,
            actor_ids={actor_id for actor_id, _ in event_roles},
        )
        if same_event is not None:
            citations.append(
                _machine_citation(
                    article,
                    found.span,
                    event=same_event,
                    proposal={
                        "title": found.title[:300],
                        "summary": found.summary,
                        "start_date": found.date.start.isoformat(),
                        "end_date": end_date.isoformat() if end_date else None,
                        "date_precision": found.date.precision,
                        "category_id": category.pk,
                        "verification": found.verification,
                        "roles": sorted(event_roles),
                        "confidence": _unit(found.confidence),
                    },
                )
            )
            corroborated_events.append(same_event)
            result.corroborated.append(same_event)
            continue
        event = Event(
            title=found.title[:300],
            summary=found.summary,
            start_date=found.date.start,
            end_date=end_date,
            date_precision=found.date.precision,
            date_is_fallback=found.date.is_fallback,
            is_scheduled=found.date.is_scheduled,
            category=category,
            verification=found.verification,
            place=found.place[:200],
            provenance=Provenance.MACHINE,
            confidence=_unit(found.confidence),
        )
        roles.extend(
            EventActor(event=event, actor_id=actor_id, role=role) for actor_id, role in event_roles
        )
        citations.append(_machine_citation(article, found.span, event=event))
        result.events.append(event)
    bulk_create_with_history(result.events, Event)
    EventActor.objects.bulk_create(roles)

    bulk_create_with_history(citations, Citation)
    _crises_add(Statement, [*result.statements, *corroborated_statements], crisis_ids)
    _crises_add(Event, [*result.events, *corroborated_events], crisis_ids)
    return result


def _machine_citation(
    article: Article,
    span: Span,
    *,
    event: Event | None = None,
    statement: Statement | None = None,
    proposal: dict[str, object] | None = None,
) -> Citation:
    """An unsaved machine citation, checked without queries: its span must lie in the text.

    A proposal (the same thing found in another article) is a proposed citation. The database
    enforces the constraints `full_clean` would check with a query each.
    """
    citation = Citation(
        article=article,
        start=span.start,
        end=span.end,
        event=event,
        statement=statement,
        provenance=Provenance.MACHINE,
        proposed=proposal is not None,
        proposal=proposal,
    )
    citation.clean_fields(exclude=["article", "event", "statement"])
    citation.clean()
    return citation


def _crises_add(
    model: type[Statement | Event], items: Sequence[Model], crisis_ids: list[int]
) -> None:
    """`item.crises.add(*crises)` for every item, in one INSERT that skips links already there."""
    through = model.crises.through
    owner = f"{model._meta.model_name}_id"
    links = {(item.pk, crisis_id) for item in items for crisis_id in crisis_ids}
    through.objects.bulk_create(
        [
            through(**{owner: item_id, "crisis_id": crisis_id})
            for item_id, crisis_id in sorted(links)
        ],
        ignore_conflicts=True,
    )


def _unit(value: float) -> float:
    return min(1.0, max(0.0, float(value)))


class _ActorDirectory:
    """The stored actors an article's names may match, loaded at once, and the ones it adds.

    `find(name)` answers as `Actor.objects.matching_name(name).first()` would (the canonical
    name, case aside, or an alias's key; the first by name), without a query per name.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._by_name: dict[str, list[Actor]] = defaultdict(list)
        self._by_key: dict[str, list[Actor]] = defaultdict(list)
        self._keys: dict[int, set[str]] = {}  # id(actor) → its aliases' keys
        self._order: dict[int, tuple[str, float, int]] = {}  # id(actor) → its place in name order
        self.new_aliases: list[ActorAlias] = []
        loaded: dict[int, Actor] = {}
        # A few hundred names a query keeps SQLite's expression tree well under its depth limit.
        for chunk in _chunks(sorted({name for name in names if name}), 200):
            matching = Q(aliases__key__in={alias_key(name) for name in chunk})
            for name in chunk:
                matching |= Q(name__iexact=name)
            aliases = Prefetch("aliases", queryset=ActorAlias.objects.only("actor_id", "key"))
            for actor in Actor.objects.filter(matching).distinct().prefetch_related(aliases):
                loaded.setdefault(actor.pk, actor)
        for actor in loaded.values():
            self._register(actor, [alias.key for alias in actor.aliases.all()])

    def _register(self, actor: Actor, keys: Iterable[str]) -> None:
        # ORDER BY name, as `.first()` would; new actors come after the stored, in turn.
        self._order[id(actor)] = (actor.name, actor.pk or math.inf, len(self._order))
        self._by_name[actor.name.lower()].append(actor)
        self._keys[id(actor)] = set()
        for key in keys:
            self._keys[id(actor)].add(key)
            self._by_key[key].append(actor)

    def find(self, name: str | None) -> Actor | None:
        if not name:
            return None
        found = [*self._by_name.get(name.lower(), ()), *self._by_key.get(alias_key(name), ())]
        return min(found, key=lambda actor: self._order[id(actor)], default=None)

    def add_new(self, actor: Actor) -> None:
        """A new, not yet saved actor: later names match it as they would once it is stored."""
        self._register(actor, ())

    def add_aliases(self, actor: Actor, names: Iterable[str]) -> None:
        """As `actor_add_aliases`, collecting the new aliases in `new_aliases` to insert at once."""
        own_key = alias_key(actor.name)
        existing = self._keys[id(actor)]
        for name in names:
            key = alias_key(name)
            if key and key != own_key and key not in existing:
                self.new_aliases.append(ActorAlias(actor=actor, name=name, key=key))
                existing.add(key)
                self._by_key[key].append(actor)


def _actors_store(
    extraction: Extraction, result: IngestResult
) -> tuple[dict[str, Actor], _ActorDirectory]:
    """Match each extracted actor to a stored one by name or alias, or store it as a new draft;
    then link affiliations. Returns each extracted name's actor, and the directory that finds
    other names (speakers). New actors go into `result.actors`."""
    names = [
        *(name for actor in extraction.actors for name in (actor.name, *actor.aliases)),
        *(actor.affiliation for actor in extraction.actors),
        *(statement.speaker or "" for statement in extraction.statements),
    ]
    directory = _ActorDirectory(names)
    actors_by_name: dict[str, Actor] = {}
    new_names: list[str] = []
    for extracted in extraction.actors:
        names = [extracted.name, *extracted.aliases]
        actor = next((found for found in map(directory.find, names) if found is not None), None)
        if actor is not None:
            directory.add_aliases(actor, names)
        else:
            actor = Actor(
                name=extracted.name[:200],
                kind=extracted.kind,
                title=extracted.title[:200],
                provenance=Provenance.MACHINE,
                confidence=_unit(extracted.confidence),
            )
            directory.add_new(actor)
            directory.add_aliases(actor, extracted.aliases)
            new_names.append(extracted.name)
            result.actors.append(actor)
        actors_by_name[extracted.name] = actor
    for actor, slug in zip(result.actors, actor_unique_slugs(new_names), strict=True):
        actor.slug = slug
    bulk_create_with_history(result.actors, Actor)
    ActorAlias.objects.bulk_create(directory.new_aliases)

    affiliated: dict[int, Actor] = {}
    for extracted in extraction.actors:
        actor = actors_by_name[extracted.name]
        if extracted.affiliation and actor.affiliation_id is None:
            affiliation = actors_by_name.get(extracted.affiliation) or directory.find(
                extracted.affiliation
            )
            if affiliation is not None and affiliation.pk != actor.pk:
                actor.affiliation = affiliation
                affiliated[actor.pk] = actor
    if affiliated:
        # As `actor.save(update_fields=["affiliation", "updated_at"])` would, version and all.
        now = timezone.now()
        for actor in affiliated.values():
            actor.version += 1
            actor.updated_at = now
        bulk_update_with_history(
            list(affiliated.values()), Actor, fields=["affiliation", "updated_at", "version"]
        )
    return actors_by_name, directory


def actor_unique_slugs(names: Sequence[str]) -> list[str]:
    """A slug for each of the new actors `names`, unique among the stored ones and each other
    ("joe-biden", then "joe-biden-2"), found with one query."""
    bases = [slugify(name)[:200] or "actor" for name in names]
    taken: set[str] = set()
    for chunk in _chunks(sorted(set(bases)), 200):
        query = Q(slug__in=chunk)
        for base in chunk:
            query |= Q(slug__startswith=f"{base}-")
        taken.update(Actor.objects.filter(query).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------------------------------
# Corroboration: the same happening, or the same quote, reported by another article.

# How many earlier items a new one is compared with: its speaker's first statements by date, and
# the first events by date within a year of its own.
STATEMENT_CANDIDATES = 500
EVENT_CANDIDATES = 200


class _StatementCandidates:
    """The statements by an article's speakers stored from other articles, loaded in one query.

    The same quote is looked for among the speaker's first STATEMENT_CANDIDATES statements by
    date that are not rejected and not cited by this article, as a query per quote would;
    a statement the article corroborates is cited by it from then on, so it is not offered again.
    """

    def __init__(self, *, article: Article, speaker_ids: set[int], limit: int) -> None:
        self._by_speaker: dict[int, list[_StatementRow]] = defaultdict(list)
        self._used: set[int] = set()
        first_by_date = Window(
            RowNumber(), partition_by=[F("speaker_id")], order_by=[F("date").asc(), F("id").asc()]
        )
        statements = (
            Statement.objects.exclude(status=Status.REJECTED)
            .exclude(citations__article=article)
            .filter(speaker_id__in=speaker_ids)
            .annotate(rank=first_by_date)
            .filter(rank__lte=limit)
        )
        self._db = statements.db
        # Values, not models: hundreds are compared, and only the one found is made a Statement.
        rows = statements.values_list(*_STATEMENT_ROW_COLUMNS)
        for row in map(_StatementRow._make, rows):  # by date and id, as each speaker's are ranked
            self._by_speaker[row.speaker_id].append(row)

    def find(self, *, text: str, speaker: Actor | None) -> Statement | None:
        if speaker is None:
            return None
        offered = [s for s in self._by_speaker.get(speaker.pk, ()) if s.pk not in self._used]
        found = statement_find_corroborated(text=text, candidates=offered[:STATEMENT_CANDIDATES])
        if found is None:
            return None
        self._used.add(found.pk)
        # As `.only(*_STATEMENT_ROW_COLUMNS)` would have loaded it.
        return Statement.from_db(self._db, _STATEMENT_ROW_COLUMNS, found)


class _StatementRow(NamedTuple):
    """What corroboration compares of a stored statement."""

    pk: int
    text: str
    speaker_id: int


_STATEMENT_ROW_COLUMNS = ("id", "text", "speaker_id")


class _EventCandidates:
    """The events stored from other articles that an article's events may report again.

    For each event, the first EVENT_CANDIDATES events by date within a year of it that are not
    rejected and not cited by this article: one query per distinct date window (an article's
    events share a few dates), then one for their actors. An event the article corroborates is
    cited by it from then on, so it is not offered again.
    """

    def __init__(
        self, *, article: Article, windows: Iterable[tuple[dt.date, dt.date]], limit: int
    ) -> None:
        slack = dt.timedelta(days=PRECISION_SLACK_DAYS["year"])
        self._windows: dict[tuple[dt.date, dt.date], list[_EventRow]] = {}
        others = Event.objects.exclude(status=Status.REJECTED).exclude(citations__article=article)
        self._db = others.db
        for start, end in dict.fromkeys(windows):
            # Values, not models: hundreds are compared, and only the one found is made an Event.
            rows = (
                others.filter(start_date__gte=start - slack, start_date__lte=end + slack)
                .values_list(*_EVENT_ROW_COLUMNS)
                .distinct()[:limit]
            )
            self._windows[start, end] = [_EventRow(*row) for row in rows]
        ids = sorted({event.pk for events in self._windows.values() for event in events})
        self._actors: dict[int, set[int]] = defaultdict(set)
        for chunk in _chunks(ids, 500):
            roles = EventActor.objects.filter(event_id__in=chunk).values_list(
                "event_id", "actor_id"
            )
            for event_id, actor_id in roles:
                self._actors[event_id].add(actor_id)
        self._used: set[int] = set()

    def find(
        self,
        *,
        title: str,
        summary: str,
        start: dt.date,
        end: dt.date | None,
        precision: str,
        actor_ids: set[int],
    ) -> Event | None:
        window = self._windows[start, end or start]
        offered = [event for event in window if event.pk not in self._used]
        found = event_find_corroborated(
            title=title,
            summary=summary,
            start=start,
            end=end,
            precision=precision,
            actor_ids=actor_ids,
            candidates=offered[:EVENT_CANDIDATES],
            actors_of=self._actors,
        )
        if found is None:
            return None
        self._used.add(found.pk)
        # As `.only(*_EVENT_ROW_COLUMNS)` would have loaded it.
        return Event.from_db(self._db, _EVENT_ROW_COLUMNS, found)


class _EventRow(NamedTuple):
    """What corroboration compares of a stored event."""

    pk: int
    title: str
    summary: str
    start_date: dt.date
    end_date: dt.date | None
    date_precision: str


_EVENT_ROW_COLUMNS = ("id", "title", "summary", "start_date", "end_date", "date_precision")


def event_find_corroborated(
    *,
    title: str,
    summary: str,
    start: dt.date,
    end: dt.date | None,
    precision: str,
    actor_ids: set[int],
    candidates: Iterable[_EventRow],
    actors_of: Mapping[int, set[int]],
) -> _EventRow | None:
    """The one of `candidates` (events from other articles) that reports the same happening.

    It shares the date (within the coarser precision) and either an actor and some wording, or
    much of its wording. `actors_of` gives each candidate's actor ids.
    """
    best, best_score = None, 0.0
    for candidate in candidates:
        if not dates_compatible(
            (start, end, precision),
            (candidate.start_date, candidate.end_date, candidate.date_precision),
        ):
            continue
        similarity = max(
            wording_similarity(title, candidate.title),
            wording_similarity(summary, candidate.summary),
        )
        shares_actor = bool(actor_ids & actors_of.get(candidate.pk, set()))
        score = similarity + (0.25 if shares_actor else 0.0)
        if ((shares_actor and similarity >= 0.2) or similarity >= 0.5) and score > best_score:
            best, best_score = candidate, score
    return best


def statement_find_corroborated(
    *, text: str, candidates: Iterable[_StatementRow]
) -> _StatementRow | None:
    """The first of `candidates` (the speaker's statements from other articles) that is the same
    quote: their content words at least 80% alike."""
    if not content_words(text):
        return None
    for candidate in candidates:
        if wording_similarity(text, candidate.text) >= 0.8:
            return candidate
    return None


@transaction.atomic
def citation_confirm(*, citation: Citation, by: User | None) -> Citation:
    """An editor agrees the proposed citation reports the same thing: readers now see it."""
    citation.proposed = False
    citation.save(update_fields=["proposed"])
    return citation


@transaction.atomic
def citation_split(*, citation: Citation, by: User | None) -> Event | Statement:
    """An editor says the proposed citation reports something else: make it an item of its own."""
    proposal = citation.proposal or {}
    if citation.event_id is not None:
        source = citation.event
        assert source is not None
        item: Event | Statement = Event.objects.create(
            title=proposal.get("title") or source.title,
            summary=proposal.get("summary") or citation.excerpt,
            start_date=dt.date.fromisoformat(
                proposal.get("start_date", source.start_date.isoformat())
            ),
            end_date=dt.date.fromisoformat(proposal["end_date"])
            if proposal.get("end_date")
            else None,
            date_precision=proposal.get("date_precision", source.date_precision),
            category_id=proposal.get("category_id", source.category_id),
            verification=proposal.get("verification", source.verification),
            provenance=Provenance.MACHINE,
            confidence=proposal.get("confidence", 0.5),
        )
        item.crises.set(source.crises.all())
        EventActor.objects.bulk_create(
            [
                EventActor(event=item, actor_id=actor_id, role=role)
                for actor_id, role in proposal.get("roles", [])
                if Actor.objects.filter(pk=actor_id).exists()
            ]
        )
        citation.event = item
    else:
        statement = citation.statement
        assert statement is not None
        item = Statement.objects.create(
            speaker=statement.speaker,
            text=proposal.get("text") or statement.text,
            kind=proposal.get("kind", statement.kind),
            cue=proposal.get("cue", statement.cue),
            medium=proposal.get("medium", ""),
            date=statement.date,
            date_precision=statement.date_precision,
            provenance=Provenance.MACHINE,
            confidence=proposal.get("confidence", 0.5),
        )
        item.crises.set(statement.crises.all())
        citation.statement = item
    citation.proposed = False
    citation.save(update_fields=["event", "statement", "proposed"])
    return item


# --------------------------------------------------------------------------------------------------
# Merges, undoable exactly.


def _serialise(objects: Sequence[Model]) -> list[dict]:
    return json.loads(serializers.serialize("json", objects))


def _restore(serialised: list[dict]) -> None:
    for restored in serializers.deserialize("json", json.dumps(serialised)):
        restored.save()


def _repoint(queryset: QuerySet, field_name: str, new_value: int) -> list[list[int]]:
    """Point `field_name` of every row at `new_value`; return [[pk, old value], …] for undo."""
    moved = [list(row) for row in queryset.values_list("pk", f"{field_name}_id")]
    queryset.update(**{f"{field_name}_id": new_value})
    return moved


@transaction.atomic
def actor_merge(*, keep: Actor, merge: Actor, by: User | None) -> Merge:
    """Fold `merge` into `keep`: statements, event roles, members, aliases and corrections move
    over, its names become aliases of `keep`, and the merge can be undone exactly."""
    check_can_merge(by, Actor)
    if keep.pk == merge.pk:
        raise ValidationError("An actor cannot be merged into itself.")
    undo: dict[str, object] = {"merged": _serialise([merge]), "kept": _serialise([keep])}
    undo["statements"] = _repoint(Statement.objects.filter(speaker=merge), "speaker", keep.pk)
    undo["members"] = _repoint(Actor.objects.filter(affiliation=merge), "affiliation", keep.pk)
    undo["corrections"] = _repoint(Correction.objects.filter(actor=merge), "actor", keep.pk)
    kept_roles = set(EventActor.objects.filter(actor=keep).values_list("event_id", "role"))
    clashing = [r for r in merge.event_roles.all() if (r.event_id, r.role) in kept_roles]
    undo["roles_deleted"] = _serialise(clashing)
    EventActor.objects.filter(pk__in=[r.pk for r in clashing]).delete()
    undo["roles"] = _repoint(EventActor.objects.filter(actor=merge), "actor", keep.pk)
    kept_keys = {alias_key(keep.name), *keep.aliases.values_list("key", flat=True)}
    clashing_aliases = [a for a in merge.aliases.all() if a.key in kept_keys]
    undo["aliases_deleted"] = _serialise(clashing_aliases)
    ActorAlias.objects.filter(pk__in=[a.pk for a in clashing_aliases]).delete()
    undo["aliases"] = _repoint(ActorAlias.objects.filter(actor=merge), "actor", keep.pk)
    before = set(keep.aliases.values_list("pk", flat=True))
    actor_add_aliases(actor=keep, names=[merge.name])
    undo["aliases_created"] = sorted(set(keep.aliases.values_list("pk", flat=True)) - before)
    record = Merge.objects.create(
        kind=Merge.Kind.ACTOR,
        kept_id=keep.pk,
        merged_id=merge.pk,
        merged_name=merge.name,
        undo=undo,
        merged_by=_reviewer(by),
    )
    merge.delete()
    # Saving the kept item records the merge in its history, so mirrors fetch it again.
    keep.save(update_fields=["updated_at"])
    return record


@transaction.atomic
def event_merge(*, keep: Event, merge: Event, by: User | None) -> Merge:
    """Fold `merge` into `keep`: its citations, actor roles, claims, comments and corrections
    move over, and the merge can be undone exactly."""
    check_can_merge(by, Event)
    if keep.pk == merge.pk:
        raise ValidationError("An event cannot be merged into itself.")
    undo: dict[str, object] = {"merged": _serialise([merge]), "kept": _serialise([keep])}
    undo["citations"] = _repoint(Citation.objects.filter(event=merge), "event", keep.pk)
    undo["comments"] = _repoint(EditorComment.objects.filter(event=merge), "event", keep.pk)
    undo["corrections"] = _repoint(Correction.objects.filter(event=merge), "event", keep.pk)
    kept_roles = set(keep.roles.values_list("actor_id", "role"))
    clashing = [r for r in merge.roles.all() if (r.actor_id, r.role) in kept_roles]
    undo["roles_deleted"] = _serialise(clashing)
    EventActor.objects.filter(pk__in=[r.pk for r in clashing]).delete()
    undo["roles"] = _repoint(EventActor.objects.filter(event=merge), "event", keep.pk)
    kept_claims = set(keep.claim_links.values_list("statement_id", flat=True))
    clashing_claims = [c for c in merge.claim_links.all() if c.statement_id in kept_claims]
    undo["claims_deleted"] = _serialise(clashing_claims)
    Claim.objects.filter(pk__in=[c.pk for c in clashing_claims]).delete()
    undo["claims"] = _repoint(Claim.objects.filter(event=merge), "event", keep.pk)
    added_crises = set(merge.crises.values_list("pk", flat=True)) - set(
        keep.crises.values_list("pk", flat=True)
    )
    keep.crises.add(*added_crises)
    undo["crises_added"] = sorted(added_crises)
    record = Merge.objects.create(
        kind=Merge.Kind.EVENT,
        kept_id=keep.pk,
        merged_id=merge.pk,
        merged_name=merge.title,
        undo=undo,
        merged_by=_reviewer(by),
    )
    merge.delete()
    # Saving the kept item records the merge in its history, so mirrors fetch it again.
    keep.save(update_fields=["updated_at"])
    return record


@transaction.atomic
def merge_undo(*, merge: Merge, by: User | None) -> None:
    """Restore both items exactly as they were before the merge."""
    model = Actor if merge.kind == Merge.Kind.ACTOR else Event
    check_can_merge(by, model)
    if merge.undone_at is not None:
        raise ValidationError("This merge has already been undone.")
    undo = merge.undo
    _restore(undo["merged"])
    _restore(undo["kept"])
    moves: list[tuple[type[Model], str, str]] = (
        [
            (Statement, "statements", "speaker_id"),
            (Actor, "members", "affiliation_id"),
            (Correction, "corrections", "actor_id"),
            (EventActor, "roles", "actor_id"),
            (ActorAlias, "aliases", "actor_id"),
        ]
        if model is Actor
        else [
            (Citation, "citations", "event_id"),
            (EditorComment, "comments", "event_id"),
            (Correction, "corrections", "event_id"),
            (EventActor, "roles", "event_id"),
            (Claim, "claims", "event_id"),
        ]
    )
    for row_model, key, column in moves:
        for pk, old in undo[key]:
            row_model.objects.filter(pk=pk).update(**{column: old})
    for key in ("roles_deleted", "aliases_deleted", "claims_deleted"):
        _restore(undo.get(key, []))
    ActorAlias.objects.filter(pk__in=undo.get("aliases_created", [])).delete()
    if undo.get("crises_added"):
        Event.objects.get(pk=merge.kept_id).crises.remove(*undo["crises_added"])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])


# --------------------------------------------------------------------------------------------------
# Claims, corrections, comments and concurrent edits.


@transaction.atomic
def claim_link(*, event: Event, statement: Statement, stance: str, by: User | None) -> Claim:
    """Link a statement to an event as supporting or denying it; a denial marks it disputed."""
    claim, _ = Claim.objects.update_or_create(
        event=event, statement=statement, defaults={"stance": stance}
    )
    if stance == Claim.Stance.DENIES:
        event_flag_disputed(event=event)
    return claim


def event_flag_disputed(*, event: Event) -> None:
    if event.verification != Event.Verification.DISPUTED:
        event.verification = Event.Verification.DISPUTED
        event.save(update_fields=["verification", "updated_at"])


class EditConflict(ValidationError):
    """Someone else saved the item after this editor opened it."""


def check_version(*, item: Editorial, expected: int | None) -> None:
    """Refuse to save over a change the editor has not seen."""
    if expected is None:
        return
    current = type(item).objects.filter(pk=item.pk).values_list("version", flat=True).first()
    if current is not None and current != expected:
        raise EditConflict(
            f"Someone else changed this {item._meta.verbose_name} after you opened it "
            f"(version {expected}, now {current}). Reload it, check their change, and apply "
            "yours again."
        )


@transaction.atomic
def item_correct(
    *, item: Editorial, changes: dict[str, list[object]], note: str, by: User | None
) -> Correction | None:
    """Record a public correction when a published item is changed; returns None otherwise."""
    if item.first_published_at is None or not changes:
        return None
    if not note.strip():
        raise ValidationError(
            {"correction_note": "This item is published: say what you corrected, for readers."}
        )
    field = {Event: "event", Statement: "statement", Actor: "actor"}[type(item)]
    return Correction.objects.create(
        **{field: item},
        note=note.strip(),
        changes={name: [str(old), str(new)] for name, (old, new) in changes.items()},
        corrected_by=_reviewer(by),
    )


def event_comment(*, event: Event, author: User | None, body: str) -> EditorComment:
    if not body.strip():
        raise ValidationError({"body": "Write the comment before saving it."})
    return EditorComment.objects.create(event=event, author=_reviewer(author), body=body.strip())
