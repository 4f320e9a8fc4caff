"""Events: what happened (or is scheduled) in an article, one per event-bearing sentence.

A sentence bears an event when it has an event predicate from a small lexicon ("met", "visited",
"held talks", "launched", "massed", "annexed", "told citizens to leave", "imposed sanctions", …)
that is asserted: not negated, not under a modal ("could invade"), not inside a condition ("if it
invades") and not the complement of a verb that withholds it ("denies planning to invade"). The
sentence's main event is its highest-ranked predicate; a further predicate in the same sentence
becomes an event of its own only when it carries a date of its own ("Crimea, which Russia annexed
in 2014"). Titles are compressed from the dependency parse: subject + headline verb + object,
in the present ("Russia annexes Crimea") or, when scheduled, the infinitive ("Biden to hold").

Roles come from the given actors' mention spans: agent in the core of the subject, target in the
object (or "against"/"on" it), participant in "with"/"between" phrases and complements, mentioned
otherwise. Verification: "could not be independently verified" in the sentence, or in the next
one about the same thing ("The images ..."), makes an event unverified; a denial by an actor
other than its agent, sharing a word stem with it, within the next two sentences, disputed.

Everything reads the one spaCy parse and walks each sentence's tokens a small, fixed number of
times, so events add little on top of the parse.

The package by concern: ``lexicon`` (the word lists), ``detection`` (sentences, predicates, the
main event and its date), ``participants`` (roles from the actors' mentions), ``titles``,
``verification`` (and confidence), and ``extract`` (the pass that builds the events).
"""

from timeline.extraction.events.extract import extract_events
from timeline.extraction.events.lexicon import (
    CONDITIONAL_MARKS,
    DENIAL_LEMMAS,
    HYPOTHETICAL_AUX,
    NOUN_CATEGORIES,
    PREDICATES,
    SCHEDULING,
    TITLE_VERBS,
    UNVERIFIED,
    WITHHOLDING,
)

__all__ = [
    "CONDITIONAL_MARKS",
    "DENIAL_LEMMAS",
    "HYPOTHETICAL_AUX",
    "NOUN_CATEGORIES",
    "PREDICATES",
    "SCHEDULING",
    "TITLE_VERBS",
    "UNVERIFIED",
    "WITHHOLDING",
    "extract_events",
]
