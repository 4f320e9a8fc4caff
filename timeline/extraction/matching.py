"""Which events report the same happening: pairwise evidence, then clustering best match first.

Pure Python (no Django). An event is compared through an `EventSketch`: the sentences that cite
it, its actors, its place and its date. Two events match when their dates can agree, they name
no different people, and the sentences citing them share enough of their rarer words — rarer
within the events compared together, so that the names every event of a crisis carries
("Russia", "Ukraine") weigh little and the words of one happening weigh much. Summaries and
generated titles are not compared: they are a few words made by the machine, while the sentences
are what each outlet wrote.

`cluster` takes an article's events and the stored events they may report again, and decides for
all of them at once, best-scoring pair first, so the result does not depend on the order the
events are listed in.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace

from timeline.extraction.actors.lexicon import DEMONYM_TO_STATE, TITLE_WORDS
from timeline.extraction.embedding import embeddings, meaning_similarity
from timeline.extraction.similarity import PRECISION_SLACK_DAYS, STOPWORDS

# Weighted cosine of the sentences' words at or above which two events are one happening, with
# the bonus a person both name adds, in full when no other event compared names them and less
# the more do (`Weights.person`: Putin in a day of Kremlin news proves little). Learned on the
# dev set (outlets-2022-dev: pairs of events from articles by different outlets, `make eval`): every
# link stays right from 0.18 to 0.30, in either order and among 10,000 synthetic events (at 0.16
# the synthetic ones start to join); from 0.26 up, links that one order makes the other misses.
MATCH_THRESHOLD = 0.24
SHARED_PERSON_BONUS = 0.15
# A near miss in words (from NEAR_MISS to the threshold) whose sentences say the same in meaning
# (the sentence embeddings' cosine, `embedding.meaning_similarity`, at or above MEANING_MATCH)
# is a match: one happening in other words. Learned on the dev set, on the pairs of its events:
# the embedding alone separates same-event pairs from others better than the words do (AUC 0.92
# to 0.89) but not well enough to match on its own (pairs of different events of one day reach
# 0.80); among near misses, 0.65 lifts two same-event pairs (of 40) and no other pair, among
# 10,000 synthetic events too. Encoded are the near misses that name the same person or place,
# or where neither names a person: what a ministry or a state did ("some units started returning
# to their bases", "troops were returning to base") has no name to go by. On fresh news from
# other days and outlets (15 and 21-22 Feb 2022, ten outlets, annotated as the dev set) those
# pairs reach 0.80-0.83 in meaning at 0.14-0.22 in words, and every pair of different events
# below 0.52: hence the floor of 0.12 rather than the dev set's 0.15, which moves no dev figure.
NEAR_MISS = 0.12
MEANING_MATCH = 0.65
# How many of a new event's near misses are read for their meaning, the closest in words first:
# among 100,000 stored events a new one has hundreds, and encoding a sentence takes ~15 ms.
MEANING_BUDGET = 6
# Within one article a happening is told once in the lead and again in the body, in other words:
# there, the same person on the same day with some shared wording is enough.
SAME_ARTICLE_THRESHOLD = 0.15

# Words of reporting and hedging that say nothing about what happened.
_NOISE = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tell",
        "telling",
        "added",
        "adding",
        "noted",
        "according",
        "continued",
        "continues",
        "continue",
        "reported",
        "reports",
        "report",
        "statement",
        "spoke",
        "speaks",
        "speak",
        "while",
        "which",
        "who",
        "what",
        "when",
        "where",
        "there",
        "here",
        "been",
        "being",
        "just",
        "even",
        "still",
        "any",
        "all",
        "some",
        "very",
        "much",
        "many",
        "other",
        "another",
        "such",
        "only",
        "not",
        "now",
        "one",
        "two",
        "three",
        "first",
        "last",
        "week",
        "day",
        "days",
        "time",
        "times",
        "friday",
        "saturday",
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "mr",
        "mrs",
        "ms",
    ]
)
_WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")


def stem(word: str) -> str:
    """A crude English stem: enough that "warned", "warning" and "warns" meet."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, keep in (("ies", 3), ("ing", 4), ("ed", 4), ("es", 4), ("s", 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            break
    return word


