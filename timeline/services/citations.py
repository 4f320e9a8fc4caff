"""Citations: an item's source span, and the proposed citations editors confirm or split off."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from timeline.models import Actor, Article, Citation, Event, EventActor, Provenance, Statement

if TYPE_CHECKING:
    from timeline.extraction.types import Span
    from timeline.services.common import User


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


def machine_citation(
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
