"""The actor directory: who people are, kept by editors and filled from the articles themselves.

Not a crisis's data but the newsroom's: the names a person goes by, the titles and affiliations
they held and when. Ingestion reads it to tell who a bare "Putin" is (what an article prints wins)
and writes to it what articles print ("Russian President Vladimir Putin"); editors fix, date and
confirm roles in the admin; `export_directory` and `import_directory` move it between newsrooms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from django.db import models
from django.db.models import Q

from timeline.extraction.actors import directory as pure
from timeline.extraction.actors.directory import name_keys


def directory_key(name: str) -> str:
    return name_keys(name)[0]


class DirectoryEntryQuerySet(models.QuerySet["DirectoryEntry"]):
    def for_names(self, names: Iterable[str]) -> Self:
        """Entries any of `names` may be: by full name or alias, and by surname for one word."""
        keys: set[str] = set()
        surnames: set[str] = set()
        for name in names:
            key, surname = name_keys(name)
            if key:
                keys.add(key)
                if len(key.split()) == 1:
                    surnames.add(surname)
        if not keys:
            return self.none()
        return self.filter(
            Q(key__in=keys) | Q(surname__in=surnames) | Q(aliases__key__in=keys)
        ).distinct()

    def as_directory(self) -> pure.Directory:
        """The entries as the extraction's pure `Directory` (two queries)."""
        entries = self.prefetch_related("aliases", "roles")
        return pure.Directory([entry.as_person() for entry in entries])


DirectoryEntryManager = models.Manager.from_queryset(DirectoryEntryQuerySet)


class DirectoryEntry(models.Model):
    name = models.CharField(
        max_length=200, help_text="The person's full name as news writes it, e.g. Antony Blinken."
    )
    key = models.CharField(max_length=200, unique=True, editable=False)
    surname = models.CharField(max_length=100, db_index=True, editable=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[DirectoryEntryManager] = DirectoryEntryManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "directory entry"
        verbose_name_plural = "actor directory"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key, surname = name_keys(self.name)
        self.surname = surname[:100]
        super().save(*args, **kwargs)

    def as_person(self) -> pure.DirectoryPerson:
        return pure.DirectoryPerson(
            name=self.name,
            aliases=tuple(alias.name for alias in self.aliases.all()),
            roles=tuple(role.as_role() for role in self.roles.all()),
        )


class DirectoryAlias(models.Model):
    """Another name the person goes by ("Joe Biden" for Joseph R. Biden)."""

    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "directory aliases"
        constraints = [
            models.UniqueConstraint(fields=["entry", "key"], name="directory_alias_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = directory_key(self.name)
        super().save(*args, **kwargs)


class DirectoryRole(models.Model):
    """A title and/or affiliation the person held; dated where an editor knows when it changed."""

    class Origin(models.TextChoices):
        ARTICLE = "article", "Printed in articles"
        EDITOR = "editor", "Entered or confirmed by an editor"

    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, blank=True, help_text='e.g. "Secretary of State".')
    affiliation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The state or organisation, by its actor name: United States, NATO.",
    )
    valid_from = models.DateField(null=True, blank=True, help_text="Empty: since always.")
    valid_to = models.DateField(null=True, blank=True, help_text="Empty: still held.")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EDITOR)
    seen = models.PositiveIntegerField(
        default=0, help_text="How many ingested articles printed this title or affiliation."
    )
    first_seen = models.DateField(null=True, blank=True, editable=False)
    last_seen = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["entry", "valid_from", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="", affiliation=""), name="directory_role_says_something"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="directory_role_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return " · ".join(part for part in (self.title, self.affiliation) if part)

    def as_role(self) -> pure.DirectoryRole:
        return pure.DirectoryRole(
            title=self.title,
            affiliation=self.affiliation,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            confirmed=self.origin == self.Origin.EDITOR,
            seen=self.seen,
        )

    def saw(self, day: dt.date) -> None:
        """One more article printed this role on `day` (saved by the caller)."""
        self.seen += 1
        self.first_seen = min(filter(None, (self.first_seen, day)))
        self.last_seen = max(filter(None, (self.last_seen, day)))
