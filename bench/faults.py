"""Faults under load: `python -m bench.faults` (about five minutes; loopback only).

1. Steady load: 32 connections read the reader pages, feeds and the API for 60 s through gunicorn
   (DEBUG off, as in production). Every answer must be a success.
2. PostgreSQL restarts under load: the same load plus two editors writing events through the API;
   10 s in, `pg_ctlcluster … restart`. The app must answer again within seconds of the database
   coming back, every write it acknowledged must be stored whole, and no write may be half-stored.
3. PostgreSQL stopped for 6 s under load, with writers: while it is away every answer is a 503 with
   Retry-After (no 500, no dropped connection), answers come back at once after, and no
   acknowledged write is lost.
4. Redis killed under load (a redis-server of the run's own, the app started with REDIS_URL):
   every answer is still a success, pages built afresh; /healthz says 503.
5. An ingestion worker is killed mid-article: `manage.py ingest` runs in a subprocess whose
   extraction is slowed down; it gets SIGKILL while it writes the article's drafts. No draft of
   that article may remain, and ingesting the article again must store it.

It uses its own database (PostgreSQL `crisis_faults`, created afresh; `--sqlite` for a file in a
temporary folder, without steps 2 and 3) and a server on a free loopback port. Every request loop is
bounded by time and by count. Results go to bench/results/faults-<time>.json; the exit status is 0
only when every check passed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
PG_URL = "postgres://postgres@127.0.0.1:5432/crisis_faults"
EDITOR = "faults-editor"


@dataclass
class Sample:
    at: float  # seconds since the load started
    method: str
    url: str
    status: int  # 0: no answer (connection refused, reset or timed out)
    seconds: float
    retry_after: bool = False  # the answer said when to come back


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    writes: list[tuple[str, int]] = field(default_factory=list)  # (event title, status)
    marks: dict[str, float] = field(default_factory=dict)  # named moments, seconds since start

    def errors(self) -> list[Sample]:
        return [s for s in self.samples if not 200 <= s.status < 400]


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


# Set-up: a database, data, a server


def environment(database_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        API_ANON_RATE="",  # one client address sends everything: no throttling here
        API_WRITE_RATE="",
        CONN_MAX_AGE="60",  # persistent connections, health-checked: the restart must not stick
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="crisis.settings",
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout
    )


def fresh_postgres_database() -> None:
    import psycopg2

    connection = psycopg2.connect(host=HOST, port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS crisis_faults")
        cursor.execute("CREATE DATABASE crisis_faults")
    connection.close()


def postgres_is_up() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", HOST, "-p", "5432", "-q"], check=False, timeout=10
        ).returncode
        == 0
    )


def prepare(env: dict[str, str], *, events: int) -> None:
    log("migrating and loading data (demo crisis plus synthetic data)…")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "load_demo")
    manage(
        env,
        "generate_synthetic",
        "--events",
        str(events),
        "--statements",
        str(events * 2),
        "--actors",
        "150",
        "--articles",
        str(max(events // 4, 50)),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server_env = {
        **env,
        "GUNICORN_BIND": f"{HOST}:{port}",
        "WEB_CONCURRENCY": "3",
        "GUNICORN_THREADS": "4",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "crisis.wsgi"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status < 500:
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit("The server did not start within 60 s.")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def setup_django(env: dict[str, str]) -> None:
    """This process reads the same database, to pick URLs and check the data afterwards."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "crisis.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def discover(rng: random.Random) -> tuple[list[str], dict[str, Any]]:
    """A mix of reader pages, feeds and API reads over published items, and what writers need."""
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from timeline.models import Actor, Article, Crisis, Event

    crises = list(Crisis.objects.values_list("slug", flat=True))
    events = list(Event.objects.published().values_list("pk", flat=True)[:2000])
    actors = list(Actor.objects.published().values_list("slug", flat=True)[:500])
    articles = list(Article.objects.values_list("pk", flat=True)[:500])
    urls = ["/", "/api/v1/crises/", "/api/v1/actors/", "/api/v1/statements/"]
    for slug in crises:
        urls += [
            f"/crises/{slug}/",
            f"/crises/{slug}/feed.atom",
            f"/api/v1/events/?crisis={slug}",
            f"/api/v1/events/?crisis={slug}&page_size=200",
        ]
    urls += [f"/events/{pk}/" for pk in rng.sample(events, min(60, len(events)))]
    urls += [f"/api/v1/events/{pk}/" for pk in rng.sample(events, min(60, len(events)))]
    urls += [f"/actors/{slug}/" for slug in rng.sample(actors, min(30, len(actors)))]
    urls += [f"/articles/{pk}/" for pk in rng.sample(articles, min(30, len(articles)))]

    editor, _ = User.objects.get_or_create(username=EDITOR, defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="editors"))
    token, _ = Token.objects.get_or_create(user=editor)
    article = Article.objects.order_by("pk").first()
    assert article is not None, "the fault run's data has articles"
    needs = {
        "token": token.key,
        "crisis": crises[0],
        "article": article.pk,
        "span_end": min(40, len(article.text)),
        "actor": actors[0],
    }
    from django.db import connections

    connections.close_all()
    return urls, needs


