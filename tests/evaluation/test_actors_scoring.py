"""The CoNLL-2003 reader behind `make eval`'s actor figures: IOB1 tags become exact spans."""

from __future__ import annotations

from pathlib import Path

from evaluation.actors import load_articles

CONLL = """-DOCSTART- -X- O O

VILNIUS NNP I-NP I-LOC
1996-08-30 CD I-NP O

Anna NNP I-NP I-PER
Price NNP I-NP I-PER
met NN I-NP O
Tom NNP I-NP I-PER
Baker NNP I-NP B-PER
of IN I-PP O
Acme NNP I-NP I-ORG
Corp NNP I-NP I-ORG
in IN I-PP O
Kaunas NNP I-NP I-LOC
. . O O

-DOCSTART- -X- O O

Euro NNP I-NP I-MISC
rates NNS I-NP O
"""


def test_it_reads_iob1_tags_as_exact_spans_per_article(tmp_path: Path) -> None:
    (tmp_path / "eng.testa").write_text(CONLL, encoding="utf-8")

    first, second = load_articles(tmp_path)

    spans = sorted((first.text[s:e], kind) for s, e, kind in first.gold)
    assert first.text.splitlines() == [
        "VILNIUS 1996-08-30",
        "Anna Price met Tom Baker of Acme Corp in Kaunas .",
    ]
    assert spans == [
        ("Acme Corp", "ORG"),
        ("Anna Price", "PER"),
        ("Baker", "PER"),  # B- starts a second person right after the first
        ("Kaunas", "LOC"),
        ("Tom", "PER"),
        ("VILNIUS", "LOC"),
    ]
    assert second.gold == set()  # MISC is not scored
