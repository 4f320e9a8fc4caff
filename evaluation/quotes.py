"""Score quotation and reported-speech extraction against PolNeAR (brat standoff gold).

Run alone with ``.venv/bin/python -m evaluation.quotes [ROOT] [-v]``. ROOT is the PolNeAR dev
split (``../shared/dev-data/polnear-dev/``, holding ``text/`` and ``attributions/``) or the dev data
folder above it; the data is read at run time and never copied into the repository.

Conventions (the product's headline figures, see the dev data README):
- Quotes are scored by the dev data's reference scorer, ``score_polnear.py``, loaded from the dev
  data folder at run time (never copied here): a predicted direct or partial quote is right when
  its content span overlaps a gold quote and its speaker is a name sharing a content word with the
  gold Source (or, for a pronoun or common-noun Source, the nearest preceding named one). Printed:
  quote + named speaker and quote span P/R/F1, and the wrong ones by class ("no gold quote", "no
  speaker", "pronoun", "wrong name", and gold quotes "missed"), matched as the scorer matches.
- Each article goes through the pipeline (``extract_doc``: actors, statements, validation) with its
  publication date from ``metadata-dev.tsv``; what it returns is what the product stores.
- Reported speech (no reference scorer): gold = attributions whose Content has no quotation mark
  (first ``.ann`` by sorted name; the five with Source and Cue swapped are swapped back and
  counted); a predicted reported statement is right when its content overlaps the gold Content and
  its cue overlaps the gold Cue or its speaker span the gold Source. Predicted reported statements
  overlapping only gold quotes are left out (they are scored as quotes).
- Lenient, printed beside and labelled: the older quote figure that credits an overlapping speaker
  span or the same surname (so "he" counts).
- The headline figures count predictions with confidence >= ``MIN_CONFIDENCE`` (what the product
  shows by default); the figures over every prediction are reported too.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

MIN_CONFIDENCE = 0.5
TARGET_F1 = 0.80
QUOTE_SPAN_TARGET_F1 = 0.90
REPORTED_TARGET_F1 = 0.60
_QUOTE_MARKS = frozenset('“”"‘')
_SPAN = re.compile(r"(\d+) (\d+)")

Fragments = list[tuple[int, int]]


@dataclass
class GoldAttribution:
    source: Fragments = field(default_factory=list)
    cue: Fragments = field(default_factory=list)
    content: Fragments = field(default_factory=list)
    source_text: str = ""
    quoted: bool = False
    swapped: bool = False


@dataclass
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


def default_root() -> Path:
    from evaluation import dev_data_root

    return dev_data_root() / "polnear-dev"


def parse_ann(ann: str, text: str) -> list[GoldAttribution]:
    """Attributions of one brat ``.ann`` file: Source, Cue and Content fragments each."""
    spans: dict[str, Fragments] = {}
    events: list[str] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            spans[parts[0]] = [(int(a), int(b)) for a, b in _SPAN.findall(parts[1])]
        elif line.startswith("E") and len(parts) >= 2:
            events.append(parts[1])
    found = []
    for event in events:
        att = GoldAttribution()
        for arg in event.split()[1:]:
            role, _, ref = arg.partition(":")
            frags = spans.get(ref, [])
            if role.startswith("Source"):
                att.source.extend(frags)
            elif role.startswith("Cue"):
                att.cue.extend(frags)
            elif role.startswith("Content"):
                att.content.extend(frags)
        if not att.content:
            continue
        if att.source and att.cue and _is_cue_word(" ".join(text[a:b] for a, b in att.source)):
            # Source and Cue swapped by the annotator ("Source: said", "Cue: David Plouffe")
            att.source, att.cue = att.cue, att.source
            att.swapped = True
        att.source_text = " ".join(text[a:b] for a, b in att.source)
        att.quoted = any(_is_quoted(text, a, b) for a, b in att.content)
        found.append(att)
    return found


_CUE_WORDS = frozenset({"said", "says", "say", "told", "added", "wrote", "asked", "explained"})


def _is_cue_word(phrase: str) -> bool:
    return phrase.strip().lower() in _CUE_WORDS


def _is_quoted(text: str, start: int, end: int) -> bool:
    if any(c in _QUOTE_MARKS for c in text[start:end]):
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before in _QUOTE_MARKS and after in ("”", '"', "’")


def load_articles(root: Path) -> list[GoldArticle]:
    if (root / "polnear-dev").is_dir():
        root = root / "polnear-dev"
    texts = sorted((root / "text").glob("*.txt"))
    if not texts:
        raise FileNotFoundError(
            f"No PolNeAR texts under {root / 'text'}. Pass the polnear-dev folder as ROOT."
        )
    articles = []
    for path in texts:
        # Doubly annotated articles: the first annotation by sorted file name, deterministically.
        anns = sorted((root / "attributions").glob(f"{path.stem}_*.ann"))
        if not anns:
            continue
        text = path.read_text(encoding="utf-8")
        gold = parse_ann(anns[0].read_text(encoding="utf-8"), text)
        articles.append(GoldArticle(path.stem, text, gold))
    return articles


def _overlaps(start: int, end: int, frags: Fragments) -> bool:
    return any(start < b and a < end for a, b in frags)


def _same_person(speaker: str | None, source_text: str) -> bool:
    from timeline.extraction.actors import same_actor

    if not speaker or not source_text:
        return False
    # The gold Source is a phrase ("Secretary of State John Kerry"); compare its capitalised tail.
    words = [w.strip(",.’'s") for w in source_text.split() if w[:1].isupper()]
    return bool(words) and same_actor(speaker, " ".join(words[-2:]))


@dataclass
class _Tally:
    gold: int = 0
    predicted: int = 0
    correct: int = 0  # correct predictions
    found: int = 0  # gold items matched

    def scores(self) -> dict[str, float]:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "found": self.found,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
        }


def reference_scorer(root: Path) -> ModuleType:
    """The dev data's own ``score_polnear.py``, loaded from beside ``root`` at run time."""
    for folder in (root.parent, root):
        path = folder / "score_polnear.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location("score_polnear", path)
            if spec is None or spec.loader is None:
                break
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise FileNotFoundError(
        f"The reference scorer score_polnear.py is not beside {root}: the quote figures need it."
    )


