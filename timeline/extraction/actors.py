"""Actors named in an article: people, states, organisations, groups and media.

spaCy's statistical NER proposes the names; small rules then fix what the small English model gets
wrong in news about states: titles and affiliations in front of a name ("British Defence Secretary
Ben Wallace"), capitals and seats of power used as their state ("Moscow said", "the Kremlin said"),
state names written several ways ("US", "U.S.", "America") and mentions of one person under several
forms ("Joe Biden", "Biden"). Everything here is pure: a parsed spaCy ``Doc`` in, dataclasses out.

The helpers at the bottom (``normalise_name``, ``match_key``, ``candidate_keys``, ``same_actor``)
let the ingestion side match an extracted actor to actors already stored from other articles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from timeline.extraction.types import ActorKind, ExtractedActor, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Gazetteers -----------------------------------------------------------------------------------
# Kept deliberately small: the names that matter in news about states, plus every way of writing
# the few states whose short forms are ambiguous or dotted.

# canonical state -> demonyms (adjectives used in "French President Emmanuel Macron")
_STATES: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("Afghan",),
    "Albania": ("Albanian",),
    "Algeria": ("Algerian",),
    "Argentina": ("Argentine", "Argentinian"),
    "Armenia": ("Armenian",),
    "Australia": ("Australian",),
    "Austria": ("Austrian",),
    "Azerbaijan": ("Azerbaijani", "Azeri"),
    "Belarus": ("Belarusian", "Belarussian"),
    "Belgium": ("Belgian",),
    "Bosnia": ("Bosnian",),
    "Brazil": ("Brazilian",),
    "Bulgaria": ("Bulgarian",),
    "Canada": ("Canadian",),
    "Chile": ("Chilean",),
    "China": ("Chinese",),
    "Colombia": ("Colombian",),
    "Croatia": ("Croatian",),
    "Cuba": ("Cuban",),
    "Cyprus": ("Cypriot",),
    "Czech Republic": ("Czech",),
    "Denmark": ("Danish",),
    "Egypt": ("Egyptian",),
    "Estonia": ("Estonian",),
    "Ethiopia": ("Ethiopian",),
    "Finland": ("Finnish",),
    "France": ("French",),
    "Georgia": ("Georgian",),
    "Germany": ("German",),
    "Greece": ("Greek",),
    "Hungary": ("Hungarian",),
    "Iceland": ("Icelandic",),
    "India": ("Indian",),
    "Indonesia": ("Indonesian",),
    "Iran": ("Iranian",),
    "Iraq": ("Iraqi",),
    "Ireland": ("Irish",),
    "Israel": ("Israeli",),
    "Italy": ("Italian",),
    "Japan": ("Japanese",),
    "Jordan": ("Jordanian",),
    "Kazakhstan": ("Kazakh",),
    "Kenya": ("Kenyan",),
    "Kosovo": ("Kosovar",),
    "Kuwait": ("Kuwaiti",),
    "Latvia": ("Latvian",),
    "Lebanon": ("Lebanese",),
    "Libya": ("Libyan",),
    "Lithuania": ("Lithuanian",),
    "Luxembourg": (),
    "Mexico": ("Mexican",),
    "Moldova": ("Moldovan",),
    "Mongolia": ("Mongolian",),
    "Montenegro": ("Montenegrin",),
    "Morocco": ("Moroccan",),
    "Netherlands": ("Dutch",),
    "New Zealand": (),
    "Nigeria": ("Nigerian",),
    "North Korea": ("North Korean",),
    "North Macedonia": ("Macedonian",),
    "Norway": ("Norwegian",),
    "Pakistan": ("Pakistani",),
    "Palestine": ("Palestinian",),
    "Philippines": ("Filipino", "Philippine"),
    "Poland": ("Polish",),
    "Portugal": ("Portuguese",),
    "Qatar": ("Qatari",),
    "Romania": ("Romanian",),
    "Russia": ("Russian",),
    "Saudi Arabia": ("Saudi",),
    "Serbia": ("Serbian",),
    "Slovakia": ("Slovak",),
    "Slovenia": ("Slovenian",),
    "South Africa": ("South African",),
    "South Korea": ("South Korean",),
    "Spain": ("Spanish",),
    "Sweden": ("Swedish",),
    "Switzerland": ("Swiss",),
    "Syria": ("Syrian",),
    "Taiwan": ("Taiwanese",),
    "Tajikistan": ("Tajik",),
    "Turkey": ("Turkish",),
    "Turkmenistan": ("Turkmen",),
    "Ukraine": ("Ukrainian",),
    "United Arab Emirates": ("Emirati",),
    "United Kingdom": ("British",),
    "United States": ("American", "US", "U.S."),
    "Uzbekistan": ("Uzbek",),
    "Venezuela": ("Venezuelan",),
    "Vietnam": ("Vietnamese",),
    "Yemen": ("Yemeni",),
}

# other spellings of a state -> canonical name
_STATE_ALIASES: dict[str, str] = {
    "us": "United States",
    "u.s.": "United States",
    "u.s": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "united states of america": "United States",
    "the united states": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "the united kingdom": "United Kingdom",
    "the netherlands": "Netherlands",
    "holland": "Netherlands",
    "russian federation": "Russia",
    "the russian federation": "Russia",
    "prc": "China",
    "people's republic of china": "China",
    "czechia": "Czech Republic",
    "the philippines": "Philippines",
    "uae": "United Arab Emirates",
    "dprk": "North Korea",
    "turkiye": "Turkey",
    "türkiye": "Turkey",
    "ukrainian government": "Ukraine",
}

# capitals and seats of power that stand for their state when they act or speak ("Moscow said")
_METONYMS: dict[str, str] = {
    "moscow": "Russia",
    "kremlin": "Russia",
    "washington": "United States",
    "white house": "United States",
    "london": "United Kingdom",
    "downing street": "United Kingdom",
    "whitehall": "United Kingdom",
    "paris": "France",
    "elysee": "France",
    "élysée": "France",
    "kyiv": "Ukraine",
    "kiev": "Ukraine",
    "beijing": "China",
    "berlin": "Germany",
    "tokyo": "Japan",
    "warsaw": "Poland",
    "minsk": "Belarus",
    "ankara": "Turkey",
    "tehran": "Iran",
    "pyongyang": "North Korea",
    "seoul": "South Korea",
    "ottawa": "Canada",
    "rome": "Italy",
    "madrid": "Spain",
    "tbilisi": "Georgia",
    "vilnius": "Lithuania",
    "riga": "Latvia",
    "tallinn": "Estonia",
    "bucharest": "Romania",
    "budapest": "Hungary",
    "jerusalem": "Israel",
    "taipei": "Taiwan",
    "new delhi": "India",
    "canberra": "Australia",
    "brussels": "European Union",
}

# Places spaCy sometimes takes for a person or an organisation; never actors.
_PLACES = _words(
    "crimea donbas donbass donetsk luhansk lugansk kharkiv kharkov lviv odesa odessa mariupol "
    "kherson zaporizhzhia sevastopol chernihiv sumy dnipro black sea sea of azov"
) | frozenset({"black sea", "sea of azov", "situation room"})

_MEDIA_NAMES = frozenset(
    {
        "reuters", "ap", "associated press", "afp", "agence france-presse", "interfax", "tass",
        "ria", "ria novosti", "itar-tass", "ukrinform", "unian", "xinhua", "bbc", "cnn", "nbc",
        "nbc news", "cbs", "cbs news", "abc", "abc news", "fox news", "msnbc", "npr", "pbs",
        "bloomberg", "politico", "axios", "the new york times", "new york times", "the washington "
        "post", "washington post", "the wall street journal", "wall street journal", "the guardian",
        "financial times", "the times", "the telegraph", "der spiegel", "le monde", "al jazeera",
        "rt", "sputnik", "kyiv independent", "breitbart", "the hill", "huffington post",
        "usa today", "the post", "new york post", "the new york post", "cnbc", "c-span",
        "the associated press", "buzzfeed", "vox", "slate", "the atlantic", "newsweek", "time",
    }
)  # fmt: skip
_MEDIA_WORDS = frozenset(
    {"news", "agency", "times", "post", "journal", "tv", "television", "radio", "newspaper",
     "herald", "tribune", "gazette", "daily", "magazine", "broadcasting", "press"}
)  # fmt: skip
_GROUP_NAMES = frozenset(
    {"taliban", "hamas", "hezbollah", "houthis", "isis", "islamic state", "al qaeda", "wagner",
     "wagner group", "azov", "the west", "west"}
)  # fmt: skip
_GROUP_WORDS = frozenset(
    {"group", "brigade", "battalion", "militia", "movement", "front", "rebels", "separatists",
     "army", "guard"}
)  # fmt: skip
# Organisation names that only make sense with their state in front ("Russia's Foreign Ministry").
_GENERIC_ORG_WORDS = frozenset(
    {"ministry", "department", "government", "parliament", "embassy", "office", "cabinet",
     "military", "navy", "army", "council", "senate", "congress", "police", "intelligence",
     "forces", "force"}
)  # fmt: skip
_NOT_ACTORS = frozenset(
    {"covid-19", "covid", "coronavirus", "olympics", "twitter", "facebook", "instagram",
     "youtube", "state", "defence", "defense", "republican", "democratic", "gop"}
)  # fmt: skip

# Words that make up a title in front of a name ("Chief of General Staff", "Defence Secretary").
_TITLE_WORDS = _words(
    "president vice prime minister secretary deputy foreign defence defense interior finance "
    "general chief chiefs staff joint chairman chairwoman chair admiral colonel lieutenant major "
    "commander spokesman spokeswoman spokesperson ambassador envoy senator sen. rep. "
    "representative congressman congresswoman governor gov. mayor king queen prince pope "
    "chancellor director head leader speaker attorney press national security adviser advisor "
    "state of the foreign-affairs affairs first lady former acting top senior justice judge "
    "secretary-general sg nominee candidate candidates running mate campaign manager "
    "chairperson treasurer counselor counsellor economy trade energy health homeland "
    "intelligence army navy air marine marines commander-in-chief lt. gen. col. maj. adm. "
    "dr. mr. mrs. ms. sir lord"
)
# Title words that are only honorifics: dropped from the title.
_HONORIFICS = _words("mr. mrs. ms. dr. sir lord mr mrs ms dr")
_RANKS = _words("general gen. admiral adm. colonel col. lieutenant lt. major maj. commander")
# Titles that name their state on their own.
_TITLE_AFFILIATION = {"secretary of state": "United States", "joint chiefs": "United States"}

# The state (or body) of political figures that news names without it, as readers are expected to
# know it: "President Joe Biden", "Defence Minister Sergei Shoigu". Only used when the text itself
# gives no affiliation. A person's country does not change with their office, so the list does not
# go stale the way a list of office holders would; it covers the leaders, foreign and defence
# chiefs and spokespeople most often quoted in international news since about 2000.
_KNOWN_AFFILIATIONS: dict[str, str] = {
    name.lower(): body
    for body, names in {
        "United States": (
            "Joe Biden", "Donald Trump", "Barack Obama", "George W. Bush", "Bill Clinton",
            "Hillary Clinton", "Kamala Harris", "Mike Pence", "Antony Blinken", "Mike Pompeo",
            "Rex Tillerson", "John Kerry", "Lloyd Austin", "Jake Sullivan", "Mark Milley",
            "Jen Psaki", "Karine Jean-Pierre", "Nancy Pelosi",
        ),
        "Russia": (
            "Vladimir Putin", "Dmitry Medvedev", "Sergei Lavrov", "Sergei Shoigu",
            "Dmitry Peskov", "Maria Zakharova", "Valery Gerasimov", "Mikhail Mishustin",
            "Sergei Ryabkov", "Vasily Nebenzia",
        ),
        "Ukraine": (
            "Volodymyr Zelenskiy", "Volodymyr Zelensky", "Petro Poroshenko", "Dmytro Kuleba",
            "Oleksii Reznikov", "Denys Shmyhal", "Andriy Yermak",
        ),
        "Belarus": ("Alexander Lukashenko", "Alexander Lukashenka"),
        "China": ("Xi Jinping", "Li Keqiang", "Wang Yi", "Hu Jintao", "Zhao Lijian"),
        "United Kingdom": (
            "Boris Johnson", "Theresa May", "David Cameron", "Rishi Sunak", "Liz Truss",
            "Keir Starmer", "Ben Wallace", "Dominic Raab", "James Cleverly",
        ),
        "France": (
            "Emmanuel Macron", "François Hollande", "Francois Hollande", "Jean-Yves Le Drian",
        ),
        "Germany": ("Olaf Scholz", "Angela Merkel", "Annalena Baerbock"),
        "Canada": ("Justin Trudeau",),
        "Japan": ("Fumio Kishida", "Shinzo Abe"),
        "Turkey": ("Recep Tayyip Erdogan", "Tayyip Erdogan"),
        "India": ("Narendra Modi",),
        "Israel": ("Benjamin Netanyahu",),
        "Iran": ("Ali Khamenei", "Hassan Rouhani", "Ebrahim Raisi"),
        "Syria": ("Bashar al-Assad",),
        "North Korea": ("Kim Jong Un", "Kim Jong-un"),
        "Poland": ("Andrzej Duda", "Mateusz Morawiecki"),
        "Hungary": ("Viktor Orban",),
        "Italy": ("Mario Draghi", "Giorgia Meloni"),
        "NATO": ("Jens Stoltenberg",),
        "EU": ("Ursula von der Leyen", "Josep Borrell", "Charles Michel"),
    }.items()
    for name in names
}  # fmt: skip

_PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})

_DEMONYM_TO_STATE: dict[str, str] = {}
for _state, _demonyms in _STATES.items():
    for _d in _demonyms:
        _DEMONYM_TO_STATE[_d.lower()] = _state
_STATE_KEYS: dict[str, str] = {s.lower(): s for s in _STATES}
_STATE_KEYS.update(_STATE_ALIASES)
_STATE_TO_DEMONYM: dict[str, str] = {
    state: next((d for d in demonyms if not d.isupper() and "." not in d), state)
    for state, demonyms in _STATES.items()
}
_STATE_TO_DEMONYM["United States"] = "US"

_POSSESSIVE = ("'s", "’s", "'", "’")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})


def canonical_state(name: str) -> str | None:
    """The canonical name of the state ``name`` spells, or None ("U.S." -> "United States")."""
    key = _clean(name).lower()
    return _STATE_KEYS.get(key) or _STATE_KEYS.get(key.removeprefix("the "))


def state_for_demonym(word: str) -> str | None:
    """Return the state of a demonym ("French" -> "France"), or None."""
    return _DEMONYM_TO_STATE.get(word.lower()) or canonical_state(word)


# --- Extraction -----------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int  # token indexes, half-open
    end: int
    name: str  # the cleaned surface form
    kind: ActorKind
    title: str = ""
    affiliation: str = ""
    canonical: str = ""  # set for states and metonyms
    score: float = 0.6
    extra_titles: list[str] = field(default_factory=list)


def extract_actors(doc: Doc) -> list[ExtractedActor]:
    """Return the actors named in ``doc``, one per actor, with every mention's character span.

    Actors come in order of first mention. Demonyms on their own ("Russian troops") are not
    actors, and capitals count as their state only where they act or speak ("Moscow said",
    not "moved to Lviv").
    """
    mentions = _collect_mentions(doc)
    return _merge(doc, mentions)


def _clean(text: str) -> str:
    text = " ".join(text.split())
    for suffix in _POSSESSIVE:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return text.strip(' ,.;:-–—"“”‘’')


def _is_actor_position(tok: Token) -> bool:
    """True when a place name is used as a political actor: it speaks, acts or owns something."""
    seen = 0
    while tok.dep_ in ("conj", "compound", "appos") and tok.head.i != tok.i and seen < 4:
        tok = tok.head
        seen += 1
    if tok.dep_ in _SUBJECT_DEPS:
        return True
    if tok.dep_ == "poss":
        return True
    # "accused by Moscow", "pressure from Washington" stays a place; the agent case is above.
    return tok.dep_ == "pobj" and tok.head.lower_ in ("by", "according")


def _collect_mentions(doc: Doc) -> list[_Mention]:
    mentions: list[_Mention] = []
    used: set[int] = set()  # token indexes already inside a person's title
    ents = list(doc.ents)
    person_titles: dict[int, tuple[str, str, int]] = {}
    for ent in ents:
        if ent.label_ == "PERSON" and _clean(ent.text).lower() not in _METONYMS:
            title, affiliation, first = _title_before(doc, ent)
            if title or affiliation:
                person_titles[ent.start] = (title, affiliation, first)
                used.update(range(first, ent.start))

    for ent in ents:
        start, end = _trim(ent)
        if start >= end:
            continue
        if any(i in used for i in range(start, end)):
            continue
        text = doc[start:end].text
        name = _clean(text)
        key = name.lower()
        if not name or key in _NOT_ACTORS or key.removeprefix("the ") in _NOT_ACTORS:
            continue
        label = ent.label_
        head_tok = doc[start:end].root

        metonym = _METONYMS.get(key.removeprefix("the "))
        if metonym and label in ("GPE", "ORG", "PERSON", "FAC", "LOC"):
            if _is_actor_position(head_tok):
                mentions.append(_Mention(start, end, name, "state", canonical=metonym, score=0.7))
            continue
        if key in _PLACES or key.removeprefix("the ") in _PLACES:
            continue
        state = canonical_state(name)
        if state and label in ("GPE", "ORG", "NORP", "LOC", "PERSON"):
            if label == "NORP" and not _is_actor_position(head_tok):
                continue  # "US" tagged as a nationality modifier ("US officials")
            mentions.append(_Mention(start, end, name, "state", canonical=state, score=0.85))
            continue
        if label == "GPE":
            continue  # cities and regions are places, not actors
        if label == "PERSON":
            if not _looks_like_person(doc[start:end]):
                continue
            title, affiliation, _ = person_titles.get(ent.start, ("", "", start))
            mentions.append(
                _Mention(start, end, name, "person", title=title, affiliation=affiliation,
                         score=0.85 if len(name.split()) > 1 else 0.7)
            )  # fmt: skip
            continue
        if label == "ORG":
            mentions.append(_org_mention(doc, start, end, name))
            continue
        if label == "NORP":
            singular = key.removesuffix("s")
            if key in _DEMONYM_TO_STATE or singular in _DEMONYM_TO_STATE:
                continue
            if singular.endswith(("ian", "ese", "ish", "an", "ic", "i")):
                continue  # demonyms alone are not actors
            if head_tok.tag_ in ("NNPS", "NNS") or key in _GROUP_NAMES:
                mentions.append(_Mention(start, end, name, "group", score=0.6))
            continue
        if label == "LOC" and key in _GROUP_NAMES and _is_actor_position(head_tok):
            mentions.append(_Mention(start, end, _the(doc, start, name), "group", score=0.6))
    mentions.extend(_unrecognised_groups(doc, mentions))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _the(doc: Doc, start: int, name: str) -> str:
    """Keep "the" in front of a group named by a common word ("the West")."""
    if start > 0 and doc[start - 1].lower_ == "the" and not name.lower().startswith("the "):
        return "the " + name
    return name


def _unrecognised_groups(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """ "The West" speaks often in this news and the small model rarely tags it."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    for tok in doc:
        if (
            tok.text == "West"
            and tok.i not in taken
            and tok.i > 0
            and doc[tok.i - 1].lower_ == "the"
            and _is_actor_position(tok)
        ):
            found.append(_Mention(tok.i, tok.i + 1, "the West", "group", score=0.55))
    return found


