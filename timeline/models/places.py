"""Where things happened: places from the gazetteers (states, regions, cities, seas, sites).

A place is reference data, not an editorial item: the machine takes it from offline gazetteers
(timeline.extraction.places) and readers see a place once one of its events is published. The
events it holds are linked through `EventPlace` (timeline.models.items), with how sure the
machine was of the name.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from timeline.models.actors import Actor


class PlaceQuerySet(models.QuerySet["Place"]):
    def within(self, west: float, south: float, east: float, north: float) -> Self:
        """Places inside a bounding box; one crossing the antimeridian has west > east."""
        qs = self.filter(latitude__gte=south, latitude__lte=north)
        if west <= east:
            return qs.filter(longitude__gte=west, longitude__lte=east)
        return qs.filter(Q(longitude__gte=west) | Q(longitude__lte=east))


PlaceManager = models.Manager.from_queryset(PlaceQuerySet)


class Place(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        CITY = "city", "City"
        SEA = "sea", "Sea or strait"
        SITE = "site", "Site"
        CONTINENT = "continent", "Continent"

    name = models.CharField(max_length=200, help_text="The canonical English name, e.g. Kyiv.")
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    iso_code = models.CharField(
        max_length=10, blank=True, help_text='The ISO 3166 code, where it has one: "UA", "US-GA".'
    )
    latitude = models.FloatField(
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Decimal degrees north; a representative point inside the place.",
    )
    longitude = models.FloatField(
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Decimal degrees east.",
    )
    country = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places_within",
        help_text="The country it lies in; empty for a country, a sea or a continent.",
    )
    gazetteer_id = models.CharField(
        max_length=40,
        unique=True,
        help_text='Where the machine found it: "iso:UA" (ISO 3166), "geonames:703448" (GeoNames) '
        'or "feature:black-sea" (the project\'s own list of seas, regions and sites).',
    )
    actor = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places",
        help_text="The actor the same name stands for when it acts (the state Russia).",
    )

    objects: ClassVar[PlaceManager] = PlaceManager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="place_coordinates")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timeline:place", args=[self.slug])