def publication_dates(root: Path) -> dict[str, dt.date]:
    """Each article's publication date from ``metadata-dev.tsv`` (relative dates resolve on it)."""
    dates: dict[str, dt.date] = {}
    path = root / "metadata-dev.tsv"
    if not path.is_file():
        return dates
    with path.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            try:
                dates[row["filename"]] = dt.date.fromisoformat(row["publication_date"])
            except (KeyError, ValueError):
                continue
    return dates


ERROR_CLASSES = ("no gold quote", "no speaker", "pronoun", "wrong name", "missed")


def _error_classes(
    ref: ModuleType, gold: dict[str, Any], pred: dict[str, list[dict[str, Any]]], verbose: bool
) -> dict[str, int]:
    """Why predictions are wrong and gold quotes are missed, matched as the reference scorer
    matches: a prediction overlapping no gold quote, one with no speaker, a pronoun, a wrong
    name; and gold quotes no prediction overlaps ("missed")."""
    counts = dict.fromkeys(ERROR_CLASSES, 0)
    for name, article in gold.items():
        quotes, text = article["quotes"], article["text"]
        overlapped: set[int] = set()
        for p in pred.get(name, []):
            over = [
                k for k, q in enumerate(quotes) if p["end"] > q["start"] and p["start"] < q["end"]
            ]
            overlapped.update(over)
            said = ref.words(p["speaker"]) - ref.PRONOUNS
            right = [
                k
                for k in over
                if not quotes[k]["speakers"]
                or any(said & ref.words(s) for s in quotes[k]["speakers"])
            ]
            if right:
                continue
            if not over:
                why = "no gold quote"
            elif not p["speaker"]:
                why = "no speaker"
            elif not said:
                why = "pronoun"
            else:
                why = "wrong name"
            counts[why] += 1
            if verbose:
                wanted = quotes[over[0]]["speakers"] if over else ""
                print(f"  [{why}] {name}: {p['text'][:60]!r} -> {p['speaker']!r}; gold {wanted}")
        for k, q in enumerate(quotes):
            if k not in overlapped:
                counts["missed"] += 1
                if verbose:
                    print(
                        f"  [missed] {name}: {text[q['start'] : q['end']][:60]!r} {q['speakers']}"
                    )
    return counts


def evaluate_quotes(
    root: Path | None = None, *, verbose: bool = False, min_confidence: float = MIN_CONFIDENCE
) -> dict[str, object]:
    """Score direct quotes (with a named speaker, by the reference scorer) and reported speech."""
    from timeline.extraction.nlp import get_nlp
    from timeline.extraction.pipeline import extract_doc

    root = root or default_root()
    if (root / "polnear-dev").is_dir():
        root = root / "polnear-dev"
    ref = reference_scorer(root)
    articles = load_articles(root)
    gold = ref.load_gold(str(root))
    published = publication_dates(root)
    nlp = get_nlp()
    nlp("Warm up.")
    tallies = {key: _Tally() for key in ("quotes", "reported", "quotes_all", "reported_all")}
    swapped = sum(1 for a in articles for att in a.attributions if att.swapped)
    preds: dict[str, dict[str, list[dict[str, Any]]]] = {"": {}, "_all": {}}
    parse_seconds = extract_seconds = 0.0
    for article in articles:
        t0 = time.perf_counter()
        doc = nlp(article.text)
        t1 = time.perf_counter()
        date = published.get(article.name, dt.date(2016, 11, 1))
        statements = extract_doc(doc, date)[0].statements
        extract_seconds += time.perf_counter() - t1
        parse_seconds += t1 - t0
        for threshold, suffix in ((min_confidence, ""), (0.0, "_all")):
            kept = [s for s in statements if s.confidence >= threshold]
            _score_article(article, kept, tallies, suffix, False)
            preds[suffix][article.name] = [
                {
                    "text": s.content,
                    "speaker": s.speaker or "",
                    "start": s.content_span.start,
                    "end": s.content_span.end,
                }
                for s in kept
                if s.kind in ("direct", "partial")
            ]
    result: dict[str, object] = {
        "documents": len(articles),
        "swapped_source_cue": swapped,
        "min_confidence": min_confidence,
        "parse_seconds": round(parse_seconds, 2),
        "extract_seconds": round(extract_seconds, 2),
        "overhead": round(extract_seconds / parse_seconds, 4) if parse_seconds else 0.0,
    }
    for suffix, pred in preds.items():
        scored = ref.score(gold, pred)
        for key, name in (("quote+speaker", "named_speaker"), ("quote", "quote_span")):
            result[name + suffix] = {
                "precision": scored[key]["p"],
                "recall": scored[key]["r"],
                "f1": scored[key]["f1"],
                "gold": scored["n_gold"],
                "found": round(scored[key]["r"] * scored["n_gold"]),
                "predicted": scored["n_pred"],
            }
        result["errors" + suffix] = _error_classes(ref, gold, pred, verbose and not suffix)
        result["reported_speech" + suffix] = tallies["reported" + suffix].scores()
        result["span_overlap" + suffix] = tallies["quotes" + suffix].scores()
    return result