def _trim(ent: SpacySpan) -> tuple[int, int]:
    """Token bounds of an entity without a leading "the", possessive or stray punctuation."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in _POSSESSIVE
    ):
        end -= 1
    if start < end and doc[start].lower_ == "the" and end - start > 1:
        start += 1
    # An entity must not run across a line break (headlines, captions).
    for i in range(start, end):
        if "\n" in doc[i].text_with_ws and i + 1 < end:
            end = i + 1
            break
    return start, end


def _looks_like_person(span: SpacySpan) -> bool:
    words = [t for t in span if not t.is_punct]
    if not words or not all(t.text[:1].isupper() for t in words):
        return False
    if len(words) == 1 and words[0].lower_ in _TITLE_WORDS:
        return False
    return not any(t.like_num for t in words)


def _title_before(doc: Doc, ent: SpacySpan) -> tuple[str, str, int]:
    """Title and affiliation written in front of a person's name.

    "US Joint Chiefs Chairman General Mark Milley" -> ("Joint Chiefs Chairman General",
    "United States"); "Russia's Chief of General Staff Valery Gerasimov" -> ("Chief of General
    Staff", "Russia"). Returns the first token index of the whole phrase too.
    """
    i = ent.start - 1
    words: list[Token] = []
    while i >= 0:
        tok = doc[i]
        low = tok.lower_
        if "\n" in tok.text_with_ws:
            break
        if low in _TITLE_WORDS and (tok.text[:1].isupper() or low in ("of", "the", "-")):
            if low in ("the",) and not words:
                break
            words.insert(0, tok)
            i -= 1
            continue
        if tok.text == "-" and words:
            words.insert(0, tok)
            i -= 1
            continue
        break
    # A title does not start with "of"/"the", nor end with it.
    while words and words[0].lower_ in ("of", "the", "-"):
        words.pop(0)
    first = words[0].i if words else ent.start
    title = _join(words)
    title = " ".join(w for w in title.split() if w.lower() not in _HONORIFICS)
    # A rank right before the name follows the office: "Joint Chiefs Chairman General Mark Milley"
    parts = title.split()
    while len(parts) > 1 and parts[-1].lower() in _RANKS:
        parts.pop()
    title = " ".join(parts)
    affiliation = ""
    # The affiliation stands right before the title: "French", "US", "Russia's", "NATO".
    j = first - 1
    if j >= 0 and "\n" not in doc[j].text_with_ws:
        tok = doc[j]
        if tok.text in _POSSESSIVE and j > 0:
            owner = doc[j - 1]
            owner_span = _entity_at(doc, owner.i)
            owner_text = owner_span.text if owner_span is not None else owner.text
            affiliation = canonical_state(owner_text) or _METONYMS.get(owner_text.lower(), "")
            if not affiliation and owner_span is not None and owner_span.label_ == "ORG":
                affiliation = _clean(owner_span.text)
            if affiliation and title:
                first = owner_span.start if owner_span is not None else owner.i
        elif tok.text[:1].isupper():
            state = state_for_demonym(tok.text)
            span = _entity_at(doc, j)
            if state is None and span is not None:
                state = canonical_state(span.text)
            if state and title:
                affiliation = state
                first = span.start if span is not None and span.end == j + 1 else j
            elif span is not None and span.label_ == "ORG" and title and span.end == j + 1:
                affiliation = _clean(span.text)
                first = span.start
    if not affiliation:
        low_title = title.lower()
        for phrase, state in _TITLE_AFFILIATION.items():
            if phrase in low_title:
                affiliation = state
    return title, affiliation, first


def _entity_at(doc: Doc, i: int) -> SpacySpan | None:
    tok = doc[i]
    if not tok.ent_type_:
        return None
    for ent in doc.ents:  # few entities per article; called rarely
        if ent.start <= i < ent.end:
            return ent
    return None


def _join(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def _org_mention(doc: Doc, start: int, end: int, name: str) -> _Mention:
    key = name.lower()
    words = key.split()
    last = words[-1] if words else ""
    if key in _MEDIA_NAMES or key.removeprefix("the ") in _MEDIA_NAMES:
        return _Mention(start, end, name, "media", score=0.85)
    if "news agency" in key or (key.endswith(" agency") and words[0] in _MEDIA_NAMES):
        short = _clean(re.sub(r"\s+news agency$|\s+agency$", "", name, flags=re.I))
        return _Mention(start, end, short or name, "media", score=0.8)
    if (
        last in _MEDIA_WORDS
        and last not in ("press",)
        and not any(w in _GENERIC_ORG_WORDS for w in words)
    ):
        return _Mention(start, end, name, "media", score=0.6)
    kind: ActorKind = "organisation"
    if key in _GROUP_NAMES or last in _GROUP_WORDS:
        kind = "group"
    affiliation = ""
    # "Russia's Foreign Ministry", "US-based Maxar Technologies", "Russian Defence Ministry"
    if start >= 2 and doc[start - 1].text in _POSSESSIVE:
        affiliation = canonical_state(doc[start - 2].text) or ""
    elif start >= 1:
        prev = doc[start - 1]
        affiliation = _DEMONYM_TO_STATE.get(prev.lower_, "") if prev.text[:1].isupper() else ""
        if start >= 3 and prev.lower_ == "based" and doc[start - 2].text == "-":
            affiliation = canonical_state(doc[start - 3].text) or ""
    first = words[0] if words else ""
    state_inside = _DEMONYM_TO_STATE.get(first) or canonical_state(first)
    if state_inside and len(words) > 1:
        affiliation = affiliation or state_inside
    if affiliation and any(w in _GENERIC_ORG_WORDS for w in words) and not state_inside:
        # Name a state's ministry after its state: "Russian Foreign Ministry".
        demonym = _STATE_TO_DEMONYM.get(affiliation, affiliation)
        name = f"{demonym} {name}"
    return _Mention(start, end, name, kind, affiliation=affiliation, score=0.75)


# --- Merging mentions into actors -----------------------------------------------------------------


def _merge(doc: Doc, mentions: list[_Mention]) -> list[ExtractedActor]:
    actors: list[ExtractedActor] = []
    by_key: dict[tuple[str, str], ExtractedActor] = {}
    persons: list[ExtractedActor] = []
    orgs: list[ExtractedActor] = []
    scores: dict[int, list[float]] = {}

    # Full names first, so a bare "Biden" before "Joe Biden" still joins him.
    order = sorted(mentions, key=lambda m: (-len(m.name.split()), m.start))
    text = doc.text  # spaCy joins every token anew on each `doc.text`: once, not per mention
    for m in order:
        span = Span(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text))
        if m.kind == "person":
            actor = _find_person(persons, m, span.start)
            if actor is None:
                actor = ExtractedActor(name=m.name, kind="person")
                persons.append(actor)
                actors.append(actor)
        elif m.kind == "state":
            key = ("state", m.canonical)
            actor = by_key.get(key)
            if actor is None:
                actor = ExtractedActor(name=m.canonical, kind="state")
                by_key[key] = actor
                actors.append(actor)
        else:
            # spaCy sometimes tags a person's possessive as an organisation ("Macron's office").
            found = _find_person(persons, m, span.start) if len(m.name.split()) == 1 else None
            actor = found or _find_org(orgs, m)
            if actor is None:
                actor = ExtractedActor(name=m.name, kind=m.kind)
                orgs.append(actor)
                actors.append(actor)
        actor.mentions.append(span)
        surface = _clean(text[span.start : span.end])
        if surface != actor.name and surface not in actor.aliases and m.kind != "person":
            actor.aliases.append(surface)
        if m.kind == "person" and m.name != actor.name and m.name not in actor.aliases:
            actor.aliases.append(m.name)
        if m.title and not actor.title:
            actor.title = m.title
        if m.affiliation and not actor.affiliation:
            actor.affiliation = m.affiliation
        scores.setdefault(id(actor), []).append(m.score)

    for actor in actors:
        actor.mentions.sort(key=lambda s: s.start)
        if actor.kind != "person" and actor.name in actor.aliases:
            actor.aliases.remove(actor.name)
        if actor.kind == "person" and not actor.affiliation:
            actor.affiliation = _KNOWN_AFFILIATIONS.get(actor.name.lower(), "")
        got = scores[id(actor)]
        # More mentions and a title make an actor surer.
        bonus = min(0.1, 0.03 * (len(got) - 1)) + (0.05 if actor.title else 0.0)
        actor.confidence = round(min(0.99, max(got) + bonus), 2)
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors


def _find_person(
    persons: list[ExtractedActor], m: _Mention, char_start: int
) -> ExtractedActor | None:
    words = m.name.split()
    for actor in persons:
        if actor.name == m.name or m.name in actor.aliases:
            return actor
    if len(words) == 1:
        # "Biden" joins "Joe Biden"; with several Clintons, the nearest full mention before it.
        candidates = [
            a for a in persons if words[0] in a.name.split()[1:] or a.name.split()[0] == words[0]
        ]
        last_name = [a for a in candidates if a.name.split()[-1] == words[0]]
        candidates = last_name or candidates
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            # the candidate mentioned last before this mention (or first after it)
            def last_before(a: ExtractedActor) -> int:
                return max((s.start for s in a.mentions if s.start <= char_start), default=-1)

            return max(candidates, key=last_before)
        return None
    # "Joe Biden" and "Joseph R. Biden"? Only when first and last names agree.
    for actor in persons:
        other = actor.name.split()
        if len(other) > 1 and other[-1] == words[-1] and other[0] == words[0]:
            return actor
    return None


def _find_org(orgs: list[ExtractedActor], m: _Mention) -> ExtractedActor | None:
    key = match_key(m.name)
    for actor in orgs:
        if actor.kind != m.kind and not {actor.kind, m.kind} <= {"organisation", "group"}:
            continue
        keys = {match_key(actor.name), *(match_key(a) for a in actor.aliases)}
        if key in keys or _acronym(actor.name) == m.name or _acronym(m.name) == actor.name:
            return actor
    return None


def _acronym(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in ("of", "the", "and", "for")]
    return "".join(w[0] for w in words if w[:1].isupper()) if len(words) > 1 else ""


# --- Matching across articles ---------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """Fold a name for comparison: no accents, case, possessive, dots, hyphens or leading "the"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _clean(text).lower().replace("’", "'")
    text = text.removeprefix("the ")
    text = re.sub(r"(?<=\w)\.(?=\w)|\.$", "", text)  # "u.s." -> "us"
    text = re.sub(r"[^\w\s']", " ", text)
    return " ".join(text.split())


def match_key(name: str) -> str:
    """The key two names of one actor share: states by canonical name, others normalised.

    >>> match_key("U.S.") == match_key("America") == match_key("United States")
    True
    """
    # Capitals are not their state outside a sentence: "Washington" may be the state of Washington.
    state = canonical_state(name)
    if state:
        return normalise_name(state)
    return normalise_name(name)


def candidate_keys(actor: ExtractedActor) -> set[str]:
    """Every key under which ``actor`` may already be stored: its name, aliases and, for a
    person, the surname (weaker; confirm with ``same_actor``)."""
    keys = {match_key(actor.name)} | {match_key(a) for a in actor.aliases}
    if actor.kind == "person":
        keys.add(normalise_name(actor.name).split()[-1])
    keys.discard("")
    return keys


def same_actor(
    a: str,
    b: str,
    a_aliases: Iterable[str] = (),
    b_aliases: Iterable[str] = (),
) -> bool:
    """True when two names (with their aliases) denote the same actor.

    Names match on their keys; a one-word name matches a longer name with that surname
    ("Biden" ~ "Joe Biden"), and two full names match when first and last names agree
    ("Joe Biden" ~ "Joe R. Biden").
    """
    keys_a = {match_key(n) for n in (a, *a_aliases)} - {""}
    keys_b = {match_key(n) for n in (b, *b_aliases)} - {""}
    if keys_a & keys_b:
        return True
    for x in keys_a:
        for y in keys_b:
            wx, wy = x.split(), y.split()
            if not wx or not wy:
                continue
            if len(wx) == 1 and len(wy) > 1 and wx[0] == wy[-1]:
                return True
            if len(wy) == 1 and len(wx) > 1 and wy[0] == wx[-1]:
                return True
            if len(wx) > 1 and len(wy) > 1 and wx[0] == wy[0] and wx[-1] == wy[-1]:
                return True
    return False


def actor_at(actors: Iterable[ExtractedActor], start: int, end: int) -> ExtractedActor | None:
    """The actor with a mention overlapping the characters [start, end), if any."""
    for actor in actors:
        for span in actor.mentions:
            if span.start < end and start < span.end:
                return actor
    return None


def is_personal_pronoun(word: str) -> bool:
    return word.lower() in _PERSONAL_PRONOUNS
