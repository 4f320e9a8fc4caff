"""Ingestion batches: recording what was handed over, and setting its failures pending again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from timeline.models import Article, IngestBatch
from timeline.services import articles
from timeline.services.common import reviewer

if TYPE_CHECKING:
    from timeline.services.common import User


@transaction.atomic
def batch_create(
    *,
    label: str,
    stored: Sequence[Article],
    refused: Sequence[tuple[str, str]] = (),
    by: User | None = None,
) -> IngestBatch:
    """A batch of stored articles, with the records that could not be stored and why."""
    batch = IngestBatch.objects.create(
        label=label[:300],
        created_by=reviewer(by),
        # PostgreSQL's jsonb holds no NUL: a refused record's text may quote one.
        refused=[
            {"label": label.replace("\x00", ""), "error": error.replace("\x00", "")}
            for label, error in refused
        ],
    )
    batch.articles.add(*stored)
    return batch


def batch_requeue_failed(*, batch: IngestBatch) -> list[int]:
    """Set the batch's failed articles pending again; their ids, for the caller to queue."""
    failed = batch.articles.filter(ingestion_status=Article.IngestionStatus.FAILED)
    return [
        pk for pk in failed.values_list("pk", flat=True) if articles.article_requeue(article_id=pk)
    ]
