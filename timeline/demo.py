"""The demo crisis: the seed Reuters article of 11 Feb 2022, with what an editor drew from it.

Hand-written rows until the extraction pipeline lands; every row cites a real span of the article.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from timeline import services
from timeline.models import (
    Actor,
    Article,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    Source,
    Statement,
    Status,
    content_hash,
)

SEED_FILE = "reuters-2022-02-11-russian-troops-mass-near-ukraine.txt"
CRISIS_SLUG = "russia-ukraine-2021-2022"
CRISIS_TITLE = "Russia–Ukraine crisis, 2021–2022"
CRISIS_SUMMARY = (
    "Russia massed troops near Ukraine's borders from late 2021 while demanding security "
    "guarantees from NATO; Western governments warned that an invasion could come at any time."
)
CHROME = {"Read more...", "Advertising", "ALSO READ:", "Recommended for you", "Reuters"}

# (name, kind, title, affiliation, aliases)
ACTORS = [
    ("United States", "state", "", "", ["US", "Washington"]),
    ("Russia", "state", "", "", ["Moscow", "the Kremlin"]),
    ("Ukraine", "state", "", "", ["Kyiv"]),
    ("United Kingdom", "state", "", "", ["Britain", "London"]),
    ("Joe Biden", "person", "President", "United States", ["Biden", "President Joe Biden"]),
    ("Antony Blinken", "person", "Secretary of State", "United States", ["Blinken"]),
    ("Valery Gerasimov", "person", "Chief of General Staff", "Russia", ["Gerasimov"]),
    ("Mark Milley", "person", "Joint Chiefs Chairman", "United States", ["Milley"]),
    ("Ben Wallace", "person", "Defence Secretary", "United Kingdom", ["Wallace"]),
    ("Sergei Shoigu", "person", "Defence Minister", "Russia", ["Shoigu"]),
    ("Emmanuel Macron", "person", "President", "", ["Macron"]),
    ("Russian Foreign Ministry", "organisation", "", "Russia", ["Russia's Foreign Ministry"]),
    ("Maxar Technologies", "organisation", "", "", ["Maxar"]),
    ("NBC News", "media", "", "", []),
    ("Interfax", "media", "", "", []),
]

# (speaker, kind, words, cue, medium, date, excerpt)
STATEMENTS = [
    (
        "Joe Biden",
        "direct",
        "Things could go crazy quickly",
        "told",
        "NBC News",
        "2022-02-11",
        "“Things could go crazy quickly,” Biden told NBC News.",
    ),
    (
        "Antony Blinken",
        "direct",
        "We’re in a window when an invasion could begin at any time, and to be clear, that "
        "includes during the Olympics",
        "said",
        "",
        "2022-02-11",
        "“We’re in a window when an invasion could begin at any time, and to be clear, that "
        "includes during the Olympics,” said Secretary of State Antony Blinken.",
    ),
    (
        "Antony Blinken",
        "direct",
        "Simply put, we continue to see very troubling signs of Russian escalation, including "
        "new forces arriving at the Ukrainian border",
        "added",
        "",
        "2022-02-11",
        "“Simply put, we continue to see very troubling signs of Russian escalation, including "
        "new forces arriving at the Ukrainian border,” Blinken added.",
    ),
    (
        "Russian Foreign Ministry",
        "direct",
        "Such a step cannot be seen as anything other than a sign of diplomatic impoliteness "
        "and disrespect for our request.",
        "said",
        "",
        "2022-02-11",
        "Russia’s Foreign Ministry said on Friday it wanted individual answers from each "
        "country, and called the collective response insulting: “Such a step cannot be seen as "
        "anything other than a sign of diplomatic impoliteness and disrespect for our request.”",
    ),
    (
        "Russia",
        "reported",
        "planning to invade Ukraine",
        "denies",
        "",
        "2022-02-11",
        "Moscow denies planning to invade Ukraine",
    ),
]

# (title, category, start, end, precision, verification, scheduled, actors, excerpt)
EVENTS = [
    (
        "Gerasimov and Milley hold phone talks",
        "diplomatic",
        "2022-02-11",
        None,
        "day",
        "reported",
        False,
        [("Valery Gerasimov", "participant"), ("Mark Milley", "participant")],
        "Russia’s Chief of General Staff Valery Gerasimov and US Joint Chiefs Chairman General "
        "Mark Milley held phone talks on Friday, Interfax news agency reported, citing a Russian "
        "defence ministry statement.",
    ),
    (
        "Macron visits Moscow",
        "diplomatic",
        "2022-02-07",
        None,
        "day",
        "reported",
        False,
        [("Emmanuel Macron", "agent"), ("Russia", "target")],
        "Several Western countries launched diplomatic pushes this week to persuade Russia to "
        "back down, but Moscow brushed them off, yielding no concessions to French President "
        "Emmanuel Macron, who visited on Monday, and openly mocking British Foreign Secretary "
        "Liz Truss when she came on Thursday.",
    ),
    (
        "Biden holds a call with Western leaders on the crisis",
        "diplomatic",
        "2022-02-11",
        None,
        "day",
        "reported",
        True,
        [("Joe Biden", "agent")],
        "Biden was due to hold a phone call on Friday to discuss the crisis with the leaders of "
        "Britain, Canada, France, Germany, Poland and Romania, as well as heads of NATO and the "
        "EU.",
    ),
    (
        "Satellite images show new Russian deployments",
        "military",
        "2022-02-09",
        "2022-02-10",
        "day",
        "unverified",
        False,
        [("Maxar Technologies", "agent"), ("Russia", "mentioned")],
        "US-based Maxar Technologies, which has been tracking the buildup of Russian forces, said "
        "images taken on Wednesday and Thursday showed large new deployments of troops, vehicles "
        "and warplanes at several locations in western Russia, Belarus and Crimea, which Russia "
        "annexed from Ukraine in 2014.",
    ),
    (
        "Russia launches joint military exercises in Belarus",
        "military",
        "2022-02-07",
        None,
        "week",
        "reported",
        False,
        [("Russia", "agent")],
        "Russia has already massed more than 100,000 troops near Ukraine, and this week launched "
        "joint military exercises in neighbouring Belarus and naval drills in the Black Sea.",
    ),
    (
        "Four-way talks in Berlin yield no progress",
        "diplomatic",
        "2022-02-10",
        None,
        "day",
        "reported",
        False,
        [("Russia", "participant"), ("Ukraine", "participant")],
        "Four-way talks in Berlin between Russia, Ukraine, Germany and France, part of a "
        "longstanding peace process in a conflict between Ukraine and Russian-backed separatists, "
        "also yielded no progress on Thursday.",
    ),
    (
        "Russia annexes Crimea",
        "military",
        "2014-01-01",
        None,
        "year",
        "reported",
        False,
        [("Russia", "agent"), ("Ukraine", "target")],
        "which Russia annexed from Ukraine in 2014",
    ),
]


class DemoError(RuntimeError):
    pass


def seed_article_path(corpus_dir: Path) -> Path:
    path = corpus_dir / SEED_FILE
    if not path.is_file():
        raise DemoError(
            f"The seed article is missing: {path}. Set DEMO_CORPUS_DIR to the folder holding it."
        )
    return path


def _body(raw: str) -> str:
    """The article's paragraphs between the first dateline and the closing credit."""
    paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
    first_dateline = next(i for i, p in enumerate(paragraphs) if p.startswith("Published:"))
    body = [
        p
        for p in paragraphs[first_dateline + 1 :]
        if p not in CHROME and not p.startswith("Published:") and not p.startswith("Advertising")
    ]
    return "\n\n".join(body)


