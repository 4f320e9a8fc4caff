"""Events on the outlets-2022-dev set, through its own scorer (``score_outlets.py``).

Run alone with ``.venv/bin/python -m evaluation.outlets [--reverse] [--synthetic N] [-v]``;
``--folder PATH`` scores another set annotated the same way (its own ``articles.jsonl`` and
``gold.json``, beside a copy of or link to ``score_outlets.py``): fresh news from other days.
As the dev set's README says, its articles are converted to the product's JSONL import,
ingested with ``manage.py ingest`` into a fresh SQLite database (a temporary folder, never the
project's), and scored by the reference scorer read from the dev data at run time. ``-v`` also
prints the scorer's report and, from the
extraction alone, every gold mention no event cites and every event dated wrongly, by the event's
date source, for tuning. ``--reverse`` ingests the articles in the opposite order: the same-event
clusters must not depend on which article came first. ``--synthetic N`` first stores N synthetic
events (``manage.py generate_synthetic``, seed 1) in the same database: matching must not link the
articles to them, nor lose precision among the noise.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from evaluation import REPO, dev_data_root

EVENT_RECALL_TARGET = 0.85
EVENT_DATES_TARGET = 0.90
PAIRWISE_F1_TARGET = 0.80
PAIRWISE_PRECISION_TARGET = 0.85
FULLY_CORROBORATED_TARGET = 0.75


SYNTHETIC_EVENTS = 10_000
ORDER_TOLERANCE = 0.02  # how far the figures may move when the articles come in reverse order


def evaluate_outlets(
    folder: Path, *, reverse: bool = False, synthetic: int = 0, verbose: bool = False
) -> dict[str, Any]:
    """Ingest the folder's articles into a fresh database and return the scorer's summary, with
    ``event_recall`` and ``event_dates`` (lenient dates, as the scorer counts them) and the
    same-event pairs (``precision``, ``recall``, ``f1``, ``fully_corroborated_share``)."""
    scorer = folder / "score_outlets.py"
    if not scorer.is_file():
        raise FileNotFoundError(f"{scorer} does not exist; the outlets dev set has no scorer.")
    with tempfile.TemporaryDirectory(prefix="crisis-outlets-") as tmp:
        work = Path(tmp)
        imports = work / "articles.jsonl"
        imports.write_text(
            _import_lines(folder / "articles.jsonl", reverse=reverse), encoding="utf-8"
        )
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "crisis.settings",
            "PYTHONPATH": str(REPO),
        }
        manage = [sys.executable, str(REPO / "manage.py")]
        _call([*manage, "migrate", "--no-input", "-v", "0"], env)
        if synthetic:
            _call(
                [
                    *manage,
                    "generate_synthetic",
                    f"--events={synthetic}",
                    f"--statements={synthetic // 2}",
                    f"--articles={synthetic // 2}",
                    "--actors=500",
                    "--seed=1",
                    "--crisis=synthetic",
                    "-v",
                    "0",
                ],
                env,
            )
        _call([*manage, "ingest", str(imports)], env)
        out = work / "score.json"
        report = _call([sys.executable, str(scorer), str(folder), "--json", str(out)], env)
        scored = json.loads(out.read_text(encoding="utf-8"))
    summary: dict[str, Any] = scored["summary"]
    if verbose:
        print(report)
    units, found = summary["event_units"], summary["event_units_found"]
    dated, right = summary["dates_units"], summary["dates_lenient"]
    multi = summary["multi_article_events"]
    return {
        **summary,
        "fully_corroborated_share": _share(summary["fully_corroborated"], multi),
        "pairs": {
            "precision": summary["precision"],
            "recall": summary["recall"],
            "f1": summary["f1"],
            "gold": summary["pairs_gold"],
            "found": summary["tp"],
            "predicted": summary["tp"] + summary["fp"],
        },
        "wrong_links": scored.get("wrong_links", []),
        "event_recall": {"accuracy": _share(found, units), "correct": found, "gold": units},
        "event_dates": {"accuracy": _share(right, dated), "correct": right, "gold": dated},
        "wrong_dates": scored.get("dates", []),
    }


def _import_lines(articles: Path, *, reverse: bool = False) -> str:
    """The dev records as the product's JSONL import (the fields its README names)."""
    lines: list[str] = []
    for line in articles.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        row = {
            "title": record["title"],
            "text": record["text"],
            "url": record["url"],
            "published_at": record["published"],
            "source": record["outlet"],
        }
        if record.get("byline"):
            row["byline"] = record["byline"]
        lines.append(json.dumps(row, ensure_ascii=False))
    if reverse:
        lines.reverse()
    return "\n".join(lines) + "\n"


