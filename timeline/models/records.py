"""What editors leave behind: private comments on events, and merges with their undo."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from timeline.models.items import Event


class EditorComment(models.Model):
    """A private note between editors about an event; never shown to readers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class Merge(models.Model):
    """One merge of two actors or two events, with what is needed to undo it exactly."""

    class Kind(models.TextChoices):
        ACTOR = "actor", "Actors"
        EVENT = "event", "Events"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    kept_id = models.PositiveBigIntegerField(help_text="The item that remains.")
    merged_id = models.PositiveBigIntegerField(help_text="The item folded into it.")
    merged_name = models.CharField(max_length=300)
    undo = models.JSONField(help_text="Everything the merge changed, to restore it exactly.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → #{self.kept_id} ({self.get_kind_display().lower()})"
