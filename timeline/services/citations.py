"""Citations: an item's source span, and the proposed citations editors confirm or split off."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from timeline.models import (
    Actor,
    Article,
    Citation,
    Claim,
    Event,
    EventActor,
    EventPlace,
    Provenance,
    Statement,
)

if TYPE_CHECKING:
    from timeline.extraction.types import ResolvedDate, Span
    from timeline.services.common import User


@dataclass(frozen=True)
class EventProposal:
    """What the machine read in a proposed citation of an event: the event it would be on its
    own, should an editor split the citation off. Stored as JSON on the citation."""

    title: str
    summary: str
    start_date: dt.date
    end_date: dt.date | None
    date_precision: str
    category_id: int
    verification: str
    roles: list[tuple[int, str]]  # (actor id, role)
    confidence: float

    def as_json(self) -> dict[str, Any]:
        return {
            **dataclasses.asdict(self),
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "roles": [list(role) for role in self.roles],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, like: Event, excerpt: str) -> EventProposal:
        """The stored proposal; a field missing from it (an older row) is taken from `like`,
        the event the citation was proposed for."""
        end_date = data.get("end_date")
        return cls(
            title=data.get("title") or like.title,
            summary=data.get("summary") or excerpt,
            start_date=dt.date.fromisoformat(data.get("start_date", like.start_date.isoformat())),
            end_date=dt.date.fromisoformat(end_date) if end_date else None,
            date_precision=data.get("date_precision", like.date_precision),
            category_id=data.get("category_id", like.category_id),
            verification=data.get("verification", like.verification),
            roles=[(actor_id, role) for actor_id, role in data.get("roles", [])],
            confidence=data.get("confidence", 0.5),
        )


@dataclass(frozen=True)
class StatementProposal:
    """What the machine read in a proposed citation of a statement (see EventProposal)."""

    text: str
    kind: str
    cue: str
    medium: str
    confidence: float

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, like: Statement) -> StatementProposal:
        return cls(
            text=data.get("text") or like.text,
            kind=data.get("kind", like.kind),
            cue=data.get("cue", like.cue),
            medium=data.get("medium", ""),
            confidence=data.get("confidence", 0.5),
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


@transaction.atomic
def citation_confirm(*, citation: Citation, by: User | None) -> Citation:
    """An editor agrees the proposed citation reports the same thing: readers now see it."""
    citation.proposed = False
    citation.save(update_fields=["proposed"])
    return citation


@transaction.atomic
def citation_split(*, citation: Citation, by: User | None) -> Event | Statement:
    """An editor says the proposed citation reports something else: make it an item of its own."""
    stored = citation.proposal or {}
    if citation.event_id is not None:
        source = citation.event
        assert source is not None
        event = EventProposal.from_json(stored, like=source, excerpt=citation.excerpt)
        split_event = Event.objects.create(
            title=event.title,
            summary=event.summary,
            start_date=event.start_date,
            end_date=event.end_date,
            date_precision=event.date_precision,
            category_id=event.category_id,
            verification=event.verification,
            provenance=Provenance.MACHINE,
            confidence=event.confidence,
            # The editor said these are two happenings: ingestion never folds either into
            # the other again (Event.objects.foldable).
            edited_by_editor=True,
        )
        if not source.edited_by_editor:
            source.edited_by_editor = True
            source.save(update_fields=["edited_by_editor", "updated_at"])
        split_event.crises.set(source.crises.all())
        EventActor.objects.bulk_create(
            [
                EventActor(event=split_event, actor_id=actor_id, role=role)
                for actor_id, role in event.roles
                if Actor.objects.filter(pk=actor_id).exists()
            ]
        )
        citation.event = split_event
        item: Event | Statement = split_event
    else:
        statement = citation.statement
        assert statement is not None
        said = StatementProposal.from_json(stored, like=statement)
        split_statement = Statement.objects.create(
            speaker=statement.speaker,
            text=said.text,
            kind=said.kind,
            cue=said.cue,
            medium=said.medium,
            date=statement.date,
            date_precision=statement.date_precision,
            provenance=Provenance.MACHINE,
            confidence=said.confidence,
        )
        split_statement.crises.set(statement.crises.all())
        citation.statement = split_statement
        item = split_statement
    citation.proposed = False
    citation.save(update_fields=["event", "statement", "proposed"])
    return item


@transaction.atomic
def event_date_from_report(
    *, event: Event, date: ResolvedDate, end_date: dt.date | None, source: str
) -> Event:
    """A machine draft dated only by its article's publication takes the date another outlet's
    report of the same happening gives (its citation is proposed on `event`). Only for drafts no
    editor has touched: the caller checks (`Event.objects.foldable()`). Returns the event saved,
    loaded whole so its history keeps every field."""
    whole = Event.objects.get(pk=event.pk)
    whole.start_date, whole.end_date = date.start, end_date
    whole.date_precision, whole.date_source = date.precision, source
    whole.date_is_fallback, whole.is_scheduled = False, date.is_scheduled
    whole.save(
        update_fields=[
            "start_date", "end_date", "date_precision", "date_source", "date_is_fallback",
            "is_scheduled", "updated_at",
        ]
    )  # fmt: skip
    return whole


def event_fold(*, keep: Event, fold: Event, matched_on: str) -> None:
    """Fold a machine draft into the stored event that a new article shows it reports too.

    Its citations become proposed citations of `keep`, each carrying the event it was (so an
    editor's split gives it back), its places and claims join `keep`'s, and `fold` is deleted.
    Only for drafts no editor has touched: the caller checks (`Event.objects.foldable()`).
    """
    alone = EventProposal(
        title=fold.title,
        summary=fold.summary,
        start_date=fold.start_date,
        end_date=fold.end_date,
        date_precision=fold.date_precision,
        category_id=fold.category_id,
        verification=fold.verification,
        roles=sorted(fold.roles.values_list("actor_id", "role")),
        confidence=fold.confidence,
    ).as_json()
    for citation in fold.citations.all():
        if not citation.proposed:
            citation.proposed = True
            citation.proposal = {**alone, "matched_on": matched_on}
        citation.event = keep
        citation.save(update_fields=["event", "proposed", "proposal"])
    EventPlace.objects.filter(event=fold).exclude(
        place__in=keep.place_links.values("place")
    ).update(event=keep)
    Claim.objects.filter(event=fold).exclude(
        statement__in=keep.claim_links.values("statement")
    ).update(event=keep)
    keep.crises.add(*fold.crises.all())
    fold.delete()


def machine_citation(
    article: Article,
    span: Span,
    *,
    event: Event | None = None,
    statement: Statement | None = None,
    proposal: EventProposal | StatementProposal | None = None,
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
        proposal=proposal.as_json() if proposal else None,
    )
    citation.clean_fields(exclude=["article", "event", "statement"])
    citation.clean()
    return citation