def _call(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(
            f"{' '.join(command[1:3])} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        )
    return done.stdout


def _share(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def print_misses(folder: Path) -> None:
    """From the extraction alone, aligned as the scorer aligns one article's citations: the gold
    (event, article) units no event's citation is taken for, and the events dated wrongly, by
    their date source (how sure the product was) — what to look at first."""
    from timeline.extraction.pipeline import extract

    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    events = {e["key"]: e for e in gold["events"]}
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    missed: dict[str, list[str]] = defaultdict(list)
    found: set[tuple[str, str]] = set()
    for record in (json.loads(line) for line in lines if line.strip()):
        gid, text = record["id"], record["text"]
        extraction = extract(text, dt.date.fromisoformat(record["published"][:10]))
        mentions = [
            (e["key"], span, bool(m.get("optional")))
            for e in gold["events"]
            for m in e["mentions"]
            if m["article"] == gid and (span := _find(m["snippet"], text)) is not None
        ]
        for event in extraction.events:
            for cited in [event.span, *event.also_cited]:
                hits: dict[str, int] = {}
                for key, (a, b), optional in mentions:
                    overlap = min(b, cited.end) - max(a, cited.start)
                    if overlap > 0 and not optional:
                        hits[key] = max(hits.get(key, 0), overlap)
                if not hits:
                    continue
                key = max(hits, key=lambda k: (_fits(events[k], event.date), hits[k]))
                found.add((key, gid))
                if not _fits(events[key], event.date):
                    end = event.date.end or event.date.start
                    sentence = text[cited.start : cited.end][:90]
                    missed[f"wrong date ({event.date_source or '?'})"].append(
                        f"{key} in {gid}: {event.date.start}..{end} vs {events[key]['date']}"
                        f" “{event.title}” {event.date.text!r} | {sentence!r}"
                    )
        for key in sorted({k for k, _, optional in mentions if not optional}):
            if (key, gid) not in found:
                first = next(text[a:b] for k, (a, b), o in mentions if k == key and not o)
                missed["not cited"].append(f"{key} in {gid}: {first[:110]!r}")
    for kind, rows in sorted(missed.items()):
        print(f"\n{kind}: {len(rows)}")
        for row in rows:
            print("   " + row)


def _fits(event: dict[str, Any], date: Any) -> bool:
    end = (date.end or date.start).isoformat()
    return any(date.start.isoformat() <= d <= end for d in event.get("dates_ok", [event["date"]]))


def _find(snippet: str, text: str) -> tuple[int, int] | None:
    pattern = r"\s+".join(re.escape(w) for w in snippet.split())
    pattern = re.sub(r"['’‘]", "['’‘]", pattern).replace('"', '["“”]')
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def meets_corroboration_targets(scores: dict[str, Any]) -> bool:
    return (
        scores["f1"] >= PAIRWISE_F1_TARGET
        and scores["precision"] >= PAIRWISE_PRECISION_TARGET
        and scores["fully_corroborated_share"] >= FULLY_CORROBORATED_TARGET
    )


def main(argv: list[str]) -> None:
    folder = (
        Path(argv[argv.index("--folder") + 1])
        if "--folder" in argv
        else dev_data_root() / "outlets-2022-dev"
    )
    verbose = "-v" in argv
    synthetic = int(argv[argv.index("--synthetic") + 1]) if "--synthetic" in argv else 0
    scores = evaluate_outlets(
        folder, reverse="--reverse" in argv, synthetic=synthetic, verbose=verbose
    )
    recall, dates = scores["event_recall"], scores["event_dates"]
    print(
        f"{folder.name}: event recall {recall['correct']}/{recall['gold']} "
        f"({recall['accuracy']:.3f}); event dates {dates['correct']}/{dates['gold']} "
        f"({dates['accuracy']:.3f}); same-event pairs P {scores['precision']:.3f} "
        f"R {scores['recall']:.3f} F1 {scores['f1']:.3f}; fully corroborated "
        f"{scores['fully_corroborated']}/{scores['multi_article_events']} "
        f"({scores['fully_corroborated_share']:.3f})"
    )
    if verbose:
        print_misses(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
