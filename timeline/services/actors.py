"""Actors: their aliases and slugs, and matching an article's names to the stored actors."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from timeline.extraction.actors import body_name_forms
from timeline.extraction.matching import name_parts, same_person
from timeline.models import (
    Actor,
    ActorAlias,
    Provenance,
    Status,
    alias_key,
    first_free_slug,
    new_alias_keys,
    slug_base,
)
from timeline.services.common import chunks, unit

if TYPE_CHECKING:
    from timeline.extraction.types import ExtractedActor, Extraction
    from timeline.services.articles import IngestResult


def actor_add_aliases(*, actor: Actor, names: list[str]) -> None:
    """Record other names for an actor (its own canonical name is never stored as an alias)."""
    known = set(actor.aliases.values_list("key", flat=True))
    for name, _ in new_alias_keys(actor.name, names, known):
        ActorAlias.objects.create(actor=actor, name=name)


class ActorDirectory:
    """The stored actors an article's names may match, loaded at once, and the ones it adds.

    `find(name)` answers as `Actor.objects.matching_name(name).first()` would (the canonical
    name, case aside, or an alias's key; the first by name), without a query per name, except
    that a bare surname several stored people were called finds none of them.
    `find_person(name)` also sees other forms of a person's name ("Joe Biden" for a stored
    "Biden", "Zelenskiy" for "Zelensky") among the `people` it was given.
    """

    def __init__(self, names: Iterable[str], people: Iterable[str] = ()) -> None:
        self._by_name: dict[str, list[Actor]] = defaultdict(list)
        self._by_key: dict[str, list[Actor]] = defaultdict(list)
        self._keys: dict[int, set[str]] = {}  # id(actor) → its aliases' keys
        self._order: dict[int, tuple[str, float, int]] = {}  # id(actor) → its place in name order
        self.new_aliases: list[ActorAlias] = []
        loaded: dict[int, Actor] = {}
        # A few hundred names a query keeps SQLite's expression tree well under its depth limit.
        for chunk in chunks(sorted({name for name in names if name}), 200):
            matching = Q(aliases__key__in={key for name in chunk for key in _keys(name)})
            for name in chunk:
                for form in body_name_forms(name):
                    matching |= Q(name__iexact=form)
            aliases = Prefetch("aliases", queryset=ActorAlias.objects.only("actor_id", "key"))
            found = Actor.objects.filter(matching).distinct().select_related("affiliation")
            for actor in found.prefetch_related(aliases):
                loaded.setdefault(actor.pk, actor)
        for actor in _namesakes(people, loaded):
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
        forms = body_name_forms(name)
        found = [
            *(actor for form in forms for actor in self._by_name.get(form, ())),
            *(actor for form in forms for actor in self._by_key.get(alias_key(form), ())),
        ]
        found = list({id(actor): actor for actor in found}.values())
        people = {id(actor) for actor in found if actor.kind == Actor.Kind.PERSON}
        if len(people) > 1 and len(name.split()) == 1:
            return None  # a bare "Blinken" that two stored Blinkens were called is neither
        return min(found, key=lambda actor: self._order[id(actor)], default=None)

    def find_person(self, name: str) -> Actor | None:
        """The one person whose name or alias is another form of `name`; None when there is
        none, or more than one (a bare "Biden" with both Joe and Hunter Biden stored)."""
        wanted = name_parts(name)
        if not wanted[1]:
            return None
        found = {
            id(actor): actor
            for actors in self._by_name.values()
            for actor in actors
            if actor.kind == Actor.Kind.PERSON
            and any(
                same_person(wanted, name_parts(form))
                for form in (actor.name, *self._keys[id(actor)])
            )
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def add_new(self, actor: Actor) -> None:
        """A new, not yet saved actor: later names match it as they would once it is stored."""
        self._register(actor, ())

    def add_aliases(self, actor: Actor, names: Iterable[str]) -> None:
        """As `actor_add_aliases`, collecting the new aliases in `new_aliases` to insert at once."""
        for name, key in new_alias_keys(actor.name, names, self._keys[id(actor)]):
            self.new_aliases.append(ActorAlias(actor=actor, name=name, key=key))
            self._by_key[key].append(actor)


def _keys(name: str) -> set[str]:
    """The alias keys a name may be stored under: as written, and an international body's
    other forms ("EU" and "European Union", "UN Security Council" and "United Nations Security
    Council")."""
    return {alias_key(form) for form in body_name_forms(name)}


def _namesakes(people: Iterable[str], loaded: dict[int, Actor]) -> list[Actor]:
    """Stored people whose name may be another form of one of `people`: a name word that opens
    like the surname (its first four letters: transliterations differ further on)."""
    openings = sorted({surname[:4] for _, surname in map(name_parts, people) if surname})
    found: list[Actor] = []
    for chunk in chunks(openings, 100):
        matching = Q()
        for opening in chunk:
            matching |= Q(name__istartswith=opening) | Q(name__icontains=f" {opening}")
        aliases = Prefetch("aliases", queryset=ActorAlias.objects.only("actor_id", "key"))
        people_query = Actor.objects.filter(matching, kind=Actor.Kind.PERSON).exclude(
            pk__in=list(loaded)
        )
        found += people_query.select_related("affiliation").prefetch_related(aliases)
    return found


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
    people = [actor.name for actor in extraction.actors if actor.kind == "person"]
    directory = ActorDirectory(names, people)
    actors_by_name: dict[str, Actor] = {}
    new_names: list[str] = []
    renamed: dict[int, Actor] = {}
    for extracted in extraction.actors:
        names = [extracted.name, *extracted.aliases]
        actor = next(
            (
                found
                for found in map(directory.find, names)
                if found is not None and _same_state(found, extracted)
            ),
            None,
        )
        if actor is None and extracted.kind == "person":
            actor = directory.find_person(extracted.name)
            if actor is not None and _fuller_name(extracted.name, actor):
                names.append(actor.name)
                actor.name = extracted.name[:200]
                if actor.pk is not None:
                    renamed[actor.pk] = actor
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

    changed: dict[int, Actor] = dict(renamed)
    for extracted in extraction.actors:
        actor = actors_by_name[extracted.name]
        if extracted.affiliation and actor.affiliation_id is None:
            affiliation = actors_by_name.get(extracted.affiliation) or directory.find(
                extracted.affiliation
            )
            if affiliation is not None and affiliation.pk != actor.pk:
                actor.affiliation = affiliation
                changed[actor.pk] = actor
    if changed:
        # As `actor.save(update_fields=[...])` would, version and all.
        now = timezone.now()
        for actor in changed.values():
            actor.version += 1
            actor.updated_at = now
        bulk_update_with_history(
            list(changed.values()),
            Actor,
            fields=["name", "affiliation", "updated_at", "version"],
        )
    return actors_by_name, directory


def _same_state(actor: Actor, extracted: ExtractedActor) -> bool:
    """Whether an organisation found by name may be the extracted one: one state's body is not
    another's ("Ukrainian Defence Ministry" never joins "Russian Defence Ministry" through the
    "Defence Ministry" both were also called)."""
    if extracted.kind == "person" or not extracted.affiliation or actor.affiliation is None:
        return True
    return actor.affiliation.name == extracted.affiliation


def _fuller_name(name: str, actor: Actor) -> bool:
    """Whether `name` should replace the actor's name: it adds the given name ("Joe Biden" for
    "Biden"), and no editor has chosen the actor's name (a machine draft)."""
    return (
        len(name.split()) > len(actor.name.split())
        and actor.provenance == Provenance.MACHINE
        and actor.status == Status.DRAFT
    )


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
