"""Drafts: storing what extraction found in an article, and finding what it corroborates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from simple_history.utils import bulk_create_with_history

from timeline.extraction import matching
from timeline.extraction.embedding import meaning_similarity
from timeline.extraction.matching import EventSketch, Evidence
from timeline.extraction.similarity import PRECISION_SLACK_DAYS, content_words, wording_similarity
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
from timeline.services.citations import (
    EventProposal,
    StatementProposal,
    event_date_from_report,
    event_fold,
    machine_citation,
)
from timeline.services.common import unit
from timeline.services.places import event_places_store

if TYPE_CHECKING:
    from django.db.models import Model

    from timeline.extraction.types import ExtractedEvent, Extraction, ResolvedPlace, Span
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
        said_on = found.date.start if found.date else article.published_at.date()
        same_quote = earlier_quotes.find(text=found.content, speaker=speaker, date=said_on)
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
            # An unnamed source ("a senior official") as written, when no one is named.
            speaker_description="" if speaker else found.speaker_description[:200],
            text=found.content,
            kind=found.kind,
            cue=found.cue[:60],
            medium=found.medium[:200],
            date=said_on,
            date_precision=found.date.precision if found.date else "day",
            provenance=Provenance.MACHINE,
            confidence=unit(found.confidence),
        )
        citations.append(machine_citation(article, found.span, statement=statement))
        result.statements.append(statement)
    bulk_create_with_history(result.statements, Statement)

    new_events, corroborated_events = _events_store(
        article=article,
        found_events=[
            found
            for found in extraction.events
            if (found.span.start, found.span.end) not in kept_spans
        ],
        actors_by_name=actors_by_name,
        citations=citations,
        remarks=[
            (found.span, speaker.name)
            for found, speaker in zip(found_statements, speakers, strict=True)
            if speaker is not None and speaker.kind == Actor.Kind.PERSON
        ],
    )
    result.events.extend(new_events)
    result.corroborated.extend(corroborated_events)

    bulk_create_with_history(citations, Citation)
    _crises_add(Statement, [*result.statements, *corroborated_statements], crisis_ids)
    _crises_add(Event, [*result.events, *corroborated_events], crisis_ids)
    return result


def _crises_add(
    model: type[Statement | Event], items: Sequence[Model], crisis_ids: list[int]
) -> None:
    """`item.crises.add(*crises)` for every item, in one INSERT that skips links already there."""
    through: Any = model.crises.through
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
# the events nearest its date window.
STATEMENT_CANDIDATES = 500
EVENT_CANDIDATES = 200
# One utterance in other words (a paraphrase: "as we've stated previously, … could start at any
# time") is the speaker's statement of a day that agrees whose sentence embedding is this alike.
# On the dev set's quotes, one utterance in two outlets is 0.94 to 1.00 alike, even paraphrased,
# and two utterances of one speaker on one day at most 0.39. Only the speaker's statements within
# a day are encoded, at most SAME_DAY_CANDIDATES of them.
SAME_UTTERANCE_MEANING = 0.9
SAME_DAY_CANDIDATES = 20


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

    def find(self, *, text: str, speaker: Actor | None, date: dt.date) -> Statement | None:
        if speaker is None:
            return None
        offered = [s for s in self._by_speaker.get(speaker.pk, ()) if s.pk not in self._used]
        found = statement_find_corroborated(
            text=text, date=date, candidates=offered[:STATEMENT_CANDIDATES]
        )
        if found is None:
            return None
        self._used.add(found.pk)
        return _loaded(Statement, self._db, found)


_Loaded = TypeVar("_Loaded", Event, Statement)


def _loaded(model: type[_Loaded], db: str, row: NamedTuple) -> _Loaded:
    """The instance `.only(*row's fields)` would have loaded. `Model.from_db` takes the values in
    the model's field order, whatever order the names are given in, so they are put in it."""
    values = row._asdict()
    values["id"] = values.pop("pk")
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


class _StatementRow(NamedTuple):
    """What corroboration compares of a stored statement."""

    pk: int
    text: str
    speaker_id: int
    date: dt.date


_STATEMENT_ROW_COLUMNS = ("id", "text", "speaker_id", "date")


