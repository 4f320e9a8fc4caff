"""Background ingestion on Celery: one task per article, claimed once, retried with back-off.

`ingest --async` (and anything else that calls `pipeline.enqueue_source`) stores each article as
pending with its text and queues `ingest_article(article_id)`. A worker claims the article with
one conditional UPDATE (pending → processing), so an article delivered twice is extracted once;
a failure sets it failed with its error, then pending again for a retry after 10 s, 20 s, 40 s…
(INGEST_RETRY_BACKOFF), and after INGEST_MAX_RETRIES retries it stays failed, error shown in the
admin. Without CELERY_BROKER_URL the task runs inline, retries included (without the waits).
"""

from __future__ import annotations

from celery import Task, shared_task
from celery.signals import worker_process_init
from django.conf import settings

from timeline.ingestion import pipeline
from timeline.services import articles

# The extraction function; None is the real pipeline. Tests put a small fake here.
EXTRACT: pipeline.Extract | None = None


@worker_process_init.connect
def _load_the_model(**kwargs: object) -> None:
    """Each worker process loads spaCy's model as it starts, not while holding its first article."""
    if EXTRACT is None:
        from timeline.extraction.nlp import get_nlp

        get_nlp()


@shared_task(bind=True, name="timeline.ingest_article", acks_late=True)
def ingest_article(self: Task, article_id: int) -> str:
    """Extract one pending article; returns "done", "failed" or "skipped" (not pending)."""
    article = articles.article_claim(article_id=article_id)
    if article is None:
        return "skipped"  # extracted already, or another worker has it
    try:
        pipeline.article_extract(article=article, extract=EXTRACT)
    except articles.IngestError as exc:
        attempt = self.request.retries
        if attempt >= settings.INGEST_MAX_RETRIES:
            return "failed"  # article_extract marked it failed, with the error
        articles.article_requeue(article_id=article_id)
        if self.request.is_eager:
            # Inline (no broker): retry at once, in this process.
            return str(self.apply(args=(article_id,), retries=attempt + 1).result)
        countdown = settings.INGEST_RETRY_BACKOFF * 2**attempt
        raise self.retry(
            exc=exc, countdown=countdown, max_retries=settings.INGEST_MAX_RETRIES
        ) from exc
    return "done"


@shared_task(name="timeline.poll_due_feeds")
def poll_due_feeds() -> int:
    """Queue a poll of each watched feed that is due (run every minute by celery beat)."""
    from timeline.models import WatchedFeed

    due = list(WatchedFeed.objects.due().values_list("pk", flat=True))
    for feed_id in due:
        poll_feed.delay(feed_id)
    return len(due)


@shared_task(name="timeline.poll_feed", acks_late=True)
def poll_feed(feed_id: int) -> str:
    """Poll one feed if it is still due (another worker may have taken it); its status."""
    from timeline.ingestion import feeds

    poll = feeds.feed_poll_by_id(feed_id=feed_id)
    return poll.status if poll is not None else "skipped"


@shared_task(bind=True, name="timeline.deliver_webhook", acks_late=True)
def deliver_webhook(self: Task, delivery_id: int) -> str:
    """POST one webhook delivery; retried with back-off until it lands or runs out of tries."""
    from timeline import webhooks

    if webhooks.delivery_attempt(delivery_id=delivery_id):
        return "done"
    attempt = self.request.retries
    if self.request.is_eager:
        return str(self.apply(args=(delivery_id,), retries=attempt + 1).result)
    raise self.retry(
        countdown=settings.WEBHOOK_RETRY_BACKOFF * 2**attempt,
        max_retries=settings.WEBHOOK_MAX_ATTEMPTS,
    )