def terms(text: str) -> frozenset[str]:
    """The stems of a text's content words, a month's abbreviation as its name ("Feb. 20" and
    "February 20" are one date, however each outlet's style writes it)."""
    words = (_MONTHS.get(word, word) for word in _WORD.findall(text.lower()))
    return frozenset(
        stem(word)
        for word in words
        if len(word) > 2 and word not in STOPWORDS and word not in _NOISE
    )


_MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december",
}  # fmt: skip


@dataclass(frozen=True)
class EventSketch:
    """What matching compares of one event."""

    key: Hashable  # the caller's handle: a stored event's id, or a new event's index
    article: Hashable  # the article (stored events: None, they may cite several)
    texts: tuple[str, ...]  # the sentences that cite it
    start: dt.date
    end: dt.date | None = None
    precision: str = "day"
    actors: frozenset[Hashable] = frozenset()
    people: frozenset[str] = frozenset()  # the names of the actors that are persons
    speakers: frozenset[str] = frozenset()  # persons whose remarks its sentences quote or report
    agents: frozenset[str] = frozenset()  # the persons who did it (the agents among `people`)
    place: str = ""
    scheduled: bool = False  # announced for later: never the same as what has happened
    fallback: bool = False  # dated by the publication date, the text naming none
    # A stored machine draft no editor has touched: when a new article shows it reports the same
    # happening as another stored event, it is folded into that one (an editor may split it off).
    foldable: bool = False
    category: str = ""  # military, diplomatic, …: see `kinds_agree`
    bags: tuple[frozenset[str], ...] = field(init=False, default=())
    words: frozenset[str] = field(init=False, default=frozenset())
    # (given name, surname) of the people and of the speakers, folded to ASCII lower case
    names: frozenset[tuple[str, str]] = field(init=False, default=frozenset())
    voices: frozenset[tuple[str, str]] = field(init=False, default=frozenset())
    doers: frozenset[tuple[str, str]] = field(init=False, default=frozenset())  # of `agents`
    quoted: frozenset[tuple[str, ...]] = field(init=False, default=frozenset())  # see quoted_runs

    def __post_init__(self) -> None:
        bags = tuple(terms(text) for text in self.texts)
        object.__setattr__(self, "bags", bags)
        object.__setattr__(self, "words", frozenset().union(*bags))
        object.__setattr__(self, "names", frozenset(filter(all_of, map(name_parts, self.people))))
        object.__setattr__(
            self, "voices", frozenset(filter(all_of, map(name_parts, self.speakers)))
        )
        object.__setattr__(self, "quoted", frozenset().union(*map(quoted_runs, self.texts)))
        object.__setattr__(self, "doers", frozenset(filter(all_of, map(name_parts, self.agents))))


# Words in quotation marks, whichever marks an outlet's style (or its typo: ‘business-like”) uses.
_QUOTED = re.compile(r"[“\"‘]([^“”\"‘’]{8,400})[”\"’]")
# How many words in a row two quotes must share to be one utterance: fewer could be a stock
# phrase ("special military operation") every outlet quotes about every day's events.
QUOTED_RUN = 4


def quoted_runs(text: str) -> frozenset[tuple[str, ...]]:
    """Every QUOTED_RUN words in a row inside quotation marks: what two outlets share when they
    quote one utterance ("an atmosphere of unprecedented hysteria")."""
    runs: set[tuple[str, ...]] = set()
    for quote in _QUOTED.findall(text):
        words = _WORD.findall(quote.lower().replace("’", "'"))
        runs.update(
            tuple(words[i : i + QUOTED_RUN])
            for i in range(len(words) - QUOTED_RUN + 1)
            if sum(1 for w in words[i : i + QUOTED_RUN] if w not in STOPWORDS) >= 2
        )
    return frozenset(runs)


def all_of(parts: tuple[str, str]) -> bool:
    return bool(parts[1])


def name_parts(name: str) -> tuple[str, str]:
    """A person's given name (empty when only the surname is known) and surname, folded to ASCII
    lower case: outlets agree on the surname most, and give the first name or not."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z]+", folded)
    if not words:
        return "", ""
    return (words[0] if len(words) > 1 else ""), words[-1]


def same_person(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Two names of one person: the surname alike, transliterated or not ("zelensky",
    "zelenskiy"), and the given names alike when both are given ("Sergei", "Sergey"; "Joe
    Biden" and "Biden" agree, "Sofia Blinken" and "Antony Blinken" do not)."""
    (given_a, last_a), (given_b, last_b) = a, b
    return _alike(last_a, last_b, 0.8, shortest=5) and (
        not given_a or not given_b or _alike(given_a, given_b, 0.6, shortest=3)
    )


def _alike(a: str, b: str, ratio: float, *, shortest: int) -> bool:
    if a == b:
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < shortest:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= ratio


def shared_people(a: EventSketch, b: EventSketch) -> list[str]:
    """The surnames of the people both events name."""
    return sorted({x[1] for x in a.names if any(same_person(x, y) for y in b.names)})


@dataclass(frozen=True)
class Evidence:
    """Why two events were matched: shown to editors beside the proposal."""

    score: float
    similarity: float  # of the words the sentences share
    shared_words: tuple[str, ...]
    shared_people: tuple[str, ...]
    meaning: float | None = None  # how alike in meaning, measured for near misses only


def dates_agree(a: EventSketch, b: EventSketch) -> bool:
    """Whether the two dates can name the same time: ± the coarser precision (a day at day).
    A publication date standing in for a date the text does not give is no evidence of when,
    so it never widens the window (see `_fallback_agrees`)."""
    if a.fallback or b.fallback:
        return _fallback_agrees(a, b)
    slack = dt.timedelta(days=max(_slack_days(a), _slack_days(b)))
    return a.start - slack <= (b.end or b.start) and b.start - slack <= (a.end or a.start)


def _slack_days(sketch: EventSketch) -> int:
    """How far a date may be from what it names: its precision's width for a lone start ("in
    February" stored as 1 February), a day beyond a range that spells out its days ("last
    week": 14 to 20 February, not the Monday after)."""
    if sketch.end is not None:
        return PRECISION_SLACK_DAYS["day"]
    return PRECISION_SLACK_DAYS.get(sketch.precision, 1)


def _fallback_agrees(a: EventSketch, b: EventSketch) -> bool:
    """A publication date bounds what the article reports from above: it happened that day or,
    reported the next morning, the day before; never after. Two such dates agree a day apart."""
    day = dt.timedelta(days=1)
    if a.fallback and b.fallback:
        return abs(a.start - b.start) <= day
    undated, dated = (a, b) if a.fallback else (b, a)
    return undated.start - day <= (dated.end or dated.start) and dated.start <= undated.start


