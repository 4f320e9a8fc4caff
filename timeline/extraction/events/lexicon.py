"""The word lists events are found, classified, asserted and titled by."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from timeline.extraction.dates import (
    TimeExpression,
)
from timeline.extraction.types import (
    Category,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


# --------------------------------------------------------------------------------------------
# Lexicons

# Predicate lemma -> (category, strength). A category of None is decided by the objects:
# "launched joint military exercises" is military, "launched diplomatic pushes" diplomatic.
PREDICATES: dict[str, tuple[Category | None, float]] = {
    # military
    "mass": ("military", 0.9), "deploy": ("military", 0.9), "invade": ("military", 0.95),
    "attack": ("military", 0.9), "shell": ("military", 0.9), "bomb": ("military", 0.9),
    "strike": ("military", 0.8), "annex": ("military", 0.95), "withdraw": ("military", 0.8),
    "mobilise": ("military", 0.85), "mobilize": ("military", 0.85), "capture": ("military", 0.85),
    "seize": ("military", 0.8), "occupy": ("military", 0.85), "shoot": ("military", 0.8),
    "kill": ("military", 0.8), "sink": ("military", 0.8), "reinforce": ("military", 0.8),
    "station": ("military", 0.7), "advance": ("military", 0.6), "fire": ("military", 0.6),
    "encircle": ("military", 0.85), "bombard": ("military", 0.9), "intercept": ("military", 0.8),
    "retreat": ("military", 0.8), "destroy": ("military", 0.8), "clash": ("military", 0.8),
    "explode": ("military", 0.8), "raid": ("military", 0.85), "patrol": ("military", 0.7),
    "intensify": (None, 0.6), "escalate": (None, 0.6), "increase": (None, 0.5),
    "fight": ("military", 0.7), "battle": ("military", 0.75), "storm": ("military", 0.8),
    "repel": ("military", 0.85), "surround": ("military", 0.8), "besiege": ("military", 0.85),
    # diplomatic
    "meet": ("diplomatic", 0.9), "visit": ("diplomatic", 0.9), "negotiate": ("diplomatic", 0.85),
    "talk": ("diplomatic", 0.7), "discuss": ("diplomatic", 0.7), "travel": ("diplomatic", 0.7),
    "host": ("diplomatic", 0.8), "sign": ("diplomatic", 0.8), "agree": ("diplomatic", 0.7),
    "expel": ("diplomatic", 0.85), "summon": ("diplomatic", 0.8), "recall": ("diplomatic", 0.6),
    "recognise": ("diplomatic", 0.8), "recognize": ("diplomatic", 0.8),
    "propose": ("diplomatic", 0.6), "persuade": ("diplomatic", 0.6), "mock": ("diplomatic", 0.5),
    "respond": ("diplomatic", 0.6), "reply": ("diplomatic", 0.6), "brush": ("diplomatic", 0.5),
    "call": (None, 0.5), "come": ("diplomatic", 0.5), "arrive": (None, 0.6),
    "speak": ("diplomatic", 0.75), "take": (None, 0.7), "finish": (None, 0.7),
    "enter": (None, 0.7),
    "tell": ("diplomatic", 0.7), "advise": ("diplomatic", 0.6), "urge": ("statement", 0.5),
    "evacuate": ("humanitarian", 0.8), "relocate": ("diplomatic", 0.7), "close": (None, 0.6),
    "inform": ("diplomatic", 0.6), "appeal": ("diplomatic", 0.6), "ratify": ("diplomatic", 0.85),
    "vote": ("diplomatic", 0.75), "convene": ("diplomatic", 0.8), "phone": ("diplomatic", 0.8),
    "congratulate": ("diplomatic", 0.6), "react": ("statement", 0.5),
    "protest": ("statement", 0.6), "assure": ("statement", 0.5),
    "veto": ("diplomatic", 0.9), "abstain": ("diplomatic", 0.7), "adopt": ("diplomatic", 0.7),
    "encourage": ("diplomatic", 0.5), "decline": (None, 0.5),
    "elect": ("other", 0.8), "appoint": ("other", 0.7), "resign": ("other", 0.8),
    "investigate": ("other", 0.7),
    "arrest": ("other", 0.8), "detain": ("other", 0.8),
    "nominate": ("other", 0.7), "renominate": ("other", 0.7), "rule": ("other", 0.6),
    "sue": ("other", 0.7), "file": (None, 0.55),
    # flexible: the objects decide
    "launch": (None, 0.8), "hold": (None, 0.6), "conduct": (None, 0.7), "begin": (None, 0.6),
    "start": (None, 0.6), "deliver": (None, 0.7), "send": (None, 0.7), "show": (None, 0.55),
    "yield": (None, 0.5), "move": (None, 0.6), "pull": (None, 0.6), "build": (None, 0.5),
    "end": (None, 0.7), "resume": (None, 0.7), "hand": (None, 0.6), "submit": (None, 0.6),
    "publish": (None, 0.5), "receive": (None, 0.5), "order": (None, 0.7), "return": (None, 0.65),
    "approve": (None, 0.7), "authorise": (None, 0.8), "authorize": (None, 0.8),
    "declare": (None, 0.7), "postpone": (None, 0.7), "cancel": (None, 0.7),
    "release": (None, 0.6), "rally": (None, 0.6), "fall": (None, 0.6), "rise": (None, 0.6),
    "tumble": (None, 0.7), "slump": (None, 0.7), "surge": (None, 0.7), "plunge": (None, 0.7),
    "watch": (None, 0.6), "observe": (None, 0.6), "hear": (None, 0.6),
    "provide": (None, 0.5), "supply": (None, 0.55), "address": ("statement", 0.6),
    # economic
    "sanction": ("economic", 0.9), "impose": ("economic", 0.8), "freeze": ("economic", 0.8),
    "ban": ("economic", 0.75), "halt": ("economic", 0.7), "suspend": ("economic", 0.7),
    "cut": ("economic", 0.6), "export": ("economic", 0.6), "default": ("economic", 0.8),
    "remove": (None, 0.6), "exclude": (None, 0.6), "block": (None, 0.6),
    # humanitarian
    "flee": ("humanitarian", 0.85), "rescue": ("humanitarian", 0.8), "die": ("humanitarian", 0.8),
    "injure": ("humanitarian", 0.8), "wound": ("humanitarian", 0.8),
    "recover": ("humanitarian", 0.6),
    # statements that are events in their own right
    "warn": ("statement", 0.6), "deny": ("statement", 0.6), "accuse": ("statement", 0.6),
    "threaten": ("statement", 0.55), "condemn": ("statement", 0.6), "vow": ("statement", 0.5),
    "announce": ("statement", 0.6), "reject": ("statement", 0.55), "demand": ("statement", 0.5),
    "dismiss": ("statement", 0.5), "refuse": ("other", 0.5), "confirm": ("statement", 0.5),
    "pledge": ("statement", 0.5), "criticise": ("statement", 0.55),
    "criticize": ("statement", 0.55),
}  # fmt: skip

# Verbs that say little on their own and take their meaning from their object: "had a phone
# call", "made a visit", "gave the order", "issued a warning". Object lemma -> (category,
# strength); any other object leaves the verb no event.
LIGHT_VERBS = {"have", "make", "give", "issue"}
LIGHT_OBJECTS: dict[str, tuple[Category, float]] = {
    "call": ("diplomatic", 0.8), "conversation": ("diplomatic", 0.8),
    "talk": ("diplomatic", 0.8), "meeting": ("diplomatic", 0.8), "visit": ("diplomatic", 0.8),
    "trip": ("diplomatic", 0.7), "summit": ("diplomatic", 0.8), "order": ("other", 0.7),
    "decree": ("other", 0.7), "warning": ("statement", 0.6), "ultimatum": ("statement", 0.6),
    "speech": ("statement", 0.6), "address": ("statement", 0.6),
    "announcement": ("statement", 0.6), "statement": ("statement", 0.6),
    "appeal": ("statement", 0.6), "pledge": ("statement", 0.6), "threat": ("statement", 0.6),
    "demand": ("statement", 0.6), "conference": ("statement", 0.7),
    "briefing": ("statement", 0.6), "interview": ("statement", 0.6),
    "proposal": ("diplomatic", 0.6), "request": ("diplomatic", 0.6), "deal": ("diplomatic", 0.7),
    "agreement": ("diplomatic", 0.7), "vote": ("diplomatic", 0.7), "decision": ("other", 0.6),
}  # fmt: skip

# Nouns in a predicate's arguments that decide (or override) the category.
_NOUNS_BY_CATEGORY: dict[Category, str] = {
    "military": (
        "troop force deployment warship exercise drill tank missile military invasion buildup "
        "warplane army navy soldier weapon artillery offensive strike attack jet helicopter "
        "battalion vehicle rocket drone shelling frontier border incursion equipment base garrison "
        "explosion blast gunfire"
    ),
    "diplomatic": (
        "talk call meeting summit response answer letter diplomacy push mission embassy "
        "ambassador delegation envoy proposal negotiation treaty agreement visit diplomat "
        "demand concession consulate minister citizen"
    ),
    "economic": (
        "sanction economy gas pipeline oil trade export import price market bank currency "
        "asset loan investment"
    ),
    "humanitarian": ("refugee civilian aid evacuation casualty hospital humanitarian food shelter"),
}
NOUN_CATEGORIES: dict[str, Category] = {
    noun: category for category, nouns in _NOUNS_BY_CATEGORY.items() for noun in nouns.split()
}

# Verbs whose complement has not (or not surely) happened: "denies planning to invade", "wants
# answers", "believed the crisis could be reaching a critical point". Reporting verbs ("said",
# "reported") are not here: what a source reports stands as an event, attributed.
WITHHOLDING = {
    "plan", "want", "threaten", "seek", "try", "hope", "deny", "refuse", "expect", "aim",
    "intend", "consider", "fear", "warn", "urge", "demand", "ask", "need", "prepare", "propose",
    "promise", "vow", "pledge", "offer", "wish", "persuade", "believe", "think", "suspect",
    "assume", "estimate", "predict", "doubt", "imagine",
}  # fmt: skip
HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should", "must", "can", "ought", "'d"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# A past clause of time takes its happening as known, whatever the sentence around it does:
# "planned to wait until after the games ended February 20", "since Russia seized Crimea".
TEMPORAL_MARKS = {"after", "before", "until", "till", "since", "when", "once"}
# Verbs whose "to"-complement describes a scheduled or begun event: "due to hold".
SCHEDULING = {"due", "set", "begin", "start", "continue", "agree", "decide", "go", "move", "be"}

UNVERIFIED = re.compile(
    r"could not (?:be )?(?:independently )?(?:verif|confirm)|cannot (?:be )?(?:independently )?"
    r"(?:verif|confirm)|(?:was|were|is|are) not (?:able to )?(?:independently )?(?:verif|confirm)"
    r"|unable to (?:independently )?(?:verif|confirm)|unverified|not (?:been )?independently "
    r"(?:verified|confirmed)",
    re.IGNORECASE,
)
DENIAL_LEMMAS = {"deny", "refute", "dismiss", "reject", "dispute", "contradict"}

TITLE_VERBS = {"come": "visit", "brush": "brush off"}
# A light verb's headline form, when its object makes it a happening: "had talks" -> "holds talks".
LIGHT_TITLE_VERBS = {"have": "hold"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
# "the two leaders", "both men": a pair of the people just named, standing in for their names.
PAIR_NOUNS = {
    "leaders": True, "men": True, "women": True, "presidents": True, "ministers": True,
    "heads": True, "sides": False, "countries": False, "nations": False, "governments": False,
}  # fmt: skip
PAIR_WORDS = {"two", "both"}
# Whose titles "the two leaders" (or presidents, ministers) may stand for when no event of theirs
# was just told: 'The president is to "engage with President Xi," an aide told a reporter.'
_LEADER_TITLES = ("president", "prime minister", "premier", "chancellor", "king", "queen",
                  "leader", "emperor", "head of state")  # fmt: skip
PAIR_TITLES = {
    "leaders": _LEADER_TITLES, "heads": _LEADER_TITLES, "presidents": ("president",),
    "ministers": ("minister",),
}  # fmt: skip
_NOT_IN_OFFICE = ("vice ", "deputy ", "former ", "ex-")


def holds_title(title: str, titles: tuple[str, ...]) -> bool:
    """ "Russian President" holds "president"; "Vice President" and "former president" do not."""
    lowered = title.lower().strip()
    return lowered.endswith(titles) and not any(word in lowered for word in _NOT_IN_OFFICE)


_DROP_DEPS = {
    "relcl", "acl", "appos", "punct", "advcl", "parataxis", "mark", "ccomp", "dep", "meta",
    "intj", "npadvmod", "preconj", "predet", "case",
}  # fmt: skip
_DROP_WORDS = {
    "the", "a", "an", "their", "its", "his", "her", "our", "your", "yet", "also", "already",
    "immediately", "still", "just", "further", "openly", "reportedly", "mostly",
}  # fmt: skip
_PLACE_PREPOSITIONS = {"in", "near", "into", "to", "at", "from", "across", "around", "inside"}


@dataclass
class _Candidate:
    token: Token
    category: Category
    strength: float
    own_date: TimeExpression | None
