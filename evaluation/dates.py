"""Score the date normaliser against TimeBank 1.2 and AQUAINT (TimeML gold).

Run alone with ``.venv/bin/python -m evaluation.dates [-v] [ROOT]`` (``-v`` lists every gold
DATE missed or valued wrongly, with its context, for tuning). The data is read from
``../shared/dev-data/timebank-aquaint/`` at run time and never copied into the repository.

Scoring (the product's headline convention): each gold TIMEX3 of type DATE inside <TEXT> is
correct when a predicted DATE expression overlaps its span and has exactly the same value; recall
is over the gold DATEs. Precision is over the predicted DATE expressions that overlap a gold
TIMEX3 of any type: a DATE read where the gold has a DURATION, a TIME or another DATE value counts
against it, while words TimeBank leaves unannotated ("previously", "soon", many a "now", whose
annotation is inconsistent across its documents) do not. ``precision_strict`` is over every
predicted DATE, unannotated words included, and is printed beside it.

Anchored expressions: the gold DATEs with an ``anchorTimeID`` are valued against another time
("the day before", "a year earlier", "last week"); ``anchored_accuracy`` is the share of them
right, and ``anchored_non_dct_accuracy`` the share of those anchored on a time in the text rather
than on the document's creation time.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from spacy.tokens import Doc

    from timeline.extraction.dates import TimeExpression

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "timebank-aquaint"

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DCT = re.compile(r"<DCT>\s*<TIMEX3[^>]*\bvalue=\"(\d{4})-?(\d\d)-?(\d\d)")
_DCT_TID = re.compile(r"<DCT>\s*<TIMEX3[^>]*\btid=\"(\w+)\"")
_TEXT = re.compile(r"<TEXT>(.*)</TEXT>", re.S)


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str
    text: str
    anchor: str = ""  # the anchorTimeID: the time the value is counted from ("the day before")


@dataclass(frozen=True)
class GoldDocument:
    name: str
    published: dt.date
    text: str
    timexes: list[GoldTimex]
    dct_tid: str = ""


def parse_tml(path: Path) -> GoldDocument:
    """Strip the TimeML tags from a document's <TEXT>, keeping the TIMEX3 offsets mapped."""
    raw = path.read_text(encoding="utf-8")
    dct = _DCT.search(raw)
    body = _TEXT.search(raw)
    if dct is None or body is None:
        raise ValueError(f"{path} has no <DCT> or <TEXT>; is it a TimeML file?")
    published = dt.date(int(dct[1]), int(dct[2]), int(dct[3]))
    source = body[1]
    parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[GoldTimex] = []
    pos = 0
    for tag in _TAG.finditer(source):
        # Unescape each text run on its own so offsets are counted in the plain text.
        chunk = html.unescape(source[pos : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        if tag[2] != "TIMEX3":
            continue
        if not tag[1]:
            open_timex = (length, dict(_ATTR.findall(tag[3])))
        elif open_timex is not None:
            start, attrs = open_timex
            plain = "".join(parts)
            timexes.append(
                GoldTimex(
                    start,
                    length,
                    attrs.get("type", ""),
                    attrs.get("value", ""),
                    plain[start:length],
                    attrs.get("anchorTimeID", ""),
                )
            )
            open_timex = None
    parts.append(html.unescape(source[pos:]))
    dct_tid = _DCT_TID.search(raw)
    return GoldDocument(
        path.stem, published, "".join(parts), timexes, dct_tid[1] if dct_tid else ""
    )


def load_documents(root: Path) -> list[GoldDocument]:
    paths = sorted(root.glob("*/*.tml")) or sorted(root.glob("*.tml"))
    if not paths:
        raise FileNotFoundError(
            f"No .tml files under {root}. Pass the folder holding TimeBank/ and AQUAINT/."
        )
    return [parse_tml(path) for path in paths]


def evaluate_dates(root: Path = DEFAULT_ROOT, *, verbose: bool = False) -> dict[str, float]:
    """Return gold/predicted/correct counts, precision, recall, F1 and exact value accuracy."""
    from timeline.extraction.dates import find_time_expressions
    from timeline.extraction.nlp import get_nlp

    documents = load_documents(root)
    parsed = get_nlp().pipe(d.text for d in documents)
    return score(documents, parsed, find_time_expressions, verbose=verbose)


def score(
    documents: list[GoldDocument],
    parsed: Iterable[Doc],
    finder: Callable[[Doc, dt.date], list[TimeExpression]],
    *,
    verbose: bool = False,
) -> dict[str, float]:
    """Score ``finder`` on parsed gold documents (split out so tuning can reuse a parse)."""
    gold_total = predicted_total = predicted_all = correct = found = 0
    anchored = anchored_right = anchored_text = anchored_text_right = 0
    misses: Counter[str] = Counter()
    for document, doc in zip(documents, parsed, strict=True):
        gold = [t for t in document.timexes if t.type == "DATE"]
        predicted = [e for e in finder(doc, document.published) if e.type == "DATE"]
        gold_total += len(gold)
        predicted_all += len(predicted)
        predicted_total += sum(
            1
            for e in predicted
            if any(e.span.start < t.end and t.start < e.span.end for t in document.timexes)
        )
        for timex in gold:
            overlapping = [
                e for e in predicted if e.span.start < timex.end and timex.start < e.span.end
            ]
            if overlapping:
                found += 1
            right = any(e.value == timex.value for e in overlapping)
            if timex.anchor:
                anchored += 1
                anchored_right += right
                if timex.anchor != document.dct_tid:
                    anchored_text += 1
                    anchored_text_right += right
            if right:
                correct += 1
            elif verbose:
                got = ", ".join(f"{e.text!r}={e.value}" for e in overlapping) or "-"
                context = document.text[max(0, timex.start - 60) : timex.end + 40]
                context = context.replace("\n", " ")
                misses[
                    f"{document.published} {timex.text!r} gold={timex.value} got={got}  | {context}"
                ] += 1
    if verbose:
        for line in sorted(misses):
            print(line)
    precision = _ratio(correct, predicted_total)
    recall = _ratio(correct, gold_total)
    return {
        "documents": len(documents),
        "gold": gold_total,
        "predicted": predicted_total,  # predicted DATEs overlapping a gold TIMEX3
        "predicted_all": predicted_all,
        "found": found,
        "correct": correct,
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * precision * recall, precision + recall),
        "precision_strict": _ratio(correct, predicted_all),
        "accuracy": recall,  # correct / gold: the plain exact value accuracy
        "anchored": anchored,
        "anchored_correct": anchored_right,
        "anchored_accuracy": _ratio(anchored_right, anchored),
        "anchored_non_dct": anchored_text,
        "anchored_non_dct_correct": anchored_text_right,
        "anchored_non_dct_accuracy": _ratio(anchored_text_right, anchored_text),
    }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    root = Path(args[0]) if args else DEFAULT_ROOT
    scores = evaluate_dates(root, verbose=verbose)
    print(
        f"TimeBank+AQUAINT DATE normalisation: {scores['documents']} documents, "
        f"{scores['gold']} gold, {scores['predicted']} predicted, "
        f"{scores['found']} spans found, {scores['correct']} correct"
    )
    print(
        f"precision {scores['precision']:.3f}  recall {scores['recall']:.3f}  "
        f"F1 {scores['f1']:.3f}  exact value accuracy {scores['accuracy']:.3f}  "
        f"(precision over all {scores['predicted_all']} predicted: "
        f"{scores['precision_strict']:.3f})"
    )
    print(
        f"anchored DATEs right {scores['anchored_correct']}/{scores['anchored']} "
        f"({scores['anchored_accuracy']:.3f}); anchored on a time in the text "
        f"{scores['anchored_non_dct_correct']}/{scores['anchored_non_dct']} "
        f"({scores['anchored_non_dct_accuracy']:.3f})"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
