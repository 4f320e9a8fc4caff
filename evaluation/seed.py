"""Score the whole pipeline on the seed article against tests/data/seed_article_gold.json.

Run alone with ``.venv/bin/python -m evaluation.seed [-v]``. The article is parsed with
``parse_plain_text`` and its body goes through ``pipeline.extract`` with the printed publication
date; the matching rules are written in the gold file's "about" list and repeated in the helpers
below.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluation import SEED_GOLD, seed_article_path

if TYPE_CHECKING:
    from timeline.extraction.types import Extraction

# What the product shows by default; the quote evaluation on PolNeAR uses the same threshold.
MIN_CONFIDENCE = 0.5


@dataclass
class Tally:
    gold: int = 0  # required gold items, plus optional ones that were found
    predicted: int = 0
    correct: int = 0  # predictions that match a gold item
    found: int = 0  # gold items matched by at least one prediction
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, Any]:
        precision = self.correct / self.predicted if self.predicted else 0.0
        recall = self.found / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "found": self.found,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "missed": self.missed,
            "wrong": self.wrong,
        }


def key(name: str) -> str:
    """Names compare without case, a leading "the", possessive 's or dots: "the U.S." = "us"."""
    name = name.casefold().replace("’", "'")
    name = re.sub(r"^the\s+", "", name.strip())
    name = re.sub(r"'s\b", "", name).replace(".", "")
    return re.sub(r"\s+", " ", name).strip()


def _keys(entry: dict[str, Any]) -> set[str]:
    return {key(entry["name"]), *(key(a) for a in entry.get("aliases", []))}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def load_gold(path: Path = SEED_GOLD) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        gold: dict[str, Any] = json.load(handle)
    return gold


def locate(body: str, excerpt: str, inner: str = "") -> tuple[int, int]:
    """Offsets of `inner` inside the one occurrence of `excerpt` in `body` (or of the excerpt)."""
    start = body.find(excerpt)
    if start < 0 or body.find(excerpt, start + 1) >= 0:
        raise ValueError(f"The gold excerpt {excerpt[:60]!r} must occur exactly once in the body.")
    if not inner:
        return start, start + len(excerpt)
    offset = excerpt.find(inner)
    if offset < 0:
        raise ValueError(f"The gold text {inner!r} is not inside its excerpt {excerpt[:60]!r}.")
    return start + offset, start + offset + len(inner)


def evaluate_seed(*, gold_path: Path = SEED_GOLD, min_confidence: float = MIN_CONFIDENCE) -> dict:
    """Run the pipeline on the parsed seed article and score it against the gold annotations.

    Returns actors, quotes (direct and partial, with the right speaker) and reported speech as
    precision/recall/F1 with what was missed or wrong, the accuracy of titles and affiliations,
    the accuracy of event dates, and `all_right`: every required gold item found and right
    (actors with their titles and affiliations, quotes with no wrong one, reported speech, event
    dates).

    The people are filled from the starter directory a new installation imports (what ingestion
    does with the stored directory): the article prints "Biden" and "Shoigu" without a state.
    """
    from timeline.extraction.actors.directory import Directory, apply_directory
    from timeline.extraction.article_text import parse_plain_text
    from timeline.extraction.pipeline import extract_timed

    gold = load_gold(gold_path)
    article = parse_plain_text(seed_article_path().read_text(encoding="utf-8"))
    body = article.body
    published = (
        article.published_at.date()
        if article.published_at
        else dt.date.fromisoformat(gold["published"])
    )
    timed = extract_timed(body, published)
    apply_directory(timed.extraction.actors, Directory.starter(), on=published)
    return {
        "article": gold["article"],
        "published": published.isoformat(),
        **score_seed(timed.extraction, body, gold, min_confidence=min_confidence),
        "dropped_by_validation": timed.dropped,
        "parse_seconds": round(timed.parse_seconds, 4),
        "rest_seconds": round(timed.rest_seconds, 4),
    }


