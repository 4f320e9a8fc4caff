"""Ingestion speed against issue 3's targets (`python -m bench.ingest`, about a minute a database).

In one warm process (the spaCy model loaded, the database connection open):

1. Seed article, end to end: read the file, recognise its headline, byline and dates, parse,
   extract, store the drafts and commit. Median of SEED_RUNS runs, each into a database emptied
   of ingested content first (not timed), so no run is a no-op re-ingest. Target: under 1 s.
2. Batch: the PolNeAR dev texts, read from ../shared/dev-data (never copied here), ingested by
   this one process, that is on one core, as `manage.py ingest FILES…` does (`ingest_sources`:
   each article in its own transaction, their texts parsed PARSE_BATCH at a time): articles per
   second of wall-clock time, and per second of this process's CPU time (which the machine's
   other work inflates less). Target: at least 5 articles per second per core.
3. In that same batch run, the time of the bare spaCy parse of each article against the rest of
   the pipeline: extraction after the parse, and everything else (reading, extraction, storing)
   as the whole ingest's overhead. Target: at most 30% on top of the parse.

On SQLite (a scratch file in bench/results/) and on PostgreSQL (database bench_ingest_speed) when
it answers. `python -m bench.ingest` runs each database in a subprocess with the bench settings
and prints the table; `python -m bench.ingest measure` is one database in this process
(DATABASE_URL decides).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import scale

ROOT = scale.ROOT
SEED = ROOT.parent / "shared" / "corpus" / "reuters-2022-02-11-russian-troops-mass-near-ukraine.txt"
SEED_RUNS = 7
# PolNeAR texts carry no date line; the dev split is news from the 2016 US campaign.
BATCH_PUBLISHED = "2016-10-01T12:00:00+00:00"
TARGETS = {"seed_s": 1.0, "articles_per_s": 5.0, "overhead": 0.30}
PG_DATABASE = "bench_ingest_speed"


# --------------------------------------------------------------------------------------------
# One database, in this process: `python -m bench.ingest measure`


def measure() -> dict[str, Any]:
    import datetime as dt

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timeline.extraction.nlp import get_nlp
    from timeline.extraction.pipeline import ParseTimes, extract_timed
    from timeline.extraction.types import Extraction
    from timeline.ingestion import pipeline
    from timeline.ingestion.pipeline import ingest_sources
    from timeline.ingestion.sources import load_source
    from timeline.services import articles

    spent = {"parse": 0.0, "extraction": 0.0}

    def timed_extract(text: str, published: dt.date) -> Extraction:
        timed = extract_timed(text, published)
        spent["parse"] += timed.parse_seconds
        spent["extraction"] += timed.rest_seconds
        return timed.extraction

    def ingest(path: Path, published_at: dt.datetime | None = None) -> articles.IngestResult:
        [parsed] = load_source(str(path))
        return pipeline.article_ingest(
            parsed=parsed, published_at=published_at, extract=timed_extract
        )

    get_nlp()
    empty_database()
    ingest(SEED)  # warm: the model's first calls, the connection, Django's caches

    seed_runs, seed_parse = [], []
    for _ in range(SEED_RUNS):
        empty_database()
        spent["parse"] = 0.0
        started = time.perf_counter()
        result = ingest(SEED)
        seed_runs.append(time.perf_counter() - started)
        seed_parse.append(spent["parse"])
        assert result.created and result.drafts, "the seed article was not ingested afresh"
    empty_database()
    with CaptureQueriesContext(connection) as queries:
        result = ingest(SEED)
    seed = {
        "runs_s": [round(s, 3) for s in seed_runs],
        "median_s": round(statistics.median(seed_runs), 3),
        "parse_median_s": round(statistics.median(seed_parse), 3),
        "queries": len(queries.captured_queries),
        "drafts": {
            "actors": len(result.actors),
            "statements": len(result.statements),
            "events": len(result.events),
        },
    }

    folder = scale.articles_dir()
    if folder is None:
        return {"seed": seed, "batch": {"skipped": "../shared/dev-data/polnear-dev is not there"}}
    paths = sorted(folder.glob("*.txt"))
    published = dt.datetime.fromisoformat(BATCH_PUBLISHED)
    empty_database()
    times = ParseTimes()
    wall, cpu = time.perf_counter(), time.process_time()
    outcomes = list(
        ingest_sources([str(path) for path in paths], published_at=published, times=times)
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    failed = sum(1 for outcome in outcomes if not outcome.ok)  # counted; their time stays in
    spent.update(parse=times.parse_seconds, extraction=times.rest_seconds)
    batch = {
        "articles": len(paths),
        "failed": failed,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "per_second": round(len(paths) / wall, 2),
        "per_cpu_second": round(len(paths) / cpu, 2),
        "parse_s": round(spent["parse"], 2),
        "extraction_s": round(spent["extraction"], 2),
        # Time on top of the bare parse, as a fraction of it.
        "extraction_overhead": round(spent["extraction"] / spent["parse"], 3),
        "ingest_overhead": round((wall - spent["parse"]) / spent["parse"], 3),
    }
    return {"seed": seed, "batch": batch}


def empty_database() -> None:
    """Delete everything ingestion writes (articles, sources, actors, drafts, citations, history),
    keeping the event categories the migrations made."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from timeline.models import EventCategory

    tables = [
        model._meta.db_table
        for model in apps.get_app_config("timeline").get_models(include_auto_created=True)
        if model is not EventCategory
    ]
    flush = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(flush)