def _span(text: str, excerpt: str) -> tuple[int, int]:
    start = text.find(excerpt)
    if start < 0:
        raise DemoError(f"The demo excerpt is not in the article: {excerpt[:60]!r}…")
    return start, start + len(excerpt)


@transaction.atomic
def load_demo(corpus_dir: Path) -> Crisis:
    """Load the demo crisis; running it again changes nothing."""
    raw = seed_article_path(corpus_dir).read_text(encoding="utf-8")
    text = _body(raw)
    crisis = services.crisis_get_or_create(
        slug=CRISIS_SLUG, title=CRISIS_TITLE, summary=CRISIS_SUMMARY
    )
    if crisis.start_date is None:
        crisis.start_date = dt.date(2021, 11, 1)
        crisis.save(update_fields=["start_date"])
    if Article.objects.filter(content_hash=content_hash(text)).exists():
        return crisis

    reuters, _ = Source.objects.get_or_create(name="Reuters", defaults={"kind": "agency"})
    lines = raw.splitlines()
    article = Article.objects.create(
        source=reuters,
        title=lines[0].strip(),
        standfirst=lines[2].strip(),
        byline="Reuters",
        published_at=dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC),
        text=text,
        caption="A Ukrainian soldier trains during military drills close to Kharkiv, Ukraine. — AP",
        ingestion_status=Article.IngestionStatus.DONE,
    )
    article.crises.add(crisis)

    actors: dict[str, Actor] = {}
    for name, kind, title, affiliation, aliases in ACTORS:
        actor = Actor.objects.filter(name=name).first() or Actor.objects.create(
            name=name, slug=_unique_slug(name), kind=kind, title=title
        )
        if affiliation:
            actor.affiliation = actors[affiliation]
            actor.save(update_fields=["affiliation"])
        services.actor_add_aliases(actor=actor, names=aliases)
        actors[name] = actor

    for speaker, kind, words, cue, medium, date, excerpt in STATEMENTS:
        statement = Statement.objects.create(
            speaker=actors[speaker],
            kind=kind,
            text=words,
            cue=cue,
            medium=medium,
            date=dt.date.fromisoformat(date),
        )
        statement.crises.add(crisis)
        start, end = _span(text, excerpt)
        services.citation_create(article=article, start=start, end=end, statement=statement)

    categories = {c.slug: c for c in EventCategory.objects.all()}
    for (
        title,
        category,
        start_date,
        end_date,
        precision,
        verification,
        scheduled,
        roles,
        excerpt,
    ) in EVENTS:
        event = Event.objects.create(
            title=title,
            summary=excerpt,
            category=categories[category],
            start_date=dt.date.fromisoformat(start_date),
            end_date=dt.date.fromisoformat(end_date) if end_date else None,
            date_precision=precision,
            verification=verification,
            is_scheduled=scheduled,
        )
        event.crises.add(crisis)
        for name, role in roles:
            EventActor.objects.create(event=event, actor=actors[name], role=role)
        start, end = _span(text, excerpt)
        services.citation_create(article=article, start=start, end=end, event=event)

    # The demo stands for reviewed work: an editor has checked and published it.
    services.items_publish(
        items=Actor.objects.filter(pk__in=[a.pk for a in actors.values()]), by=None
    )
    services.items_publish(items=crisis.statements.filter(status=Status.DRAFT), by=None)
    services.items_publish(items=crisis.events.filter(status=Status.DRAFT), by=None)
    return crisis


def _unique_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:200] or "actor"
    slug, n = base, 2
    while Actor.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
