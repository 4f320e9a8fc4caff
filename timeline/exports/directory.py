"""The actor directory as a JSON document that `import_directory` reads back (in any newsroom)."""

from __future__ import annotations

from typing import Any

from timeline.models import DirectoryEntry
from timeline.services.directory import FORMAT, VERSION


def directory_document() -> dict[str, Any]:
    """Every person in the directory with their aliases and roles, in name order (3 queries)."""
    entries = DirectoryEntry.objects.prefetch_related("aliases", "roles").order_by("key")
    return {
        "format": FORMAT,
        "version": VERSION,
        "people": [
            {
                "name": entry.name,
                "aliases": sorted(alias.name for alias in entry.aliases.all()),
                "notes": entry.notes,
                "roles": [
                    {
                        "title": role.title,
                        "affiliation": role.affiliation,
                        "valid_from": _day(role.valid_from),
                        "valid_to": _day(role.valid_to),
                        "origin": role.origin,
                        "seen": role.seen,
                        "first_seen": _day(role.first_seen),
                        "last_seen": _day(role.last_seen),
                    }
                    for role in sorted(
                        entry.roles.all(),
                        key=lambda r: (str(r.valid_from or ""), r.title, r.affiliation),
                    )
                ],
            }
            for entry in entries
        ],
    }


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None
