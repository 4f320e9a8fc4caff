"""`python -m evaluation` (`make eval`): every figure in one table, with the targets marked.

Quotes and reported speech are scored on PolNeAR dev, DATE values on TimeBank and AQUAINT, actor
and place mentions on CoNLL-2003 (beside raw spaCy),
events (recall and dates) on outlets-2022-dev through its own scorer, and everything on the seed
article against its gold file. The figures are also written to
bench/results/eval.json. A part whose data or module is missing is shown as n/a with the reason;
the exit status is 0 unless something crashes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evaluation import RESULTS, dev_data_root
from evaluation.outlets import (
    EVENT_DATES_TARGET,
    EVENT_RECALL_TARGET,
    FULLY_CORROBORATED_TARGET,
    PAIRWISE_F1_TARGET,
    PAIRWISE_PRECISION_TARGET,
)

QUOTES_F1_TARGET = 0.80  # quote + named speaker, reference scorer
QUOTE_SPAN_F1_TARGET = 0.90
REPORTED_F1_TARGET = 0.60
DATES_ACCURACY_TARGET = 0.85
DATES_F1_TARGET = 0.90
ACTORS_MARGIN_TARGET = 0.05  # product F1 over raw spaCy's, same text


def _run(name: str, job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one part; a missing data folder or extraction module is reported, not raised."""
    started = time.perf_counter()
    print(f"… {name}", file=sys.stderr, flush=True)
    try:
        result = job()
    except (FileNotFoundError, ImportError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _dates(root: Path) -> dict[str, Any]:
    from evaluation.dates import evaluate_dates

    corpora = {name: evaluate_dates(root / name) for name in ("TimeBank", "AQUAINT")}
    counts = ("gold", "predicted", "predicted_all", "correct", "anchored", "anchored_correct")
    counted = (*counts, "anchored_non_dct", "anchored_non_dct_correct")
    totals = {k: sum(int(c[k]) for c in corpora.values()) for k in counted}
    precision = _share(totals["correct"], totals["predicted"])
    recall = _share(totals["correct"], totals["gold"])
    combined = {
        **totals,
        "precision": precision,
        "recall": recall,
        "f1": _share(2 * precision * recall, precision + recall),
        "precision_strict": _share(totals["correct"], totals["predicted_all"]),
        "accuracy": recall,  # correct / gold: exact value accuracy
        "anchored_accuracy": _share(totals["anchored_correct"], totals["anchored"]),
        "anchored_non_dct_accuracy": _share(
            totals["anchored_non_dct_correct"], totals["anchored_non_dct"]
        ),
    }
    for scores in (*corpora.values(), combined):
        scores["found"] = scores["correct"]  # the P/R/F1 rows show gold DATEs valued right
    return {**corpora, "TimeBank+AQUAINT": combined}


def _share(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _anchored(scores: dict[str, Any] | None, *, in_text: bool) -> dict[str, Any] | None:
    if not scores:
        return None
    key = "anchored_non_dct" if in_text else "anchored"
    return {
        "accuracy": scores.get(f"{key}_accuracy"),
        "correct": scores.get(f"{key}_correct"),
        "gold": scores.get(key),
    }


def _quotes(root: Path) -> dict[str, Any]:
    from evaluation.quotes import evaluate_quotes

    return evaluate_quotes(root)


def _outlets(root: Path) -> dict[str, Any]:
    from evaluation.outlets import evaluate_outlets

    return evaluate_outlets(root)


def _actors(root: Path) -> dict[str, Any]:
    from evaluation.actors import evaluate_actors

    return evaluate_actors(root)


def _seed() -> dict[str, Any]:
    from evaluation.seed import evaluate_seed

    return evaluate_seed()


def _strict(dates: dict[str, Any]) -> dict[str, Any] | None:
    """The combined DATE figures with precision over every predicted DATE."""
    combined = dates.get("TimeBank+AQUAINT")
    if not combined:
        return None
    precision, recall = combined["precision_strict"], combined["recall"]
    f1 = _share(2 * precision * recall, precision + recall)
    return {**combined, "precision": precision, "f1": f1, "predicted": combined["predicted_all"]}


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "—"


def _row(item: str, data: str, scores: dict[str, Any] | None, accuracy: bool = False) -> str:
    if not scores:
        return f"{item:34} {data:18} {'n/a':>6}"
    if accuracy:
        p = r = f = None
        acc = scores.get("accuracy")
    else:
        p, r, f = scores.get("precision"), scores.get("recall"), scores.get("f1")
        acc = None
    # Gold items found right over gold items. For P/R/F1 rows that is "found" ("correct" counts
    # predictions, and several pieces of one quote can match it); for accuracy rows, "correct".
    right = scores.get("correct", "") if accuracy else scores.get("found", "")
    counts = f"{right}/{scores.get('gold', '')}"
    return (
        f"{item:34} {data:18} {_fmt(p):>6} {_fmt(r):>6} {_fmt(f):>6} {_fmt(acc):>6}  "
        f"{counts:>9} {scores.get('predicted', ''):>6}"
    )


def _at_least(scores: dict[str, Any] | None, target: float) -> bool | None:
    accuracy = (scores or {}).get("accuracy")
    return None if accuracy is None else accuracy >= target


def _corroborated(outlets: dict[str, Any]) -> dict[str, Any] | None:
    """Multi-article events one event cites in all their articles, as an accuracy row."""
    if "fully_corroborated_share" not in outlets:
        return None
    return {
        "accuracy": outlets["fully_corroborated_share"],
        "correct": outlets["fully_corroborated"],
        "gold": outlets["multi_article_events"],
    }


def _all(actors: dict[str, Any], name: str) -> dict[str, Any] | None:
    return (actors.get(name) or {}).get("all")


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def main() -> int:
    try:
        root: Path | None = dev_data_root()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        root = None
    missing: dict[str, Any] = {"error": "the dev data folder was not found"}
    dates = (
        _run("dates (TimeBank, AQUAINT)", lambda: _dates(root / "timebank-aquaint"))
        if root
        else missing
    )
    quotes = (
        _run("quotes (PolNeAR dev)", lambda: _quotes(root / "polnear-dev")) if root else missing
    )
    seed = _run("seed article", _seed)
    actors = (
        _run("actors (CoNLL-2003 dev)", lambda: _actors(root / "conll2003-eng-testa"))
        if root
        else missing
    )
    outlets = (
        _run("events (outlets-2022-dev)", lambda: _outlets(root / "outlets-2022-dev"))
        if root
        else missing
    )

    print()
    print(
        f"{'item':34} {'data':18} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6}  "
        f"{'right/gold':>9} {'pred':>6}"
    )
    print("-" * 96)
    rows = [
        ("Quote + named speaker (reference)", "PolNeAR dev", quotes.get("named_speaker"), False),
        ("Quote span (reference)", "PolNeAR dev", quotes.get("quote_span"), False),
        ("  lenient: speaker span overlap", "PolNeAR dev", quotes.get("span_overlap"), False),
        ("Quotes with the right speaker", "seed", seed.get("quotes"), False),
        ("Reported speech", "PolNeAR dev", quotes.get("reported_speech"), False),
        ("Reported speech", "seed", seed.get("reported_speech"), False),
        ("Actors", "seed", seed.get("actors"), False),
        ("Actors + places, PER/ORG/LOC", "CoNLL-2003 testa", _all(actors, "product"), False),
        ("  raw spaCy sm NER, same text", "CoNLL-2003 testa", _all(actors, "spacy"), False),
        ("Actor titles and affiliations", "seed", seed.get("actor_attributes"), True),
        ("DATE values (exact)", "TimeBank", dates.get("TimeBank"), False),
        ("DATE values (exact)", "AQUAINT", dates.get("AQUAINT"), False),
        ("DATE values (exact)", "TimeBank+AQUAINT", dates.get("TimeBank+AQUAINT"), False),
        ("DATE values, strict precision", "TimeBank+AQUAINT", _strict(dates), False),
        ("DATE values, accuracy", "TimeBank+AQUAINT", dates.get("TimeBank+AQUAINT"), True),
        (
            "Anchored DATEs (anchorTimeID)",
            "TimeBank",
            _anchored(dates.get("TimeBank"), in_text=False),
            True,
        ),
        (
            "Anchored on a time in the text",
            "TimeBank",
            _anchored(dates.get("TimeBank"), in_text=True),
            True,
        ),
        ("Event dates", "seed", seed.get("event_dates"), True),
        ("Event recall", "outlets-2022-dev", outlets.get("event_recall"), True),
        ("Event dates", "outlets-2022-dev", outlets.get("event_dates"), True),
        ("Same-event article pairs", "outlets-2022-dev", outlets.get("pairs"), False),
        (
            "Multi-article events, all cited",
            "outlets-2022-dev",
            _corroborated(outlets),
            True,
        ),
    ]
    for item, data, scores, accuracy in rows:
        print(_row(item, data, scores, accuracy))

    quotes_f1 = (quotes.get("named_speaker") or {}).get("f1")
    span_f1 = (quotes.get("quote_span") or {}).get("f1")
    reported_f1 = (quotes.get("reported_speech") or {}).get("f1")
    dates_acc = (dates.get("TimeBank+AQUAINT") or {}).get("accuracy")
    dates_f1 = (dates.get("TimeBank+AQUAINT") or {}).get("f1")
    targets = [
        (
            f"Quote + named speaker F1 >= {QUOTES_F1_TARGET} (PolNeAR dev, reference scorer)",
            None if quotes_f1 is None else quotes_f1 >= QUOTES_F1_TARGET,
        ),
        (
            f"Quote span F1 >= {QUOTE_SPAN_F1_TARGET} (PolNeAR dev, reference scorer)",
            None if span_f1 is None else span_f1 >= QUOTE_SPAN_F1_TARGET,
        ),
        (
            f"Reported speech F1 >= {REPORTED_F1_TARGET} (PolNeAR dev)",
            None if reported_f1 is None else reported_f1 >= REPORTED_F1_TARGET,
        ),
        (
            f"DATE value accuracy >= {DATES_ACCURACY_TARGET} (TimeBank+AQUAINT)",
            None if dates_acc is None else dates_acc >= DATES_ACCURACY_TARGET,
        ),
        (
            f"DATE value F1 >= {DATES_F1_TARGET} (TimeBank+AQUAINT)",
            None if dates_f1 is None else dates_f1 >= DATES_F1_TARGET,
        ),
        ("Every seed item right", seed.get("all_right")),
        (
            f"Actors F1 >= raw spaCy + {ACTORS_MARGIN_TARGET} (CoNLL-2003 testa)",
            None if "margin" not in actors else actors["margin"] >= ACTORS_MARGIN_TARGET,
        ),
        (
            f"Event recall >= {EVENT_RECALL_TARGET} (outlets-2022-dev)",
            _at_least(outlets.get("event_recall"), EVENT_RECALL_TARGET),
        ),
        (
            f"Event-date accuracy >= {EVENT_DATES_TARGET} (outlets-2022-dev)",
            _at_least(outlets.get("event_dates"), EVENT_DATES_TARGET),
        ),
        (
            f"Same-event pairs F1 >= {PAIRWISE_F1_TARGET}, precision >= "
            f"{PAIRWISE_PRECISION_TARGET} (outlets-2022-dev)",
            None
            if "pairs" not in outlets
            else outlets["pairs"]["f1"] >= PAIRWISE_F1_TARGET
            and outlets["pairs"]["precision"] >= PAIRWISE_PRECISION_TARGET,
        ),
        (
            f"Multi-article events fully corroborated >= {FULLY_CORROBORATED_TARGET:.0%}",
            _at_least(_corroborated(outlets), FULLY_CORROBORATED_TARGET),
        ),
    ]
    print()
    print("targets")
    for label, ok in targets:
        print(f"  {_mark(ok):4}  {label}")
    parts = (("dates", dates), ("quotes", quotes), ("seed", seed), ("outlets", outlets))
    for name, part in parts:
        if "error" in part:
            print(f"  n/a: {name}: {part['error']}")
    error_counts: dict[str, int] = dict(quotes.get("errors") or {})
    if error_counts:
        errors = ", ".join(f"{name} {count}" for name, count in error_counts.items())
        print(f"  quote errors (PolNeAR dev, reference matching): {errors}")
    if "extract_seconds" in quotes:
        print(
            f"  PolNeAR dev time: parse {quotes['parse_seconds']}s, rest of the pipeline "
            f"{quotes['extract_seconds']}s ({quotes['overhead']:.0%} of the parse)"
        )
    seed_events = seed.get("event_dates") or {}
    if "summaries_repeating_the_sentence" in seed_events:
        print(
            f"  seed cards whose summary repeats the sentence: "
            f"{len(seed_events['summaries_repeating_the_sentence'])} of {seed_events['predicted']};"
            f" titles over 70 characters: {len(seed_events['titles_over_70_characters'])}"
        )
    if seed.get("dropped_by_validation"):
        print(
            f"  note: validation dropped {len(seed['dropped_by_validation'])} item(s) on the seed"
        )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "dev_data": str(root) if root else None,
        "dates": dates,
        "quotes": quotes,
        "actors": actors,
        "seed": seed,
        "outlets": outlets,
        "targets": [{"target": label, "result": _mark(ok)} for label, ok in targets],
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\nfigures written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