# The load


def run_load(
    port: int,
    urls: list[str],
    *,
    duration: float,
    connections: int,
    max_requests: int,
    writers: int = 0,
    needs: dict[str, Any] | None = None,
    fault_at: float | None = None,
    fault: Callable[[], None] | None = None,
) -> Load:
    load = Load()
    lock = threading.Lock()
    budget = itertools.count()
    started = time.monotonic()
    deadline = started + duration

    def record(sample: Sample) -> None:
        with lock:
            load.samples.append(sample)

    def send(
        connection: http.client.HTTPConnection,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> int:
        begun = time.monotonic()
        try:
            connection.request(method, url, body=body, headers=headers or {})
            response = connection.getresponse()
            response.read()
            status = response.status
            retry_after = response.getheader("Retry-After") is not None
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            status, retry_after = 0, False
            connection.close()  # reopened by the next request
        record(Sample(begun - started, method, url, status, time.monotonic() - begun, retry_after))
        return status

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline and next(budget) < max_requests:
            send(connection, "GET", rng.choice(urls))
        connection.close()

    def writer(number: int) -> None:
        assert needs is not None
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Authorization": f"Token {needs['token']}", "Content-Type": "application/json"}
        for n in itertools.count():
            if time.monotonic() >= deadline or next(budget) >= max_requests:
                break
            title = f"faults-{number}-{n}-{secrets.token_hex(3)}"
            body = {
                "title": title,
                "start_date": "2022-02-11",
                "category": "military",
                "crises": [needs["crisis"]],
                "actors": [{"actor": needs["actor"], "role": "agent"}],
                "citations": [{"article": needs["article"], "start": 0, "end": needs["span_end"]}],
            }
            status = send(connection, "POST", "/api/v1/events/", json.dumps(body).encode(), headers)
            with lock:
                load.writes.append((title, status))
            time.sleep(0.05)
        connection.close()

    threads = [
        threading.Thread(target=reader, args=(i,), daemon=True)
        for i in range(connections - writers)
    ]
    threads += [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(writers)]
    for thread in threads:
        thread.start()
    if fault is not None and fault_at is not None:
        time.sleep(max(0.0, started + fault_at - time.monotonic()))
        load.marks["fault_started"] = time.monotonic() - started
        fault()
        load.marks["fault_ended"] = time.monotonic() - started
    for thread in threads:
        thread.join(timeout=duration + 60)
    load.marks["ended"] = time.monotonic() - started
    return load


def url_kind(method: str, url: str) -> str:
    """/crises/x/feed.atom → "GET /crises/*/feed.atom": one row per kind of page."""
    path, _, query = url.partition("?")
    parts = path.strip("/").split("/")
    named = 3 if parts[0] == "api" else 1  # /api/v1/events/…, /crises/…
    parts = [p if i < named or i > named else "*" for i, p in enumerate(parts)]
    trailing = "/" if path.endswith("/") and path != "/" else ""
    return f"{method} /{'/'.join(parts)}{trailing}{'?…' if query else ''}"


def summarise(load: Load) -> dict[str, Any]:
    latencies = sorted(s.seconds for s in load.samples if 200 <= s.status < 400)
    elapsed = load.marks.get("ended") or 1.0

    def percentile(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    errors = load.errors()
    by_kind: dict[str, list[float]] = {}
    for sample in load.samples:
        by_kind.setdefault(url_kind(sample.method, sample.url), []).append(sample.seconds)
    return {
        "median_ms_by_kind": {
            kind: round(statistics.median(values) * 1000, 1)
            for kind, values in sorted(by_kind.items())
        },
        "requests": len(load.samples),
        "errors": len(errors),
        "errors_by_status": dict(Counter(s.status for s in errors)),
        "requests_per_second": round(len(load.samples) / elapsed, 1),
        "latency_ms": {
            "median": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95": percentile(0.95) if latencies else None,
            "p99": percentile(0.99) if latencies else None,
        },
    }


# Faults


def pg_cluster(action: str, *options: str) -> None:
    """`pg_ctlcluster` on this machine's newest PostgreSQL cluster, "main"."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, *options]
    subprocess.run(command, check=True, timeout=120)


def restart_postgres() -> None:
    log("restarting PostgreSQL…")
    pg_cluster("restart")


# How long PostgreSQL stays stopped in the "database down" phase.
DOWN_SECONDS = 6.0


def stop_postgres_for_a_while() -> None:
    log(f"stopping PostgreSQL for {DOWN_SECONDS:.0f} s…")
    pg_cluster("stop", "--mode=fast")
    time.sleep(DOWN_SECONDS)
    pg_cluster("start")


def start_redis() -> tuple[subprocess.Popen[bytes], str]:
    """A Redis of this run's own (not the machine's), so killing it touches nothing else."""
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return redis, f"redis://{HOST}:{port}/0"
        time.sleep(0.1)
    redis.kill()
    raise SystemExit("redis-server did not start within 20 s.")


def kill_redis(redis: subprocess.Popen[bytes]) -> None:
    log("killing Redis…")
    redis.kill()
    redis.wait(timeout=10)


def database_down_phase(
    port: int, urls: list[str], needs: dict[str, Any], args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, bool]]:
    """PostgreSQL stopped under load: readers and writers get 503 with Retry-After while it is
    away (never a 500 or no answer), answers come back at once, and no acknowledged write is
    lost."""
    load = run_load(
        port,
        urls,
        duration=30,
        connections=args.connections,
        max_requests=args.max_requests,
        writers=2,
        needs=needs,
        fault_at=8,
        fault=stop_postgres_for_a_while,
    )
    summary = summarise(load)
    back = load.marks["fault_ended"]
    errors = load.errors()
    unexpected = [s for s in errors if not (s.status == 503 and s.retry_after)]
    last_503 = max((s.at for s in errors), default=None)
    summary["down_seconds"] = round(back - load.marks["fault_started"], 1)
    summary["answers_503_with_retry_after"] = len(errors) - len(unexpected)
    summary["other_errors"] = len(unexpected)
    summary["other_errors_by_status"] = dict(Counter(s.status for s in unexpected))
    summary["answering_again_after_s"] = (
        round(max(0.0, last_503 - back), 1) if last_503 is not None else 0.0
    )
    summary["integrity"] = check_writes(load)
    checks = {
        "database down: only 503 with Retry-After while it is away": not unexpected,
        "database down: answering again within 2 s of it coming back": summary[
            "answering_again_after_s"
        ]
        <= 2,
        **integrity_checks("database down", summary["integrity"]),
    }
    return summary, checks


def redis_killed_phase(
    env: dict[str, str], urls: list[str], args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, bool]]:
    """The app served with a Redis cache, which is killed under load: every answer must still
    be a success (pages built afresh), only /healthz reporting the cache gone."""
    redis, redis_url = start_redis()
    port = free_port()
    server = start_server({**env, "REDIS_URL": redis_url}, port)
    try:
        load = run_load(
            port,
            urls,
            duration=20,
            connections=args.connections,
            max_requests=args.max_requests,
            fault_at=8,
            fault=lambda: kill_redis(redis),
        )
        health = http.client.HTTPConnection(HOST, port, timeout=10)
        health.request("GET", "/healthz")
        health_status = health.getresponse().status
    finally:
        stop_server(server)
        if redis.poll() is None:
            redis.kill()
    summary = summarise(load)
    after = [s for s in load.samples if s.at > load.marks["fault_ended"]]
    summary["requests_after_the_kill"] = len(after)
    summary["healthz_after_the_kill"] = health_status
    checks = {
        "redis killed: every answer a success": summary["errors"] == 0,
        "redis killed: pages still served after it": bool(after),
        "redis killed: /healthz says 503": health_status == 503,
    }
    return summary, checks


def integrity_checks(phase: str, integrity: dict[str, Any]) -> dict[str, bool]:
    """What `check_writes` found, as the checks every phase with writers must pass."""
    return {
        f"{phase}: acknowledged writes stored": not integrity["acknowledged_but_lost"],
        f"{phase}: nothing stored in part": not integrity["stored_in_part"],
        f"{phase}: citations inside their text": integrity["citations_outside_their_text"] == 0,
    }


def check_writes(load: Load) -> dict[str, Any]:
    """Every acknowledged write is stored whole; none is stored in part."""
    from django.db import connections

    from timeline.models import Citation, Event

    connections.close_all()  # this process's connection did not survive the restart
    titles = [title for title, _ in load.writes]
    stored = {
        e.title: e
        for e in Event.objects.filter(title__in=titles).prefetch_related("citations", "roles")
    }
    lost, partial = [], []
    for title, status in load.writes:
        event = stored.get(title)
        if status == 201 and event is None:
            lost.append(title)
        if event is not None and (len(event.citations.all()) != 1 or len(event.roles.all()) != 1):
            partial.append(title)
    bad_spans = sum(
        1 for c in Citation.objects.select_related("article") if c.end > len(c.article.text)
    )
    return {
        "writes": len(load.writes),
        "acknowledged": sum(1 for _, status in load.writes if status == 201),
        "stored": len(stored),
        "acknowledged_but_lost": lost,
        "stored_in_part": partial,
        "citations_outside_their_text": bad_spans,
    }


# How old a claim must be before a plain ingest takes it over, in the kill scenario.
STALE_SECONDS = 3

CHILD = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from django.db import connection

marker = Path(sys.argv[2])
DRAFT_TABLES = [f'"timeline_{name}"' for name in ("actor", "statement", "event", "citation")]
inserts = 0

def slowly(execute, sql, params, many, context):
    # Each insert of drafts (bulk or not) takes a while, so the kill lands among them.
    global inserts
    if sql.lstrip().upper().startswith("INSERT") and any(t in sql for t in DRAFT_TABLES):
        inserts += 1
        if inserts == 2:
            marker.write_text("writing drafts")
        time.sleep(1.0)
    return execute(sql, params, many, context)

with connection.execute_wrapper(slowly):
    call_command("ingest", sys.argv[1], "--published", "2022-02-11", "--source", "Reuters")
"""


def kill_ingestion(env: dict[str, str], workdir: Path) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connections

    from timeline.models import Actor, Article, Citation, Event, Statement

    connections.close_all()
    seed = sorted(Path(settings.DEMO_CORPUS_DIR).glob("*.txt"))[0].read_text(encoding="utf-8")
    text = seed.rstrip() + f"\n\n(Faults run {secrets.token_hex(4)}.)\n"
    path = workdir / "article.txt"
    path.write_text(text, encoding="utf-8")
    marker = workdir / "writing"
    before = {m.__name__: m.objects.count() for m in (Actor, Statement, Event, Citation)}
    last_article = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    log("ingesting an article in a subprocess, to kill it mid-write…")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(marker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 180
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    writing = marker.exists()
    time.sleep(0.4)
    killed = child.poll() is None
    if killed:
        child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    connections.close_all()
    article = Article.objects.filter(pk__gt=last_article).first()
    after = {m.__name__: m.objects.count() for m in (Actor, Statement, Event, Citation)}
    result: dict[str, Any] = {
        "killed_while_writing_drafts": writing and killed,
        "article_status_after_kill": article.ingestion_status if article else None,
        "rows_left_by_the_killed_worker": {k: after[k] - before[k] for k in after},
    }

    # Nothing tells a live worker's claim from a dead one's but its age: once INGEST_STALE_SECONDS
    # have passed (900 by default, a few here), a plain ingest takes the article over.
    log(f"ingesting the same article again once its claim is {STALE_SECONDS} s old…")
    time.sleep(STALE_SECONDS + 0.5)
    again = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(path), "--published", "2022-02-11"],
        cwd=ROOT,
        env={**env, "INGEST_STALE_SECONDS": str(STALE_SECONDS)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    result["retry_exit_status"] = again.returncode
    result["retry_output"] = (again.stdout + again.stderr).strip()[-400:]
    connections.close_all()
    article = Article.objects.filter(pk__gt=last_article).first()
    result["article_status_after_retry"] = article.ingestion_status if article else None
    if result["article_status_after_retry"] != "done":
        log("the plain retry did not store it; trying `ingest --force`…")
        forced = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "ingest",
                str(path),
                "--published",
                "2022-02-11",
                "--force",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        connections.close_all()
        article = Article.objects.filter(pk__gt=last_article).first()
        result["forced_retry_exit_status"] = forced.returncode
        result["article_status_after_forced_retry"] = article.ingestion_status if article else None
    result["drafts_after_retry"] = (
        Citation.objects.filter(article=article).count() if article else 0
    )
    return result


# The run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--duration", type=float, default=60, help="Seconds of steady load.")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=200_000, help="Cap per phase.")
    parser.add_argument("--events", type=int, default=1000, help="Synthetic events to load.")
    parser.add_argument("--sqlite", action="store_true", help="SQLite; skips the restart.")
    parser.add_argument(
        "--no-restart", action="store_true", help="Skip the PostgreSQL restart and stop."
    )
    parser.add_argument("--no-redis", action="store_true", help="Skip killing Redis.")
    parser.add_argument(
        "--recovery-limit", type=float, default=10, help="Seconds allowed to answer again."
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="crisis-faults-"))
    if args.sqlite:
        env = environment(f"sqlite:///{workdir / 'faults.sqlite3'}")
    else:
        if not postgres_is_up():
            raise SystemExit(
                "PostgreSQL is not answering on 127.0.0.1:5432; start it, or run with --sqlite."
            )
        fresh_postgres_database()
        env = environment(PG_URL)
    prepare(env, events=args.events)
    setup_django(env)
    rng = random.Random(1)
    urls, needs = discover(rng)
    port = free_port()
    log(f"starting gunicorn on {HOST}:{port} ({len(urls)} URLs in the mix)…")
    server = start_server(env, port)
    results: dict[str, Any] = {"connections": args.connections, "urls": len(urls)}
    checks: dict[str, bool] = {}
    try:
        log(f"steady load: {args.connections} connections for {args.duration:.0f} s…")
        steady = run_load(
            port,
            urls,
            duration=args.duration,
            connections=args.connections,
            max_requests=args.max_requests,
        )
        results["steady"] = summarise(steady)
        checks["steady load: no errors"] = results["steady"]["errors"] == 0
        log(f"steady: {results['steady']}")

        if not (args.sqlite or args.no_restart):
            log("load with writers while PostgreSQL restarts…")
            restart = run_load(
                port,
                urls,
                duration=30,
                connections=args.connections,
                max_requests=args.max_requests,
                writers=2,
                needs=needs,
                fault_at=10,
                fault=restart_postgres,
            )
            summary = summarise(restart)
            errors = restart.errors()
            back = restart.marks["fault_ended"]
            last_error = max((s.at for s in errors), default=None)
            summary["restart_seconds"] = round(back - restart.marks["fault_started"], 1)
            summary["errors_after_database_back_s"] = (
                round(last_error - back, 1) if last_error is not None else None
            )
            summary["answering_again_after_s"] = (
                round(max(0.0, last_error - back), 1) if last_error is not None else 0.0
            )
            late = [s for s in errors if s.at > back + args.recovery_limit]
            summary["errors_later_than_limit"] = len(late)
            summary["integrity"] = check_writes(restart)
            results["restart"] = summary
            checks["restart: answering again within the limit"] = not late
            checks.update(integrity_checks("restart", summary["integrity"]))
            log(f"restart: {summary}")
            log("load with writers while PostgreSQL is down…")
            results["database_down"], down_checks = database_down_phase(port, urls, needs, args)
            checks.update(down_checks)
            log(f"database down: {results['database_down']}")
    finally:
        stop_server(server)

    if not args.no_redis:
        log("load while the Redis cache is killed…")
        results["redis_killed"], redis_checks = redis_killed_phase(env, urls, args)
        checks.update(redis_checks)
        log(f"redis killed: {results['redis_killed']}")

    kill = kill_ingestion(env, workdir)
    results["kill"] = kill
    checks["kill: the worker was killed while writing drafts"] = kill["killed_while_writing_drafts"]
    checks["kill: no rows left by the killed worker"] = not any(
        kill["rows_left_by_the_killed_worker"].values()
    )
    checks["kill: ingesting again stores the article"] = (
        kill["article_status_after_retry"] == "done"
    )
    log(f"kill: {kill}")

    results["checks"] = checks
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"faults-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print()
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'}  {name}")
    print(f"\nWrote {path}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
