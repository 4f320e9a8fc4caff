"""Scale: server time, load against peers, and ingestion throughput (`python -m bench.scale`).

1. Server time: each reader page and the API's event list, answered in-process (Django's test
   client, DEBUG off) at 1k, 10k and 100k events on SQLite and on PostgreSQL: median and p95 of
   REQUESTS requests after WARMUP, and the number of queries of one request.
2. Load: wrk on loopback for WRK_SECONDS per target against gunicorn (2 workers) serving the app,
   Datasette serving the same SQLite file, and a bare Django view running one raw SQL query
   (bench/rawsql.py, mounted only by bench/settings.py) — our API's requests per second as a
   ratio of each.
3. Ingestion: real articles (PolNeAR dev, from ../shared/dev-data) through the whole pipeline on
   one process (`manage.py ingest`) and on two Celery workers (`ingest --async`, Redis DB 6), in
   articles per second; and the pipeline's time against the bare spaCy parse.

Data comes from `manage.py generate_synthetic` (seed 1), generated once into
bench/results/scale-*.sqlite3 and the PostgreSQL databases bench_1k, bench_10k, bench_100k, and
reused while the migrations are unchanged. Every step runs in a subprocess with its own
settings, so nothing here imports Django.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
# BENCH_SCALE_SIZES=1000 for a quick run while developing.
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "1000,10000,100000").split(","))
# BENCH_SCALE_ENGINES=sqlite and BENCH_SCALE_PHASES=server,load to run only some of it.
ENGINES = tuple(os.environ.get("BENCH_SCALE_ENGINES", "sqlite,postgresql").split(","))
PHASES = tuple(os.environ.get("BENCH_SCALE_PHASES", "server,load,ingestion").split(","))
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_BROKER = "redis://127.0.0.1:6379/6"
REQUESTS, WARMUP = 20, 2
WRK_SECONDS, WRK_CONNECTIONS = 10, 8
INGEST_ARTICLES = 24
PARSE_ARTICLES = 8
PAGES = ("home", "timeline", "event", "actor", "api_events")
# The pages an anonymous reader gets whole from the readers' cache (timeline/caching.py).
CACHED_PAGES = ("home", "timeline", "actor", "api_events")
TARGET_MS = 100
# Issue 5's measure: a page of 100 events with their actors and citations.
API_EVENTS = "/api/v1/events/?page_size=100"
# Datasette is given the very query the raw-SQL floor runs (bench/rawsql.py), for the same rows.
DATASETTE_SQL = (
    "SELECT e.id, e.title, e.start_date, e.end_date, e.date_precision, c.slug AS category "
    "FROM timeline_event e JOIN timeline_eventcategory c ON c.id = e.category_id "
    "WHERE e.status = 'published' ORDER BY e.start_date, e.id LIMIT 100"
)


def label(size: int) -> str:
    return f"{size // 1000}k"


def env(database_url: str, **extra: str) -> dict[str, str]:
    """A clean environment for a subprocess: production-like settings on the given database."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    base.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-not-secret",  # noqa: S106 (a scratch database on loopback)
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
        # Persistent connections, as the README advises for production: SQLite's page cache
        # lives in the connection, so a new one per request starts cold.
        CONN_MAX_AGE="60",
        PYTHONPATH=str(ROOT),
    )
    base.update(extra)
    return base


