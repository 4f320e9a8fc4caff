"""Ingestion batches: many articles handed over at once, extracted by the Celery workers, with
their progress (done, failed with the error, pending) for the admin and the API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from timeline.models.sources import Article


class IngestBatch(models.Model):
    label = models.CharField(max_length=300, help_text="What was handed over, e.g. a file name.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    articles = models.ManyToManyField(Article, related_name="batches", blank=True)
    # Records that could not even be stored (unreadable, no publication time): label and error.
    refused = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "ingest batches"

    def __str__(self) -> str:
        return f"{self.label} ({self.created_at:%Y-%m-%d %H:%M})"

    def progress(self) -> dict[str, int]:
        """How many of its articles are done, failed and still waiting (or being extracted)."""
        status = Article.IngestionStatus
        counts = self.articles.aggregate(
            done=Count("pk", filter=Q(ingestion_status=status.DONE)),
            failed=Count("pk", filter=Q(ingestion_status=status.FAILED)),
            pending=Count("pk", filter=Q(ingestion_status__in=[status.PENDING, status.PROCESSING])),
        )
        return {**counts, "refused": len(self.refused)}

    @property
    def finished(self) -> bool:
        return self.progress()["pending"] == 0
