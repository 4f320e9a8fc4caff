"""Matching a new article against many stored events (issue 16): `python -m bench.matching`.

The stored events are the scale bench's synthetic crisis at 100,000 events (`scale.database`,
seed 1, made once and kept in bench/results/). The new articles are the outlets dev set's, read
from ../shared/dev-data (never copied here). Each article is extracted first, untimed; then it is
ingested with that extraction inside a transaction rolled back afterwards, so every article meets
the same 100,000 events and nothing piles up. Timed per article, median and worst:

- matching: the candidate events fetched from the database (the nearest by date to each of the
  article's date windows, with their actors and citing sentences) and `matching.cluster` over
  them, as `services.drafts` runs it. Target: under 200 ms.
- the article's whole store (actors, statements, events, citations), for scale.

On SQLite and, when it answers, PostgreSQL; each in a subprocess with the bench settings.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

from bench import scale

STORED_EVENTS = 100_000
TARGET_MS = 200.0
OUTLETS = scale.ROOT.parent / "shared" / "dev-data" / "outlets-2022-dev" / "articles.jsonl"
RUNS = 3  # each article is matched this many times; its median counts


def measure() -> dict[str, Any]:
    import datetime as dt

    import django

    django.setup()
    from django.db import transaction

    from evaluation.outlets import _import_lines
    from timeline.extraction import matching
    from timeline.extraction.article_text.records import parse_json_record
    from timeline.extraction.embedding import get_encoder
    from timeline.extraction.nlp import get_nlp
    from timeline.extraction.pipeline import extract
    from timeline.extraction.types import Extraction
    from timeline.ingestion import pipeline
    from timeline.models import Event
    from timeline.services import drafts

    spent: list[float] = []
    compared: list[int] = []  # how many stored events each article's events were compared with

    def timing(function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)

        return timed

    class TimedCandidates(drafts._EventCandidates):
        # The candidates' queries run in the constructor and in sketches().
        __init__ = timing(drafts._EventCandidates.__init__)

        def sketches(self) -> list[matching.EventSketch]:
            found: list[matching.EventSketch] = timing(super().sketches)()
            compared.append(len(found))
            return found

    def matching_timed() -> contextlib.ExitStack:
        stack = contextlib.ExitStack()
        stack.enter_context(mock.patch.object(drafts, "_EventCandidates", TimedCandidates))
        stack.enter_context(mock.patch.object(matching, "cluster", timing(matching.cluster)))
        return stack

    def replay(extraction: Extraction) -> Callable[[str, dt.date], Extraction]:
        return lambda _text, _published: extraction

    # Models load once per process, before any article is timed, as a worker has them loaded.
    get_nlp()
    get_encoder()
    # The dev records in the product's JSONL import form, as `make eval` ingests them.
    records = [json.loads(line) for line in _import_lines(OUTLETS).splitlines()]
    stored = Event.objects.count()
    figures = []
    for record in records:
        parsed = parse_json_record(record)
        published = dt.datetime.fromisoformat(record["published_at"])
        extraction = extract(parsed.body, published.date(), title=parsed.title)
        matching_runs, store_runs = [], []
        for _ in range(RUNS):
            spent.clear()
            compared.clear()
            with transaction.atomic(), matching_timed():
                started = time.perf_counter()
                result = pipeline.article_ingest(
                    parsed=parsed,
                    published_at=published,
                    extract=replay(extraction),
                )
                store_runs.append(time.perf_counter() - started)
                transaction.set_rollback(True)
            assert result.created, "the article was already stored"
            matching_runs.append(sum(spent))
        figures.append(
            {
                "article": record["source"],
                "events": len(extraction.events),
                "candidates": sum(compared),
                "matching_ms": round(1000 * statistics.median(matching_runs), 1),
                "store_ms": round(1000 * statistics.median(store_runs), 1),
            }
        )
    times = [f["matching_ms"] for f in figures]
    return {
        "stored_events": stored,
        "articles": figures,
        "matching_median_ms": round(statistics.median(times), 1),
        "matching_worst_ms": max(times),
    }


def run() -> dict[str, Any]:
    if not OUTLETS.is_file():
        scale.log(f"  skipped: the outlets dev set is not at {OUTLETS}")
        return {"skipped": "no outlets dev set"}
    result: dict[str, Any] = {"target_ms": TARGET_MS, "engines": {}}
    engines = ["sqlite"]
    try:
        scale.psql("postgres", "SELECT 1")
        engines.append("postgresql")
    except (OSError, subprocess.CalledProcessError):
        scale.log("  PostgreSQL does not answer on 127.0.0.1:5432: SQLite only")
    for engine in engines:
        scale.log(f"- {engine}: {STORED_EVENTS:,} stored events")
        url = scale.database(engine, STORED_EVENTS)
        done = subprocess.run(
            [scale.PY, "-m", "bench.matching", "measure"],
            cwd=scale.ROOT,
            env=scale.env(url),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"matching bench failed on {engine}:\n{done.stderr[-3000:]}")
        result["engines"][engine] = json.loads(done.stdout.strip().splitlines()[-1])
    print_table(result)
    return result


def print_table(result: dict[str, Any]) -> None:
    print("\nMatching a new article against stored events (issue 16's target)")
    for engine, figures in result["engines"].items():
        met = figures["matching_worst_ms"] < result["target_ms"]
        print(
            f"  {engine}: {figures['stored_events']:,} stored events, "
            f"{len(figures['articles'])} outlets-dev articles: matching median "
            f"{figures['matching_median_ms']:.0f} ms, worst {figures['matching_worst_ms']:.0f} ms"
            f"   target < {result['target_ms']:.0f} ms: {'met' if met else 'NOT met'}"
        )
        for article in figures["articles"]:
            print(
                f"    {article['article']:<24} {article['events']:>2} events against "
                f"{article['candidates']:>4} stored  matching "
                f"{article['matching_ms']:>6.1f} ms   whole store {article['store_ms']:>6.1f} ms"
            )


def main() -> int:
    if sys.argv[1:] == ["measure"]:
        print(json.dumps(measure()))
        return 0
    result = run()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    scale.RESULTS.mkdir(parents=True, exist_ok=True)
    path = scale.RESULTS / f"matching-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
