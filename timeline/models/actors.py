"""The people, states and organisations the timeline is about, and the other names they go by."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from timeline.models.choices import alias_key
from timeline.models.editorial import Editorial, EditorialQuerySet


class ActorQuerySet(EditorialQuerySet):
    def matching_name(self, name: str) -> Self:
        """Actors whose canonical name or one of whose aliases matches `name`."""
        key = alias_key(name)
        return self.filter(Q(name__iexact=name) | Q(aliases__key=key)).distinct()

    def named_like(self, words: str) -> Self:
        """Actors whose name, or one of whose aliases, holds every word of `words`."""
        queryset = self
        for word in words.split():
            aliased = ActorAlias.objects.filter(name__icontains=word).values("actor")
            queryset = queryset.filter(Q(name__icontains=word) | Q(pk__in=aliased))
        return queryset


ActorManager = models.Manager.from_queryset(ActorQuerySet)


class Actor(Editorial):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        STATE = "state", "State or government"
        ORGANISATION = "organisation", "Organisation"
        GROUP = "group", "Group"
        MEDIA = "media", "Media"

    name = models.CharField(max_length=200, help_text="The canonical name, e.g. Joe Biden.")
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(
        max_length=200, blank=True, help_text='Title or role, e.g. "Secretary of State".'
    )
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The state or organisation this actor belongs to (Blinken → United States).",
    )
    wikidata_id = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q6279.")],
    )
    description = models.TextField(blank=True)

    objects: ClassVar[ActorManager] = ActorManager()

    class Meta:
        ordering = ["name"]
        permissions = [
            ("publish_actor", "Can publish, unpublish and reject actors"),
            ("merge_actor", "Can merge and split actors"),
        ]
        indexes = [models.Index(fields=["status", "name"], name="actor_status_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="actor_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timeline:actor", args=[self.slug])


class ActorAlias(models.Model):
    """Another name an actor goes by; matching across articles uses the normalised key."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="actor_alias_unique_per_actor")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = alias_key(self.name)
        super().save(*args, **kwargs)
