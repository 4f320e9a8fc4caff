"""Writes: every change to the timeline goes through one of these functions.

The admin, the API, the ingestion pipeline and the management commands all call them, so each rule
(validation, editorial state, provenance) lives in one place.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Crisis,
    Event,
    EventActor,
    EventCategory,
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
    from django.db.models import QuerySet

    from timeline.extraction.article_text import ParsedArticle
    from timeline.extraction.types import ExtractedActor, Extraction

    User = AbstractBaseUser | AnonymousUser

EDITORIAL_MODELS = (Actor, Statement, Event)


def _reviewer(by: User | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None  # type: ignore[return-value]


@transaction.atomic
def items_publish(*, items: QuerySet, by: User | None) -> int:
    """Publish the given actors, statements or events; returns how many changed."""
    now = timezone.now()
    reviewer = _reviewer(by)
    pending = items.exclude(status=Status.PUBLISHED)
    changed = pending.filter(first_published_at__isnull=True).update(
        status=Status.PUBLISHED,
        first_published_at=now,
        reviewed_by=reviewer,
        reviewed_at=now,
        updated_at=now,
    )
    changed += pending.update(
        status=Status.PUBLISHED, reviewed_by=reviewer, reviewed_at=now, updated_at=now
    )
    return changed


@transaction.atomic
def items_reject(*, items: QuerySet, by: User | None) -> int:
    """Reject the given items: they stay stored, for the record, but readers never see them."""
    now = timezone.now()
    return items.exclude(status=Status.REJECTED).update(
        status=Status.REJECTED, reviewed_by=_reviewer(by), reviewed_at=now, updated_at=now
    )


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
    created: bool  # False when the same article was already stored (a no-op)
    actors: list[Actor] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

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
    if extract is None:
        from timeline.extraction.pipeline import extract

    existing = article_find_existing(url=parsed.url, text=parsed.body)
    if existing and existing.ingestion_status == Article.IngestionStatus.DONE and not force:
        existing.crises.add(*crises)
        return IngestResult(article=existing, created=False)
    new_article = None if existing else _article_build(parsed, published_at)

    try:
        with transaction.atomic():
            article = existing or _article_save(new_article, source_name or parsed.source_name)
            article.crises.add(*crises)
            _drafts_remove_replaceable(article)
            extraction = extract(article.text, article.published_at.date())
            result = _drafts_store(article, extraction, crises)
            article.ingestion_status = Article.IngestionStatus.DONE
            article.ingestion_error = ""
            article.save(update_fields=["ingestion_status", "ingestion_error", "updated_at"])
            result.created = existing is None
            return result
    except Exception as exc:
        logger.warning("Extraction failed for %r: %s", parsed.title or parsed.url, exc)
        logger.debug("Extraction failure", exc_info=True)
        # Keep what the editor gave: the article itself, marked failed, so it can be retried.
        with transaction.atomic():
            if new_article is not None:
                new_article.pk = None
                new_article._state.adding = True
            article = existing or _article_save(new_article, source_name or parsed.source_name)
            article.crises.add(*crises)
            article.ingestion_status = Article.IngestionStatus.FAILED
            article.ingestion_error = f"{type(exc).__name__}: {exc}"[:2000]
            article.save(update_fields=["ingestion_status", "ingestion_error", "updated_at"])
        raise IngestError(
            f"Extraction failed ({type(exc).__name__}: {exc}). The article was stored as "
            "failed; fix the cause and ingest it again to retry."
        ) from exc


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
        ingestion_status=Article.IngestionStatus.PROCESSING,
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


def _drafts_store(
    article: Article, extraction: Extraction, crises: Sequence[Crisis]
) -> IngestResult:
    result = IngestResult(article=article, created=True)
    # Spans already cited by items an editor kept: re-extraction must not add them again.
    kept_spans = set(article.citations.values_list("start", "end"))

    actors_by_name: dict[str, Actor] = {}
    for extracted in extraction.actors:
        actor, created = _actor_match_or_create(extracted)
        actors_by_name[extracted.name] = actor
        if created:
            result.actors.append(actor)
    for extracted in extraction.actors:
        actor = actors_by_name[extracted.name]
        if extracted.affiliation and actor.affiliation_id is None:
            affiliation = actors_by_name.get(extracted.affiliation) or (
                Actor.objects.matching_name(extracted.affiliation).first()
            )
            if affiliation and affiliation != actor:
                actor.affiliation = affiliation
                actor.save(update_fields=["affiliation", "updated_at"])

    for found in extraction.statements:
        if (found.span.start, found.span.end) in kept_spans:
            continue
        statement = Statement.objects.create(
            speaker=actors_by_name.get(found.speaker or "") or _actor_by_name(found.speaker),
            text=found.content,
            kind=found.kind,
            cue=found.cue[:60],
            medium=found.medium[:200],
            date=found.date.start if found.date else article.published_at.date(),
            date_precision=found.date.precision if found.date else "day",
            provenance=Provenance.MACHINE,
            confidence=_unit(found.confidence),
        )
        statement.crises.add(*crises)
        citation_create(
            article=article,
            start=found.span.start,
            end=found.span.end,
            statement=statement,
            provenance=Provenance.MACHINE,
        )
        result.statements.append(statement)

    categories = {category.slug: category for category in EventCategory.objects.all()}
    for found in extraction.events:
        if (found.span.start, found.span.end) in kept_spans:
            continue
        event = Event.objects.create(
            title=found.title[:300],
            summary=found.summary,
            start_date=found.date.start,
            end_date=found.date.end
            if found.date.end and found.date.end > found.date.start
            else None,
            date_precision=found.date.precision,
            date_is_fallback=found.date.is_fallback,
            is_scheduled=found.date.is_scheduled,
            category=categories.get(found.category) or categories["other"],
            verification=found.verification,
            place=found.place[:200],
            provenance=Provenance.MACHINE,
            confidence=_unit(found.confidence),
        )
        event.crises.add(*crises)
        roles = {
            (actors_by_name[name].pk, role) for name, role in found.actors if name in actors_by_name
        }
        EventActor.objects.bulk_create(
            [EventActor(event=event, actor_id=actor_id, role=role) for actor_id, role in roles]
        )
        citation_create(
            article=article,
            start=found.span.start,
            end=found.span.end,
            event=event,
            provenance=Provenance.MACHINE,
        )
        result.events.append(event)
    return result


def _unit(value: float) -> float:
    return min(1.0, max(0.0, float(value)))


def _actor_by_name(name: str | None) -> Actor | None:
    return Actor.objects.matching_name(name).first() if name else None


def _actor_match_or_create(extracted: ExtractedActor) -> tuple[Actor, bool]:
    """The stored actor with this name or one of its aliases; a new draft actor otherwise."""
    for name in [extracted.name, *extracted.aliases]:
        actor = Actor.objects.matching_name(name).first()
        if actor is not None:
            actor_add_aliases(actor=actor, names=[extracted.name, *extracted.aliases])
            return actor, False
    actor = Actor.objects.create(
        name=extracted.name[:200],
        slug=actor_unique_slug(extracted.name),
        kind=extracted.kind,
        title=extracted.title[:200],
        provenance=Provenance.MACHINE,
        confidence=_unit(extracted.confidence),
    )
    actor_add_aliases(actor=actor, names=extracted.aliases)
    return actor, True


def actor_unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "actor"
    slug, n = base, 2
    while Actor.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
