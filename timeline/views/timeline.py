"""A crisis's timeline: the reading view, its filters, overview and jump links.

The timeline never loads a whole crisis: it reads one window of about `PAGE_SIZE` items around the
requested date (keyset paging on (date, rank, id), see `ChronologyMixin` in the models), plus counts
grouped in the database for the overview and the filters. Its number of queries is fixed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from timeline.filters import EventFilter, StatementFilter
from timeline.models import (
    ChronologyKey,
    Citation,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    EventQuerySet,
    Statement,
    StatementQuerySet,
)
from timeline.templatetags.timeline import date_label
from timeline.views.common import (
    AGGREGATE_SECONDS,
    corrections,
    crisis_version,
    crisis_with_version,
    hide_unpublished_speaker,
)
from timeline.views.places import map_data
from timeline.views.snippets import embed_links

# Items per window. Rendering dominates a warm page (about 2 ms an item on a busy machine), so a
# window holds about a screenful or five; the rest loads as the reader scrolls or jumps.
PAGE_SIZE = 50
# Background items (dated outside the crisis's period) the page lists in its folded strip.
BACKGROUND_LIMIT = 20
ACTOR_FACET_LIMIT = 30
# Past this many (day, lane) rows the overview gets weekly counts instead: a crisis of decades.
MAX_DENSITY_ROWS = 20_000

FILTER_KEYS = (
    "q",
    "actor",
    "category",
    "verification",
    "place",
    "source",
    "date_from",
    "date_to",
)
# Statements have no category, verification or place: filtering on one shows events only.
EVENT_ONLY_KEYS = ("category", "verification", "place")
POSITION_KEYS = ("at", "after", "before")
# How the axis splits its lanes (?lanes=actor): no filter, but every link of the page keeps it.
LANE_CHOICES = ("category", "actor", "place")


@dataclass
class Item:
    """One entry of the reading view: an event or a statement."""

    obj: Event | Statement

    @property
    def kind(self) -> str:
        return "event" if isinstance(self.obj, Event) else "statement"

    @property
    def date(self) -> dt.date:
        if isinstance(self.obj, Event):
            return self.obj.start_date
        assert self.obj.date is not None  # the timeline reads only dated statements
        return self.obj.date

    @property
    def key(self) -> ChronologyKey:
        return (self.date, 0 if self.kind == "event" else 1, self.obj.pk)

    @property
    def cursor(self) -> str:
        return encode_cursor(self.key)

    @property
    def group_label(self) -> str:
        return date_label(self.date, self.obj.date_precision)


def encode_cursor(key: ChronologyKey) -> str:
    return f"{key[0].isoformat()}.{key[1]}.{key[2]}"


def decode_cursor(raw: str) -> ChronologyKey | None:
    try:
        day, rank, pk = raw.split(".")
        return (dt.date.fromisoformat(day), int(rank), int(pk))
    except ValueError:
        return None


def parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


# The published items a timeline reads: its events and its statements.
_Items = TypeVar("_Items", EventQuerySet[Event], StatementQuerySet[Statement])


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    colour: str = ""


@dataclass
class TimelineView:
    """The filters and position a timeline URL asks for, and the reads that answer it."""

    crisis: Crisis
    params: dict[str, list[str]]
    at: dt.date | None = None
    after: ChronologyKey | None = None
    before: ChronologyKey | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    lanes: str = "category"
    # The page its links lead to: the timeline itself, or its embeddable copy.
    page: str = "timeline:crisis"

    @classmethod
    def from_request(
        cls, request: HttpRequest, crisis: Crisis, page: str = "timeline:crisis"
    ) -> TimelineView:
        params = {}
        for key in FILTER_KEYS:
            values = [v.strip() for v in request.GET.getlist(key) if v.strip()]
            if values:
                params[key] = values
        view = cls(crisis=crisis, params=params, page=page)
        view.at = parse_date(request.GET.get("at"))
        view.after = decode_cursor(request.GET.get("after", ""))
        view.before = decode_cursor(request.GET.get("before", ""))
        if request.GET.get("lanes") in LANE_CHOICES:
            view.lanes = request.GET["lanes"]
        return view

    # Filtering

    def _data(self, without: str | None) -> QueryDict:
        data = QueryDict(mutable=True)
        for key, values in self.params.items():
            if key != without:
                data.setlist(key, values)
        return data

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None] | None:
        """The crisis's own dates, when they bound the page: what is dated outside them
        ("Crimea, which Russia annexed in 2014") is background, kept apart so the axis does not
        stretch over years of it. A reader's own date filter shows what it asks for instead."""
        if "date_from" in self.params or "date_to" in self.params:
            return None
        if self.crisis.start_date is None and self.crisis.end_date is None:
            return None
        return self.crisis.start_date, self.crisis.end_date

    def _base(
        self, queryset: _Items, name: str, counting: bool, background: bool = False
    ) -> _Items:
        """The crisis's items of its period (or, `background`, those outside it). For counts
        over all of them, IN (its links) rather than a join: SQLite then reads the link table
        once instead of probing it for every row (2-5x faster); for a window read in date
        order, the join lets it walk the date index and stop early.
        """
        if counting:
            links = queryset.model.crises.through.objects.filter(crisis=self.crisis)
            queryset = queryset.filter(pk__in=links.values(f"{name}_id"))
        else:
            queryset = queryset.for_crisis(self.crisis)
        if self.period is not None:
            queryset = (
                queryset.outside(*self.period) if background else queryset.between(*self.period)
            )
        return queryset

    def events(
        self, without: str | None = None, *, counting: bool = False, background: bool = False
    ) -> EventQuerySet[Event]:
        queryset = self._base(Event.objects.published(), "event", counting, background)
        filterset = EventFilter(self._data(without), queryset=queryset)
        if without is None:
            self._collect_errors(filterset.errors)
        return filterset.qs

    def statements(
        self, without: str | None = None, *, counting: bool = False, background: bool = False
    ) -> StatementQuerySet[Statement]:
        base = self._base(Statement.objects.published(), "statement", counting, background).filter(
            date__isnull=False
        )
        if any(key in self.params and key != without for key in EVENT_ONLY_KEYS):
            return base.none()
        data = self._data(without)
        for key in EVENT_ONLY_KEYS:
            data.pop(key, None)
        filterset = StatementFilter(data, queryset=base)
        if without is None:
            self._collect_errors(filterset.errors)
        return filterset.qs

    def _collect_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            for message in messages:
                if message not in self.errors.setdefault(key, []):
                    self.errors[key].append(message)

    @property
    def valid(self) -> bool:
        return not self.errors

    # URLs

    def query(self, **changes: Any) -> str:
        """This view's query string with some parameters changed (None drops one)."""
        data = dict(self.params)
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value if isinstance(value, list) else [value]
        pairs = [
            (key, value) for key in (*FILTER_KEYS, *POSITION_KEYS) for value in data.get(key, [])
        ]
        if self.lanes != "category":
            pairs.append(("lanes", self.lanes))
        return "?" + urlencode(pairs) if pairs else "?"

    def url(self, name: str | None = None, **changes: Any) -> str:
        return reverse(name or self.page, args=[self.crisis.slug]) + self.query(**changes)

    # Reads

    def build(self, version: str = "") -> dict[str, Any]:
        events, statements = self.events(), self.statements()
        window = self._window(events, statements)
        lanes, density, unit, totals, facets, places, background = self._aggregates(version)
        return {
            **window,
            "background": self._background(background) if background else None,
            "lanes": lanes,
            "totals": totals,
            "facets": facets,
            "active": self._active_filters(facets),
            "jump": _months(density, unit),
            "data": {
                "lanes": [
                    {"slug": lane["slug"], "name": lane["name"], "colour": lane["colour"]}
                    for lane in lanes
                ],
                "unit": unit,
                "bins": density,
                "window": (
                    [window["items"][0].date.isoformat(), window["items"][-1].date.isoformat()]
                    if window["items"]
                    else None
                ),
                "url": reverse("timeline:crisis", args=[self.crisis.slug]),
                "map": {**places, "selected": self.params.get("place", [])},
            },
        }

    def _aggregates(self, version: str) -> tuple[Any, ...]:
        """Density, totals and filter counts: GROUP BYs over the whole filtered crisis, cached.

        The page's other reads are bounded by PAGE_SIZE; these grow with the crisis, so a
        repeated view (the same filters, with no edit since) reads them from the cache.
        """
        query = [
            *sorted((key, tuple(values)) for key, values in self.params.items()),
            ("period", self.period),
        ]
        # A digest, not hash(): the same key in every process sharing the cache (Redis).
        digest = hashlib.sha256(f"{version}|{query!r}".encode()).hexdigest()
        key = f"timeline:aggregates:3:{self.crisis.pk}:{digest}"
        cached = cache.get(key) if version else None
        if cached is None:
            density = self._density(self.events(counting=True), self.statements(counting=True))
            lanes, unit = density[0], density[2]
            lane_of = {lane["id"]: i for i, lane in enumerate(lanes) if lane["id"] is not None}
            # every place, the chosen ones or not: the map shows where else things happened
            places = map_data(self.events(without="place", counting=True), unit, lane_of)
            facets = self._facets(lanes=lanes, places=places)
            cached = (*density, facets, places, self._background_count())
            if version and self.valid:
                cache.set(key, cached, AGGREGATE_SECONDS)
        return cached

    def _window(
        self, events: EventQuerySet[Event], statements: StatementQuerySet[Statement]
    ) -> dict[str, Any]:
        events = events.select_related("category")
        statements = statements.select_related("speaker__affiliation")
        backwards = self.before is not None
        key = self.before or self.after or ((self.at, -1, 0) if self.at else None)
        items = self._page(events, statements, key, backwards=backwards)
        if not items and self.at and not backwards:
            # Nothing on or after that date: show the last page instead of an empty one.
            key, backwards = (self.at, 2, 0), True
            items = self._page(events, statements, key, backwards=True)
        has_more = len(items) > PAGE_SIZE
        items = items[:PAGE_SIZE]
        if backwards:
            items.reverse()
        has_earlier = (
            has_more
            if backwards
            else bool(items)
            and key is not None
            and (events.before(items[0].key).exists() or statements.before(items[0].key).exists())
        )
        has_later = (
            has_more
            if not backwards
            else bool(items)
            and (events.after(items[-1].key).exists() or statements.after(items[-1].key).exists())
        )
        _prefetch(items)
        groups = [
            {
                "label": label,
                "date": group[0].date,
                "precision": group[0].obj.date_precision,
                "items": group,
            }
            for label, group in (
                (label, list(g)) for label, g in groupby(items, key=lambda i: i.group_label)
            )
        ]
        return {
            "items": items,
            "groups": groups,
            "earlier_url": self.url(before=items[0].cursor, at=None, after=None)
            if has_earlier
            else "",
            "later_url": self.url(after=items[-1].cursor, at=None, before=None)
            if has_later
            else "",
        }

    def _background_count(self) -> int:
        """How many of the filtered items are dated outside the crisis's period."""
        if self.period is None:
            return 0
        events = self.events(background=True, counting=True).order_by().values("pk")
        statements = self.statements(background=True, counting=True).order_by().values("pk")
        return events.union(statements, all=True).count()

    def _background(self, total: int) -> dict[str, Any] | None:
        """The first BACKGROUND_LIMIT of the `total` filtered items dated outside the crisis's
        period, the earliest first."""
        assert self.period is not None  # only a period leaves items outside it
        items = self._page(
            self.events(background=True).select_related("category"),
            self.statements(background=True).select_related("speaker__affiliation"),
            None,
            backwards=False,
        )[:BACKGROUND_LIMIT]
        if not items:
            return None
        _prefetch(items)
        start, end = self.period
        # The whole background, in the reading view: up to the day before the crisis began
        # (or from the day after it ended, when all of it is later).
        if start is not None and items[0].date < start:
            whole = {"date_to": (start - dt.timedelta(days=1)).isoformat()}
        else:
            assert end is not None  # nothing is before the period: all of it is after its end
            whole = {"date_from": (end + dt.timedelta(days=1)).isoformat()}
        return {
            "items": items,
            "total": total,
            "start": start,
            "end": end,
            "whole_url": self.url(at=None, after=None, before=None, **whole),
        }

    @staticmethod
    def _page(
        events: EventQuerySet[Event],
        statements: StatementQuerySet[Statement],
        key: ChronologyKey | None,
        *,
        backwards: bool,
    ) -> list[Item]:
        if key is not None:
            events = events.before(key) if backwards else events.after(key)
            statements = statements.before(key) if backwards else statements.after(key)
        order = "backwards" if backwards else "forwards"
        rows = [
            Item(obj)
            for obj in [
                *getattr(events, order)()[: PAGE_SIZE + 1],
                *getattr(statements, order)()[: PAGE_SIZE + 1],
            ]
        ]
        rows.sort(key=lambda item: item.key, reverse=backwards)
        return rows[: PAGE_SIZE + 1]

    def _density(
        self, events: EventQuerySet[Event], statements: StatementQuerySet[Statement]
    ) -> tuple[list[dict[str, Any]], list[list[Any]], str, dict[str, int]]:
        categories = list(EventCategory.objects.all())
        lanes = [
            {"slug": c.slug, "name": c.name, "colour": c.colour, "id": c.pk} for c in categories
        ]
        lanes.append({"slug": "statements", "name": "Statements", "colour": "#444b53", "id": None})
        lane_of = {c.pk: i for i, c in enumerate(categories)}
        unit = "day"
        event_rows = list(events.density(unit, by="category_id")[: MAX_DENSITY_ROWS + 1])
        if len(event_rows) > MAX_DENSITY_ROWS:
            unit = "week"
            event_rows = list(events.density(unit, by="category_id"))
        statement_rows = list(statements.density(unit))
        bins = [
            [row["bin"].isoformat(), lane_of[row["category_id"]], row["n"]] for row in event_rows
        ]
        bins += [[row["bin"].isoformat(), len(categories), row["n"]] for row in statement_rows]
        bins.sort()
        totals = {
            "events": sum(r["n"] for r in event_rows),
            "statements": sum(r["n"] for r in statement_rows),
        }
        for lane in lanes:
            lane["count"] = 0
        for _, lane_index, n in bins:
            lanes[lane_index]["count"] += n
        return lanes, bins, unit, totals

    def _facets(
        self, lanes: list[dict[str, Any]], places: dict[str, Any]
    ) -> dict[str, list[Option]]:
        params = self.params
        if "category" in params:
            by_category = dict(
                self.events(without="category", counting=True)
                .order_by()
                .values_list("category__slug")
                .annotate(n=Count("pk"))
            )
        else:
            # Unfiltered by category, the overview's lanes hold these counts already.
            by_category = {lane["slug"]: lane["count"] for lane in lanes}
        categories = [
            Option(
                c.slug,
                c.name,
                by_category.get(c.slug, 0),
                c.slug in params.get("category", []),
                c.colour,
            )
            for c in EventCategory.objects.all()
        ]
        by_verification = dict(
            self.events(without="verification", counting=True)
            .order_by()
            .values_list("verification")
            .annotate(n=Count("pk"))
        )
        verifications = [
            Option(
                value, label, by_verification.get(value, 0), value in params.get("verification", [])
            )
            for value, label in Event.Verification.choices
        ]

        events = self.events(without="actor", counting=True)
        statements = self.statements(without="actor", counting=True)
        actor_counts: dict[tuple[str, str], int] = {}
        for slug, name, n in [
            *EventActor.objects.filter(event__in=events.values("pk"), actor__status="published")
            .values_list("actor__slug", "actor__name")
            .annotate(n=Count("event", distinct=True)),
            *statements.filter(speaker__status="published")
            .order_by()
            .values_list("speaker__slug", "speaker__name")
            .annotate(n=Count("pk")),
        ]:
            actor_counts[(slug, name)] = actor_counts.get((slug, name), 0) + n
        chosen = set(params.get("actor", []))
        ranked = sorted(actor_counts.items(), key=lambda kv: (-kv[1], kv[0][1]))
        actors = [
            Option(slug, name, n, slug in chosen)
            for (slug, name), n in ranked
            if slug in chosen or n > 0
        ][: ACTOR_FACET_LIMIT + len(chosen)]
        actors.sort(key=lambda o: (not o.selected, -o.count, o.label))

        events = self.events(without="source", counting=True)
        statements = self.statements(without="source", counting=True)
        source_counts: dict[tuple[str, str], int] = {}
        for slug, name, n in [
            *Citation.objects.confirmed()
            .filter(event__in=events.values("pk"))
            .values_list("article__source__slug", "article__source__name")
            .annotate(n=Count("event", distinct=True)),
            *Citation.objects.confirmed()
            .filter(statement__in=statements.values("pk"))
            .values_list("article__source__slug", "article__source__name")
            .annotate(n=Count("statement", distinct=True)),
        ]:
            if slug:
                source_counts[(slug, name)] = source_counts.get((slug, name), 0) + n
        chosen_source = params.get("source", [""])[0]
        sources = [
            Option(slug, name, n, slug == chosen_source)
            for (slug, name), n in sorted(source_counts.items(), key=lambda kv: kv[0][1])
        ]
        chosen_places = set(params.get("place", []))
        place_options = sorted(
            (
                Option(p["slug"], p["name"], p["count"], p["slug"] in chosen_places)
                for p in places["places"]
            ),
            key=lambda o: (not o.selected, -o.count, o.label),
        )
        return {
            "category": categories,
            "verification": verifications,
            "actor": actors,
            "place": place_options,
            "source": sources,
        }

    def _active_filters(self, facets: dict[str, list[Option]]) -> list[dict[str, str]]:
        """One removable chip per filter value in force, named as the filters name it."""
        chips = []
        for key, values in self.params.items():
            labels = {option.value: option.label for option in facets.get(key, [])}
            for value in values:
                rest = [v for v in values if v != value]
                chips.append(
                    {
                        "key": CHIP_NAMES.get(key, key.replace("_", " ")),
                        "value": labels.get(value, value),
                        "remove_url": self.url(self.page, **{key: rest or None}),
                    }
                )
        return chips


