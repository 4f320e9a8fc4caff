"""generate_synthetic fills a crisis with valid, reproducible data for benchmarks."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.db.models.functions import Length

from timeline.models import Actor, Article, Citation, Crisis, Event, EventActor, Statement
from timeline.synthetic import Sizes, generate

pytestmark = pytest.mark.django_db

SMALL = Sizes(events=120, statements=300, actors=40, articles=60)


def snapshot() -> dict[str, list]:
    """Everything but ids and timestamps, which differ between runs."""
    return {
        "events": list(
            Event.objects.order_by("start_date", "title", "id").values_list(
                "title", "start_date", "end_date", "date_precision", "status", "category__slug"
            )
        ),
        "statements": list(
            Statement.objects.order_by("id").values_list("text", "speaker__name", "date", "status")
        ),
        "actors": list(Actor.objects.order_by("id").values_list("name", "kind", "status")),
        "citations": list(
            Citation.objects.order_by("id").values_list("article__url", "start", "end")
        ),
    }


def test_it_fills_a_crisis_with_the_sizes_asked_for() -> None:
    summary = generate(sizes=SMALL, seed=1, crisis_slug="scale")

    crisis = Crisis.objects.get(slug="scale")
    assert summary.crisis == crisis
    assert crisis.events.count() == 120
    assert crisis.statements.count() == 300
    assert crisis.articles.count() == 60
    assert Actor.objects.count() == 40
    assert "120 events" in summary.line()


def test_every_citation_reproduces_its_excerpt_inside_the_article_text() -> None:
    generate(sizes=SMALL, seed=3)

    citations = Citation.objects.with_excerpt().select_related("article")
    assert citations.count() >= 120 + 300
    for citation in citations:
        text = citation.article.text
        assert 0 <= citation.start < citation.end <= len(text)
        assert citation.excerpt_text == text[citation.start : citation.end]  # type: ignore[attr-defined]  # annotated by with_excerpt()
        citation.full_clean()
    # The sentence an event cites names it; the one a statement cites holds the quote.
    for citation in Citation.objects.filter(event__isnull=False).select_related("event")[:50]:
        assert citation.event is not None
        assert citation.excerpt.startswith(citation.event.title)
    for citation in Citation.objects.filter(statement__isnull=False).select_related("statement"):
        assert citation.statement is not None
        assert citation.statement.text in citation.excerpt


def test_events_have_several_citations_actors_and_a_mix_of_precisions_and_statuses() -> None:
    generate(sizes=SMALL, seed=1)

    per_event = [e.citations.count() for e in Event.objects.prefetch_related("citations")]
    assert min(per_event) >= 1 and max(per_event) > 1
    assert not Event.objects.filter(roles__isnull=True).exists()
    assert set(Event.objects.values_list("date_precision", flat=True)) >= {"day", "month"}
    assert set(Event.objects.values_list("status", flat=True)) >= {"published", "draft"}
    assert not Event.objects.filter(end_date__lt=F("start_date")).exists()
    # A long tail: the busiest actor is in many events, the typical one in few.
    counts = sorted(
        (a.event_roles.count() for a in Actor.objects.prefetch_related("event_roles")),
        reverse=True,
    )
    assert counts[0] >= 5 * max(counts[len(counts) // 2], 1)
    assert EventActor.objects.count() >= Event.objects.count()


def test_articles_are_unique_and_complete() -> None:
    generate(sizes=SMALL, seed=1)

    assert Article.objects.annotate(n=Length("text")).filter(n__lt=50).count() == 0
    assert Article.objects.values("content_hash").distinct().count() == 60
    assert not Article.objects.exclude(ingestion_status="done").exists()


def test_the_same_seed_gives_the_same_data() -> None:
    generate(sizes=SMALL, seed=7)
    first = snapshot()
    for model in (Citation, EventActor, Event, Statement, Article):
        model.objects.all().delete()
    Actor.objects.all().delete()
    Crisis.objects.all().delete()

    generate(sizes=SMALL, seed=7)

    assert snapshot() == first


def test_another_seed_gives_other_data() -> None:
    generate(sizes=SMALL, seed=1, crisis_slug="one")
    first = snapshot()["events"]
    generate(sizes=SMALL, seed=2, crisis_slug="two")

    assert Event.objects.filter(crises__slug="two").count() == 120
    assert sorted(first) != sorted(
        Event.objects.filter(crises__slug="two").values_list(
            "title", "start_date", "end_date", "date_precision", "status", "category__slug"
        )
    )


def test_new_rows_get_fresh_ids_after_a_bulk_load() -> None:
    generate(sizes=SMALL, seed=1)
    top = Event.objects.order_by("-pk").first()
    assert top is not None

    added = Event.objects.create(title="After", start_date=top.start_date, category=top.category)

    assert added.pk > top.pk


def test_the_command_prints_progress_and_a_summary_and_refuses_a_full_crisis(capsys) -> None:
    args = ["--events", "20", "--statements", "30", "--actors", "10", "--articles", "10"]
    call_command("generate_synthetic", *args, "--seed", "1", "--crisis", "cmd")

    out = capsys.readouterr().out
    assert "events 20/20" in out
    assert "Crisis “cmd”: 20 events, 30 statements, 10 actors, 10 articles" in out
    with pytest.raises(CommandError, match="already holds articles"):
        call_command("generate_synthetic", *args, "--crisis", "cmd")
