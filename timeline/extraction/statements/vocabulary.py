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
    "liken", "compare", "exhort", "reference", "bemoan", "portray", "depict", "cast",
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
# Pronouns for a state, a body or a group, never for one person: "it said", "they said".
_THING_PRONOUNS = frozenset({"it", "they"})
_OFFICIAL_NOUNS = frozenset(
    {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "government",
     "ministry", "diplomat", "diplomats", "authorities", "embassy"}
)  # fmt: skip
# Nouns for a source who is a person left unnamed: "a senior official", "two diplomats".
_UNNAMED_PERSON_NOUNS = frozenset(
    {"official", "diplomat", "source", "spokesman", "spokeswoman", "spokesperson", "aide",
     "insider", "adviser", "advisor", "staffer", "negotiator", "officer"}
)  # fmt: skip
# Common nouns (lemmas) that can name who spoke: people, groups, bodies, and texts that speak.
_SOURCE_NOUNS = frozenset(
    {"person", "people", "man", "woman", "men", "women", "friend", "resident", "citizen",
     "voter", "protester", "protestor", "demonstrator", "supporter", "critic", "expert",
     "observer", "witness", "doctor", "nurse", "teacher", "student", "worker", "employee",
     "neighbor", "neighbour", "narrator", "announcer", "reporter", "journalist",
     "correspondent", "member", "participant", "activist", "advocate", "opponent", "ally",
     "family", "relative", "parent", "child", "kid", "victim", "survivor", "police",
     "investigator", "staff", "team", "crowd", "audience", "campaign", "committee", "council",
     "court", "panel", "board", "union", "group", "coalition", "party", "administration",
     "agency", "department", "office", "company", "firm", "bank", "organization",
     "organisation", "institute", "foundation", "association", "magazine", "station",
     "website", "site", "blog", "report", "study", "survey", "poll", "statement", "letter",
     "memo", "document", "filing", "complaint", "lawsuit", "suit", "ruling", "decision",
     "order", "opinion", "editorial", "article", "story", "book", "ad", "advertisement",
     "video", "clip", "spot", "post", "tweet", "release", "brief", "petition", "resolution",
     "analysis", "review", "audit", "indictment", "jury", "majority", "minority", "percent",
     "fan", "guest", "caller", "viewer", "reader", "listener", "owner", "boss", "colleague",
     "partner", "spouse", "someone", "somebody", "everyone", "nobody", "other", "delegate",
     "senate", "house", "congress", "parliament", "cabinet", "military", "army", "white"}
)  # fmt: skip
# Endings of agent nouns, which name someone: "questioner", "organizer", "economist".
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent")
_HEADLINE_VERBS = frozenset(
    {"says", "said", "calls", "called", "slams", "rips", "blasts", "speaks", "reveals",
     "warns", "urges", "tells", "admits", "claims", "denies", "hammers", "accuses", "insists",
     "vows", "pledges", "praises", "mocks", "questions", "knocks", "hits", "attacks", "defends"}
)  # fmt: skip
# Texts a source issues, which a participle after them quotes: "issued a statement calling …".
_TEXT_NOUNS = frozenset(
    {"statement", "report", "letter", "release", "memo", "tweet", "post", "message", "note",
     "ad", "advertisement", "video", "essay", "column", "editorial", "filing", "complaint"}
)  # fmt: skip
# Nouns of saying whose owner said the quoted words they hold: "Trump's claim that “…”".
_SAYING_NOUNS = frozenset(
    {"claim", "statement", "remark", "comment", "assertion", "promise", "pledge", "warning",
     "prediction", "description", "reference", "charge", "accusation", "argument",
     "suggestion", "insistence", "vow", "words", "characterization", "boast",
     "complaint", "allegation", "threat", "announcement", "declaration", "admission"}
)  # fmt: skip
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
_MEDIA_NOUNS = frozenset({"agency", "newspaper", "network", "broadcaster", "paper", "outlet"})
# Words of a title that say a person's gender ("Chairwoman", "Congressman").
_FEMALE_WORDS = frozenset(
    {"chairwoman", "congresswoman", "spokeswoman", "businesswoman", "councilwoman", "queen",
     "princess", "duchess", "first lady", "wife", "mother", "daughter", "sister", "actress"}
)  # fmt: skip
_MALE_WORDS = frozenset(
    {"chairman", "congressman", "spokesman", "businessman", "councilman", "king", "prince",
     "duke", "husband", "father", "son", "brother", "actor"}
)  # fmt: skip
# Nouns for a person's role, which a description of someone stands on: "the senator said". Not
# "official" or "source": those are the words of a source kept unnamed.
_ROLE_NOUNS = frozenset(
    {"senator", "mayor", "president", "governor", "nominee", "candidate", "businessman",
     "congressman", "lawmaker", "legislator", "secretary", "chairman", "chair", "leader",
     "minister", "director", "founder", "billionaire", "mogul", "speaker", "representative",
     "judge", "prosecutor", "attorney", "lawyer", "general", "commander", "ambassador", "envoy",
     "chief", "executive", "adviser", "advisor", "aide", "strategist", "manager", "democrat",
     "republican", "host", "anchor", "actor", "actress", "singer", "star", "author", "economist",
     "professor", "analyst", "pollster", "premier", "chancellor", "king", "queen", "prince",
     "pope", "rival", "challenger", "incumbent", "contender", "veteran", "activist", "officer",
     "sheriff", "mother", "father", "wife", "husband", "son", "daughter",
     "businesswoman", "congresswoman", "chairwoman", "spokeswoman", "spokesman", "lady",
     "politician", "commentator", "columnist", "ceo", "head", "boss", "campaigner"}
)  # fmt: skip
# Titles before a name, which are not part of it: "Sen. Jon Tester", "Chairperson Jane Doe".
_TITLE_WORDS = frozenset(
    {"mr", "ms", "mrs", "miss", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt",
     "adm", "maj", "prof", "rev", "hon", "sir", "dame", "lord", "lady", "president", "senator",
     "governor", "representative", "congressman", "congresswoman", "secretary", "minister",
     "chairman", "chairwoman", "chairperson", "chair", "mayor", "judge", "justice", "speaker",
     "leader", "former", "interim", "acting", "retired", "deputy", "vice", "prime", "general",
     "ambassador", "spokesman", "spokeswoman", "spokesperson", "director", "chief", "attorney",
     "candidate", "nominee", "del", "pope", "king", "queen", "prince", "princess", "sens", "reps"}
)  # fmt: skip
# Verbs beyond saying that attribute a claim or a stance to a source, PolNeAR-style attribution
# in general news: "a poll shows …", "the study found …", "she wants …", "he declined to …".
_STANCE_VERBS = frozenset(
    {"show", "find", "believe", "think", "know", "expect", "want", "hope", "fear", "plan",
     "agree", "decide", "refuse", "decline", "indicate", "propose", "recommend", "worry",
     "doubt", "seem", "appear", "understand", "see", "feel", "signal", "hint", "imply",
     "intend", "aim", "seek", "offer", "concur", "disagree", "dispute", "question",
     "reject", "vow", "pledge", "promise", "urge", "insist", "demand", "request", "recognize",
     "recognise", "assume", "guess", "suspect", "conclude", "determine", "establish", "prove",
     "reveal", "suggest", "imagine", "anticipate", "predict", "forecast", "project", "estimate",
     "learn", "discover", "realize", "realise", "notice", "remember", "forget", "accept"}
)  # fmt: skip
# Verbs whose object is what the source said or stood for: "cited the poll", "called for a vote".
_NOMINAL_CUE_VERBS = frozenset(
    {"cite", "support", "oppose", "criticize", "criticise", "attack", "question", "demand",
     "propose", "echo", "discuss", "mention", "offer", "acknowledge", "defend", "blame",
     "praise", "condemn", "denounce", "endorse", "back", "reject", "dispute", "deny", "announce",
     "highlight", "tout", "dismiss", "slam", "blast", "welcome", "applaud", "recommend",
     "predict", "promise", "pledge", "threaten", "confirm", "report", "show", "find", "want",
     "request", "urge", "claim", "allege", "suggest", "explain", "describe", "accuse"}
)  # fmt: skip
# Particles or prepositions that carry the content of a cue: "called for", "pointed to".
_CUE_PREPOSITIONS = {"call": ("for", "on"), "point": ("to",), "argue": ("for", "against"),
                     "push": ("for",), "press": ("for",), "warn": ("of", "against", "about"),
                     "talk": ("about",), "speak": ("about", "of"), "complain": ("about",),
                     "ask": ("for", "about"),
                     "comment": ("on",), "agree": ("with", "on", "to"), "insist": ("on",),
                     "vote": ("for", "against"), "advocate": ("for",), "hint": ("at",)}  # fmt: skip
