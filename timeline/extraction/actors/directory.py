"""Who people are when an article names them bare: the directory editors keep, applied.

News writes "Russian President Vladimir Putin" once and "Putin" ever after; the next article may
only say "Putin". The directory (stored by the app, edited in the admin, filled from earlier
articles) remembers each person's names, titles and affiliations, with the dates a title held.
This module is the pure half: a snapshot of the entries an article's names may match, the lookup,
and filling what an article did not print. What the article prints always wins.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.extraction.actors.matching import normalise_name
from timeline.extraction.types import ExtractedActor

# The shared directory a new installation starts from (`make run` and the demo import it): the
# leaders, ministers and spokespeople most quoted in international news, with their states.
STARTER_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "starter_directory.json"


@dataclass(frozen=True)
class DirectoryRole:
    """A title and/or affiliation a person held, from `valid_from` to `valid_to` (open if None)."""

    title: str = ""
    affiliation: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    confirmed: bool = False  # an editor's (or an imported directory's) word, not only articles'
    seen: int = 1  # how many articles printed it

    def holds_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class DirectoryPerson:
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[DirectoryRole, ...] = ()

    def role_on(self, day: dt.date | None, *, wanting: str) -> DirectoryRole | None:
        """The best role held on `day` that gives `wanting` ("title" or "affiliation")."""
        held = [r for r in self.roles if getattr(r, wanting) and r.holds_on(day)]
        # An editor's word first, then what more articles printed, then the latest start.
        return max(
            held,
            key=lambda r: (r.confirmed, r.seen, r.valid_from or dt.date.min),
            default=None,
        )


def name_keys(name: str) -> tuple[str, str]:
    """How a name is looked up: its normal form, and its last word (the surname) alone."""
    key = normalise_name(name)
    return key, key.split()[-1] if key else ""


@dataclass
class Directory:
    """The people an article's names may be; `find` is all `apply_directory` needs."""

    people: Sequence[DirectoryPerson] = ()
    _by_name: dict[str, list[DirectoryPerson]] = field(init=False, repr=False)
    _by_surname: dict[str, list[DirectoryPerson]] = field(init=False, repr=False)

    @classmethod
    def from_document(cls, data: dict[str, Any]) -> Directory:
        """A directory from a file `export_directory` wrote (trusted: the app checks a file
        when it imports one; this reads the shipped starter directory for evaluation)."""

        def day(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            [
                DirectoryPerson(
                    name=person["name"],
                    aliases=tuple(person.get("aliases", ())),
                    roles=tuple(
                        DirectoryRole(
                            title=role.get("title", ""),
                            affiliation=role.get("affiliation", ""),
                            valid_from=day(role.get("valid_from")),
                            valid_to=day(role.get("valid_to")),
                            confirmed=role.get("origin", "editor") == "editor",
                            seen=role.get("seen", 0),
                        )
                        for role in person.get("roles", ())
                    ),
                )
                for person in data["people"]
            ]
        )

    @classmethod
    def starter(cls) -> Directory:
        return cls.from_document(json.loads(STARTER_DIRECTORY.read_text(encoding="utf-8")))

    def __post_init__(self) -> None:
        self._by_name = defaultdict(list)
        self._by_surname = defaultdict(list)
        for person in self.people:
            for name in {person.name, *person.aliases}:
                key, surname = name_keys(name)
                if key and person not in self._by_name[key]:
                    self._by_name[key].append(person)
                if surname and len(key.split()) > 1 and person not in self._by_surname[surname]:
                    self._by_surname[surname].append(person)

    def find(self, names: Iterable[str]) -> DirectoryPerson | None:
        """The one person any of `names` is: a full name or alias first, else a surname that only
        one person in the directory has ("Putin"). Two people sharing the name → None."""
        names = [n for n in names if n]
        for name in names:
            found = self._by_name.get(name_keys(name)[0], [])
            if len(found) == 1:
                return found[0]
        for name in names:
            key, surname = name_keys(name)
            if len(key.split()) == 1:
                found = self._by_surname.get(surname, [])
                if len(found) == 1:
                    return found[0]
        return None


def apply_directory(
    actors: Iterable[ExtractedActor], directory: Directory, *, on: dt.date | None
) -> None:
    """Fill each person's missing title and affiliation from the directory, as held on `on`
    (the article's publication day), and name a person the directory knows by their full name
    ("Putin" → "Vladimir Putin", keeping "Putin" as an alias). Printed values are kept."""
    for actor in actors:
        if actor.kind != "person":
            continue
        person = directory.find([actor.name, *actor.aliases])
        if person is None:
            continue
        if not actor.affiliation:
            role = person.role_on(on, wanting="affiliation")
            actor.affiliation = role.affiliation if role else ""
        if not actor.title:
            role = person.role_on(on, wanting="title")
            actor.title = role.title if role else ""
        if len(actor.name.split()) < len(person.name.split()):
            if actor.name not in actor.aliases:
                actor.aliases.append(actor.name)
            actor.name = person.name


def printed_people(actors: Iterable[ExtractedActor]) -> list[ExtractedActor]:
    """The people an article names in full with a title or affiliation it prints: what the
    directory learns from (call before `apply_directory`, which fills in what was not printed)."""
    return [
        actor
        for actor in actors
        if actor.kind == "person"
        and len(actor.name.split()) > 1
        and (actor.title or actor.affiliation)
    ]
