"""Actors: their aliases and slugs, and matching an article's names to the stored actors."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from timeline.models import (
    Actor,
    ActorAlias,
    Provenance,
    alias_key,
    first_free_slug,
    new_alias_keys,
    slug_base,
)
from timeline.services.common import chunks, unit

if TYPE_CHECKING:
    from timeline.extraction.types import Extraction
    from timeline.services.articles import IngestResult


def actor_add_aliases(*, actor: Actor, names: list[str]) -> None:
    """Record other names for an actor (its own canonical name is never stored as an alias)."""
    known = set(actor.aliases.values_list("key", flat=True))
    for name, _ in new_alias_keys(actor.name, names, known):
        ActorAlias.objects.create(actor=actor, name=name)


class ActorDirectory:
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
        for chunk in chunks(sorted({name for name in names if name}), 200):
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
        for name, key in new_alias_keys(actor.name, names, self._keys[id(actor)]):
            self.new_aliases.append(ActorAlias(actor=actor, name=name, key=key))
            self._by_key[key].append(actor)


def actors_store(
    extraction: Extraction, result: IngestResult
) -> tuple[dict[str, Actor], ActorDirectory]:
    """Match each extracted actor to a stored one by name or alias, or store it as a new draft;
    then link affiliations. Returns each extracted name's actor, and the directory that finds
    other names (speakers). New actors go into `result.actors`."""
    names = [
        *(name for actor in extraction.actors for name in (actor.name, *actor.aliases)),
        *(actor.affiliation for actor in extraction.actors),
        *(statement.speaker or "" for statement in extraction.statements),
    ]
    directory = ActorDirectory(names)
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
                confidence=unit(extracted.confidence),
            )
            directory.add_new(actor)
            directory.add_aliases(actor, extracted.aliases)
            new_names.append(extracted.name)
            result.actors.append(actor)
        actors_by_name[extracted.name] = actor
    for extracted in extraction.actors:
        # The directory may have given a bare "Putin" his full name: events and statements
        # still name him as the article did.
        for alias in extracted.aliases:
            actors_by_name.setdefault(alias, actors_by_name[extracted.name])
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
    bases = [slug_base(name, fallback="actor") for name in names]
    taken: set[str] = set()
    for chunk in chunks(sorted(set(bases)), 200):
        query = Q(slug__in=chunk)
        for base in chunk:
            query |= Q(slug__startswith=f"{base}-")
        taken.update(Actor.objects.filter(query).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug = first_free_slug(base, taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs
