"""Story mode: a crisis read one slide at a time, as TimelineJS readers know it.

A slide is one published event or statement, in the timeline's order (date, events before
statements, id), with its citation, actors, places and the cited article's lead image. While
editors have marked key items among those the reader's filters keep, the story tells those; the
reader may switch to all items (`show=all`). The timeline's filters carry over: they are read by
the timeline's own `TimelineView`, so the two pages always agree on what matches.

Every slide is a page of its own (`?slide=event-12`), so the story reads without JavaScript and a
slide can be linked; story.js turns the pages into one that moves with the arrow keys and swipes.
Like the timeline, a page never loads the whole crisis: the slide, two counts, and the slides
either side of it for the position strip. Its number of queries is fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_update
from django.db.models import F, QuerySet
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from timeline.models import (
    Article,
    ChronologyKey,
    Crisis,
    Event,
    EventQuerySet,
    Statement,
    StatementQuerySet,
    Status,
)
from timeline.templatetags.timeline import date_label
from timeline.views.common import hide_unpublished_speaker
from timeline.views.timeline import FILTER_KEYS, Item, TimelineView

# Slides the position strip shows on each side of the current one.
AXIS_REACH = 40
# Sources a slide lists; the item's own page has them all.
SLIDE_CITATIONS = 2
KINDS = {"event": 0, "statement": 1}  # a slide's kind, and its rank on a day (events first)


class StoryFilters(TimelineView):
    """The timeline's filters over the crisis whole. The timeline keeps what is dated outside
    the crisis's period apart, so its date axis does not stretch over years of background;
    slides are evenly spaced, and background ("Crimea, annexed in 2014") is part of the story."""

    @property
    def period(self) -> None:
        return None


@dataclass(frozen=True)
class Tick:
    """A slide as the position strip shows it: where it is and what it is called."""

    kind: str
    pk: int
    date: dt.date
    precision: str
    label: str
    is_key: bool

    @property
    def param(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def key(self) -> ChronologyKey:
        return (self.date, KINDS[self.kind], self.pk)

    @property
    def date_label(self) -> str:
        return date_label(self.date, self.precision)


@dataclass
class Story:
    """One page of a crisis's story: the slide asked for (None: the title slide) and its place."""

    crisis: Crisis
    filters: TimelineView  # a StoryFilters
    show: str  # "key" or "all": which items the slides are
    show_given: bool  # whether the URL says so (else the page chose, and links leave it out)
    key_count: int
    all_count: int
    slide: Event | Statement | None
    position: int  # 1 for the first slide, 0 for the title slide
    earlier: list[Tick]  # the nearest first
    later: list[Tick]

    @property
    def total(self) -> int:
        return self.key_count if self.show == "key" else self.all_count

    @property
    def kind(self) -> str:
        return "event" if isinstance(self.slide, Event) else "statement"

    @property
    def param(self) -> str:
        return f"{self.kind}-{self.slide.pk}" if self.slide is not None else ""

    @property
    def previous(self) -> Tick | None:
        return self.earlier[0] if self.earlier else None

    @property
    def next(self) -> Tick | None:
        return self.later[0] if self.later else None

    @property
    def ticks(self) -> list[dict[str, Any]]:
        """The strip under the slide: the nearest slides on each side, with the current one."""
        first = self.position - len(self.earlier)
        ticks = [
            {"tick": tick, "number": first + i, "url": self.url(slide=tick.param)}
            for i, tick in enumerate(reversed(self.earlier))
        ]
        if self.slide is not None:
            ticks.append({"current": True, "number": self.position, "url": self.url()})
        ticks += [
            {"tick": tick, "number": self.position + 1 + i, "url": self.url(slide=tick.param)}
            for i, tick in enumerate(self.later)
        ]
        return ticks

    @property
    def more_before(self) -> bool:
        return self.position - len(self.earlier) > 1

    @property
    def more_after(self) -> bool:
        return self.position + len(self.later) < self.total

    @property
    def image(self) -> Article | None:
        """The lead image of the first cited article that has one (https only: the page's policy
        lets in https images and no others)."""
        if self.slide is None:
            return None
        for citation in self.slide.citations.all():
            if citation.article.image_url.startswith("https://"):
                return citation.article
        return None

    @property
    def citations(self) -> list[Any]:
        return list(self.slide.citations.all())[:SLIDE_CITATIONS] if self.slide else []

    @property
    def more_citations(self) -> int:
        return len(self.slide.citations.all()) - SLIDE_CITATIONS if self.slide else 0

    # URLs

    def url(self, *, slide: str | None = "", show: str | None = None) -> str:
        """This story's URL with the filters, for another slide ("" keeps this one, None is the
        title slide) or the other items (`show`)."""
        pairs = [(key, value) for key in FILTER_KEYS for value in self.filters.params.get(key, [])]
        if show is not None:
            pairs.append(("show", show))
        elif self.show_given:
            pairs.append(("show", self.show))
        chosen = self.param if slide == "" else slide
        if chosen:
            pairs.append(("slide", chosen))
        base = reverse("timeline:story", args=[self.crisis.slug])
        return f"{base}?{urlencode(pairs)}" if pairs else base

    @property
    def previous_url(self) -> str:
        """The slide before, or the title slide before the first."""
        return self.url(slide=self.previous.param if self.previous else None)

    @property
    def next_url(self) -> str:
        return self.url(slide=self.next.param) if self.next else ""

    @property
    def key_url(self) -> str:
        """Key items only: at this slide if it is one, else from their title slide."""
        keep = "" if self.slide is not None and self.slide.is_key else None
        return self.url(slide=keep, show="key")

    @property
    def all_url(self) -> str:
        return self.url(show="all")

    @property
    def slide_title(self) -> str:
        """The slide's name, for the window title and the announcement."""
        if self.slide is None:
            return self.crisis.title
        if isinstance(self.slide, Event):
            return self.slide.title
        words = self.slide.text if len(self.slide.text) <= 80 else self.slide.text[:79] + "…"
        return f"{self.slide.attribution}: “{words}”"

    @property
    def timeline_url(self) -> str:
        """The timeline with the same filters, at this slide's date and item."""
        if self.slide is None:
            return self.filters.url("timeline:crisis").rstrip("?")
        day = self.slide.start_date if isinstance(self.slide, Event) else self.slide.date
        assert day is not None  # the story reads dated items only
        return self.filters.url("timeline:crisis", at=day.isoformat()) + f"#{self.param}"

    @property
    def announcement(self) -> str:
        """What story.js reads out when it moves here."""
        if self.slide is None:
            return f"{self.crisis.title}: the story in {self.total} slides."
        return f"Slide {self.position} of {self.total}: {self.slide_title}"


