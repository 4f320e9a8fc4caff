"""The event and statement FilterSets that the API and the reader pages share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.http import HttpRequest, QueryDict
from django.test import RequestFactory

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_source,
    make_statement,
)
from timeline.filters import (
    EVENT_SEARCH_FIELDS,
    STATEMENT_SEARCH_FIELDS,
    EventFilter,
    StatementFilter,
    text_search,
)
from timeline.models import Event, EventActor, EventCategory, Statement, Status

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED


def _request(user: User | None = None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def query(params: dict) -> QueryDict:
    """The query string a browser would send, repeated parameters and all."""
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def events(params: dict, user: User | None = None) -> list[str]:
    filterset = EventFilter(
        query(params), queryset=Event.objects.published(), request=_request(user)
    )
    assert filterset.is_valid(), filterset.errors
    return [event.title for event in filterset.qs]


def event_errors(params: dict) -> dict:
    filterset = EventFilter(query(params), queryset=Event.objects.published(), request=_request())
    assert not filterset.is_valid()
    return filterset.errors


def test_it_keeps_events_whose_span_overlaps_the_range() -> None:
    make_event(title="Before", start_date=dt.date(2022, 1, 30), status=PUBLISHED)
    make_event(
        title="Spans into",
        start_date=dt.date(2022, 1, 28),
        end_date=dt.date(2022, 2, 2),
        status=PUBLISHED,
    )
    make_event(title="Inside", start_date=dt.date(2022, 2, 14), status=PUBLISHED)
    make_event(title="After", start_date=dt.date(2022, 3, 1), status=PUBLISHED)

    found = events({"date_from": "2022-02-01", "date_to": "2022-02-28"})

    assert found == ["Spans into", "Inside"]


def test_it_refuses_a_range_that_ends_before_it_starts() -> None:
    errors = event_errors({"date_from": "2022-03-01", "date_to": "2022-02-01"})

    assert "date_from" in errors
    assert "after date_to" in errors["date_from"][0]


def test_it_refuses_a_malformed_date_on_its_field() -> None:
    errors = event_errors({"date_to": "2022-02-31"})

    assert list(errors) == ["date_to"]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("crisis", "no-such-crisis"),
        ("actor", "no-such-actor"),
        ("category", "no-such-category"),
        ("verification", "rumoured"),
        ("precision", "decade"),
        ("source", "no-such-outlet"),
        ("updated_since", "yesterday"),
    ],
)
def test_it_refuses_unknown_values_on_their_field(param: str, value: str) -> None:
    assert param in event_errors({param: value})


def test_it_finds_events_involving_any_of_several_actors_once_each() -> None:
    russia, ukraine, nato = (make_actor(slug=s, status=PUBLISHED) for s in ("ru", "ua", "nato"))
    both = make_event(title="Both", status=PUBLISHED)
    EventActor.objects.create(event=both, actor=russia, role="agent")
    EventActor.objects.create(event=both, actor=ukraine, role="target")
    only_nato = make_event(title="NATO", status=PUBLISHED)
    EventActor.objects.create(event=only_nato, actor=nato)
    make_event(title="Nobody", status=PUBLISHED)

    assert events({"actor": ["ru", "ua"]}) == ["Both"]
    assert events({"actor": ["ua", "nato"]}) == ["Both", "NATO"]


def test_a_draft_actor_is_unknown_to_readers_but_not_to_editors(editor: User) -> None:
    make_actor(slug="secret")

    assert "actor" in event_errors({"actor": "secret"})
    assert events({"actor": "secret"}, user=editor) == []


def test_it_filters_by_crisis_category_verification_and_precision() -> None:
    crisis = make_crisis(slug="the-crisis")
    diplomatic = EventCategory.objects.get(slug="diplomatic")
    match = make_event(
        title="Match",
        category=diplomatic,
        verification="confirmed",
        date_precision="week",
        status=PUBLISHED,
    )
    match.crises.add(crisis)
    for other in (
        {"category": diplomatic, "verification": "confirmed", "date_precision": "week"},
        {"verification": "confirmed", "date_precision": "week"},
        {"category": diplomatic, "date_precision": "week"},
    ):
        event = make_event(status=PUBLISHED, **other)
        if "category" in other and "verification" in other:
            continue  # in no crisis
        event.crises.add(crisis)

    found = events(
        {
            "crisis": "the-crisis",
            "category": ["diplomatic", "economic"],
            "verification": "confirmed",
            "precision": "week",
        }
    )

    assert found == ["Match"]


def test_it_filters_by_the_outlet_of_a_citation() -> None:
    reuters = make_source(name="Reuters", slug="reuters")
    republished = make_source(name="The Paper", slug="paper")
    cited = make_citation(
        article=make_article(source=reuters), event=make_event(title="Cited", status=PUBLISHED)
    )
    make_citation(
        article=make_article(publisher=republished),
        event=make_event(title="Republished", status=PUBLISHED),
    )
    make_citation(event=make_event(title="Elsewhere", status=PUBLISHED))
    make_citation(article=cited.article, event=make_event(title="Also cited", status=PUBLISHED))

    assert events({"source": "reuters"}) == ["Cited", "Also cited"]
    assert events({"source": "paper"}) == ["Republished"]


def test_it_finds_events_changed_since_a_time() -> None:
    old = make_event(title="Old", status=PUBLISHED)
    Event.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC))
    make_event(title="New", status=PUBLISHED)

    assert events({"updated_since": "2023-01-01T00:00:00Z"}) == ["New"]


def test_it_searches_event_titles_and_summaries() -> None:
    make_event(title="Troops mass near the border", status=PUBLISHED)
    make_event(title="Talks", summary="Diplomats met and the troops stayed", status=PUBLISHED)
    make_event(title="Sanctions announced", status=PUBLISHED)

    assert events({"q": "troops"}) == ["Troops mass near the border", "Talks"]
    assert events({"q": "troops border"}) == ["Troops mass near the border"]
    assert events({"q": "   "}) == ["Troops mass near the border", "Talks", "Sanctions announced"]


def test_search_finds_the_items_of_an_actor_named_or_aliased_in_the_words() -> None:
    blinken = make_actor(name="Antony Blinken", slug="blinken", status=PUBLISHED)
    blinken.aliases.create(name="Tony Blinken", key="tony blinken")
    talks = make_event(title="Talks in Geneva", status=PUBLISHED)
    EventActor.objects.create(event=talks, actor=blinken, role="participant")
    make_event(title="Sanctions announced", status=PUBLISHED)
    make_statement(speaker=blinken, text="Diplomacy is the only way", status=PUBLISHED)
    make_statement(text="Nothing changes", status=PUBLISHED)

    def statements(params: dict) -> list[str]:
        filterset = StatementFilter(
            query(params), queryset=Statement.objects.published(), request=_request()
        )
        assert filterset.is_valid(), filterset.errors
        return [statement.text for statement in filterset.qs]

    assert events({"q": "blinken"}) == ["Talks in Geneva"]
    assert events({"q": "tony"}) == ["Talks in Geneva"]
    assert statements({"q": "Blinken"}) == ["Diplomacy is the only way"]


def test_search_by_name_does_not_find_an_actor_readers_cannot_see() -> None:
    draft = make_actor(name="Unvetted Source", status=Status.DRAFT)
    talks = make_event(title="Talks in Geneva", status=PUBLISHED)
    EventActor.objects.create(event=talks, actor=draft, role="participant")

    assert events({"q": "unvetted"}) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_on_postgresql_search_matches_word_forms() -> None:
    make_event(title="Russia masses troops", status=PUBLISHED)

    assert events({"q": "massing troop"}) == ["Russia masses troops"]


def test_it_filters_statements_by_speaker_date_and_words() -> None:
    biden = make_actor(slug="biden", status=PUBLISHED)
    make_statement(speaker=biden, text="Things could go crazy quickly", date=dt.date(2022, 2, 11))
    make_statement(speaker=biden, text="We stand with Ukraine", date=dt.date(2022, 3, 1))
    make_statement(text="Things are calm", date=dt.date(2022, 2, 11))
    Statement.objects.update(status=PUBLISHED)

    def statements(params: dict) -> list[str]:
        filterset = StatementFilter(
            query(params), queryset=Statement.objects.published(), request=_request()
        )
        assert filterset.is_valid(), filterset.errors
        return [statement.text for statement in filterset.qs]

    assert statements({"actor": "biden", "date_to": "2022-02-28"}) == [
        "Things could go crazy quickly"
    ]
    assert statements({"q": "things"}) == ["Things could go crazy quickly", "Things are calm"]
    assert statements({"kind": "direct", "date_from": "2022-02-12"}) == ["We stand with Ukraine"]


def test_a_proposed_citation_does_not_make_an_event_match_its_outlet() -> None:
    reuters = make_source(name="Reuters", slug="reuters")
    make_citation(
        article=make_article(source=reuters),
        event=make_event(title="Only proposed", status=PUBLISHED),
        proposed=True,
    )

    assert events({"source": "reuters"}) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes are PostgreSQL's")
def test_on_postgresql_search_uses_the_full_text_indexes() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway

    events_plan = text_search(Event.objects.all(), EVENT_SEARCH_FIELDS, "troops").explain()
    statements_plan = text_search(
        Statement.objects.all(), STATEMENT_SEARCH_FIELDS, "troops"
    ).explain()

    assert "timeline_event_fulltext" in events_plan
    assert "timeline_statement_fulltext" in statements_plan


@pytest.mark.parametrize(
    "moment",
    ["1953-06-07T12:52:50-18:03", "2022-02-11T10:00:00+23:59", "0001-01-01T00:00:00+05:00"],
)
def test_odd_but_well_formed_times_never_reach_the_database_unchecked(moment: str) -> None:
    filterset = EventFilter(
        query({"updated_since": moment}), queryset=Event.objects.all(), request=_request()
    )

    if filterset.is_valid():
        list(filterset.qs)  # PostgreSQL refuses offsets past ±15:59: they are made UTC first
    else:
        assert list(filterset.errors) == ["updated_since"]
