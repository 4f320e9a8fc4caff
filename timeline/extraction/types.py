"""Typed results of extraction. Every span is a half-open [start, end) into the text given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["person", "state", "organisation", "group", "media"]
StatementKind = Literal["direct", "partial", "reported"]
Precision = Literal["day", "week", "month", "year"]
Role = Literal["agent", "target", "participant", "mentioned"]
Verification = Literal["confirmed", "reported", "unverified", "disputed"]
Category = Literal["military", "diplomatic", "statement", "economic", "humanitarian", "other"]
PlaceKind = Literal["country", "region", "city", "sea", "site", "continent"]
# Where an event's date came from, most to least sure: a time expression of its own clause, one
# elsewhere in its sentence (the reporting verb's "said on Friday"), the paragraph's earlier
# event, the lead's event (a past event the body tells without a date), or none (the
# publication date).
DateSource = Literal["clause", "sentence", "paragraph", "lead", "publication", ""]


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def excerpt(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression resolved against the publication date."""

    start: dt.date
    end: dt.date | None
    precision: Precision
    span: Span | None  # where the expression stands; None for the fallback
    text: str = ""
    is_fallback: bool = False  # the publication date, used when the text names none
    is_scheduled: bool = False  # in the future relative to publication ("due to ... on Friday")


@dataclass
class ExtractedActor:
    name: str  # canonical name: the longest full form seen ("Joe Biden")
    kind: ActorKind
    title: str = ""  # "Secretary of State"
    affiliation: str = ""  # canonical name of another actor ("United States")
    aliases: list[str] = field(default_factory=list)  # other surface forms ("Biden")
    mentions: list[Span] = field(default_factory=list)
    confidence: float = 0.5


@dataclass
class ExtractedStatement:
    content: str  # the words said (the quote without its marks, or the reported content)
    kind: StatementKind
    span: Span  # the citation: the sentence(s) the statement stands in
    content_span: Span
    speaker: str | None = None  # canonical actor name, None when unknown
    speaker_span: Span | None = None
    # an unnamed source, when there is no speaker: "a senior administration official"
    speaker_description: str = ""
    cue: str = ""  # the reporting verb ("told", "said", "denies")
    cue_span: Span | None = None  # where the cue stands
    medium: str = ""  # addressee or medium ("NBC News")
    date: ResolvedDate | None = None
    confidence: float = 0.5


@dataclass(frozen=True)
class PlaceMention:
    """A place named in an event's clause: spaCy's GPE, LOC or FAC entity."""

    text: str
    span: Span
    label: str = "GPE"


@dataclass(frozen=True)
class ResolvedPlace:
    """A mention matched to a gazetteer entry (timeline.extraction.places)."""

    key: str  # the entry's stable id: "iso:UA", "geonames:703448", "feature:black-sea"
    name: str  # canonical English name
    kind: PlaceKind
    latitude: float
    longitude: float
    country: str = ""  # ISO 3166-1 alpha-2 code of the country it lies in ("" for a sea)
    iso_code: str = ""  # its own ISO 3166 code, where it has one ("UA", "US-GA")
    confidence: float = 0.5  # low when the name fits several entries and the context did not tell
    mention: PlaceMention | None = None


@dataclass
class ExtractedEvent:
    title: str
    summary: str  # what the card adds to the title (source, who else, the date's basis)
    span: Span  # the citation: the sentence
    date: ResolvedDate
    category: Category = "other"
    verification: Verification = "reported"
    actors: list[tuple[str, Role]] = field(default_factory=list)  # (canonical actor name, role)
    place: str = ""
    confidence: float = 0.5
    # Where it happened: the places named in its clause, then those resolved against gazetteers.
    place_mentions: list[PlaceMention] = field(default_factory=list)
    places: list[ResolvedPlace] = field(default_factory=list)
    trigger: Span | None = None  # the word the event was found on (its verb)
    date_source: DateSource = ""
    # Further sentences of the same article telling the same happening (the lead and the body):
    # each is a citation of this one event.
    also_cited: list[Span] = field(default_factory=list)


@dataclass
class Extraction:
    actors: list[ExtractedActor] = field(default_factory=list)
    statements: list[ExtractedStatement] = field(default_factory=list)
    events: list[ExtractedEvent] = field(default_factory=list)
    # Every place the article names: the context its events' places are resolved in.
    places: list[PlaceMention] = field(default_factory=list)
