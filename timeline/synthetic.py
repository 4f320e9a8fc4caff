"""Synthetic crisis data for benchmarks and scale tests: realistic in shape, reproducible by seed.

The shape is what matters for speed: dates bunch around a few key days (the invasion, a summit)
over a quiet background; a few actors appear everywhere and most almost never (a Zipf tail);
every event and statement cites one to four articles, with spans that reproduce real sentences
of the generated article text; precisions and editorial statuses are mixed as in real data.

Everything is planned in memory first (articles need to know what they will be cited for), then
written with bulk_create in batches, one transaction per batch, so 100,000 events load in a
minute or two rather than hours.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.text import slugify

from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Crisis,
    DatePrecision,
    Event,
    EventActor,
    EventCategory,
    Provenance,
    Source,
    Statement,
    Status,
    alias_key,
    content_hash,
    first_free_slug,
    slug_base,
)

BATCH = 2000

FIRST = [
    "Olena",
    "Anna",
    "Dmitri",
    "Sergei",
    "Ivan",
    "Maria",
    "Joe",
    "Antony",
    "Jens",
    "Emmanuel",
    "Olaf",
    "Boris",
    "Liz",
    "Volodymyr",
    "Dmytro",
    "Kaja",
    "Ursula",
    "Josep",
    "Recep",
    "Xi",
    "Narendra",
    "Ali",
    "Fatima",
    "Hassan",
    "Lena",
    "Pavel",
    "Irina",
    "Oleg",
    "Yulia",
    "Mark",
    "Karl",
    "Tomas",
    "Ines",
    "Sofia",
    "Marta",
    "Andrzej",
    "Petr",
    "Viktor",
    "Gitanas",
]
LAST = [
    "Kovalenko",
    "Petrenko",
    "Ivanova",
    "Smirnov",
    "Shevchenko",
    "Bondarenko",
    "Lavrov",
    "Peskov",
    "Blinken",
    "Austin",
    "Stoltenberg",
    "Macron",
    "Scholz",
    "Johnson",
    "Truss",
    "Zelenskiy",
    "Kuleba",
    "Kallas",
    "Borrell",
    "Erdogan",
    "Modi",
    "Nauseda",
    "Fiala",
    "Duda",
    "Orban",
    "Rutte",
    "Sanchez",
    "Draghi",
    "Meloni",
    "Sunak",
    "Haavisto",
    "Andersson",
    "Tsikhanouskaya",
    "Lukashenko",
    "Shoigu",
    "Gerasimov",
    "Reznikov",
    "Podolyak",
    "Yermak",
    "Zakharova",
]
STATES = [
    "Ukraine",
    "Russia",
    "United-States",
    "Poland",
    "Germany",
    "France",
    "Britain",
    "Belarus",
    "Turkey",
    "China",
    "India",
    "Lithuania",
    "Latvia",
    "Estonia",
    "Finland",
    "Sweden",
    "Moldova",
    "Georgia",
    "Hungary",
    "Romania",
]
ORGANISATIONS = ["NATO", "European Union", "United Nations", "OSCE", "IAEA", "Red Cross", "G7"]
TITLES = ["President", "Foreign Minister", "Defence Minister", "spokesperson", "ambassador", ""]
PLACES = [
    "Kyiv",
    "Kharkiv",
    "Mariupol",
    "Donetsk",
    "Luhansk",
    "Kherson",
    "Odesa",
    "Zaporizhzhia",
    "Bucha",
    "Irpin",
    "Izium",
    "Bakhmut",
    "Crimea",
    "Chernihiv",
    "Sumy",
    "Mykolaiv",
    "Dnipro",
    "Lviv",
    "Belgorod",
    "Minsk",
    "Brussels",
    "Geneva",
    "Istanbul",
]
ACTIONS = {
    "military": [
        "troops advance towards {place}",
        "shelling hits residential areas of {place}",
        "{a} forces withdraw from positions near {place}",
        "missile strikes reported around {place}",
        "{a} announces new military exercises near {place}",
    ],
    "diplomatic": [
        "{a} and {b} hold talks in {place}",
        "{a} expels diplomats of {b}",
        "{a} recalls its ambassador from {b}",
        "{a} proposes a ceasefire brokered in {place}",
    ],
    "statement": ["{a} warns {b} over {place}", "{a} denies plans to attack {place}"],
    "economic": [
        "{a} imposes sanctions on {b}",
        "{a} cuts gas supplies to {b}",
        "{a} freezes assets linked to {b}",
    ],
    "humanitarian": [
        "civilians evacuated from {place}",
        "aid convoy reaches {place}",
        "{a} opens humanitarian corridor from {place}",
    ],
    "other": ["{a} and {b} exchange prisoners near {place}", "power cut across {place}"],
}
QUOTES = [
    "We will not allow {place} to fall",
    "Things could go crazy quickly in {place}",
    "The door to diplomacy remains open",
    "These sanctions will have severe consequences for {b}",
    "There is no plan to attack anyone",
    "We are ready to talk, but not under pressure from {b}",
    "The situation around {place} is extremely serious",
    "Civilians must be allowed to leave {place}",
]
CUES = ["said", "told reporters", "wrote on Telegram", "said in a statement", "told NBC News"]
FILLER = [
    "The claims could not be independently verified.",
    "Officials declined to give further details.",
    "Reporting by the newsroom; editing by the desk.",
    "The ministry did not respond to a request for comment.",
    "Markets fell on the news before recovering later in the day.",
    "Satellite images showed a build-up of equipment over recent weeks.",
]


@dataclass(frozen=True)
class Sizes:
    events: int
    statements: int
    actors: int
    articles: int


@dataclass
class _Article:
    published: dt.datetime
    # What each cited sentence is for: ("event", index) or ("statement", index), and its text.
    sentences: list[tuple[tuple[str, int] | None, str]] = field(default_factory=list)


@dataclass
class Summary:
    crisis: Crisis
    counts: dict[str, int]
    seconds: float

    def line(self) -> str:
        parts = ", ".join(f"{n:,} {name}" for name, n in self.counts.items())
        return f"Crisis “{self.crisis.slug}”: {parts} in {self.seconds:.1f} s."


class SyntheticError(ValueError):
    """The synthetic data cannot be generated as asked; the message says what to do."""


def generate(
    *,
    sizes: Sizes,
    seed: int,
    crisis_slug: str = "synthetic",
    progress: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Fill the crisis `crisis_slug` (created if missing) with reproducible synthetic data."""
    if min(sizes.articles, sizes.actors) < 1 and (sizes.events or sizes.statements):
        raise SyntheticError("Events and statements need at least one article and one actor.")
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    crisis, _ = Crisis.objects.get_or_create(
        slug=crisis_slug,
        defaults={
            "title": f"Synthetic crisis {crisis_slug}",
            "summary": "Generated by generate_synthetic for benchmarks and scale tests.",
            "start_date": dt.date(2022, 1, 1),
            "end_date": dt.date(2023, 12, 31),
        },
    )
    if crisis.articles.exists():
        raise SyntheticError(
            f"The crisis {crisis_slug!r} already holds articles; generate into a new crisis "
            "(--crisis another-slug) or an empty database."
        )
    first = crisis.start_date or dt.date(2022, 1, 1)
    last = crisis.end_date or first + dt.timedelta(days=729)
    dates = _BurstyDates(rng, first, last)
    categories = list(EventCategory.objects.order_by("slug"))
    if not categories:
        raise SyntheticError("There are no event categories: run `manage.py migrate` first.")

    sources = _sources()
    actors = _actors(rng, sizes.actors, crisis_slug, progress)
    zipf = _zipf_weights(len(actors))
    articles = sorted(
        (_Article(_moment(rng, dates.draw())) for _ in range(sizes.articles)),
        key=lambda a: a.published,
    )
    article_days = [a.published.date() for a in articles]
    pick_actor = _weighted_picker(rng, actors, zipf)

    # Plan events and statements, and the sentence in each article that cites them.
    planned_events = []
    for index in range(sizes.events):
        category = rng.choice(categories)
        a, b = pick_actor(), pick_actor()
        place = rng.choice(PLACES)
        pattern = rng.choice(ACTIONS.get(category.slug, ACTIONS["other"]))
        title = pattern.format(a=a.name, b=b.name, place=place)
        title = title[0].upper() + title[1:]
        day = dates.draw()
        planned_events.append((category, a, b, place, title, day))
        for _ in range(_citation_count(rng)):
            host = _article_near(rng, article_days, day)
            sentence = f"{title}, according to officials on {day:%d %B %Y}."
            articles[host].sentences.append((("event", index), sentence))
    planned_statements = []
    for index in range(sizes.statements):
        speaker = pick_actor() if rng.random() < 0.9 else None
        quote = rng.choice(QUOTES).format(place=rng.choice(PLACES), b=pick_actor().name)
        host = rng.randrange(len(articles))
        cue = rng.choice(CUES)
        said_by = speaker.name if speaker else "An official who asked not to be named"
        sentence = f"“{quote},” {said_by} {cue}."
        articles[host].sentences.append((("statement", index), sentence))
        planned_statements.append((speaker, quote, cue, host))

    texts, spans = _article_texts(rng, articles, crisis_slug)
    article_ids = _write_articles(rng, crisis, articles, texts, sources, progress)
    n_roles, n_event_citations = _write_events(
        rng, crisis, planned_events, spans.get("event", {}), article_ids, progress
    )
    n_statement_citations = _write_statements(
        rng, crisis, planned_statements, articles, spans.get("statement", {}), article_ids, progress
    )
    links = [Article.crises.through, Event.crises.through, Statement.crises.through]
    _reset_sequences([Actor, ActorAlias, Article, Event, EventActor, Citation, Statement, *links])
    return Summary(
        crisis=crisis,
        counts={
            "events": len(planned_events),
            "statements": len(planned_statements),
            "actors": len(actors),
            "articles": len(articles),
            "actor roles": n_roles,
            "citations": n_event_citations + n_statement_citations,
        },
        seconds=time.perf_counter() - started,
    )


class _BurstyDates:
    """Days drawn from a few bursts around key days over a uniform background."""

    def __init__(self, rng: random.Random, first: dt.date, last: dt.date) -> None:
        self.rng = rng
        self.first = first
        self.span = max((last - first).days, 0)
        self.key_days = sorted(rng.randrange(self.span + 1) for _ in range(12))
        # Early key days matter more, as the opening of a crisis does.
        self.weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(self.key_days))]

    def draw(self) -> dt.date:
        rng = self.rng
        if rng.random() < 0.35:
            offset = rng.randrange(self.span + 1)
        else:
            centre = rng.choices(self.key_days, self.weights)[0]
            offset = round(centre + rng.gauss(0, 1) * rng.choice((1, 3, 10)))
        return self.first + dt.timedelta(days=min(max(offset, 0), self.span))


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), tzinfo=dt.UTC)


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def _weighted_picker(rng: random.Random, items: list, weights: list[float]) -> Callable:
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1] if cumulative else 0.0

    def pick() -> object:
        return items[bisect.bisect_left(cumulative, rng.random() * total)]

    return pick


def _citation_count(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4), (0.3, 0.35, 0.2, 0.15))[0]


def _article_near(rng: random.Random, days: list[dt.date], day: dt.date) -> int:
    """An article published on the day or within the next few (the news follows the event)."""
    lo = bisect.bisect_left(days, day)
    hi = bisect.bisect_right(days, day + dt.timedelta(days=3))
    if lo < hi:
        return rng.randrange(lo, hi)
    return min(lo, len(days) - 1)


def _sources() -> list[Source]:
    names = ["Reuters", "AP", "AFP", "Interfax", "BBC", "Kyiv Independent", "Meduza", "TASS"]
    names += [f"Daily Courier {n}" for n in range(1, 23)]
    existing = {s.name: s for s in Source.objects.filter(name__in=names)}
    new = [
        # No draws from rng here: whether the outlets exist already must not change the data.
        Source(name=name, slug=slugify(name), kind=Source.Kind.values[i % len(Source.Kind.values)])
        for i, name in enumerate(names)
        if name not in existing
    ]
    Source.objects.bulk_create(new)
    return list(Source.objects.filter(name__in=names).order_by("name"))


@dataclass(frozen=True)
class _ActorRef:
    pk: int
    name: str


def _actors(
    rng: random.Random, n: int, crisis_slug: str, progress: Callable[[str], None]
) -> list[_ActorRef]:
    taken = set(Actor.objects.values_list("slug", flat=True))
    fixed = [(name.replace("-", " "), "state") for name in STATES]
    fixed += [(name, "organisation") for name in ORGANISATIONS]
    first_id = _next_id(Actor)
    rows, aliases, refs = [], [], []
    for index in range(n):
        if index < len(fixed):
            name, kind = fixed[index]
        else:
            kind = rng.choices(["person", "group", "media"], (0.85, 0.1, 0.05))[0]
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if kind != "person":
                name = f"{name} {'Battalion' if kind == 'group' else 'Television'}"
        slug = first_free_slug(slug_base(name, fallback="actor"), taken)
        taken.add(slug)
        pk = first_id + index
        states = min(index, len(STATES))
        affiliated = kind == "person" and states and rng.random() < 0.5
        rows.append(
            {
                "id": pk,
                "name": name,
                "slug": slug,
                "kind": kind,
                "title": rng.choice(TITLES) if kind == "person" else "",
                "affiliation_id": first_id + rng.randrange(states) if affiliated else None,
                "status": _status(rng),
                "provenance": rng.choice(Provenance.values),
                "confidence": round(rng.uniform(0.5, 1.0), 2),
            }
        )
        if kind == "person" and rng.random() < 0.3:
            surname = name.split()[-1]
            aliases.append({"actor_id": pk, "name": surname, "key": alias_key(surname)})
        refs.append(_ActorRef(pk, name))
    with transaction.atomic():
        _insert(Actor, rows)
        _insert(ActorAlias, aliases, first_id=_next_id(ActorAlias))
    progress(f"actors {len(rows):,}")
    return refs


def _next_id(model: type[Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def _insert(model: type[Model], rows: list[dict[str, Any]], *, first_id: int | None = None) -> None:
    """INSERT rows (dicts of attname → value; the rest take the field's default) in bulk.

    The ORM's bulk_create compiles every value of every row and, on SQLite, sends ~40 rows per
    statement; this sends prepared tuples with executemany (execute_values on PostgreSQL),
    which is what makes 100,000 events a matter of a minute. Ids are given explicitly (from
    `first_id` when the rows have none), so no RETURNING is needed on either database.
    """
    if not rows:
        return
    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif not f.primary_key:
            defaults[f.attname] = f.get_default()
    ops = connection.ops

    # Any: whatever the backend's adapters hand its driver.
    def adapt(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return ops.adapt_datefield_value(value)
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value

    if first_id is not None:
        for offset, row in enumerate(rows):
            row.setdefault("id", first_id + offset)
    names = [f.attname for f in fields]
    # Defaults are adapted once; only the values each row gives are adapted per row.
    fixed = {name: adapt(value) for name, value in defaults.items()}
    values = [tuple(adapt(row[n]) if n in row else fixed.get(n) for n in names) for row in rows]
    table = ops.quote_name(model._meta.db_table)
    column_names = []
    for f in fields:
        assert f.column is not None  # concrete fields have one
        column_names.append(ops.quote_name(f.column))
    columns = ", ".join(column_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor.cursor,
                f"INSERT INTO {table} ({columns}) VALUES %s",  # noqa: S608 (names from the model)
                values,
                page_size=1000,
            )
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (model names)
            cursor.executemany(sql, values)


def _reset_sequences(models: list[type[Model]]) -> None:
    """Move PostgreSQL's id sequences past the explicit ids (SQLite's move by themselves)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _article_texts(
    rng: random.Random, articles: list[_Article], crisis_slug: str
) -> tuple[list[str], dict[str, dict[int, list[tuple[int, int, int]]]]]:
    """Each article's text, and for each event or statement its (article, start, end) spans."""
    texts = []
    spans: dict[str, dict[int, list[tuple[int, int, int]]]] = {"event": {}, "statement": {}}
    for position, article in enumerate(articles):
        parts = [f"(Synthetic dispatch {crisis_slug}-{position}.)"]
        offset = len(parts[0]) + 1
        sentences = list(article.sentences)
        sentences += [(None, rng.choice(FILLER)) for _ in range(rng.randint(2, 5))]
        rng.shuffle(sentences)
        for target, sentence in sentences:
            if target is not None:
                kind, index = target
                spans[kind].setdefault(index, []).append((position, offset, offset + len(sentence)))
            parts.append(sentence)
            offset += len(sentence) + 1
        texts.append(" ".join(parts))
    return texts, spans


def _batches(n: int) -> range:
    return range(0, n, BATCH)


def _write_articles(
    rng: random.Random,
    crisis: Crisis,
    articles: list[_Article],
    texts: list[str],
    sources: list[Source],
    progress: Callable[[str], None],
) -> list[int]:
    first_id = _next_id(Article)
    first_link = _next_id(Article.crises.through)
    ids = [first_id + position for position in range(len(articles))]
    for lo in _batches(len(articles)):
        rows: list[dict[str, Any]] = []
        for position in range(lo, min(lo + BATCH, len(articles))):
            text = texts[position]
            rows.append(
                {
                    "id": ids[position],
                    "source_id": rng.choice(sources).pk,
                    "publisher_id": rng.choice(sources).pk if rng.random() < 0.2 else None,
                    "url": f"https://news.example.org/{crisis.slug}/{position}",
                    "title": text[text.index(")") + 2 :][:120] or f"Dispatch {position}",
                    "byline": f"By {rng.choice(FIRST)} {rng.choice(LAST)}",
                    "published_at": articles[position].published,
                    "text": text,
                    "content_hash": content_hash(text),
                    "ingestion_status": Article.IngestionStatus.DONE,
                }
            )
        links = [
            {
                "id": first_link + row["id"] - first_id,
                "article_id": row["id"],
                "crisis_id": crisis.pk,
            }
            for row in rows
        ]
        with transaction.atomic():
            _insert(Article, rows)
            _insert(Article.crises.through, links)
        progress(f"articles {lo + len(rows):,}/{len(articles):,}")
    return ids


_PRECISIONS = (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH, DatePrecision.YEAR)


def _precision(rng: random.Random) -> str:
    return rng.choices(_PRECISIONS, (0.7, 0.1, 0.15, 0.05))[0]


def _status(rng: random.Random) -> str:
    return rng.choices((Status.PUBLISHED, Status.DRAFT, Status.REJECTED), (0.8, 0.15, 0.05))[0]


class _Ids:
    """Consecutive explicit ids for one table."""

    def __init__(self, model: type[Model]) -> None:
        self.next = _next_id(model)

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _write_events(
    rng: random.Random,
    crisis: Crisis,
    planned: list,
    spans: dict[int, list[tuple[int, int, int]]],
    article_ids: list[int],
    progress: Callable[[str], None],
) -> tuple[int, int]:
    link = Event.crises.through
    event_ids, link_ids = _Ids(Event), _Ids(link)
    role_ids, citation_ids = _Ids(EventActor), _Ids(Citation)
    roles_written = citations_written = 0
    for lo in _batches(len(planned)):
        events, links, roles, citations = [], [], [], []
        for index in range(lo, min(lo + BATCH, len(planned))):
            category, a, b, place, title, day = planned[index]
            status = _status(rng)
            span_days = rng.choice((0, 0, 0, 0, 1, 3, 14))
            pk = event_ids.take()
            events.append(
                {
                    "id": pk,
                    "title": title[:300],
                    "summary": f"{title}. Reported from {place}.",
                    "start_date": day,
                    "end_date": day + dt.timedelta(days=span_days) if span_days else None,
                    "date_precision": _precision(rng),
                    "date_is_fallback": rng.random() < 0.1,
                    "category_id": category.pk,
                    "verification": rng.choice(Event.Verification.values),
                    "place": place,
                    "status": status,
                    "provenance": Provenance.MACHINE if rng.random() < 0.7 else Provenance.EDITOR,
                    "confidence": round(rng.uniform(0.3, 1.0), 2),
                    "first_published_at": _moment(rng, day) if status == Status.PUBLISHED else None,
                }
            )
            links.append({"id": link_ids.take(), "event_id": pk, "crisis_id": crisis.pk})
            roles.append(
                {
                    "id": role_ids.take(),
                    "event_id": pk,
                    "actor_id": a.pk,
                    "role": EventActor.Role.AGENT,
                }
            )
            if b.pk != a.pk:
                roles.append(
                    {
                        "id": role_ids.take(),
                        "event_id": pk,
                        "actor_id": b.pk,
                        "role": EventActor.Role.TARGET,
                    }
                )
            for position, start, end in spans.get(index, []):
                citations.append(
                    {
                        "id": citation_ids.take(),
                        "article_id": article_ids[position],
                        "start": start,
                        "end": end,
                        "event_id": pk,
                        "provenance": Provenance.MACHINE,
                    }
                )
        with transaction.atomic():
            _insert(Event, events)
            _insert(link, links)
            _insert(EventActor, roles)
            _insert(Citation, citations)
        roles_written += len(roles)
        citations_written += len(citations)
        progress(f"events {lo + len(events):,}/{len(planned):,}")
    return roles_written, citations_written


def _write_statements(
    rng: random.Random,
    crisis: Crisis,
    planned: list,
    articles: list[_Article],
    spans: dict[int, list[tuple[int, int, int]]],
    article_ids: list[int],
    progress: Callable[[str], None],
) -> int:
    link = Statement.crises.through
    statement_ids, link_ids, citation_ids = _Ids(Statement), _Ids(link), _Ids(Citation)
    citations_written = 0
    for lo in _batches(len(planned)):
        statements, links, citations = [], [], []
        for index in range(lo, min(lo + BATCH, len(planned))):
            speaker, quote, cue, host = planned[index]
            status = _status(rng)
            published = articles[host].published
            pk = statement_ids.take()
            statements.append(
                {
                    "id": pk,
                    "speaker_id": speaker.pk if speaker else None,
                    "text": quote,
                    "kind": rng.choices(Statement.Kind.values, (0.6, 0.15, 0.25))[0],
                    "cue": cue[:60],
                    "date": published.date(),
                    "date_precision": _precision(rng),
                    "status": status,
                    "provenance": Provenance.MACHINE,
                    "confidence": round(rng.uniform(0.3, 1.0), 2),
                    "first_published_at": published if status == Status.PUBLISHED else None,
                }
            )
            links.append({"id": link_ids.take(), "statement_id": pk, "crisis_id": crisis.pk})
            for position, start, end in spans.get(index, []):
                citations.append(
                    {
                        "id": citation_ids.take(),
                        "article_id": article_ids[position],
                        "start": start,
                        "end": end,
                        "statement_id": pk,
                        "provenance": Provenance.MACHINE,
                    }
                )
        with transaction.atomic():
            _insert(Statement, statements)
            _insert(link, links)
            _insert(Citation, citations)
        citations_written += len(citations)
        progress(f"statements {lo + len(statements):,}/{len(planned):,}")
    return citations_written
