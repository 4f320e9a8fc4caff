"""Score the product's actor and place mentions against CoNLL-2003 (the dev split, eng.testa).

Run alone with ``.venv/bin/python -m evaluation.actors [ROOT] [-v]``; ROOT is the dev data folder
(``../shared/dev-data/``) or ``conll2003-eng-testa`` in it. The data is read at run time and never
copied into the repository.

Conventions (the dev data README): PER, ORG and LOC mentions with exact span and type, micro P/R/F1
as conlleval counts them (MISC ignored), beside raw spaCy NER on the same text in the same run
(PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC). Each article (between ``-DOCSTART-`` lines) is its tokens
joined by spaces, one sentence a line, so a span is right when it starts and ends on the gold
tokens' boundaries.

The product's mentions are what ingestion stores: every mention of each actor the pipeline keeps
(a person is PER; an organisation, a group or an outlet is ORG; a state is LOC, as CoNLL tags
countries), and every place the article names (LOC) that no actor mention covers.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES = ("PER", "ORG", "LOC")
SPACY_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
ACTOR_TYPES = {
    "person": "PER",
    "organisation": "ORG",
    "group": "ORG",
    "media": "ORG",
    "state": "LOC",
}
# The articles are from late August 1996; relative dates do not matter here.
PUBLISHED = dt.date(1996, 8, 30)

Mention = tuple[int, int, str]  # character start, end, type


@dataclass
class Article:
    text: str
    gold: set[Mention] = field(default_factory=set)


def default_root() -> Path:
    from evaluation import dev_data_root

    return dev_data_root() / "conll2003-eng-testa"


def load_articles(root: Path) -> list[Article]:
    """The articles of eng.testa, their text and gold PER/ORG/LOC mentions (IOB1)."""
    if (root / "conll2003-eng-testa").is_dir():
        root = root / "conll2003-eng-testa"
    path = root / "eng.testa"
    articles: list[Article] = []
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []

    def close_article() -> None:
        if sentence:
            sentences.append(list(sentence))
            sentence.clear()
        if sentences:
            articles.append(_article(sentences))
            sentences.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            close_article()
            continue
        if not line.strip():
            if sentence:
                sentences.append(list(sentence))
                sentence.clear()
            continue
        parts = line.split()
        sentence.append((parts[0], parts[-1]))
    close_article()
    return articles


def _article(sentences: list[list[tuple[str, str]]]) -> Article:
    text_parts: list[str] = []
    gold: set[Mention] = set()
    at = 0
    for sentence in sentences:
        open_span: tuple[int, str] | None = None
        last_end = at
        for k, (token, tag) in enumerate(sentence):
            if k:
                text_parts.append(" ")
                at += 1
            start, end = at, at + len(token)
            text_parts.append(token)
            at = end
            kind = tag[2:] if tag != "O" else ""
            begins = tag.startswith("B-") or (open_span is not None and open_span[1] != kind)
            if open_span is not None and (not kind or begins):
                if open_span[1] in TYPES:
                    gold.add((open_span[0], last_end, open_span[1]))
                open_span = None
            if kind and open_span is None:
                open_span = (start, kind)
            last_end = end
        if open_span is not None and open_span[1] in TYPES:
            gold.add((open_span[0], last_end, open_span[1]))
        text_parts.append("\n")
        at += 1
    return Article(text="".join(text_parts), gold=gold)


def product_mentions(extraction: Any) -> set[Mention]:
    found: set[Mention] = set()
    covered: list[tuple[int, int]] = []
    for actor in extraction.actors:
        kind = ACTOR_TYPES.get(actor.kind)
        if kind is None:
            continue
        for span in actor.mentions:
            found.add((span.start, span.end, kind))
            covered.append((span.start, span.end))
    for place in extraction.places:
        span = place.span
        if not any(s < span.end and span.start < e for s, e in covered):
            found.add((span.start, span.end, "LOC"))
    return found


def _score(gold: Counter[str], predicted: Counter[str], correct: Counter[str]) -> dict[str, Any]:
    def prf(g: int, p: int, c: int) -> dict[str, Any]:
        precision = c / p if p else 0.0
        recall = c / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "gold": g,
            "predicted": p,
            "correct": c,
            "found": c,
        }

    result = {"all": prf(sum(gold.values()), sum(predicted.values()), sum(correct.values()))}
    for kind in TYPES:
        result[kind] = prf(gold[kind], predicted[kind], correct[kind])
    return result


def evaluate_actors(root: Path | None = None, *, verbose: bool = False) -> dict[str, Any]:
    from timeline.extraction.nlp import get_nlp
    from timeline.extraction.pipeline import extract_doc

    articles = load_articles(root or default_root())
    nlp = get_nlp()
    tallies = {
        name: (Counter[str](), Counter[str](), Counter[str]()) for name in ("product", "spacy")
    }
    for article in articles:
        doc = nlp(article.text)
        spacy_found = {
            (ent.start_char, ent.end_char, SPACY_TYPES[ent.label_])
            for ent in doc.ents
            if ent.label_ in SPACY_TYPES
        }
        extraction = extract_doc(doc, PUBLISHED)[0]
        for name, found in (("product", product_mentions(extraction)), ("spacy", spacy_found)):
            gold, predicted, correct = tallies[name]
            gold.update(kind for _, _, kind in article.gold)
            predicted.update(kind for _, _, kind in found)
            correct.update(kind for _, _, kind in found & article.gold)
            if verbose and name == "product":
                for start, end, kind in sorted(found - article.gold):
                    print(f"  [extra {kind}] {article.text[start:end]!r}")
                for start, end, kind in sorted(article.gold - found):
                    print(f"  [missed {kind}] {article.text[start:end]!r}")
    product = _score(*tallies["product"])
    spacy = _score(*tallies["spacy"])
    return {
        "documents": len(articles),
        "product": product,
        "spacy": spacy,
        "margin": round(product["all"]["f1"] - spacy["all"]["f1"], 3),
    }


TARGET_MARGIN = 0.05


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    result = evaluate_actors(Path(args[0]) if args else None, verbose=verbose)
    print(f"CoNLL-2003 eng.testa: {result['documents']} articles, exact span and type")
    for name, label in (("product", "product actors + places"), ("spacy", "raw spaCy sm NER")):
        scores = result[name]
        row = "  ".join(
            f"{kind} {scores[kind]['precision']:.3f}/{scores[kind]['recall']:.3f}/"
            f"{scores[kind]['f1']:.3f}"
            for kind in TYPES
        )
        total = scores["all"]
        print(
            f"{label:24} P {total['precision']:.3f}  R {total['recall']:.3f}  "
            f"F1 {total['f1']:.3f}   (P/R/F1 {row})"
        )
    met = result["margin"] >= TARGET_MARGIN
    print(
        f"target product F1 >= spaCy + {TARGET_MARGIN}: margin {result['margin']:+.3f}, "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