# How a chip names its filter where the parameter's own name would not read: "Search: olympics".
CHIP_NAMES = {"q": "search", "date_from": "from", "date_to": "to"}


def _prefetch(items: list[Item]) -> None:
    """Actors and citations for the window only: a fixed number of queries, whatever its size."""
    events = [i.obj for i in items if isinstance(i.obj, Event)]
    statements = [i.obj for i in items if isinstance(i.obj, Statement)]
    prefetch_related_objects(
        events,
        Prefetch(
            "roles",
            queryset=EventActor.objects.filter(actor__status="published").select_related("actor"),
        ),
        Prefetch("citations", queryset=Citation.objects.for_display()),
    )
    prefetch_related_objects(
        statements,
        Prefetch("citations", queryset=Citation.objects.for_display()),
        corrections(),
    )
    for statement in statements:
        hide_unpublished_speaker(statement)


def _months(bins: list[list[Any]], unit: str) -> list[dict[str, Any]]:
    """Counts per month (or year, for long crises) from the day rows: the no-JS way to jump."""
    months: dict[str, int] = {}
    for day, _, n in bins:
        months[day[:7]] = months.get(day[:7], 0) + n
    if len(months) > 60:
        years: dict[str, int] = {}
        for month, n in months.items():
            years[month[:4]] = years.get(month[:4], 0) + n
        return [{"at": f"{y}-01-01", "label": y, "count": n} for y, n in years.items()]
    return [
        {
            "at": f"{m}-01",
            "label": dt.date.fromisoformat(f"{m}-01").strftime("%b %Y"),
            "count": n,
        }
        for m, n in months.items()
    ]


def crisis_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    crisis = get_object_or_404(crisis_with_version(), slug=slug)
    view = TimelineView.from_request(request, crisis)
    timeline = view.build(version=crisis_version(crisis))
    embed = embed_links(
        request, crisis.title, view.url(), view.url("timeline:embed", after=None, before=None)
    )
    context = {"crisis": crisis, "view": view, "timeline": timeline, "embed": embed}
    return render(request, "timeline/crisis.html", context, status=200 if view.valid else 400)
