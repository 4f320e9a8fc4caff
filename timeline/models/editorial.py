"""What every item on the timeline shares: the crisis it belongs to, and its editorial state.

`Editorial` is the abstract base of actors, statements and events: status, provenance, who
reviewed it and when, and a version raised on every save; `EditorialQuerySet` gives every one of
them `.published()`, the only thing readers see.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from timeline.models.choices import Provenance, Status, validate_plausible_date


class Crisis(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    end_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text="Leave empty while the crisis is ongoing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name_plural = "crises"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="crisis_end_not_before_start",
                violation_error_message="The crisis cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:crisis", args=[self.slug])


class EditorialQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)

    def drafts(self) -> Self:
        return self.filter(status=Status.DRAFT)

    def for_crisis(self, crisis: Crisis | int) -> Self:
        return self.filter(crises=crisis)


class Editorial(models.Model):
    """Provenance and editorial state shared by everything that appears on the timeline."""

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published items are shown to readers and anonymous API callers.",
    )
    provenance = models.CharField(
        max_length=10,
        choices=Provenance.choices,
        default=Provenance.EDITOR,
        help_text="Whether the machine extracted this item or an editor entered it.",
    )
    confidence = models.FloatField(
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="How sure the extractor was (0 to 1). Review low-confidence drafts first.",
    )
    edited_by_editor = models.BooleanField(
        default=False,
        help_text="Set once an editor changes a machine-made item: re-extraction leaves it alone.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who last published or rejected this item.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    first_published_at = models.DateTimeField(
        null=True, blank=True, help_text="When readers could first see this item."
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised on every save, so that two editors' concurrent edits are detected.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EditorialQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED
