"""Merges of duplicate actors or events, undoable exactly."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from timeline.models import (
    Actor,
    ActorAlias,
    Citation,
    Claim,
    Correction,
    EditorComment,
    Event,
    EventActor,
    EventPlace,
    Merge,
    Statement,
    alias_key,
)
from timeline.services.actors import actor_add_aliases
from timeline.services.common import reviewer
from timeline.services.editorial import check_can_merge

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from timeline.services.common import User


def _serialise(objects: Sequence[Model]) -> list[dict[str, Any]]:
    serialised: list[dict[str, Any]] = json.loads(serializers.serialize("json", objects))
    return serialised


def _restore(serialised: list[dict[str, Any]]) -> None:
    for restored in serializers.deserialize("json", json.dumps(serialised)):
        restored.save()


def _repoint(queryset: QuerySet[Model], field_name: str, new_value: int) -> list[list[int]]:
    """Point `field_name` of every row at `new_value`; return [[pk, old value], …] for undo."""
    moved = [list(row) for row in queryset.values_list("pk", f"{field_name}_id")]
    queryset.update(**{f"{field_name}_id": new_value})
    return moved


def _drop(model: type[Model], rows: Sequence[Model]) -> list[dict[str, Any]]:
    """Delete rows that would clash once moved over to the kept item; return them for undo."""
    dropped = _serialise(rows)
    model._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
    return dropped


def _merge_start(
    model: type[Actor | Event], keep: Model, merge: Model, by: User | None
) -> dict[str, object]:
    """Check the merge may be made; begin its undo record with both items as they are."""
    check_can_merge(by, model)
    if keep.pk == merge.pk:
        raise ValidationError(f"An {model._meta.verbose_name} cannot be merged into itself.")
    return {"merged": _serialise([merge]), "kept": _serialise([keep])}


def _merge_finish(
    *,
    kind: str,
    keep: Model,
    merge: Model,
    merged_name: str,
    undo: dict[str, object],
    by: User | None,
) -> Merge:
    """Record the merge, then delete the merged item: what pointed at it points at `keep`."""
    record = Merge.objects.create(
        kind=kind,
        kept_id=keep.pk,
        merged_id=merge.pk,
        merged_name=merged_name,
        undo=undo,
        merged_by=reviewer(by),
    )
    merge.delete()
    # Saving the kept item records the merge in its history, so mirrors fetch it again.
    keep.save(update_fields=["updated_at"])
    return record


@transaction.atomic
def actor_merge(*, keep: Actor, merge: Actor, by: User | None) -> Merge:
    """Fold `merge` into `keep`: statements, event roles, members, aliases and corrections move
    over, its names become aliases of `keep`, and the merge can be undone exactly."""
    undo = _merge_start(Actor, keep, merge, by)
    undo["statements"] = _repoint(Statement.objects.filter(speaker=merge), "speaker", keep.pk)
    undo["members"] = _repoint(Actor.objects.filter(affiliation=merge), "affiliation", keep.pk)
    undo["corrections"] = _repoint(Correction.objects.filter(actor=merge), "actor", keep.pk)
    kept_roles = set(EventActor.objects.filter(actor=keep).values_list("event_id", "role"))
    clashing = [r for r in merge.event_roles.all() if (r.event_id, r.role) in kept_roles]
    undo["roles_deleted"] = _drop(EventActor, clashing)
    undo["roles"] = _repoint(EventActor.objects.filter(actor=merge), "actor", keep.pk)
    kept_keys = {alias_key(keep.name), *keep.aliases.values_list("key", flat=True)}
    clashing_aliases = [a for a in merge.aliases.all() if a.key in kept_keys]
    undo["aliases_deleted"] = _drop(ActorAlias, clashing_aliases)
    undo["aliases"] = _repoint(ActorAlias.objects.filter(actor=merge), "actor", keep.pk)
    before = set(keep.aliases.values_list("pk", flat=True))
    actor_add_aliases(actor=keep, names=[merge.name])
    undo["aliases_created"] = sorted(set(keep.aliases.values_list("pk", flat=True)) - before)
    return _merge_finish(
        kind=Merge.Kind.ACTOR, keep=keep, merge=merge, merged_name=merge.name, undo=undo, by=by
    )


@transaction.atomic
def event_merge(*, keep: Event, merge: Event, by: User | None) -> Merge:
    """Fold `merge` into `keep`: its citations, actor roles, places, claims, comments and
    corrections move over, and the merge can be undone exactly."""
    undo = _merge_start(Event, keep, merge, by)
    undo["citations"] = _repoint(Citation.objects.filter(event=merge), "event", keep.pk)
    undo["comments"] = _repoint(EditorComment.objects.filter(event=merge), "event", keep.pk)
    undo["corrections"] = _repoint(Correction.objects.filter(event=merge), "event", keep.pk)
    kept_roles = set(keep.roles.values_list("actor_id", "role"))
    clashing = [r for r in merge.roles.all() if (r.actor_id, r.role) in kept_roles]
    undo["roles_deleted"] = _drop(EventActor, clashing)
    undo["roles"] = _repoint(EventActor.objects.filter(event=merge), "event", keep.pk)
    kept_claims = set(keep.claim_links.values_list("statement_id", flat=True))
    clashing_claims = [c for c in merge.claim_links.all() if c.statement_id in kept_claims]
    undo["claims_deleted"] = _drop(Claim, clashing_claims)
    undo["claims"] = _repoint(Claim.objects.filter(event=merge), "event", keep.pk)
    kept_places = set(keep.place_links.values_list("place_id", flat=True))
    clashing_places = [p for p in merge.place_links.all() if p.place_id in kept_places]
    undo["places_deleted"] = _drop(EventPlace, clashing_places)
    undo["places"] = _repoint(EventPlace.objects.filter(event=merge), "event", keep.pk)
    added_crises = set(merge.crises.values_list("pk", flat=True)) - set(
        keep.crises.values_list("pk", flat=True)
    )
    keep.crises.add(*added_crises)
    undo["crises_added"] = sorted(added_crises)
    return _merge_finish(
        kind=Merge.Kind.EVENT, keep=keep, merge=merge, merged_name=merge.title, undo=undo, by=by
    )


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
            (EventPlace, "places", "event_id"),
        ]
    )
    for row_model, key, column in moves:
        for pk, old in undo.get(key, []):  # merges made before a kind of row moved lack it
            row_model._default_manager.filter(pk=pk).update(**{column: old})
    for key in ("roles_deleted", "aliases_deleted", "claims_deleted", "places_deleted"):
        _restore(undo.get(key, []))
    ActorAlias.objects.filter(pk__in=undo.get("aliases_created", [])).delete()
    if undo.get("crises_added"):
        Event.objects.get(pk=merge.kept_id).crises.remove(*undo["crises_added"])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
