"""Drafts: storing what extraction found in an article, and finding what it corroborates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from simple_history.utils import bulk_create_with_history

from timeline.extraction.similarity import (
    PRECISION_SLACK_DAYS,
    content_words,
    dates_compatible,
    wording_similarity,
)
from timeline.models import (
    Actor,
    Article,
    Citation,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    Provenance,
    Statement,
    Status,
)
from timeline.services.actors import actors_store
from timeline.services.citations import EventProposal, StatementProposal, machine_citation
from timeline.services.common import chunks, unit
from timeline.services.places import event_places_store

if TYPE_CHECKING:
    from django.db.models import Model

    from timeline.extraction.types import Extraction, ResolvedPlace
    from timeline.services.articles import IngestResult


def drafts_remove_replaceable(article: Article) -> None:
    """Remove the machine-made drafts from this article that no editor has touched."""
    replaceable = {
        "provenance": Provenance.MACHINE,
        "status": Status.DRAFT,
        "edited_by_editor": False,
    }
    Event.objects.filter(citations__article=article, **replaceable).delete()
    Statement.objects.filter(citations__article=article, **replaceable).delete()
    article.citations.filter(proposed=True, provenance=Provenance.MACHINE).delete()


def drafts_store(
    result: IngestResult, extraction: Extraction, crises: Sequence[Crisis]
) -> IngestResult:
    """Store an article's drafts with a number of queries set by the article, not the database.

    Every name the extraction mentions is matched against the stored actors in one lookup; new
    rows go in with bulk inserts (with their history records); corroboration candidates are
    fetched once per speaker set and once per date window. What is stored is what storing item by
    item stored: the same actors, aliases, drafts, citations, proposals and history. They are
    added to `result` (the ingestion of `result.article`), which is returned.
    """
    article = result.article
    # Spans already cited by items an editor kept: re-extraction must not add them again.
    kept_spans = set(article.citations.values_list("start", "end"))
    crisis_ids = list(dict.fromkeys(crisis.pk for crisis in crises))
    citations: list[Citation] = []

    actors_by_name, directory = actors_store(extraction, result)

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
                machine_citation(
                    article,
                    found.span,
                    statement=same_quote,
                    proposal=StatementProposal(
                        text=found.content,
                        kind=found.kind,
                        cue=found.cue[:60],
                        medium=found.medium[:200],
                        confidence=unit(found.confidence),
                    ),
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
            confidence=unit(found.confidence),
        )
        citations.append(machine_citation(article, found.span, statement=statement))
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
    placed: list[tuple[Event, Sequence[ResolvedPlace]]] = []  # where each event happened
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
                machine_citation(
                    article,
                    found.span,
                    event=same_event,
                    proposal=EventProposal(
                        title=found.title[:300],
                        summary=found.summary,
                        start_date=found.date.start,
                        end_date=end_date,
                        date_precision=found.date.precision,
                        category_id=category.pk,
                        verification=found.verification,
                        roles=sorted(event_roles),
                        confidence=unit(found.confidence),
                    ),
                )
            )
            corroborated_events.append(same_event)
            result.corroborated.append(same_event)
            placed.append((same_event, found.places))
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
            confidence=unit(found.confidence),
        )
        roles.extend(
            EventActor(event=event, actor_id=actor_id, role=role) for actor_id, role in event_roles
        )
        citations.append(machine_citation(article, found.span, event=event))
        result.events.append(event)
        placed.append((event, found.places))
    bulk_create_with_history(result.events, Event)
    EventActor.objects.bulk_create(roles)
    event_places_store(placed)

    bulk_create_with_history(citations, Citation)
    _crises_add(Statement, [*result.statements, *corroborated_statements], crisis_ids)
    _crises_add(Event, [*result.events, *corroborated_events], crisis_ids)
    return result


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
        for chunk in chunks(ids, 500):
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