def parse_slide(raw: str) -> tuple[str, int] | None:
    kind, _, pk = raw.partition("-")
    if kind not in KINDS or not pk.isdigit():
        return None
    return kind, int(pk)


def _count(events: EventQuerySet[Event], statements: StatementQuerySet[Statement]) -> int:
    """Slides among these events and statements, in one query."""
    return (
        events.order_by().values("pk").union(statements.order_by().values("pk"), all=True).count()
    )


def _ticks(
    events: QuerySet[Event], statements: QuerySet[Statement], *, backwards: bool
) -> list[Tick]:
    """The nearest AXIS_REACH slides of these (already bounded on one side), nearest first."""
    order = "backwards" if backwards else "forwards"
    rows = [
        Tick("event", pk, day, precision, title, is_key)
        for pk, day, precision, title, is_key in getattr(events, order)().values_list(
            "pk", "start_date", "date_precision", "title", "is_key"
        )[:AXIS_REACH]
    ]
    for pk, day, precision, words, speaker, speaker_status, is_key in (
        getattr(statements, order)()
        .annotate(words=Substr("text", 1, 80), speaker_name=F("speaker__name"))
        .values_list(
            "pk", "date", "date_precision", "words", "speaker_name", "speaker__status", "is_key"
        )[:AXIS_REACH]
    ):
        said_by = speaker if speaker and speaker_status == Status.PUBLISHED else "Unnamed speaker"
        rows.append(Tick("statement", pk, day, precision, f"{said_by}: “{words}”", is_key))
    rows.sort(key=lambda tick: tick.key, reverse=backwards)
    return rows[:AXIS_REACH]


def _slide(
    events: EventQuerySet[Event], statements: StatementQuerySet[Statement], kind: str, pk: int
) -> Event | Statement | None:
    """The slide's item with what it shows, if it is among these items."""
    if kind == "event":
        return events.with_related(published_actors=True).filter(pk=pk).first()
    statement = statements.with_related().filter(pk=pk).first()
    if statement is not None:
        hide_unpublished_speaker(statement)
    return statement


def read_story(request: HttpRequest, crisis: Crisis) -> Story:
    """The page the URL asks for; Http404 for a slide that is not among the filtered items."""
    filters = StoryFilters.from_request(request, crisis)
    all_events, all_statements = filters.events(), filters.statements()
    key_events, key_statements = all_events.key(), all_statements.key()
    key_count = _count(key_events, key_statements)
    asked = request.GET.get("show", "")
    # Key items asked for where none are marked: all items, as the page would have chosen.
    show_given = asked == "all" or (asked == "key" and key_count > 0)
    show = asked if show_given else ("key" if key_count else "all")

    slide: Event | Statement | None = None
    raw_slide = request.GET.get("slide", "")
    if raw_slide:
        wanted = parse_slide(raw_slide)
        if wanted is None:
            raise Http404("No such slide: a slide is named like event-12 or statement-5.")
        if show == "key":
            slide = _slide(key_events, key_statements, *wanted)
        if slide is None:
            # Not key (or no longer: a link kept from before an editor's change): all items.
            slide = _slide(all_events, all_statements, *wanted)
            if slide is not None:
                show, show_given = "all", show == "key" or show_given
        if slide is None:
            raise Http404("This item is not among the story's slides.")

    if show == "key":
        events, statements = key_events, key_statements
    else:
        events, statements = all_events, all_statements
    all_count = _count(all_events, all_statements)
    if slide is None:
        earlier: list[Tick] = []
        later = _ticks(events, statements, backwards=False)
        position = 0
    else:
        key = Item(slide).key
        earlier = _ticks(events.before(key), statements.before(key), backwards=True)
        later = _ticks(events.after(key), statements.after(key), backwards=False)
        position = 1 + _count(events.before(key), statements.before(key))
    return Story(
        crisis=crisis,
        filters=filters,
        show=show,
        show_given=show_given,
        key_count=key_count,
        all_count=all_count,
        slide=slide,
        position=position,
        earlier=earlier,
        later=later,
    )


# The slides show the cited article's lead image, which the outlet serves: https images only.
@csp_update({"img-src": ["https:"]})  # type: ignore[arg-type]  # django-csp types views as taking the request alone
def crisis_story(request: HttpRequest, slug: str) -> HttpResponse:
    crisis = get_object_or_404(Crisis, slug=slug)
    story = read_story(request, crisis)
    status = 200 if story.filters.valid else 400
    return render(request, "timeline/story.html", {"crisis": crisis, "story": story}, status=status)
