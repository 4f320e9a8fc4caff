"""An ingestion killed mid-article leaves no half-written drafts (bench/faults.py does more).

`manage.py ingest` runs in a subprocess on a database file of its own, its draft inserts slowed,
and gets SIGKILL while it writes them: the article's transaction must leave nothing behind.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bench.faults import CHILD, environment

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

COUNT = """
import json
from timeline.models import Actor, Article, Citation, Event, Statement
article = Article.objects.order_by("-pk").first()
print(json.dumps({
    "article": article.ingestion_status if article else None,
    "actors": Actor.objects.count(),
    "statements": Statement.objects.count(),
    "events": Event.objects.count(),
    "citations": Citation.objects.count(),
}))
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def counts(env: dict[str, str]) -> dict[str, Any]:
    result = run(env, "shell", "-c", COUNT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_killed_ingestion_leaves_no_drafts_and_a_forced_retry_stores_them(
    tmp_path: Path,
) -> None:
    env = environment(f"sqlite:///{tmp_path / 'faults.sqlite3'}")
    assert run(env, "migrate", "--noinput", "-v", "0").returncode == 0
    article = tmp_path / "article.txt"
    article.write_text(
        "Russia is massing troops near Ukraine, Washington said on Friday.\n\n"
        "“Things could go crazy quickly,” President Joe Biden told NBC News.\n\n"
        "NATO foreign ministers will meet in Brussels on Wednesday, the alliance said.\n\n"
        "Moscow denies planning an invasion, Kremlin spokesman Dmitry Peskov said.\n",
        encoding="utf-8",
    )
    before = counts(env)
    marker = tmp_path / "writing"

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(article), str(marker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the ingestion never got to writing its drafts"
    time.sleep(0.4)
    assert child.poll() is None, "the ingestion finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    after = counts(env)
    assert after["article"] == "processing"  # stored first, on its own; its drafts never
    for table in ("actors", "statements", "events", "citations"):
        assert after[table] == before[table], f"the killed ingestion left {table} behind"

    retried = run(env, "ingest", str(article), "--published", "2022-02-11", "--force")
    assert retried.returncode == 0, retried.stdout + retried.stderr
    done = counts(env)
    assert done["article"] == "done"
    assert done["citations"] > before["citations"]
