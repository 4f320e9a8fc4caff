"""The words statements are found by: reporting verbs, quotation marks, pronouns, source nouns."""

from __future__ import annotations

# Verbs that introduce what someone said (by lemma). Belief verbs are left out: "US officials
# believed" is no statement.
REPORTING_VERBS = frozenset(
    {
        "say", "tell", "add", "deny", "claim", "warn", "announce", "insist", "state", "report",
        "accuse", "argue", "assert", "note", "suggest", "write", "tweet", "acknowledge", "admit",
        "confirm", "explain", "reply", "respond", "promise", "pledge", "vow", "threaten",
        "predict", "urge", "ask", "demand", "reiterate", "stress", "allege", "contend",
        "maintain", "complain", "concede", "declare", "continue", "recall", "remark", "observe",
        "quip", "joke", "testify", "comment", "caution", "counter", "retort", "emphasize",
        "emphasise", "boast", "lament", "wonder", "post", "mention", "conclude",
        "disclose", "reveal", "estimate", "charge", "proclaim", "scoff", "shout",
        "sneer", "exclaim", "acknowledged", "begin", "go", "put",
    }
)  # fmt: skip
# Verbs that put someone's words on something: "called the response “insulting”".
_PARTIAL_VERBS = REPORTING_VERBS - {"go", "put", "begin", "continue"} | {
    "call", "describe", "refer", "label", "dub", "brand", "term", "characterize", "characterise",
    "praise", "slam", "blast", "deride", "mock", "hail", "condemn", "denounce", "criticize",
    "criticise", "decry", "chant", "tout", "quote", "cite", "dismiss", "accuse", "vow", "pledge",
    "urge", "insist", "promise", "question", "rip", "attack", "defend", "laud",
}  # fmt: skip
_SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "to", "for", "at", "with"})
# Verbs whose clause after them is reported speech (a narrower set: "go" and "put" frame quotes
# only, "ask" and "wonder" take questions).
_REPORTING_CLAUSE_VERBS = REPORTING_VERBS - {"go", "put", "continue", "begin", "wonder", "post"}
# Verbs reporting a denial or an admission take a gerund: "denies planning to invade".
_GERUND_VERBS = frozenset({"deny", "admit", "acknowledge", "confirm", "threaten", "promise"})
_OPEN_MARKS = {"“": "”", '"': '"', "‘": "’"}
_CLOSE_MARKS = frozenset({"”", '"', "’"})
_QUOTE_CHARS = frozenset('“”"‘’')
_SENTENCE_END = frozenset({".", "!", "?"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_THING_PRONOUNS = frozenset({"it"})
_OFFICIAL_NOUNS = frozenset(
    {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "government",
     "ministry", "diplomat", "diplomats", "authorities", "embassy"}
)  # fmt: skip
_HEADLINE_VERBS = frozenset(
    {"says", "said", "calls", "called", "slams", "rips", "blasts", "speaks", "reveals",
     "warns", "urges", "tells", "admits", "claims", "denies", "hammers", "accuses", "insists",
     "vows", "pledges", "praises", "mocks", "questions", "knocks", "hits", "attacks", "defends"}
)  # fmt: skip
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
_MEDIA_NOUNS = frozenset({"agency", "newspaper", "network", "broadcaster", "paper", "outlet"})