class _StoredEvent(NamedTuple):
    """What corroboration compares of a stored event, besides the sentences citing it."""

    pk: int
    start_date: dt.date
    end_date: dt.date | None
    date_precision: str
    place: str
    is_scheduled: bool
    date_is_fallback: bool
    category: str | None


_EVENT_ROW_COLUMNS = (
    "id",
    "start_date",
    "end_date",
    "date_precision",
    "place",
    "is_scheduled",
    "date_is_fallback",
    "category__slug",
)
# The sentences of a stored event compared with a new one: its first citations, one per article
# is typical, so a handful is every outlet's wording for most events.
CITATIONS_COMPARED = 8
# Where an event's date came from, surest first: the event an article's group of mentions
# becomes takes its date (and title) from the mention dated surest.
_DATE_SOURCE_RANK = {"clause": 0, "sentence": 1, "paragraph": 2, "lead": 3, "publication": 4}


class _EventCandidates:
    """The events stored from other articles that an article's events may report again.

    For each of the article's date windows (widened by the precision, but never by a fallback
    date), the EVENT_CANDIDATES events nearest by date that are not rejected and not cited by
    this article; then, in one query each, their actors and the sentences that cite them.
    """

    def __init__(
        self, *, article: Article, windows: Iterable[tuple[dt.date, dt.date, str]], limit: int
    ) -> None:
        others = Event.objects.exclude(status=Status.REJECTED).exclude(citations__article=article)
        self._db = others.db
        rows: dict[int, _StoredEvent] = {}
        for start, end, precision in dict.fromkeys(windows):
            slack = dt.timedelta(days=PRECISION_SLACK_DAYS.get(precision, 1))
            # A stored week or month starts before the days it covers.
            earliest = start - max(slack, dt.timedelta(days=PRECISION_SLACK_DAYS["month"]))
            found = (
                others.filter(start_date__gte=earliest, start_date__lte=end + slack)
                .order_by("-start_date", "id")
                .values_list(*_EVENT_ROW_COLUMNS)
                .distinct()[:limit]
            )
            rows.update((row[0], _StoredEvent(*row)) for row in found)
        self.rows = rows
        ids = sorted(rows)
        self.actors: dict[int, set[int]] = defaultdict(set)
        people: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.texts: dict[int, list[str]] = defaultdict(list)
        self.foldable: set[int] = set()
        self.speakers: dict[int, set[str]] = defaultdict(set)
        self.agents: dict[int, set[str]] = defaultdict(set)
        for start_at in range(0, len(ids), 500):
            chunk = ids[start_at : start_at + 500]
            roles = EventActor.objects.filter(event_id__in=chunk).values_list(
                "event_id", "actor_id", "role", "actor__name", "actor__kind"
            )
            for event_id, actor_id, role, name, kind in roles:
                self.actors[event_id].add(actor_id)
                if kind == Actor.Kind.PERSON:
                    people[event_id].append((name, role))
                    if role == EventActor.Role.AGENT:
                        self.agents[event_id].add(name)
            cited = (
                Citation.objects.filter(event_id__in=chunk)
                .annotate(
                    excerpt_text=Substr("article__text", F("start") + 1, F("end") - F("start"))
                )
                .order_by("event_id", "article_id", "start")
                .values_list("event_id", "excerpt_text")
            )
            for event_id, excerpt in cited:
                if len(self.texts[event_id]) < CITATIONS_COMPARED:
                    self.texts[event_id].append(excerpt)
            # The persons whose statements the same article cites within an event's sentences.
            spoken = Citation.objects.filter(
                statement__speaker__kind=Actor.Kind.PERSON,
                article__citations__event_id__in=chunk,
                start__lt=F("article__citations__end"),
                end__gt=F("article__citations__start"),
            ).values_list("article__citations__event_id", "statement__speaker__name")
            for event_id, name in spoken:
                self.speakers[event_id].add(name)
            self.foldable.update(
                Event.objects.filter(pk__in=chunk).foldable().values_list("pk", flat=True)
            )
        self.people = {pk: _principal_people(found) for pk, found in people.items()}

    def sketches(self) -> list[EventSketch]:
        return [
            EventSketch(
                key=row.pk,
                article=None,
                texts=tuple(self.texts.get(row.pk, ())),
                start=row.start_date,
                end=row.end_date,
                precision=row.date_precision,
                actors=frozenset(self.actors.get(row.pk, ())),
                people=frozenset(self.people.get(row.pk, ())),
                speakers=frozenset(self.speakers.get(row.pk, ())),
                agents=frozenset(self.agents.get(row.pk, ())),
                place=row.place,
                scheduled=row.is_scheduled and not row.date_is_fallback,
                fallback=row.date_is_fallback,
                foldable=row.pk in self.foldable,
                category=row.category or "",
            )
            for row in sorted(self.rows.values())
        ]

    def event(self, pk: int) -> Event:
        return _loaded(Event, self._db, self.rows[pk])


