"""Corroboration across outlets, scored by the dev set's own scorer (outlets-2022-dev).

Run alone with ``.venv/bin python -m evaluation.outlets [--reverse] [-v]``. As the dev set's README
says: each article goes into a fresh database the way a user would put it there — the product's
JSONL import (title, text, url, published_at, source, byline) through ``manage.py ingest`` — and
then ``score_outlets.py``, read from the dev data at run time, scores the stored events. Both run
in child processes, on a throwaway SQLite file, so the figures never depend on this process's
database. ``--reverse`` ingests the articles in the opposite order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from evaluation import REPO, dev_data_root

PAIRWISE_F1_TARGET = 0.80
PAIRWISE_PRECISION_TARGET = 0.85
FULLY_CORROBORATED_TARGET = 0.75


def _records(folder: Path) -> list[dict[str, Any]]:
    """The dev articles as the product's JSONL import records, in file order."""
    records = []
    with (folder / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            article = json.loads(line)
            record = {
                "title": article["title"],
                "text": article["text"],
                "url": article["url"],
                "published_at": article["published"],
                "source": article["outlet"],
            }
            if article.get("byline"):
                record["byline"] = article["byline"]
            records.append(record)
    return records


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args, "--verbosity", "0"],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def evaluate_outlets(
    folder: Path, *, reverse: bool = False, verbose: bool = False
) -> dict[str, Any]:
    scorer = folder / "score_outlets.py"
    if not scorer.is_file():
        raise FileNotFoundError(f"The scorer {scorer} does not exist.")
    records = _records(folder)
    if reverse:
        records.reverse()
    with tempfile.TemporaryDirectory(prefix="crisis-outlets-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'db.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "crisis.settings",
        }
        _manage(env, "migrate", "--no-input")
        for index, record in enumerate(records):
            # One file per article, ingested one after another, as a user adding them would.
            path = Path(tmp) / f"article-{index}.jsonl"
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
            _manage(env, "ingest", str(path))
        out = Path(tmp) / "scores.json"
        run = subprocess.run(
            [sys.executable, str(scorer), str(folder), "--json", str(out)],
            cwd=REPO,
            env={**env, "PYTHONPATH": str(REPO)},
            check=True,
            capture_output=True,
            text=True,
        )
        if verbose:
            print(run.stdout, file=sys.stderr)
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    summary: dict[str, Any] = report["summary"]
    multi = summary["multi_article_events"]
    return {
        **summary,
        "gold": summary["pairs_gold"],
        "found": summary["tp"],
        "predicted": summary["tp"] + summary["fp"],
        "fully_corroborated_share": summary["fully_corroborated"] / multi if multi else 0.0,
        "headline": run.stdout.strip().splitlines()[-1],
        "wrong_links": report["wrong_links"],
    }


def meets_targets(scores: dict[str, Any]) -> bool:
    return (
        scores["f1"] >= PAIRWISE_F1_TARGET
        and scores["precision"] >= PAIRWISE_PRECISION_TARGET
        and scores["fully_corroborated_share"] >= FULLY_CORROBORATED_TARGET
    )


def main() -> int:
    folder = dev_data_root() / "outlets-2022-dev"
    scores = evaluate_outlets(folder, reverse="--reverse" in sys.argv, verbose="-v" in sys.argv)
    print(scores["headline"])
    return 0 if meets_targets(scores) else 1


if __name__ == "__main__":
    sys.exit(main())
