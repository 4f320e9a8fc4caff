"""The actor directory's mutations: what ingestion reads and learns, and loading a shared one.

`directory_fill` is ingestion's: the people an article names bare get the title and affiliation the
directory knows for them on the article's day, and what the article prints in full ("Russian
President Vladimir Putin") is learnt for the next. `directory_import` loads a file written by
`export_directory` (timeline.exports.directory), all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from timeline.extraction.actors.directory import (
    STARTER_DIRECTORY,
    Directory,
    apply_directory,
    printed_people,
)
from timeline.models import DirectoryAlias, DirectoryEntry, DirectoryRole, directory_key

if TYPE_CHECKING:
    from timeline.extraction.types import Extraction

FORMAT = "crisis-timeline-directory"
VERSION = 1


@dataclass(frozen=True)
class PrintedPerson:
    name: str
    aliases: tuple[str, ...]
    title: str
    affiliation: str


def directory_fill(extraction: Extraction, *, day: dt.date) -> None:
    """Give the article's people what the directory knows of them on `day`, then teach the
    directory what the article printed. A constant number of queries, whatever the article."""
    printed = [
        PrintedPerson(a.name, tuple(a.aliases), a.title[:200], a.affiliation[:200])
        for a in printed_people(extraction.actors)
    ]
    names = [
        name for actor in extraction.actors if actor.kind == "person"
        for name in (actor.name, *actor.aliases)
    ]  # fmt: skip
    entries = list(DirectoryEntry.objects.for_names(names).prefetch_related("aliases", "roles"))
    directory = Directory([entry.as_person() for entry in entries])
    apply_directory(extraction.actors, directory, on=day)
    _learn(entries, printed, day)


def _learn(entries: list[DirectoryEntry], printed: Sequence[PrintedPerson], day: dt.date) -> None:
    by_key: dict[str, DirectoryEntry] = {}
    for entry in entries:
        by_key.setdefault(entry.key, entry)
        for alias in entry.aliases.all():
            by_key.setdefault(alias.key, entry)
    new_entries: list[DirectoryEntry] = []
    for person in printed:
        if directory_key(person.name) not in by_key:
            entry = DirectoryEntry(name=person.name[:200])
            entry.key = directory_key(entry.name)
            entry.surname = entry.key.split()[-1][:100]
            by_key[entry.key] = entry
            new_entries.append(entry)
    DirectoryEntry.objects.bulk_create(new_entries)

    new_aliases: list[DirectoryAlias] = []
    new_roles: list[DirectoryRole] = []
    seen_roles: dict[int, DirectoryRole] = {}
    for person in printed:
        entry = by_key[directory_key(person.name)]
        fresh = entry in new_entries
        known = {entry.key} | (set() if fresh else {a.key for a in entry.aliases.all()})
        known |= {a.key for a in new_aliases if a.entry is entry}
        for alias_name in person.aliases:
            key = directory_key(alias_name)
            if len(key.split()) > 1 and key not in known:
                new_aliases.append(DirectoryAlias(entry=entry, name=alias_name[:200], key=key))
                known.add(key)
        roles = [] if fresh else list(entry.roles.all())
        roles += [r for r in new_roles if r.entry is entry]
        role = next((r for r in roles if _same_role(r, person)), None)
        if role is None:
            new_roles.append(
                DirectoryRole(
                    entry=entry,
                    title=person.title,
                    affiliation=person.affiliation,
                    origin=DirectoryRole.Origin.ARTICLE,
                    seen=1,
                    first_seen=day,
                    last_seen=day,
                )
            )
        elif role.pk is not None and role.pk not in seen_roles:
            role.saw(day)
            seen_roles[role.pk] = role
    DirectoryAlias.objects.bulk_create(new_aliases)
    DirectoryRole.objects.bulk_create(new_roles)
    DirectoryRole.objects.bulk_update(seen_roles.values(), ["seen", "first_seen", "last_seen"])


def _same_role(role: DirectoryRole, person: PrintedPerson) -> bool:
    return (role.title.casefold(), role.affiliation.casefold()) == (
        person.title.casefold(),
        person.affiliation.casefold(),
    )


class DirectoryImportError(ValueError):
    """The file cannot be loaded; the message says where and what is wrong."""


@dataclass
class ImportCounts:
    entries: int = 0
    aliases: int = 0
    roles: int = 0

    def __str__(self) -> str:
        return (
            f"{self.entries} new people, {self.aliases} new aliases and {self.roles} new or "
            "updated roles"
        )


@transaction.atomic
def directory_import(data: Any) -> ImportCounts:
    """Merge a directory file into this one: people matched by name, aliases added, roles
    matched on title, affiliation and dates (counts and dates of sight merged). All or nothing."""
    people = _check_document(data)
    counts = ImportCounts()
    for index, person in enumerate(people, start=1):
        where = f"person {index} ({person['name']!r})"
        entry = DirectoryEntry.objects.filter(key=directory_key(person["name"])).first()
        if entry is None:
            entry = DirectoryEntry(name=person["name"], notes=person["notes"])
            entry.save()
            counts.entries += 1
        elif person["notes"] and not entry.notes:
            entry.notes = person["notes"]
            entry.save(update_fields=["notes", "updated_at"])
        known = {entry.key, *entry.aliases.values_list("key", flat=True)}
        for alias in person["aliases"]:
            if directory_key(alias) not in known:
                DirectoryAlias(entry=entry, name=alias).save()
                known.add(directory_key(alias))
                counts.aliases += 1
        for number, given in enumerate(person["roles"], start=1):
            counts.roles += _import_role(entry, given, f"{where}, role {number}")
    return counts


def directory_import_starter() -> ImportCounts:
    """Merge in the starter directory the app ships (timeline/data/starter_directory.json)."""
    return directory_import(json.loads(STARTER_DIRECTORY.read_text(encoding="utf-8")))


def _import_role(entry: DirectoryEntry, given: dict[str, Any], where: str) -> int:
    role = entry.roles.filter(
        title__iexact=given["title"],
        affiliation__iexact=given["affiliation"],
        valid_from=given["valid_from"],
        valid_to=given["valid_to"],
    ).first()
    if role is None:
        role = DirectoryRole(entry=entry, **given)
    else:
        before = (role.origin, role.seen, role.first_seen, role.last_seen)
        if given["origin"] == DirectoryRole.Origin.EDITOR:
            role.origin = DirectoryRole.Origin.EDITOR
        role.seen = max(role.seen, given["seen"])
        role.first_seen = min(filter(None, (role.first_seen, given["first_seen"])), default=None)
        role.last_seen = max(filter(None, (role.last_seen, given["last_seen"])), default=None)
        if before == (role.origin, role.seen, role.first_seen, role.last_seen):
            return 0
    if not (role.title or role.affiliation):
        raise DirectoryImportError(f"{where}: a role needs a title or an affiliation.")
    role.save()
    return 1


def _check_document(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DirectoryImportError(
            f'This is not a directory file: its "format" should be "{FORMAT}" '
            "(write one with export_directory)."
        )
    if data.get("version") != VERSION:
        raise DirectoryImportError(
            f"This directory file is version {data.get('version')!r}; this app reads version "
            f"{VERSION}."
        )
    people = data.get("people")
    if not isinstance(people, list):
        raise DirectoryImportError('A directory file holds a list of "people".')
    return [_check_person(person, index) for index, person in enumerate(people, start=1)]


def _check_person(person: Any, index: int) -> dict[str, Any]:
    where = f"person {index}"
    if not isinstance(person, dict):
        raise DirectoryImportError(f"{where} is not an object with a name.")
    name = _text(person.get("name"), f"{where}'s name", required=True)
    where = f"person {index} ({name!r})"
    aliases = person.get("aliases", [])
    if not isinstance(aliases, list):
        raise DirectoryImportError(f"{where}: aliases should be a list of names.")
    roles = person.get("roles", [])
    if not isinstance(roles, list):
        raise DirectoryImportError(f"{where}: roles should be a list.")
    return {
        "name": name,
        "notes": _text(person.get("notes", ""), f"{where}'s notes", limit=None),
        "aliases": [_text(a, f"{where}: alias {n}", required=True) for n, a in _numbered(aliases)],
        "roles": [_check_role(role, f"{where}, role {n}") for n, role in _numbered(roles)],
    }


def _check_role(role: Any, where: str) -> dict[str, Any]:
    if not isinstance(role, dict):
        raise DirectoryImportError(f"{where} is not an object with a title or an affiliation.")
    origin = role.get("origin", DirectoryRole.Origin.EDITOR)
    if origin not in DirectoryRole.Origin.values:
        raise DirectoryImportError(
            f"{where}: origin {origin!r} is not one of {', '.join(DirectoryRole.Origin.values)}."
        )
    seen = role.get("seen", 0)
    if not isinstance(seen, int) or isinstance(seen, bool) or seen < 0:
        raise DirectoryImportError(f"{where}: seen should be a whole number, 0 or more.")
    checked = {
        "title": _text(role.get("title", ""), f"{where}'s title"),
        "affiliation": _text(role.get("affiliation", ""), f"{where}'s affiliation"),
        "valid_from": _date(role.get("valid_from"), f"{where}'s valid_from"),
        "valid_to": _date(role.get("valid_to"), f"{where}'s valid_to"),
        "origin": origin,
        "seen": seen,
        "first_seen": _date(role.get("first_seen"), f"{where}'s first_seen"),
        "last_seen": _date(role.get("last_seen"), f"{where}'s last_seen"),
    }
    if not (checked["title"] or checked["affiliation"]):
        raise DirectoryImportError(f"{where}: a role needs a title or an affiliation.")
    start, end = checked["valid_from"], checked["valid_to"]
    if start and end and start > end:
        raise DirectoryImportError(f"{where}: valid_from {start} is after valid_to {end}.")
    return checked


def _numbered(items: Iterable[Any]) -> Iterable[tuple[int, Any]]:
    return enumerate(items, start=1)


def _text(value: Any, what: str, *, required: bool = False, limit: int | None = 200) -> str:
    if not isinstance(value, str):
        raise DirectoryImportError(f"{what} should be text.")
    text: str = " ".join(value.split()) if limit else value.strip()
    if required and not text:
        raise DirectoryImportError(f"{what} is empty.")
    if limit and len(text) > limit:
        raise DirectoryImportError(f"{what} is longer than {limit} characters.")
    return text


def _date(value: Any, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise DirectoryImportError(f"{what} should be a date written YYYY-MM-DD, not {value!r}.")