def _events_store(
    *,
    article: Article,
    found_events: Sequence[ExtractedEvent],
    actors_by_name: Mapping[str, Actor],
    citations: list[Citation],
    remarks: Sequence[tuple[Span, str]] = (),
) -> tuple[list[Event], list[Event]]:
    """Store an article's events: each group of its mentions of one happening is one event, or
    a proposed citation of the stored event from another article that reports it.

    Returns the new events and the stored ones corroborated; their citations join `citations`.
    The grouping is `matching.cluster`'s, decided for all the article's events at once.
    `remarks` are the article's statements by named persons, (span, speaker's name): an event
    told in a sentence that carries one is where that person spoke.
    """
    categories = {category.slug: category for category in EventCategory.objects.all()}
    ends = [_end_date(found) for found in found_events]
    roles_of: list[set[tuple[int, str]]] = [
        {(actors_by_name[name].pk, role) for name, role in found.actors if name in actors_by_name}
        for found in found_events
    ]
    candidates = _EventCandidates(
        article=article,
        windows=[
            (found.date.start, end or found.date.start, found.date.precision)
            for found, end in zip(found_events, ends, strict=True)
        ],
        limit=EVENT_CANDIDATES,
    )
    sketches = [
        _sketch(index, found, article, end, roles, actors_by_name, remarks)
        for index, (found, end, roles) in enumerate(zip(found_events, ends, roles_of, strict=True))
    ]
    assignments = matching.cluster(sketches, candidates.sketches())

    groups: dict[int, list[matching.Assignment]] = defaultdict(list)
    for assignment in assignments:
        groups[assignment.leader].append(assignment)
    new_events: list[Event] = []
    corroborated: dict[int, Event] = {}
    roles: list[EventActor] = []
    placed: list[tuple[Event, Sequence[ResolvedPlace]]] = []  # where each event happened
    for members in groups.values():
        stored_pk = members[0].stored
        if stored_pk is not None:
            pk = cast("int", stored_pk)
            event = corroborated.setdefault(pk, candidates.event(pk))
            dated = [m for m in members if not found_events[m.index].date.is_fallback]
            if event.date_is_fallback and dated and pk in candidates.foldable:
                best = min(dated, key=lambda m: _date_rank(found_events[m.index]))
                event = corroborated[pk] = event_date_from_report(
                    event=event,
                    date=found_events[best.index].date,
                    end_date=ends[best.index],
                    source=found_events[best.index].date_source,
                )
            proposed = members
            for folded_pk in members[0].folded:
                event_fold(
                    keep=event,
                    fold=Event.objects.get(pk=cast("int", folded_pk)),
                    matched_on=f"the same happening as “{article.title[:80]}” reports",
                )
        else:
            lead = min(members, key=lambda m: _date_rank(found_events[m.index]))
            found, end = found_events[lead.index], ends[lead.index]
            category = categories.get(found.category) or categories["other"]
            event = Event(
                title=found.title[:300],
                summary=found.summary,
                start_date=found.date.start,
                end_date=end,
                date_precision=found.date.precision,
                date_is_fallback=found.date.is_fallback,
                date_source=found.date_source,
                is_scheduled=found.date.is_scheduled,
                category=category,
                verification=found.verification,
                place=found.place[:200],
                provenance=Provenance.MACHINE,
                confidence=unit(found.confidence),
            )
            roles.extend(
                EventActor(event=event, actor_id=actor_id, role=role)
                for actor_id, role in sorted(roles_of[lead.index])
            )
            citations.extend(machine_citation(article, span, event=event) for span in _spans(found))
            new_events.append(event)
            proposed = [m for m in members if m is not lead]
        placed.extend((event, found_events[member.index].places) for member in members)
        for member in proposed:
            found = found_events[member.index]
            category = categories.get(found.category) or categories["other"]
            proposal = EventProposal(
                title=found.title[:300],
                summary=found.summary,
                start_date=found.date.start,
                end_date=ends[member.index],
                date_precision=found.date.precision,
                category_id=category.pk,
                verification=found.verification,
                roles=sorted(roles_of[member.index]),
                confidence=unit(found.confidence),
            )
            for span in _spans(found):
                citation = machine_citation(article, span, event=event, proposal=proposal)
                if member.evidence is not None and citation.proposal is not None:
                    citation.proposal["matched_on"] = _matched_on(member.evidence, found)
                citations.append(citation)
    bulk_create_with_history(new_events, Event)
    EventActor.objects.bulk_create(roles)
    event_places_store(placed)
    return new_events, list(corroborated.values())


