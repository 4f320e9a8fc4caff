"""Time expressions in English news text, normalised against the publication date.

``find_time_expressions`` finds expressions with a table of regular-expression rules run over the
text (cheap: one pass per rule, no per-token Python loop) and normalises each to a TimeML TIMEX3
value ("2022-02-07", "2022-W06", "2022-Q1", "PAST_REF", "P3M", …). spaCy's DATE/TIME entities
vouch for the ambiguous words ("May", "March", "fall", bare years) and the dependency parse gives
the tense that decides which way an underspecified date points: "Macron, who visited on Monday" is
the Monday before publication, "Biden is due to call on Monday" the one after.

Conventions, chosen to follow the TimeBank annotation guidelines:
- a weekday that is the publication day's own weekday is the publication day;
- "overnight" is the night before publication: start the evening's date, end the publication date;
- ``ResolvedDate.end`` is the last day covered (Sunday of a week, the 31st of a year) and None
  only for a single day; quarters and seasons have precision "month", decades "year".

The package: ``vocabulary`` (words, types, date arithmetic), ``tense``, ``table`` (how rules
register and what they share), the rules in ``rules_calendar`` and ``rules_relative``, ``find``
(running the table over a text) and ``resolve`` (the date of a sentence's event).
"""

from timeline.extraction.dates.find import document_time_expressions, find_time_expressions
from timeline.extraction.dates.resolve import resolve_sentence_date
from timeline.extraction.dates.rules_relative import HOLIDAYS
from timeline.extraction.dates.tense import tense_of
from timeline.extraction.dates.vocabulary import (
    FUTURE_AUX,
    FUTURE_HEADS,
    FUTURE_REF_WORDS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    PAST_REF_WORDS,
    PLANNING_VERBS,
    PRESENT_REF_WORDS,
    SEASON_MONTHS,
    SEASONS,
    UNIT_CODES,
    WEEKDAYS,
    Tense,
    TimeExpression,
    TimexType,
)

__all__ = [
    "FUTURE_AUX",
    "FUTURE_HEADS",
    "FUTURE_REF_WORDS",
    "HOLIDAYS",
    "MONTHS",
    "NUMBERS",
    "ORDINALS",
    "PAST_REF_WORDS",
    "PLANNING_VERBS",
    "PRESENT_REF_WORDS",
    "SEASONS",
    "SEASON_MONTHS",
    "UNIT_CODES",
    "WEEKDAYS",
    "Tense",
    "TimeExpression",
    "TimexType",
    "document_time_expressions",
    "find_time_expressions",
    "resolve_sentence_date",
    "tense_of",
]
