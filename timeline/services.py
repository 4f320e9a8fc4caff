"""Writes: every change to the timeline goes through one of these functions.

The admin, the API, the ingestion pipeline and the management commands all call them, so each rule
(validation, editorial state, provenance) lives in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Crisis,
    Event,
    Provenance,
    Statement,
    Status,
    alias_key,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import QuerySet

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