def _score_article(
    article: GoldArticle,
    statements: list,  # list[ExtractedStatement]; untyped to keep imports lazy
    tallies: dict[str, _Tally],
    suffix: str,
    verbose: bool,
) -> None:
    text = article.text
    quotes = [a for a in article.attributions if a.quoted]
    reported = [a for a in article.attributions if not a.quoted]
    q, r = tallies["quotes" + suffix], tallies["reported" + suffix]
    q.gold += sum(1 for a in quotes if a.source)
    r.gold += len(reported)
    quotes_found: set[int] = set()
    reported_found: set[int] = set()
    for st in statements:
        cs, ce = st.content_span.start, st.content_span.end
        sp = st.speaker_span
        if st.kind in ("direct", "partial"):
            touching = [i for i, a in enumerate(quotes) if _overlaps(cs, ce, a.content)]
            if touching and all(not quotes[i].source for i in touching):
                continue
            q.predicted += 1
            good = [
                i
                for i in touching
                if (sp is not None and _overlaps(sp.start, sp.end, quotes[i].source))
                or _same_person(st.speaker, quotes[i].source_text)
            ]
            if good:
                q.correct += 1
                quotes_found.update(good)
            elif verbose:
                gold = quotes[touching[0]].source_text if touching else "(no gold quote)"
                print(
                    f"  [a] {article.name}: {text[cs:ce][:70]!r} -> {st.speaker!r} "
                    f"({text[sp.start : sp.end] if sp else None!r}); gold source {gold!r}"
                )
        else:
            touching = [i for i, a in enumerate(reported) if _overlaps(cs, ce, a.content)]
            if not touching and any(_overlaps(cs, ce, a.content) for a in quotes):
                continue
            r.predicted += 1
            cue = st.cue_span
            cue_at = (cue.start, cue.end) if cue is not None else (-1, -1)
            good = [
                i
                for i in touching
                if _overlaps(cue_at[0], cue_at[1], reported[i].cue)
                or (sp is not None and _overlaps(sp.start, sp.end, reported[i].source))
            ]
            if good:
                r.correct += 1
                reported_found.update(good)
    q.found += sum(1 for i in quotes_found if quotes[i].source)
    r.found += len(reported_found)
    if verbose:
        for i, a in enumerate(quotes):
            if a.source and i not in quotes_found:
                c0, c1 = a.content[0]
                print(f"  [a missed] {article.name}: {text[c0:c1][:70]!r} by {a.source_text!r}")


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    root = Path(args[0]) if args else None
    result = evaluate_quotes(root, verbose=verbose)
    print(
        f"PolNeAR dev: {result['documents']} articles (reference scorer score_polnear.py; "
        f"{result['swapped_source_cue']} attributions with Source and Cue swapped back)"
    )
    labels = {
        "named_speaker": "quote + named speaker (reference)",
        "quote_span": "quote span (reference)",
        "reported_speech": "reported speech",
        "span_overlap": "lenient: speaker span overlap",
    }
    for key, label in labels.items():
        for variant, note in (("", f"confidence >= {MIN_CONFIDENCE}"), ("_all", "all")):
            s = result[key + variant]
            assert isinstance(s, dict)
            print(
                f"{label:34} [{note:17}] P {s['precision']:.3f}  R {s['recall']:.3f}  "
                f"F1 {s['f1']:.3f}  (gold {s['gold']}, predicted {s['predicted']})"
            )
    print(f"errors [confidence >= {MIN_CONFIDENCE}]: {result['errors']}")
    print(
        f"time: parse {result['parse_seconds']}s, "
        f"rest of the pipeline {result['extract_seconds']}s "
        f"(overhead {float(str(result['overhead'])):.1%} of the parse)"
    )
    f1 = float(result["named_speaker"]["f1"])  # type: ignore[index]  # result mixes figures and tables
    print(
        f"target quote + named speaker F1 >= {TARGET_F1}: {'met' if f1 >= TARGET_F1 else 'NOT met'}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