# --------------------------------------------------------------------------------------------
# Every database, each in a subprocess


def databases() -> dict[str, str]:
    found = {}
    path = scale.RESULTS / "ingest-speed.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    found["sqlite"] = f"sqlite:///{path}"
    try:
        scale.psql("postgres", f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        scale.psql("postgres", f'CREATE DATABASE "{PG_DATABASE}"')
        found["postgresql"] = f"{scale.PG}/{PG_DATABASE}"
    except (OSError, subprocess.CalledProcessError):
        scale.log("  PostgreSQL does not answer on 127.0.0.1:5432: SQLite only")
    return found


def run() -> dict[str, Any]:
    scale.RESULTS.mkdir(parents=True, exist_ok=True)
    if not SEED.is_file():
        scale.log(f"  skipped: the seed article is not at {SEED}")
        return {"skipped": "no seed article"}
    started = time.perf_counter()
    result: dict[str, Any] = {"machine": scale.machine(), "targets": TARGETS, "engines": {}}
    for engine, url in databases().items():
        scale.log(f"- {engine}")
        scale.manage(url, "migrate", "--noinput", "-v0")
        done = subprocess.run(
            [scale.PY, "-m", "bench.ingest", "measure"],
            cwd=ROOT,
            env=scale.env(url),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"ingestion bench failed on {engine}:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        result["engines"][engine] = figures
        seed, batch = figures["seed"], figures["batch"]
        scale.log(
            f"  seed {seed['median_s']:.2f} s ({seed['queries']} queries); "
            + (
                f"batch {batch['per_second']} articles/s; overhead on the parse "
                f"{batch['ingest_overhead']:.0%} (extraction {batch['extraction_overhead']:.0%})"
                if "per_second" in batch
                else batch["skipped"]
            )
        )
    result["seconds"] = round(time.perf_counter() - started)
    print_table(result)
    return result


def print_table(result: dict[str, Any]) -> None:
    targets = result["targets"]
    print("\nIngestion speed, one warm process (issue 3's targets)")
    for engine, figures in result["engines"].items():
        seed, batch = figures["seed"], figures["batch"]
        drafts = seed["drafts"]
        print(f"  {engine}")
        print(
            f"    (a) seed article end to end: median {seed['median_s']:.3f} s of {SEED_RUNS} "
            f"runs (parse {seed['parse_median_s']:.3f} s; {seed['queries']} queries; "
            f"{drafts['statements']} statements, {drafts['events']} events, "
            f"{drafts['actors']} actors)   target < {targets['seed_s']:.0f} s: "
            + _verdict(seed["median_s"] < targets["seed_s"])
        )
        if "per_second" not in batch:
            print(f"    (b), (c) {batch['skipped']}")
            continue
        print(
            f"    (b) batch, {batch['articles']} PolNeAR articles on one core: "
            f"{batch['per_second']:.2f} articles/s in {batch['seconds']:.1f} s wall-clock "
            f"({batch['per_cpu_second']:.2f} per CPU-second; the bare parse alone would allow "
            f"{batch['articles'] / batch['parse_s']:.2f}; {batch['failed']} failed)   "
            f"target >= {targets['articles_per_s']:.0f}: "
            + _verdict(batch["per_second"] >= targets["articles_per_s"])
        )
        print(
            f"    (c) same run, time on top of the bare spaCy parse ({batch['parse_s']:.1f} s), "
            f"target <= {targets['overhead']:.0%}: extraction +{batch['extraction_overhead']:.0%} "
            f"({_verdict(batch['extraction_overhead'] <= targets['overhead'])}); whole ingest "
            f"with reading and storing +{batch['ingest_overhead']:.0%} "
            f"({_verdict(batch['ingest_overhead'] <= targets['overhead'])})"
        )


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> int:
    if sys.argv[1:] == ["measure"]:
        print(json.dumps(measure()))
        return 0
    result = run()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = scale.RESULTS / f"ingest-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
