"""The word lists the actor rules read: states and their demonyms, media, groups and titles.

No person and no place of one crisis is named here: who people are comes from the directory editors
keep (timeline.extraction.actors.directory), and capitals and places from the gazetteers
(timeline.extraction.actors.geography)."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Gazetteers -----------------------------------------------------------------------------------
# Kept deliberately small: the names that matter in news about states, plus every way of writing
# the few states whose short forms are ambiguous or dotted.

# canonical state -> demonyms (adjectives used in "French President Emmanuel Macron")
STATES: dict[str, tuple[str, ...]] = {
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
STATE_ALIASES: dict[str, str] = {
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
}

MEDIA_NAMES = frozenset(
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
MEDIA_WORDS = frozenset(
    {"news", "agency", "times", "post", "journal", "tv", "television", "radio", "newspaper",
     "herald", "tribune", "gazette", "daily", "magazine", "broadcasting", "press"}
)  # fmt: skip
GROUP_NAMES = frozenset(
    {"taliban", "hamas", "hezbollah", "houthis", "isis", "islamic state", "al qaeda", "wagner",
     "wagner group", "azov", "the west", "west"}
)  # fmt: skip
GROUP_WORDS = frozenset(
    {"group", "brigade", "battalion", "militia", "movement", "front", "rebels", "separatists",
     "army", "guard"}
)  # fmt: skip
# Organisation names that only make sense with their state in front ("Russia's Foreign Ministry").
GENERIC_ORG_WORDS = frozenset(
    {"ministry", "department", "government", "parliament", "embassy", "office", "cabinet",
     "military", "navy", "army", "council", "senate", "congress", "police", "intelligence",
     "forces", "force"}
)  # fmt: skip
NOT_ACTORS = frozenset(
    {"covid-19", "covid", "coronavirus", "olympics", "twitter", "facebook", "instagram",
     "youtube", "state", "defence", "defense", "republican", "democratic", "gop",
     "situation room"}
)  # fmt: skip

# Words that make up a title in front of a name ("Chief of General Staff", "Defence Secretary").
TITLE_WORDS = _words(
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
HONORIFICS = _words("mr. mrs. ms. dr. sir lord mr mrs ms dr")
RANKS = _words("general gen. admiral adm. colonel col. lieutenant lt. major maj. commander")
# Titles that name their state on their own.
TITLE_AFFILIATION = {"secretary of state": "United States", "joint chiefs": "United States"}

# International bodies by the abbreviation news writes for them, normalised as `normalise_name`
# leaves them: "EU" is the European Union, "UN Security Council" the United Nations Security
# Council.
BODY_ABBREVIATIONS = {
    "un": "united nations",
    "eu": "european union",
    "nato": "north atlantic treaty organization",
    "osce": "organization for security and co-operation in europe",
    "iaea": "international atomic energy agency",
    "imf": "international monetary fund",
    "icc": "international criminal court",
    "icj": "international court of justice",
    "unhcr": "united nations high commissioner for refugees",
}
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})

DEMONYM_TO_STATE: dict[str, str] = {}
for _state, _demonyms in STATES.items():
    for _d in _demonyms:
        DEMONYM_TO_STATE[_d.lower()] = _state
STATE_KEYS: dict[str, str] = {s.lower(): s for s in STATES}
STATE_KEYS.update(STATE_ALIASES)
STATE_TO_DEMONYM: dict[str, str] = {
    state: next((d for d in demonyms if not d.isupper() and "." not in d), state)
    for state, demonyms in STATES.items()
}
STATE_TO_DEMONYM["United States"] = "US"

POSSESSIVE = ("'s", "’s", "'", "’")
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})


def canonical_state(name: str) -> str | None:
    """The canonical name of the state ``name`` spells, or None ("U.S." -> "United States")."""
    key = clean_name(name).lower().removeprefix("the ")
    if key.endswith(" government"):  # "the Ukrainian government" is the state
        key = key.removesuffix(" government")
        return DEMONYM_TO_STATE.get(key) or STATE_KEYS.get(key)
    return STATE_KEYS.get(key)


def state_for_demonym(word: str) -> str | None:
    """Return the state of a demonym ("French" -> "France"), or None."""
    return DEMONYM_TO_STATE.get(word.lower()) or canonical_state(word)


def clean_name(text: str) -> str:
    text = " ".join(text.split())
    for suffix in POSSESSIVE:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return text.strip(' ,.;:-–—"“”‘’')