def _end_date(found: ExtractedEvent) -> dt.date | None:
    end = found.date.end
    return end if end and end > found.date.start else None


def _date_rank(found: ExtractedEvent) -> int:
    return _DATE_SOURCE_RANK.get(found.date_source, len(_DATE_SOURCE_RANK))


def _spans(found: ExtractedEvent) -> list[Span]:
    """The sentence an event was found in, then the article's other mentions of it."""
    return list(dict.fromkeys([found.span, *found.also_cited]))


def _sketch(
    index: int,
    found: ExtractedEvent,
    article: Article,
    end: dt.date | None,
    roles: set[tuple[int, str]],
    actors_by_name: Mapping[str, Actor],
    remarks: Sequence[tuple[Span, str]],
) -> EventSketch:
    persons = [
        (name, role)
        for name, role in found.actors
        if name in actors_by_name and actors_by_name[name].kind == Actor.Kind.PERSON
    ]
    people = _principal_people(persons)
    spans = _spans(found)
    return EventSketch(
        key=index,
        article=article.pk,
        texts=tuple(span.excerpt(article.text) for span in spans),
        start=found.date.start,
        end=end,
        precision=found.date.precision,
        actors=frozenset(actor_id for actor_id, _ in roles),
        people=frozenset(people),
        speakers=frozenset(
            name
            for said, name in remarks
            if any(said.start < span.end and span.start < said.end for span in spans)
        ),
        agents=frozenset(name for name, role in persons if role == "agent"),
        place=found.place,
        scheduled=found.date.is_scheduled and not found.date.is_fallback,
        fallback=found.date.is_fallback,
        category=found.category,
    )


def _principal_people(people: Iterable[tuple[str, str]]) -> set[str]:
    """The persons who do or undergo an event, else the ones it mentions (the speaker of a
    remark): those two reports of one happening agree on."""
    people = list(people)
    principal = {name for name, role in people if role != EventActor.Role.MENTIONED}
    return principal or {name for name, _ in people}


def _matched_on(evidence: Evidence, found: ExtractedEvent) -> str:
    """What an editor reads beside a proposal: "date, Blinken, Olympics, 0.83 similar", and for
    a match made on meaning, "…, 0.18 similar, 0.71 alike in meaning"."""
    parts = ["date" if not found.date.is_fallback else "publication date"]
    parts += [name.title() for name in evidence.shared_people]
    parts += list(evidence.shared_words[:3])
    parts.append(f"{evidence.similarity:.2f} similar")
    if evidence.meaning is not None:
        parts.append(f"{evidence.meaning:.2f} alike in meaning")
    return ", ".join(parts)


def statement_find_corroborated(
    *, text: str, date: dt.date, candidates: Sequence[_StatementRow]
) -> _StatementRow | None:
    """The first of `candidates` (the speaker's statements from other articles) that is the same
    quote, their content words at least 80% alike; else the one of a day that agrees with `date`
    most alike in meaning, when it is as alike as one utterance in other words is."""
    if not content_words(text):
        return None
    for candidate in candidates:
        if wording_similarity(text, candidate.text) >= 0.8:
            return candidate
    day = dt.timedelta(days=1)
    same_days = [c for c in candidates if abs(c.date - date) <= day][:SAME_DAY_CANDIDATES]
    if not same_days:
        return None
    alike = {c.pk: meaning_similarity([text], [c.text]) for c in same_days}
    best = max(same_days, key=lambda c: alike[c.pk])
    return best if alike[best.pk] >= SAME_UTTERANCE_MEANING else None