def score_seed(
    extraction: Extraction, body: str, gold: dict[str, Any], *, min_confidence: float
) -> dict[str, Any]:
    """Score one extraction of the seed body against the gold (see `evaluate_seed`)."""
    actors = [a for a in extraction.actors if a.confidence >= min_confidence]
    actor_scores, attributes = _score_actors(gold["actors"], actors)
    statements = [s for s in extraction.statements if s.confidence >= min_confidence]
    quotes, reported = _score_statements(gold, body, statements)
    events = _score_events(gold["events"], body, extraction.events)
    all_right = (
        actor_scores["recall"] == 1.0
        and attributes["accuracy"] == 1.0
        and quotes["recall"] == 1.0
        and quotes["precision"] == 1.0
        and reported["recall"] == 1.0
        and events["accuracy"] == 1.0
    )
    return {
        "min_confidence": min_confidence,
        "actors": actor_scores,
        "actor_attributes": attributes,
        "quotes": quotes,
        "reported_speech": reported,
        "event_dates": events,
        "all_right": all_right,
    }


def _score_actors(gold: list[dict[str, Any]], actors: list) -> tuple[dict, dict]:
    """Actors match on any shared name or alias and must agree on kind (see the gold "about")."""
    tally = Tally()
    matched: dict[int, Any] = {}
    for actor in actors:
        tally.predicted += 1
        names = {key(actor.name), *(key(a) for a in actor.aliases)}
        hits = [i for i, g in enumerate(gold) if names & _keys(g)]
        right = [i for i in hits if gold[i]["kind"] == actor.kind and i not in matched]
        if right:
            tally.correct += 1
            matched[right[0]] = actor
        elif hits:
            g = gold[hits[0]]
            reason = "duplicate" if hits[0] in matched else f"kind {actor.kind}, gold {g['kind']}"
            tally.wrong.append(f"{actor.name} ({reason})")
        else:
            tally.wrong.append(f"{actor.name} ({actor.kind}): not in the gold")
    for i, g in enumerate(gold):
        if i in matched:
            tally.found += 1
            tally.gold += 1
        elif not g.get("optional"):
            tally.gold += 1
            tally.missed.append(f"{g['name']} ({g['kind']})")

    by_key = {k: g for g in gold for k in _keys(g)}
    checked = right_count = 0
    wrong: list[str] = []
    for i, actor in matched.items():
        g = gold[i]
        if g["title"]:
            checked += 1
            ok = _title_matches(actor.title, g["title"])
            right_count += ok
            if not ok:
                wrong.append(f"{g['name']}: title {actor.title!r}, gold {g['title']!r}")
        if g["affiliation"]:
            checked += 1
            target = by_key.get(key(actor.affiliation)) if actor.affiliation else None
            ok = target is not None and target["name"] == g["affiliation"]
            right_count += ok
            if not ok:
                wrong.append(
                    f"{g['name']}: affiliation {actor.affiliation!r}, gold {g['affiliation']!r}"
                )
    attributes = {
        "gold": checked,
        "correct": right_count,
        "accuracy": round(right_count / checked, 4) if checked else 0.0,
        "wrong": wrong,
    }
    return tally.scores(), attributes


def _title_matches(predicted: str, gold: str) -> bool:
    """Titles as printed vary in what they fold in ("Joint Chiefs Chairman General"): one holding
    the other is right."""
    p, g = key(predicted), key(gold)
    return bool(p) and (p == g or g in p or p in g)


def _speaker_right(statement: Any, item: dict[str, Any], body: str, names: dict) -> bool:
    excerpt = item["excerpt"]
    speaker_at = locate(body, excerpt, item["speaker_text"])
    span = statement.speaker_span
    if span is not None and _overlaps((span.start, span.end), speaker_at):
        return True
    if item["speaker"] is None:
        return statement.speaker is None
    if statement.speaker is None:
        return False
    accepted: set[str] = set()
    for name in [item["speaker"], *item.get("speaker_also", [])]:
        accepted |= names.get(key(name), {key(name)})
    return key(statement.speaker) in accepted