class Weights:
    """Inverse document frequency of words and actors over the events compared together."""

    def __init__(self, sketches: Sequence[EventSketch]) -> None:
        self._n = len(sketches)
        self._words = Counter(word for s in sketches for word in s.words)
        self._people = Counter(surname for s in sketches for surname in {n[1] for n in s.names})
        # Each word's weight and each bag's norm, once: one article meets hundreds of events.
        self._weights: dict[str, float] = {}
        self._norms: dict[frozenset[str], float] = {}

    def _idf(self, df: int) -> float:
        return math.log((1 + self._n) / (1 + df)) + 0.1

    def word(self, word: str) -> float:
        weight = self._weights.get(word)
        if weight is None:
            weight = self._weights[word] = self._idf(self._words[word])
        return weight

    def _norm(self, bag: frozenset[str]) -> float:
        norm = self._norms.get(bag)
        if norm is None:
            norm = self._norms[bag] = math.sqrt(sum(self.word(w) ** 2 for w in bag))
        return norm

    def person(self, surnames: Sequence[str]) -> float:
        """What naming one of these people says of a pair, from 1 (no other event compared
        names them) down to 0 (every one does, as Putin in a day of Kremlin news)."""
        others = self._n - 2
        if others <= 0:
            return 1.0
        return max(1.0 - max(self._people[s] - 2, 0) / others for s in surnames)

    def cosine(self, a: frozenset[str], b: frozenset[str]) -> float:
        shared = a & b
        if not shared:
            return 0.0
        num = sum(self.word(w) ** 2 for w in shared)
        return num / (self._norm(a) * self._norm(b))


def compare(a: EventSketch, b: EventSketch, weights: Weights) -> Evidence | None:
    """The evidence that `a` and `b` are one happening, or None when they cannot be.

    The similarity is that of their most alike pair of sentences (a stored event is cited by
    many, each outlet's in its own words); a person both name adds to it. Two outlets quoting
    the same person on the same day, in whatever words, report one occasion (a briefing, an
    interview), and so do two quoting the same words on days that agree, whoever they credit
    ("Ushakov said", "Russia's readout said"): either alone clears the threshold. A near miss
    in words is read for its meaning (see `_wants_meaning`).
    """
    evidence = _in_words(a, b, weights)
    if evidence is not None and _wants_meaning(a, b, evidence):
        evidence = _in_meaning(a, b, evidence)
    return evidence


def _in_words(a: EventSketch, b: EventSketch, weights: Weights) -> Evidence | None:
    if not _compatible(a, b):
        return None
    shared = a.words & b.words
    # A publication date standing in for a date says nothing of when: a name both share, with
    # no day to share it on, is no evidence either ("Putin gave the order" and "countries
    # criticise Putin's actions", both undated), nor is a speaker both quote "that day".
    undated = a.fallback or b.fallback
    voices = [] if undated else same_occasion_speakers(a, b)
    if not shared and not voices:
        return None
    one_quote = bool(a.quoted & b.quoted)
    similarity = max(weights.cosine(x, y) for x in a.bags for y in b.bags) if shared else 0.0
    if a.scheduled != b.scheduled and similarity < MATCH_THRESHOLD:
        return None  # an announcement and a deed of one day: the words alone must say so
    people = sorted({*shared_people(a, b), *voices})
    bonus = SHARED_PERSON_BONUS * weights.person(people) if people and not undated else 0.0
    score = similarity + bonus
    if voices or one_quote:
        score = max(score, MATCH_THRESHOLD)
    return Evidence(
        score=round(score, 3),
        similarity=round(similarity, 3),
        shared_words=tuple(sorted(shared, key=lambda w: -weights.word(w))[:5]),
        shared_people=tuple(people),
    )


def _wants_meaning(a: EventSketch, b: EventSketch, evidence: Evidence) -> bool:
    """A near miss in words that names the same person or place, or where neither names a
    person (what a state or a ministry did: only the meaning can tell)."""
    return NEAR_MISS <= evidence.score < MATCH_THRESHOLD and bool(
        evidence.shared_people or (a.place and a.place == b.place) or not (a.names or b.names)
    )


def _in_meaning(a: EventSketch, b: EventSketch, evidence: Evidence) -> Evidence:
    meaning = meaning_similarity(a.texts, b.texts)
    score = MATCH_THRESHOLD if meaning >= MEANING_MATCH else evidence.score
    return replace(evidence, score=round(score, 3), meaning=round(meaning, 3))


