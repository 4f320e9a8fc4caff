"""Editorial decisions: publishing, rejecting, corrections, claims, comments and edit conflicts.

Every entry point (the admin, the review queue, the API, the demo loader) calls these, so the
permission checks and the history they record live in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from timeline.models import (
    Actor,
    Claim,
    Correction,
    EditorComment,
    Editorial,
    Event,
    EventActor,
    Provenance,
    Statement,
    Status,
)
from timeline.services.common import reviewer
from timeline.services.signals import items_changed

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from timeline.services.common import User

EDITORIAL_MODELS = (Actor, Statement, Event)


def check_can_publish(by: User | None, model: type[Model]) -> None:
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


def check_can_merge(by: User | None, model: type[Model]) -> None:
    if by is None:
        return
    if not by.has_perm(f"timeline.merge_{model._meta.model_name}"):
        raise PermissionDenied(
            f"Only publishers can merge {model._meta.verbose_name_plural}; ask a publisher."
        )


def _mark_reviewed(items: QuerySet[Editorial], by: User | None, **changes: object) -> int:
    """Apply an editorial decision in one UPDATE, and record it in each item's history."""
    now = timezone.now()
    pks = list(items.values_list("pk", flat=True))
    changed = items.model.objects.filter(pk__in=pks).update(
        reviewed_by=reviewer(by),
        reviewed_at=now,
        updated_at=now,
        version=F("version") + 1,
        **changes,
    )
    items.model.history.bulk_history_create(
        list(items.model.objects.filter(pk__in=pks)),
        update=True,
        default_user=reviewer(by),
        default_change_reason=str(changes.get("status", "")),
        default_date=now,
    )
    return changed


@dataclass(frozen=True)
class Published:
    items: int  # how many of the given items changed
    actors: int  # draft actors published with them, so readers see who


@transaction.atomic
def items_publish(*, items: QuerySet[Editorial], by: User | None) -> Published:
    """Publish the given actors, statements or events; says how many changed.

    The draft actors readers would see beside them are published too, in the same step: a
    statement's speaker, an event's participants, and the organisations and states each belongs
    to. Otherwise a new quote reads "Unnamed speaker" and its speaker's page is a 404. An actor an
    editor rejected stays rejected.
    """
    check_can_publish(by, items.model)
    pks = list(items.values_list("pk", flat=True))
    pending = items.model.objects.filter(pk__in=pks).exclude(status=Status.PUBLISHED)
    newly = list(pending.values_list("pk", flat=True))
    changed = _mark_reviewed(
        pending.filter(first_published_at__isnull=True),
        by,
        status=Status.PUBLISHED,
        first_published_at=timezone.now(),
    )
    changed += _mark_reviewed(pending, by, status=Status.PUBLISHED)
    shown = _actors_shown_with(items.model, pks) - (set(pks) if items.model is Actor else set())
    drafts = Actor.objects.filter(pk__in=shown, status=Status.DRAFT)
    with_them = items_publish(items=drafts, by=by).items if drafts.exists() else 0
    _announce("published", items.model, newly)
    return Published(items=changed, actors=with_them)


def _announce(kind: str, model: type[Model], pks: list[int]) -> None:
    if pks:
        items_changed.send(sender=model, kind=kind, model=model, pks=pks)


def _actors_shown_with(model: type[Model], pks: list[int]) -> set[int]:
    """The actors readers see beside these statements, events or actors: speakers, participants
    and, all the way up, the organisations and states they belong to."""
    if model is Statement:
        found = set(
            Statement.objects.filter(pk__in=pks, speaker__isnull=False).values_list(
                "speaker_id", flat=True
            )
        )
    elif model is Event:
        found = set(EventActor.objects.filter(event__in=pks).values_list("actor_id", flat=True))
    else:
        found = set(pks)
    frontier = set(found)
    while frontier:
        parents = set(
            Actor.objects.filter(pk__in=frontier, affiliation__isnull=False).values_list(
                "affiliation_id", flat=True
            )
        )
        frontier = parents - found
        found |= frontier
    return found


@transaction.atomic
def items_unpublish(*, items: QuerySet[Editorial], by: User | None) -> int:
    """Take published items back to draft: readers stop seeing them, mirrors get a tombstone."""
    check_can_publish(by, items.model)
    published = items.filter(status=Status.PUBLISHED)
    pks = list(published.values_list("pk", flat=True))
    changed = _mark_reviewed(published, by, status=Status.DRAFT)
    _announce("retracted", items.model, pks)
    return changed


