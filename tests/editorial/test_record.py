"""What readers see of the editors' work: claims and denials, corrections, notes, source counts,
and never a corroboration the machine proposed until an editor confirms it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import responses
from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_source,
    make_statement,
    source_count,
)
from timeline.admin.items import EditorialForm
from timeline.models import (
    Article,
    Citation,
    Claim,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    Statement,
    Status,
)
from timeline.services import citations, editorial

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED
INVASION_DAY = dt.date(2022, 2, 15)


def published_event(**fields: Any) -> Event:
    event = make_event(
        title="Russia invades Ukraine", start_date=INVASION_DAY, status=PUBLISHED, **fields
    )
    crisis = Crisis.objects.filter(slug="ukraine").first() or make_crisis(slug="ukraine")
    event.crises.add(crisis)
    return event


def quote(text: str, speaker: str, outlet: str, *, status: str = PUBLISHED) -> Statement:
    statement = make_statement(
        text=text,
        speaker=make_actor(name=speaker, status=PUBLISHED),
        date=dt.date(2022, 2, 12),
        status=status,
    )
    article = make_article(title=f"{outlet} report", source=make_source(name=outlet), text=text)
    Citation.objects.create(article=article, statement=statement, start=0, end=len(text))
    return statement


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Claims and counter-claims


def test_the_event_page_shows_a_claim_and_its_denial_each_with_its_citation(
    client: Client,
) -> None:
    event = published_event()
    warning = quote("An invasion could come at any time", "Jake Sullivan", "Reuters")
    denial = quote("Russia has no plans to invade anyone", "Dmitry Peskov", "TASS")
    editorial.claim_link(event=event, statement=warning, stance=Claim.Stance.SUPPORTS, by=None)
    editorial.claim_link(event=event, statement=denial, stance=Claim.Stance.DENIES, by=None)

    html = page(client, event.get_absolute_url())

    assert "Claims and denials" in html
    assert "Disputed" in html
    supporting, denying = html.split('id="supporting-heading"')[1].split('id="denying-heading"')
    assert "An invasion could come at any time" in supporting and "Reuters" in supporting
    assert "Russia has no plans to invade anyone" in denying and "TASS" in denying
    assert "Dmitry Peskov" in denying


def test_a_claim_by_a_statement_still_in_review_is_not_shown(client: Client) -> None:
    event = published_event()
    draft = quote("We deny everything", "Maria Zakharova", "RIA", status=Status.DRAFT)
    editorial.claim_link(event=event, statement=draft, stance=Claim.Stance.DENIES, by=None)

    html = page(client, event.get_absolute_url())

    assert "We deny everything" not in html
    assert "Claims and denials" not in html


def test_a_claim_by_a_speaker_in_review_reads_as_by_an_unnamed_speaker(client: Client) -> None:
    event = published_event()
    statement = quote("No invasion is planned", "Secret Name", "TASS")
    Statement.objects.filter(pk=statement.pk).update(speaker=make_actor(name="Secret Name"))
    editorial.claim_link(event=event, statement=statement, stance=Claim.Stance.DENIES, by=None)

    html = page(client, event.get_absolute_url())

    assert "No invasion is planned" in html
    assert "Secret Name" not in html
    assert "Unnamed speaker" in html


# Corrections and notes


def test_a_reader_sees_the_correction_record_with_its_date_change_and_note(
    client: Client, publisher: User
) -> None:
    event = published_event(public_note="Casualty figures are unconfirmed.")
    Event.objects.filter(pk=event.pk).update(status=Status.DRAFT)
    editorial.items_publish(items=Event.objects.filter(pk=event.pk), by=publisher)
    event.refresh_from_db()
    editorial.item_correct(
        item=event,
        changes={"start_date": ["2022-02-15", "2022-02-24"]},
        note="The invasion began on the 24th, not the 15th.",
        by=publisher,
    )

    html = page(client, event.get_absolute_url())

    corrections = html.split('id="corrections-heading"')[1]
    assert "The invasion began on the 24th, not the 15th." in corrections
    assert "Start date" in corrections
    assert "2022-02-15" in corrections and "2022-02-24" in corrections
    assert event.corrections.get().created_at.strftime("%-d %b %Y") in corrections
    assert "Casualty figures are unconfirmed." in html


def test_an_event_never_corrected_shows_no_corrections_section(client: Client) -> None:
    assert 'id="corrections-heading"' not in page(client, published_event().get_absolute_url())


def test_a_corrected_statement_says_so_wherever_it_is_shown(client: Client) -> None:
    event = published_event()
    statement = quote("An invasion could come at any time", "Jake Sullivan", "Reuters")
    Statement.objects.filter(pk=statement.pk).update(first_published_at=dt.datetime.now(dt.UTC))
    statement.refresh_from_db()
    statement.crises.add(event.crises.get())
    editorial.item_correct(
        item=statement,
        changes={"text": ["An invasion could come any time", "An invasion could come at any time"]},
        note="The quote now matches the transcript.",
        by=None,
    )
    editorial.claim_link(event=event, statement=statement, stance=Claim.Stance.SUPPORTS, by=None)

    for url in (event.get_absolute_url(), "/crises/ukraine/"):
        html = page(client, url)
        assert "Corrected 1 time" in html, url
        assert "The quote now matches the transcript." in html, url


def test_an_actors_page_shows_its_corrections(client: Client) -> None:
    actor = make_actor(name="Sergei Shoigu", status=PUBLISHED)
    Statement.objects.create(text="x", speaker=actor, status=PUBLISHED)
    actor.first_published_at = dt.datetime.now(dt.UTC)
    actor.save()
    editorial.item_correct(
        item=actor,
        changes={"title": ["Foreign Minister", "Defence Minister"]},
        note="He is the defence minister.",
        by=None,
    )

    html = page(client, actor.get_absolute_url())

    assert "He is the defence minister." in html
    assert "Defence Minister" in html


def test_the_public_note_shows_on_the_timeline_card(client: Client) -> None:
    published_event(public_note="Figures from one side only.")

    assert "Figures from one side only." in page(client, "/crises/ukraine/")


# Independent sources


def test_an_event_counts_a_wire_story_republished_by_two_papers_as_one_source(
    client: Client,
) -> None:
    event = published_event()
    reuters = make_source(name="Reuters")
    for paper in ("The Guardian", "Le Monde"):
        make_citation(
            event=event, article=make_article(source=reuters, publisher=make_source(name=paper))
        )

    html = page(client, event.get_absolute_url())

    assert "Reported by 1 independent source " in html
    assert "(2 articles;" in html
    assert "1 source<" in page(client, "/crises/ukraine/")


def test_an_event_reported_by_two_outlets_has_two_sources(client: Client) -> None:
    event = published_event()
    make_citation(event=event, article=make_article(source=make_source(name="Reuters")))
    make_citation(event=event, article=make_article(source=make_source(name="AP")))

    assert "Reported by 2 independent sources." in page(client, event.get_absolute_url())
    assert "2 sources<" in page(client, "/crises/ukraine/")
    assert source_count(Event.objects.with_source_count().get(pk=event.pk)) == 2


def test_the_same_quote_from_two_outlets_shows_two_sources(client: Client) -> None:
    event = published_event()
    statement = quote("We are on a path of dialogue", "Antony Blinken", "Reuters")
    make_citation(statement=statement, article=make_article(source=make_source(name="AP")))
    editorial.claim_link(event=event, statement=statement, stance=Claim.Stance.SUPPORTS, by=None)

    assert "2 sources<" in page(client, event.get_absolute_url())


# Proposed corroborations stay out of sight until confirmed


@pytest.fixture
def proposed() -> Citation:
    """A published event with one confirmed citation and one the machine proposed."""
    event = published_event()
    make_citation(event=event, article=make_article(source=make_source(name="Reuters")))
    article = make_article(
        title="Pravda claims the same", source=make_source(name="Pravda"), text="Pravda text here"
    )
    article.crises.add(event.crises.get())
    return Citation.objects.create(article=article, event=event, start=0, end=6, proposed=True)


def test_a_proposed_citation_is_not_on_the_event_page_or_the_timeline(
    client: Client, proposed: Citation
) -> None:
    assert proposed.event is not None
    for url in (proposed.event.get_absolute_url(), "/crises/ukraine/"):
        html = page(client, url)
        assert "Reuters" in html, url
        assert "Pravda" not in html, url
    assert "Reported by 1 independent source." in page(client, proposed.event.get_absolute_url())


def test_readers_see_how_many_more_outlets_the_machine_matched_before_an_editor_confirms(
    client: Client, proposed: Citation
) -> None:
    assert proposed.event is not None

    html = page(client, proposed.event.get_absolute_url())

    assert "1 more outlet matched automatically, not yet confirmed by an editor." in html
    assert "Pravda" not in html  # the unconfirmed source itself is not shown


def test_once_confirmed_a_match_is_a_source_not_an_automatic_match(
    client: Client, proposed: Citation
) -> None:
    assert proposed.event is not None
    citations.citation_confirm(citation=proposed, by=None)

    html = page(client, proposed.event.get_absolute_url())

    assert "Reported by 2 independent sources." in html
    assert "matched automatically" not in html


def test_an_article_only_a_proposed_citation_cites_is_not_shown_to_readers(
    client: Client, proposed: Citation
) -> None:
    # As in the API: no published item cites it yet, an editor has not confirmed the match.
    assert client.get(proposed.article.get_absolute_url()).status_code == 404
    citations.citation_confirm(citation=proposed, by=None)

    html = page(client, proposed.article.get_absolute_url())

    assert f'id="cite-{proposed.pk}"' in html


def test_a_proposed_citation_is_not_in_the_exports_or_the_api(
    client: Client, api_client: APIClient, proposed: Citation
) -> None:
    for url in ("/crises/ukraine/events.csv", "/crises/ukraine/events.jsonl"):
        body = responses.text(client.get(url))
        assert "Reuters" in body and "Pravda" not in body, url
    event = api_client.get(f"/api/v1/events/{proposed.event_id}/").json()
    assert [c["outlet"] for c in event["citations"]] == ["Reuters"]
    assert event["source_count"] == 1
    articles = api_client.get("/api/v1/articles/").json()["results"]
    assert "Pravda claims the same" not in [a["title"] for a in articles]
    body = responses.text(api_client.get("/api/v1/events/export/csv/"))
    assert "Pravda" not in body


def test_a_proposed_citation_is_not_a_choice_in_the_timelines_source_filter(
    client: Client, proposed: Citation
) -> None:
    html = page(client, "/crises/ukraine/")

    assert ">Reuters (1)<" in html
    assert "Pravda" not in html


def test_once_confirmed_the_citation_shows_and_counts(client: Client, proposed: Citation) -> None:
    citations.citation_confirm(citation=proposed, by=None)

    assert proposed.event is not None
    html = page(client, proposed.event.get_absolute_url())

    assert "Pravda" in html
    assert "Reported by 2 independent sources." in html


# The event page's cost does not grow with its editorial record


def _event_page_queries(client: Client, event: Event) -> int:
    client.get(event.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(event.get_absolute_url()).status_code == 200
    return len(captured)


def _add_record(event: Event, n: int) -> None:
    event.first_published_at = dt.datetime.now(dt.UTC)
    event.save()
    for i in range(n):
        stance = Claim.Stance.DENIES if i % 2 else Claim.Stance.SUPPORTS
        statement = quote(f"Statement {event.pk}.{i}", f"Speaker {i}", f"Outlet {event.pk}.{i}")
        Statement.objects.filter(pk=statement.pk).update(first_published_at=dt.datetime.now(dt.UTC))
        statement.refresh_from_db()
        editorial.item_correct(item=statement, changes={"text": ["a", "b"]}, note="n", by=None)
        editorial.claim_link(event=event, statement=statement, stance=stance, by=None)
        editorial.item_correct(item=event, changes={"title": ["a", "b"]}, note=f"Fix {i}", by=None)
        make_citation(event=event)


def test_the_event_pages_queries_do_not_grow_with_claims_and_corrections(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    few, many = published_event(), published_event()
    _add_record(few, 2)
    _add_record(many, 12)

    baseline = _event_page_queries(client, few)

    with django_assert_max_num_queries(baseline):
        html = page(client, many.get_absolute_url())
    assert html.count("Fix ") == 12


# The API names only published actors to readers


def test_the_api_leaves_actors_in_review_out_of_a_published_event(
    api_client: APIClient, editor_api: APIClient
) -> None:
    event = published_event()
    EventActor.objects.create(event=event, actor=make_actor(slug="russia", status=PUBLISHED))
    EventActor.objects.create(event=event, actor=make_actor(slug="secret-unit"), role="target")
    url = f"/api/v1/events/{event.pk}/"

    public = api_client.get(url).json()
    assert [role["actor"]["slug"] for role in public["actors"]] == ["russia"]
    listed = api_client.get("/api/v1/events/").json()["results"][0]
    assert [role["actor"]["slug"] for role in listed["actors"]] == ["russia"]
    for kind in ("csv", "jsonl"):
        body = responses.text(api_client.get(f"/api/v1/events/export/{kind}/"))
        assert "secret-unit" not in body.lower().replace(" ", "-"), kind
    editors = editor_api.get(url).json()
    assert {role["actor"]["slug"] for role in editors["actors"]} == {"russia", "secret-unit"}


def test_the_api_hides_a_speaker_or_affiliation_still_in_review(
    api_client: APIClient, editor_api: APIClient
) -> None:
    draft_state = make_actor(name="Draft State", slug="draft-state", kind="state")
    minister = make_actor(slug="minister", status=PUBLISHED, affiliation=draft_state)
    by_minister = make_statement(speaker=minister, status=PUBLISHED, date=INVASION_DAY)
    by_draft = make_statement(speaker=make_actor(slug="nobody-yet"), status=PUBLISHED)

    assert api_client.get(f"/api/v1/statements/{by_draft.pk}/").json()["speaker"] is None
    speaker = api_client.get(f"/api/v1/statements/{by_minister.pk}/").json()["speaker"]
    assert speaker["slug"] == "minister" and speaker["affiliation"] is None
    assert api_client.get("/api/v1/actors/minister/").json()["affiliation"] is None
    assert editor_api.get("/api/v1/actors/minister/").json()["affiliation"]["slug"] == (
        "draft-state"
    )


def test_the_api_gives_an_events_note_claims_sources_corrections_and_version(
    api_client: APIClient,
) -> None:
    event = published_event(public_note="Unconfirmed.")
    event.first_published_at = dt.datetime.now(dt.UTC)
    event.save()
    denial = quote("No plans to invade", "Dmitry Peskov", "TASS")
    hidden = quote("Hidden", "Someone", "RIA", status=Status.DRAFT)
    editorial.claim_link(event=event, statement=denial, stance=Claim.Stance.DENIES, by=None)
    editorial.claim_link(event=event, statement=hidden, stance=Claim.Stance.SUPPORTS, by=None)
    editorial.item_correct(item=event, changes={"title": ["Old", "New"]}, note="Retitled.", by=None)
    make_citation(event=event, article=make_article(source=make_source(name="AP")))
    event.refresh_from_db()

    data = api_client.get(f"/api/v1/events/{event.pk}/").json()

    assert data["public_note"] == "Unconfirmed."
    assert data["verification"] == "disputed"
    assert data["claims"] == [{"statement": denial.pk, "stance": "denies"}]
    assert data["source_count"] == 1
    assert [(c["note"], c["changes"]) for c in data["corrections"]] == [
        ("Marked disputed: Dmitry Peskov denies it.", {"verification": ["Reported", "Disputed"]}),
        ("Retitled.", {"title": ["Old", "New"]}),
    ]
    assert data["version"] == event.version


def test_an_article_cited_only_through_a_draft_is_not_listed_to_readers(
    api_client: APIClient,
) -> None:
    article = make_article(title="Only drafts cite me")
    make_citation(article=article, event=make_event())

    titles = [a["title"] for a in api_client.get("/api/v1/articles/").json()["results"]]

    assert "Only drafts cite me" not in titles
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_admin_records_a_corrected_category_and_crises_by_name(publisher: User) -> None:
    event = published_event()
    event.first_published_at = dt.datetime.now(dt.UTC)
    event.save()
    request = RequestFactory().post("/")
    request.user = publisher
    form_class = admin.site._registry[Event].get_form(request, event, change=True)
    data = {
        key: [crisis.pk for crisis in value] if key == "crises" else value
        for key, value in model_to_dict(event, fields=form_class.base_fields).items()
        if value is not None
    }
    data.update(
        category=EventCategory.objects.get(slug="diplomatic").pk,
        crises=[make_crisis(title="Baltic tensions").pk],
        expected_version=event.version,
        correction_note="Recategorised.",
    )

    form = form_class(data=data, instance=event)
    assert isinstance(form, EditorialForm)

    assert form.is_valid(), form.errors
    changes = form.content_changes()
    assert changes["category"] == ["Military", "Diplomatic"]
    assert changes["crises"] == [str(event.crises.get()), "Baltic tensions"]