def same_occasion_speakers(a: EventSketch, b: EventSketch) -> list[str]:
    """The speakers two events both quote, when both are dated to the same day."""
    if a.precision != "day" or b.precision != "day" or a.start != b.start:
        return []
    return sorted({x[1] for x in a.voices if any(same_person(x, y) for y in b.voices)})


@dataclass(frozen=True)
class Assignment:
    """Where one new event goes: into a stored event, or with other new events as one."""

    index: int  # the new event's position
    stored: Hashable | None  # the stored event's key it reports again
    leader: int  # the new event that stands for its group when no stored event does
    evidence: Evidence | None  # the match that put it there (None for a leader on its own)
    # Other stored events of the group, all foldable: they report the same happening as
    # `stored` and are folded into it.
    folded: tuple[Hashable, ...] = ()


def cluster(new: Sequence[EventSketch], stored: Sequence[EventSketch]) -> list[Assignment]:
    """Group an article's events with each other and with stored events, best match first.

    Every pair (new with new, new with stored) is scored; pairs are taken from the best down and
    join their groups when the score clears the threshold, and every member of the joined group
    could still be the same happening as every other (dates and people agree). A group holds at
    most one stored event an editor has touched; foldable ones join it only when they match each
    other too, not merely through a new event that mentions both. So a new article may join
    clusters that earlier articles left apart, and the clusters come out the same whichever
    article came first. Ties break on the events' own order in `new`, then on the stored keys,
    so neither input order matters.
    """
    weights = Weights([*new, *stored])
    n = len(new)
    nodes: list[EventSketch] = [*new, *stored]
    scored: dict[tuple[int, int], Evidence] = {}
    for i in range(n):
        for j in range(i + 1, len(nodes)):
            evidence = _in_words(nodes[i], nodes[j], weights)
            if evidence is not None:
                scored[i, j] = evidence
    # Each new event's near misses, the closest in words first, up to MEANING_BUDGET of them,
    # are read for their meaning, their sentences encoded in one batch.
    wanted: dict[int, list[tuple[int, int]]] = {}
    for (i, j), evidence in scored.items():
        if _wants_meaning(nodes[i], nodes[j], evidence):
            wanted.setdefault(i, []).append((i, j))
    read = [
        pair
        for found in wanted.values()
        for pair in sorted(found, key=lambda p: (-scored[p].score, p))[:MEANING_BUDGET]
    ]
    embeddings(text for i, j in read for text in (*nodes[i].texts, *nodes[j].texts))
    for i, j in read:
        scored[i, j] = _in_meaning(nodes[i], nodes[j], scored[i, j])
    pairs: list[tuple[float, int, int, Evidence]] = []
    for (i, j), evidence in scored.items():
        # Two from the article need the same person and more than the name.
        same_article = j < n
        if (
            _one_happening_told_twice(evidence, nodes[i], nodes[j])
            if same_article
            else evidence.score >= MATCH_THRESHOLD
        ):
            pairs.append((evidence.score, i, j, evidence))
    pairs.sort(key=lambda p: (-p[0], p[1], str(nodes[p[2]].key)))

    group = list(range(len(nodes)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}
    how: dict[int, Evidence] = {}

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for _, i, j, evidence in pairs:
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        joined = members[ri] + members[rj]
        if not _may_hold(nodes, [m for m in joined if m >= n], weights):
            continue
        if not all(_compatible(nodes[x], nodes[y]) for x in members[ri] for y in members[rj]):
            continue
        group[rj] = ri
        members[ri] = joined
        del members[rj]
        how.setdefault(i, evidence)
        how.setdefault(j, evidence)

    result = []
    for i in range(n):
        mine = members[root(i)]
        held = sorted((m for m in mine if m >= n), key=lambda m: (nodes[m].foldable, m))
        leader = min(m for m in mine if m < n)
        result.append(
            Assignment(
                index=i,
                stored=nodes[held[0]].key if held else None,
                leader=leader,
                evidence=how.get(i),
                folded=tuple(nodes[m].key for m in held[1:]),
            )
        )
    return result


def _may_hold(nodes: Sequence[EventSketch], stored: Sequence[int], weights: Weights) -> bool:
    """Whether one group may hold these stored events: at most one that is not foldable, and
    every two of them alike in their own words as two outlets' tellings of one happening must
    be, a shared name adding nothing — a new sentence that mentions two happenings at once does
    not make them one, nor does a chain of weaker likenesses through a many-cited event."""
    if len(stored) < 2:
        return True
    if sum(1 for m in stored if not nodes[m].foldable) > 1:
        return False
    for x, m in enumerate(stored):
        for other in stored[x + 1 :]:
            evidence = compare(nodes[m], nodes[other], weights)
            if evidence is None or evidence.similarity < MATCH_THRESHOLD:
                return False
    return True


def _one_happening_told_twice(evidence: Evidence, a: EventSketch, b: EventSketch) -> bool:
    """The bar two events from one article clear to be one happening: the same person, and
    more than the name."""
    return (
        bool(evidence.shared_people)
        and _beyond_names(evidence, a, b)
        and evidence.score >= SAME_ARTICLE_THRESHOLD
    )


def _beyond_names(evidence: Evidence, a: EventSketch, b: EventSketch) -> bool:
    """Whether the shared words hold more than the people's names and how news titles them
    ("Russian President Vladimir Putin" in both says only that both name him)."""
    names = {stem(part) for given_surname in a.names | b.names for part in given_surname if part}
    names.update(stem(part) for person in evidence.shared_people for part in person.split())
    return any(word not in names and word not in _TITLING for word in evidence.shared_words)


_TITLING = frozenset(stem(word) for word in (*TITLE_WORDS, *DEMONYM_TO_STATE))


# Categories that say what was done by how it was told (a remark) or not at all: any happening
# may be told so by one outlet and as a deed by another.
_ANY_KIND = frozenset(["", "statement", "other"])


def kinds_agree(a: EventSketch, b: EventSketch) -> bool:
    """Whether the two are the same kind of happening: a deployment of troops and the treaty
    signed the same day by the same leader are two events, however many words they share."""
    return a.category == b.category or a.category in _ANY_KIND or b.category in _ANY_KIND


def tenses_agree(a: EventSketch, b: EventSketch) -> bool:
    """What was announced for later is not what has happened, unless both texts name the same
    day: "units will today begin returning to their bases" is what "units started returning"
    tells (in words alike without help: see `_in_words`). A publication date standing in for a
    date names no day."""
    if a.scheduled == b.scheduled:
        return True
    return (
        a.precision == b.precision == "day"
        and a.start == b.start
        and not (a.end or b.end or a.fallback or b.fallback)
    )


def agents_agree(a: EventSketch, b: EventSketch) -> bool:
    """Whether the persons who did the two could be the same: one in common, or each side's
    doer taking part in the other ("Biden spoke with Macron", "Macron spoke with Biden").
    Macron calling for a council meeting and Putin calling Macron are two doings."""
    if not a.doers or not b.doers:
        return True
    if any(same_person(x, y) for x in a.doers for y in b.doers):
        return True
    return any(same_person(x, y) for x in a.doers for y in b.names) and any(
        same_person(x, y) for x in b.doers for y in a.names
    )


def _compatible(a: EventSketch, b: EventSketch) -> bool:
    """Whether the two could be one happening: dates that agree, doers that agree, and no two
    sets of people without one in common (each names people, none the same: different
    doings)."""
    if not dates_agree(a, b) or not kinds_agree(a, b) or not tenses_agree(a, b):
        return False
    if not agents_agree(a, b):
        return False
    if a.article is not None and a.article == b.article and set(a.texts) & set(b.texts):
        return False  # two events the extraction found in one sentence are two happenings
    return not (a.names and b.names and not shared_people(a, b))