@transaction.atomic
def items_reject(*, items: QuerySet[Editorial], by: User | None) -> int:
    """Reject items: they stay stored, for the record, but readers never see them.

    Editors may reject drafts; rejecting something published is unpublishing, for publishers.
    """
    published = list(items.filter(status=Status.PUBLISHED).values_list("pk", flat=True))
    if published:
        check_can_publish(by, items.model)
    changed = _mark_reviewed(items.exclude(status=Status.REJECTED), by, status=Status.REJECTED)
    _announce("retracted", items.model, published)
    return changed


@transaction.atomic
def claim_link(*, event: Event, statement: Statement, stance: str, by: User | None) -> Claim:
    """Link a statement to an event as supporting or denying it; a denial marks it disputed."""
    claim, _ = Claim.objects.update_or_create(
        event=event, statement=statement, defaults={"stance": stance}
    )
    if stance == Claim.Stance.DENIES:
        event_flag_disputed(event=event, denial=statement, by=by)
    return claim


def event_flag_disputed(
    *, event: Event, denial: Statement | None = None, by: User | None = None
) -> None:
    """Mark the event disputed. Readers who saw it published see why, in its corrections."""
    if event.verification == Event.Verification.DISPUTED:
        return
    before = event.get_verification_display()
    event.verification = Event.Verification.DISPUTED
    event.save(update_fields=["verification", "updated_at"])
    speaker = denial.speaker if denial is not None else None
    # Readers see the note at once: a speaker still in review is not named in it.
    named = speaker is not None and speaker.status == Status.PUBLISHED
    who = f"{speaker.name} denies it" if named and speaker else "A statement denies it"
    item_correct(
        item=event,
        changes={"verification": [before, event.get_verification_display()]},
        note=f"Marked disputed: {who}.",
        by=by,
    )


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
    correction = Correction.objects.create(
        **{field: item},
        note=note.strip(),
        changes={name: [str(old), str(new)] for name, (old, new) in changes.items()},
        corrected_by=reviewer(by),
    )
    _announce("corrected", type(item), [item.pk])
    return correction


@transaction.atomic
def item_update(
    *,
    item: Editorial,
    by: User | None,
    fields: Mapping[str, object] | None = None,
    expected_version: int | None = None,
    note: str = "",
    edited: bool = True,
    save_related: Callable[[], object] | None = None,
    describe: Callable[[], Mapping[str, str]] | None = None,
    changes: Mapping[str, list[object]] | None = None,
) -> Correction | None:
    """Save an editor's change to an actor, statement or event: the admin's change form and the
    API's PUT and PATCH both come here.

    The item's row is locked, and the change refused (EditConflict) if someone saved it after the
    editor read `expected_version`. `fields` are set on the item (the admin's form has set them
    already); changing the status is for publishers. When `edited`, a machine-made item is marked
    as edited by an editor, so re-extraction leaves it alone. The item is saved, then
    `save_related()` saves its relations. A change to a published item is a public correction
    with `note` (see `item_correct`): its `changes` are given (field → [before, after]), or found
    by calling `describe()` (field → readable value) before and after the save.
    """
    model = type(item)
    # Lock the row, so that no one saves between the check and this save.
    stored_status = (
        model.objects.select_for_update()
        .filter(pk=item.pk)
        .values_list("status", flat=True)
        .first()
    )
    check_version(item=item, expected=expected_version)
    before = dict(describe()) if describe is not None else {}
    for name, value in (fields or {}).items():
        setattr(item, name, value)
    if item.status != stored_status:
        check_can_publish(by, model)
    if edited and item.provenance == Provenance.MACHINE:
        item.edited_by_editor = True
    item.save()
    if save_related is not None:
        save_related()
    if describe is not None:
        # Relations prefetched with the item may just have been replaced: read them anew.
        getattr(item, "_prefetched_objects_cache", {}).clear()
        after = describe()
        changes = {name: [was, after[name]] for name, was in before.items() if was != after[name]}
    return item_correct(item=item, changes=dict(changes or {}), note=note, by=by)


def event_comment(*, event: Event, author: User | None, body: str) -> EditorComment:
    if not body.strip():
        raise ValidationError({"body": "Write the comment before saving it."})
    return EditorComment.objects.create(event=event, author=reviewer(author), body=body.strip())
