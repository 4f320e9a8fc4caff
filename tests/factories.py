"""Small factories for tests: each makes one valid row, with overridable fields."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from timeline.extraction.types import ExtractedActor, ExtractedStatement, ResolvedDate, Span
from timeline.models import (
    Actor,
    Article,
    Citation,
    Crisis,
    Event,
    EventCategory,
    Source,
    Statement,
)

_counter = itertools.count(1)

ARTICLE_TEXT = (
    "Russia is massing yet more troops near Ukraine, Washington said on Friday.\n\n"
    "“Things could go crazy quickly,” Biden told NBC News."
)


def make_crisis(**fields: Any) -> Crisis:
    n = next(_counter)
    defaults = {"slug": f"crisis-{n}", "title": f"Crisis {n}"}
    return Crisis.objects.create(**{**defaults, **fields})


def make_source(**fields: Any) -> Source:
    n = next(_counter)
    return Source.objects.create(**{"name": f"Outlet {n}", **fields})


def make_article(**fields: Any) -> Article:
    n = next(_counter)
    defaults = {
        "title": f"Article {n}",
        "text": f"{ARTICLE_TEXT}\n\n(Story {n}.)",
        "published_at": dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC),
        "ingestion_status": Article.IngestionStatus.DONE,
    }
    if "source" not in fields:
        defaults["source"] = make_source()
    return Article.objects.create(**{**defaults, **fields})


def make_actor(**fields: Any) -> Actor:
    n = next(_counter)
    defaults = {"name": f"Actor {n}", "slug": f"actor-{n}", "kind": "person"}
    return Actor.objects.create(**{**defaults, **fields})


def make_event(**fields: Any) -> Event:
    n = next(_counter)
    defaults = {
        "title": f"Event {n}",
        "start_date": dt.date(2022, 2, 11),
        "category": EventCategory.objects.get(slug="military"),
    }
    return Event.objects.create(**{**defaults, **fields})


def make_statement(**fields: Any) -> Statement:
    return Statement.objects.create(**{"text": "Things could go crazy quickly", **fields})


def make_citation(**fields: Any) -> Citation:
    article = fields.pop("article", None) or make_article()
    defaults = {"article": article, "start": 0, "end": 10}
    if "event" not in fields and "statement" not in fields:
        defaults["event"] = make_event()
    return Citation.objects.create(**{**defaults, **fields})


# Values a queryset annotates on its rows are instance attributes the models' types do not
# declare: they are read from the row's attributes here, once, with the type they have.


def source_count(event: Event) -> int:
    """The independent outlets `Event.objects.with_source_count()` counted for `event`."""
    count: int = vars(event)["source_count"]
    return count


def review_counts(article: Article) -> tuple[int, int, float]:
    """What `Article.objects.with_review_counts()` found left to review in `article`: its draft
    events, its draft statements and the lowest confidence among them."""
    row = vars(article)
    return row["draft_events"], row["draft_statements"], row["lowest_confidence"]


def quoted(
    quote: str, text: str, *, speaker: str, said_on: dt.date | None = None
) -> tuple[ExtractedActor, ExtractedStatement]:
    """What an extractor finds in an article whose one sentence, `text`, has `speaker` saying
    `quote` directly: the speaker (surname as alias) and the statement."""
    start = text.index(quote)
    return (
        ExtractedActor(name=speaker, kind="person", aliases=[speaker.split()[-1]]),
        ExtractedStatement(
            content=quote,
            kind="direct",
            span=Span(0, len(text)),
            content_span=Span(start, start + len(quote)),
            speaker=speaker,
            cue="said",
            date=ResolvedDate(said_on, None, "day", None) if said_on else None,
        ),
    )