def manage(database_url: str, *args: str, check: bool = True, **extra: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env(database_url, **extra),
        capture_output=True,
        text=True,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def log(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# Data


def migrations_digest() -> str:
    names = sorted(p.name for p in (ROOT / "timeline" / "migrations").glob("0*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]


def database(engine: str, size: int) -> str:
    """The URL of a database holding the synthetic crisis at `size` events; made if missing."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = RESULTS / f"scale-{engine}-{label(size)}.stamp"
    want = f"{migrations_digest()} seed=1 events={size}"
    if engine == "sqlite":
        path = RESULTS / f"scale-{label(size)}.sqlite3"
        url = f"sqlite:///{path}"
    else:
        name = f"bench_{label(size)}"
        url = f"{PG}/{name}"
    if stamp.exists() and stamp.read_text() == want:
        manage(url, "migrate", "--noinput", "-v0")
        return url
    started = time.perf_counter()
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql("postgres", f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "--noinput", "-v0")
    out = manage(
        url,
        "generate_synthetic",
        f"--events={size}",
        f"--statements={size}",
        f"--actors={min(2000, max(50, size // 50))}",
        f"--articles={max(100, size // 4)}",
        "--seed=1",
        "--crisis=synthetic",
    )
    if engine == "postgresql":
        psql(name, "VACUUM ANALYZE")
    else:
        subprocess.run(["sqlite3", str(path), "ANALYZE"], check=False, capture_output=True)
    log(f"  {out.strip().splitlines()[-1]} ({time.perf_counter() - started:.0f} s with set-up)")
    stamp.write_text(want)
    return url


def psql(db: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-qc", sql],
        check=True,
        capture_output=True,
    )


# --------------------------------------------------------------------------------------------
# 1. Server time, in a subprocess: `python -m bench.scale server`


def server_times() -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client, override_settings

    from timeline.models import Actor, Crisis, Event

    crisis = Crisis.objects.get(slug="synthetic")
    published = Event.objects.published().for_crisis(crisis).order_by("start_date", "id")
    event = published[published.count() // 2]
    # The busiest published actor: the page with the most rows behind it.
    actor = (
        Actor.objects.published()
        .annotate(n=Count("event_roles"))
        .order_by("-n", "id")
        .only("slug")
        .first()
    )
    assert actor is not None, "the scale data has published actors"
    urls = {
        "home": "/",
        "timeline": f"/crises/{crisis.slug}/",
        "event": f"/events/{event.pk}/",
        "actor": f"/actors/{actor.slug}/",
        "api_events": API_EVENTS,
    }
    client = Client(HTTP_HOST="127.0.0.1")
    rows: dict[str, Any] = {}
    # Each page built afresh (the readers' whole-answer cache off; the counts it caches inside
    # stay warm), then as a repeat reader gets it (whole from the cache, when it is on).
    with override_settings(RESPONSE_CACHE_SECONDS=0):
        for name, url in urls.items():
            rows[name] = timed(client, url)
    if settings.RESPONSE_CACHE_SECONDS:
        for name in CACHED_PAGES:
            rows[name]["cached"] = timed(client, urls[name])
    return rows


def timed(client: Any, url: str) -> dict[str, Any]:
    """Median and p95 of REQUESTS requests after WARMUP, and the queries of one request."""
    from django.db import connection

    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any, seen: list[str] = queries) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def server_phase() -> list[dict[str, Any]]:
    rows = []
    for engine in ENGINES:
        for size in SIZES:
            log(f"- {engine}, {size:,} events")
            url = database(engine, size)
            done = subprocess.run(
                [PY, "-m", "bench.scale", "server"],
                cwd=ROOT,
                env=env(url),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(f"server timing failed on {engine}:\n{done.stderr[-3000:]}")
            pages = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append({"engine": engine, "events": size, "pages": pages})
            log(
                "  "
                + "  ".join(
                    f"{name} {p['median_ms']:.0f}/{p['p95_ms']:.0f} ms {p['queries']}q"
                    + (f" (cached {p['cached']['median_ms']:.1f} ms)" if "cached" in p else "")
                    for name, p in pages.items()
                )
            )
    return rows


# --------------------------------------------------------------------------------------------
# 2. Load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s.")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("  installing wrk from Debian's packages…")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk") or "wrk"


def wrk(binary: str, url: str) -> dict[str, Any]:
    assert urllib.parse.urlsplit(url).hostname == "127.0.0.1"  # loopback only, ever
    out = subprocess.run(
        [binary, "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=WRK_SECONDS + 30,
    ).stdout

    def ms(text: str) -> float:
        found = re.match(r"([\d.]+)(us|ms|s)", text)
        assert found is not None, text
        value, unit = found.groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps is not None, out
    return {
        "rps": float(rps.group(1)),
        "p50_ms": round(ms(latency["50"]), 1),
        "p99_ms": round(ms(latency["99"]), 1),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def load_phase() -> dict[str, Any]:
    binary = ensure_wrk()
    datasette = Path(PY).parent / "datasette"
    if not datasette.exists():
        # Checked before any server starts, so that none is left running.
        raise RuntimeError("Datasette is missing: pip install -r bench/requirements.txt.")
    url = database("sqlite", SIZES[-1])
    path = Path(url.removeprefix("sqlite:///"))
    app_port, built_port, datasette_port = free_port(), free_port(), free_port()

    def app(port: int, **extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "crisis.wsgi"],
            cwd=ROOT,
            env=env(
                url,
                WEB_CONCURRENCY="2",
                GUNICORN_BIND=f"127.0.0.1:{port}",
                GUNICORN_MAX_REQUESTS="0",
                **extra,
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    procs = [
        # As configured: a repeat request is answered whole from the readers' cache.
        app(app_port),
        # Every answer built afresh: the readers' cache off.
        app(built_port, RESPONSE_CACHE_SECONDS="0"),
        subprocess.Popen(
            [
                str(datasette),
                "serve",
                str(path),
                "-h",
                "127.0.0.1",
                "-p",
                str(datasette_port),
                "--setting",
                "sql_time_limit_ms",
                "5000",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
    ]
    cached, built = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{built_port}"
    query = urllib.parse.urlencode({"sql": DATASETTE_SQL, "_shape": "objects"})
    targets = {
        "api_events": f"{cached}{API_EVENTS}",
        "api_events_built": f"{built}{API_EVENTS}",
        "raw_sql_floor": f"{built}/bench/raw-events/",
        "datasette": f"http://127.0.0.1:{datasette_port}/{path.stem}.json?{query}",
        "timeline_page": f"{cached}/crises/synthetic/",
        "timeline_page_built": f"{built}/crises/synthetic/",
    }
    try:
        for target in targets.values():
            wait_for(target)
        results = {}
        for name, target in targets.items():
            results[name] = wrk(binary, target)
            r = results[name]
            log(
                f"  {name}: {r['rps']:.0f} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms"
                + (f", {r['non_2xx']} errors" if r["non_2xx"] else "")
            )
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
    api, api_built = results["api_events"]["rps"], results["api_events_built"]["rps"]
    return {
        "database": f"SQLite, {SIZES[-1]:,} events",
        "wrk": f"-t2 -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s",
        "targets": results,
        "api_vs_datasette": round(api / results["datasette"]["rps"], 2),
        "api_vs_raw_sql": round(api / results["raw_sql_floor"]["rps"], 2),
        "api_built_vs_datasette": round(api_built / results["datasette"]["rps"], 2),
        "api_built_vs_raw_sql": round(api_built / results["raw_sql_floor"]["rps"], 2),
    }


# --------------------------------------------------------------------------------------------
# 3. Ingestion


def articles_dir() -> Path | None:
    folder = ROOT.parent / "shared" / "dev-data" / "polnear-dev" / "text"
    return folder if folder.is_dir() else None


def ingestion_timing() -> dict[str, Any]:
    """In a subprocess: the pipeline's time against the bare parse, over the same articles."""
    import datetime as dt

    from timeline.extraction.pipeline import extract_timed

    # The first article loads the model; then the first of the ingested batch (files[2:]).
    folder = articles_dir()
    assert folder is not None, "the caller checks that the dev data is there"
    paths = sorted(folder.glob("*.txt"))
    texts = [p.read_text() for p in [paths[0], *paths[2 : 2 + PARSE_ARTICLES]]]
    extract_timed(texts[0], dt.date(2016, 10, 1))  # loads the model
    parse = rest = 0.0
    for text in texts[1:]:
        timed = extract_timed(text, dt.date(2016, 10, 1))
        parse += timed.parse_seconds
        rest += timed.rest_seconds
    return {"parse_s": round(parse, 2), "rest_s": round(rest, 2)}


def settled_span(url: str, first_pk: int) -> tuple[int, float, int]:
    """(articles done, seconds from the first stored to the last finished, failed)."""
    out = manage(
        url,
        "shell",
        "-c",
        "from django.db.models import Max, Min, Count, Q\n"
        "from timeline.models import Article\n"
        f"a = Article.objects.filter(pk__gte={first_pk}).aggregate("
        "s=Min('created_at'), e=Max('updated_at'),"
        " n=Count('pk', filter=Q(ingestion_status='done')),"
        " f=Count('pk', filter=Q(ingestion_status='failed')))\n"
        "print(a['n'], (a['e'] - a['s']).total_seconds(), a['f'])",
    )
    n, seconds, failed = out.strip().splitlines()[-1].split()
    return int(n), float(seconds), int(failed)


def fresh_ingest_db(name: str) -> str:
    psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql("postgres", f'CREATE DATABASE "{name}"')
    url = f"{PG}/{name}"
    manage(url, "migrate", "--noinput", "-v0")
    return url


def ingestion_phase() -> dict[str, Any]:
    folder = articles_dir()
    if folder is None:
        log("  skipped: ../shared/dev-data/polnear-dev/text is not there")
        return {"skipped": "no articles to ingest"}
    files = [str(p) for p in sorted(folder.glob("*.txt"))[: INGEST_ARTICLES + 2]]
    warm, batch = files[:2], files[2:]
    published = "--published=2016-10-01"

    # One process: the first article loads the model, so timing starts at the second.
    url = fresh_ingest_db("bench_ingest_1")
    # An article the pipeline fails on counts as failed, not as a broken benchmark.
    manage(url, "ingest", published, *warm[:1], *batch, check=False)
    n, seconds, failed = settled_span(url, first_pk=2)
    one = {"articles": n, "failed": failed, "seconds": round(seconds, 2)}
    one["per_second"] = round(n / seconds, 2)
    log(f"  1 process: {n} articles in {seconds:.1f} s = {one['per_second']} articles/s")

    # Two Celery workers on Redis; each loads the model on a warm-up article first.
    url = fresh_ingest_db("bench_ingest_2")
    subprocess.run(["redis-cli", "-u", REDIS_BROKER, "flushdb"], check=True, capture_output=True)
    extra = {"CELERY_BROKER_URL": REDIS_BROKER, "DJANGO_SETTINGS_MODULE": "crisis.settings"}
    worker = subprocess.Popen(
        [PY, "-m", "celery", "-A", "crisis", "worker", "-c", "2", "-l", "WARNING"],
        cwd=ROOT,
        env=env(url, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        manage(url, "ingest", "--async", published, *warm, check=False, **extra)
        manage(url, "ingest", "--async", published, *batch, check=False, **extra)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    n, seconds, failed = settled_span(url, first_pk=3)
    two = {"articles": n, "failed": failed, "seconds": round(seconds, 2)}
    two["per_second"] = round(n / seconds, 2)
    log(f"  2 workers: {n} articles in {seconds:.1f} s = {two['per_second']} articles/s")

    done = subprocess.run(
        [PY, "-m", "bench.scale", "parse"],
        cwd=ROOT,
        env=env(f"{PG}/bench_ingest_1"),
        capture_output=True,
        text=True,
        check=True,
    )
    timing = json.loads(done.stdout.strip().splitlines()[-1])
    per_article = one["seconds"] / max(one["articles"], 1)
    parse_per_article = timing["parse_s"] / PARSE_ARTICLES
    result = {
        "one_process": one,
        "two_workers": two,
        "scaling": round(two["per_second"] / one["per_second"], 2),
        "parse_s": timing["parse_s"],
        "extraction_rest_s": timing["rest_s"],
        "extraction_over_parse": round(timing["rest_s"] / timing["parse_s"], 2),
        "ingest_over_parse": round(per_article / parse_per_article, 2),
    }
    log(
        f"  scaling 1→2 workers ×{result['scaling']}; extraction after the parse "
        f"{result['extraction_over_parse']:.0%} of the parse; whole ingest "
        f"×{result['ingest_over_parse']} the parse"
    )
    return result


# --------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    memory = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024),
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def print_table(result: dict[str, Any]) -> None:
    server = result.get("server", [])
    for title, pick in (
        ("built afresh (readers' whole-answer cache off)", lambda c: c),
        ("a repeat request (answered from the readers' cache)", lambda c: c.get("cached")),
    ):
        if not any(pick(row["pages"][PAGES[0]]) for row in server):
            continue
        print(f"\nServer time in-process, {title}: median / p95 ms (queries per request)")
        print(f"{'database':<11}{'events':>8}" + "".join(f"{p:>22}" for p in PAGES))
        for row in server:
            cells = "".join(
                f"{c['median_ms']:>9.1f} /{c['p95_ms']:>6.1f} ({c['queries']:>2})"
                if c
                else f"{'not cached':>22}"
                for c in (pick(row["pages"][p]) for p in PAGES)
            )
            print(f"{row['engine']:<11}{row['events']:>8,}{cells}")
    load = result.get("load")
    if load:
        print(f"\nLoad: wrk {load['wrk']} on loopback, {load['database']}, gunicorn 2 workers")
        for name, r in load["targets"].items():
            print(
                f"  {name:<15}{r['rps']:>8.0f} req/s   p50 {r['p50_ms']:>6.1f} ms   "
                f"p99 {r['p99_ms']:>6.1f} ms   non-2xx {r['non_2xx']}"
            )
        print(
            f"  API list, repeat (cached) / Datasette = {load['api_vs_datasette']:.2f}   "
            f"/ raw-SQL floor = {load['api_vs_raw_sql']:.2f}"
        )
        print(
            f"  API list, built each time / Datasette = {load['api_built_vs_datasette']:.2f}   "
            f"/ raw-SQL floor = {load['api_built_vs_raw_sql']:.2f}"
        )
    ingest = result.get("ingestion")
    if ingest and "one_process" in ingest:
        print("\nIngestion (PolNeAR dev articles, whole pipeline, PostgreSQL)")
        print(
            f"  1 process {ingest['one_process']['per_second']} articles/s   2 workers "
            f"{ingest['two_workers']['per_second']} articles/s   scaling ×{ingest['scaling']}"
        )
        print(
            f"  extraction after the parse: {ingest['extraction_over_parse']:.0%} of the parse; "
            f"whole ingest per article: ×{ingest['ingest_over_parse']} the parse"
        )
    verdicts = []
    biggest = [r for r in server if r["events"] == SIZES[-1]]
    slow = [
        f"{r['engine']} {p}"
        for r in biggest
        for p in PAGES
        if r["pages"][p]["median_ms"] > TARGET_MS
    ]
    growing = [
        f"{engine} {p}"
        for engine in ENGINES
        for p in PAGES
        if len({r["pages"][p]["queries"] for r in server if r["engine"] == engine}) > 1
    ]
    if server:
        verdicts.append(
            f"pages built afresh under {TARGET_MS} ms at {SIZES[-1]:,}: "
            + ("yes" if not slow else f"no ({slow})")
        )
        verdicts.append("query counts constant: " + ("yes" if not growing else f"no ({growing})"))
    if load:
        for which, suffix in (("built", "_built"), ("cached", "")):
            datasette, floor = load[f"api{suffix}_vs_datasette"], load[f"api{suffix}_vs_raw_sql"]
            verdicts.append(
                f"API list {which} >= Datasette: {'yes' if datasette >= 1 else 'no'}, "
                f">= half the raw-SQL floor: {'yes' if floor >= 0.5 else 'no'}"
            )
    print("\nTargets: " + "; ".join(verdicts))


def run() -> dict[str, Any]:
    started = time.perf_counter()
    result: dict[str, Any] = {"machine": machine()}
    if "server" in PHASES:
        log("\n== Scale: server time per page")
        result["server"] = server_phase()
    if "load" in PHASES:
        log("\n== Scale: load against Datasette and the raw-SQL floor")
        result["load"] = load_phase()
    if "ingestion" in PHASES:
        log("\n== Scale: ingestion")
        result["ingestion"] = ingestion_phase()
    result["seconds"] = round(time.perf_counter() - started)
    print_table(result)
    return result


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "server":
        print(json.dumps(server_times()))
    elif command == "parse":
        import django

        django.setup()
        print(json.dumps(ingestion_timing()))
    else:
        result = run()
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = RESULTS / f"scale-{stamp}.json"
        path.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nWrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