def _score_statements(gold: dict[str, Any], body: str, statements: list) -> tuple[dict, dict]:
    """Quotes and reported speech, matched by overlapping content and the right speaker."""
    names = {k: _keys(g) for g in gold["actors"] for k in _keys(g)}
    items = gold["statements"]
    content_at = [locate(body, s["excerpt"], s["content"]) for s in items]
    quote_ids = [i for i, s in enumerate(items) if s["kind"] in ("direct", "partial")]
    reported_ids = [i for i, s in enumerate(items) if s["kind"] == "reported"]
    tallies = {"quotes": Tally(), "reported": Tally()}
    found: set[int] = set()
    for st in statements:
        is_quote = st.kind in ("direct", "partial")
        ids = quote_ids if is_quote else reported_ids
        at = (st.content_span.start, st.content_span.end)
        touching = [i for i in ids if _overlaps(at, content_at[i])]
        if not is_quote and not touching and any(_overlaps(at, content_at[i]) for i in quote_ids):
            continue  # reported speech around a partial quote: scored as the quote
        tally = tallies["quotes" if is_quote else "reported"]
        tally.predicted += 1
        good = [i for i in touching if _speaker_right(st, items[i], body, names)]
        if good:
            tally.correct += 1
            found.update(good)
        else:
            gold_speaker = items[touching[0]]["speaker"] if touching else "(no gold statement)"
            tally.wrong.append(
                f"{st.kind} {body[at[0] : at[1]][:50]!r} -> {st.speaker!r}; gold {gold_speaker!r}"
            )
    for name, ids in (("quotes", quote_ids), ("reported", reported_ids)):
        tally = tallies[name]
        for i in ids:
            if i in found:
                tally.found += 1
                tally.gold += 1
            elif not items[i].get("optional"):
                tally.gold += 1
                tally.missed.append(f"{items[i]['content'][:50]!r} by {items[i]['speaker']!r}")
    return tallies["quotes"].scores(), tallies["reported"].scores()


def _score_events(gold: list[dict[str, Any]], body: str, events: list) -> dict[str, Any]:
    """An event date is right when an event over the excerpt has the gold start, precision and
    (where the gold gives one) end."""
    correct = 0
    missed: list[str] = []
    for item in gold:
        where = locate(body, item["excerpt"])
        near = [
            e
            for e in events
            if any(
                _overlaps((s.start, s.end), where) for s in (e.span, *getattr(e, "also_cited", []))
            )
        ]
        start = dt.date.fromisoformat(item["start"])
        end = dt.date.fromisoformat(item["end"]) if item["end"] else None
        if any(
            e.date.start == start
            and e.date.precision == item["precision"]
            and (end is None or e.date.end == end)
            for e in near
        ):
            correct += 1
        else:
            got = (
                ", ".join(f"{e.date.start}..{e.date.end} ({e.date.precision})" for e in near)
                or "no event"
            )
            missed.append(f"{item['excerpt'][:50]!r}: gold {item['start']}, got {got}")
    # A card shows its cited sentence once: a summary holding that sentence repeats it.
    repeating = [
        e.title
        for e in events
        if re.sub(r"\s+", " ", body[e.span.start : e.span.end]).strip() in e.summary
    ]
    titles_too_long = [e.title for e in events if len(e.title) > 70]
    return {
        "gold": len(gold),
        "predicted": len(events),
        "correct": correct,
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "missed": missed,
        "summaries_repeating_the_sentence": repeating,
        "titles_over_70_characters": titles_too_long,
    }


def main(argv: list[str]) -> None:
    result = evaluate_seed()
    for name in ("actors", "quotes", "reported_speech"):
        s = result[name]
        print(
            f"{name:16} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
            f"(gold {s['gold']}, predicted {s['predicted']}, correct {s['correct']})"
        )
        if "-v" in argv:
            for line in s["missed"]:
                print(f"    missed: {line}")
            for line in s["wrong"]:
                print(f"    wrong:  {line}")
    for name in ("actor_attributes", "event_dates"):
        s = result[name]
        print(f"{name:16} accuracy {s['accuracy']:.3f}  ({s['correct']} of {s['gold']})")
        if "-v" in argv:
            for line in s.get("wrong", []) + s.get("missed", []):
                print(f"    {line}")
    print(f"every seed item right: {'yes' if result['all_right'] else 'no'}")


if __name__ == "__main__":
    main(sys.argv[1:])
