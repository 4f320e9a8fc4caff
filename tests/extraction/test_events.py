"""Events: one per event-bearing sentence, dated, titled, categorised, with actors and roles.

The actor lists are built by hand from surface forms, so these tests do not depend on the actor
extractor. Dates resolve against the seed article's publication: Friday 11 February 2022.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest

from evaluation import seed_article_path
from timeline.extraction.article_text import parse_plain_text
from timeline.extraction.events import extract_events
from timeline.extraction.nlp import get_nlp
from timeline.extraction.pipeline import extract
from timeline.extraction.types import ActorKind, ExtractedActor, ExtractedEvent, Span

if TYPE_CHECKING:
    from spacy.language import Language

FRIDAY = dt.date(2022, 2, 11)

# canonical name -> (kind, surface forms)
ACTORS: dict[str, tuple[ActorKind, tuple[str, ...]]] = {
    "Russia": ("state", ("Russia", "Moscow", "Kremlin")),
    "Ukraine": ("state", ("Ukraine", "Kyiv")),
    "United States": ("state", ("Washington",)),
    "Belarus": ("state", ("Belarus",)),
    "Japan": ("state", ("Japan",)),
    "Netherlands": ("state", ("Netherlands",)),
    "Germany": ("state", ("Germany",)),
    "France": ("state", ("France", "Paris")),
    "EU": ("organisation", ("EU",)),
    "NATO": ("organisation", ("NATO",)),
    "Maxar Technologies": ("organisation", ("Maxar Technologies",)),
    "Interfax": ("media", ("Interfax news agency",)),
    "Joe Biden": ("person", ("Joe Biden", "Biden")),
    "Vladimir Putin": ("person", ("Vladimir Putin", "Putin")),
    "Valery Gerasimov": ("person", ("Valery Gerasimov",)),
    "Mark Milley": ("person", ("Mark Milley",)),
    "Emmanuel Macron": ("person", ("Emmanuel Macron", "Macron")),
    "Liz Truss": ("person", ("Liz Truss",)),
    "Ben Wallace": ("person", ("Ben Wallace", "Wallace")),
}


def actors_in(
    text: str, names: dict[str, tuple[ActorKind, tuple[str, ...]]] = ACTORS
) -> list[ExtractedActor]:
    """Hand-built actors: every whole-word occurrence of each surface form is a mention."""
    found = []
    for name, (kind, forms) in names.items():
        pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        mentions = [Span(m.start(), m.end()) for m in re.finditer(rf"\b(?:{pattern})\b", text)]
        if mentions:
            found.append(ExtractedActor(name=name, kind=kind, mentions=mentions))
    return found


@pytest.fixture(scope="session")
def nlp() -> Language:
    return get_nlp()


def events_of(nlp: Language, text: str) -> list[ExtractedEvent]:
    return extract_events(nlp(text), FRIDAY, actors_in(text))


def the_event(nlp: Language, text: str) -> ExtractedEvent:
    found = events_of(nlp, text)
    assert len(found) == 1, [e.title for e in found]
    return found[0]


# Small sentences -------------------------------------------------------------------------------


def test_it_titles_an_event_subject_verb_object(nlp: Language) -> None:
    event = the_event(nlp, "Russia annexed Crimea from Ukraine in 2014.")
    assert event.title == "Russia annexes Crimea from Ukraine"
    assert event.category == "military"
    assert (event.date.start, event.date.precision) == (dt.date(2014, 1, 1), "year")
    assert ("Russia", "agent") in event.actors


def test_it_titles_a_passive_with_its_agent_in_the_active_voice(nlp: Language) -> None:
    assert the_event(nlp, "Sanctions were imposed on Russia by the EU on Wednesday.").title == (
        "EU imposes sanctions"
    )
    condemned = the_event(nlp, "The move has been condemned by NATO and Western countries.")
    assert condemned.title == "NATO condemns move"  # the one actor named, the verb agreeing


def test_it_titles_a_passive_with_no_agent_patient_first(nlp: Language) -> None:
    assert the_event(nlp, "Two soldiers were killed in shelling on Monday.").title == (
        "Two soldiers killed"
    )
    pulled = the_event(nlp, "The Dutch mission will be pulled from Kyiv on Saturday.")
    assert pulled.title == "Dutch mission to be pulled from Ukraine"  # this file's Kyiv: Ukraine


def test_a_dateline_opening_the_line_is_no_part_of_the_subject(nlp: Language) -> None:
    text = "PARIS, France – Russia sent more troops to its border with Ukraine on Friday."
    event = the_event(nlp, text)

    assert event.title.startswith("Russia sends more troops")
    assert ("France", "agent") not in event.actors and ("Russia", "agent") in event.actors


def test_a_dateline_the_parse_took_for_the_subject_gives_way_to_the_real_one(
    nlp: Language,
) -> None:
    text = "MOSCOW, Russia – Some troops were returning to their bases after drills on Friday."

    assert the_event(nlp, text).title.startswith("Troops return to bases")


def test_a_dateline_in_capitals_for_a_place_the_gazetteer_lacks_is_no_subject(
    nlp: Language,
) -> None:
    text = "UNITED NATIONS, United States – The United Nations will hold an emergency meeting."

    assert the_event(nlp, text).title.startswith("United Nations")


def test_a_name_that_only_qualifies_a_noun_leaves_the_noun_in_the_title(nlp: Language) -> None:
    meeting = the_event(nlp, "The United Nations held an emergency Security Council meeting.")

    assert meeting.title == "United Nations holds emergency Security Council meeting"


def test_a_title_keeps_hyphenated_words_and_names_whole(nlp: Language) -> None:
    recognised = the_event(nlp, "Russia recognised the rebel-held regions on Monday.")
    signed = the_event(nlp, "Putin signed treaties with the Donetsk People’s Republic on Monday.")

    assert recognised.title == "Russia recognises rebel-held regions"
    assert signed.title == "Putin signs treaties with Donetsk People’s Republic"


def test_it_cites_the_sentence_and_summarises_what_the_title_leaves_out(nlp: Language) -> None:
    text = "Tensions rose. Japan told its citizens on Friday to leave Ukraine immediately."
    event = the_event(nlp, text)
    assert event.span.excerpt(text).startswith("Japan told")
    assert "Japan told" not in event.summary  # the card shows the sentence once, as the citation
    assert event.summary == "Tensions rose."  # the rest of its paragraph


def test_it_gives_the_agent_and_the_other_actors_roles(nlp: Language) -> None:
    event = the_event(nlp, "Japan told its citizens on Friday to leave Ukraine immediately.")
    assert event.title == "Japan tells citizens to leave Ukraine"
    assert dict(event.actors) == {"Japan": "agent", "Ukraine": "participant"}
    assert event.category == "diplomatic"
    assert event.date.start == FRIDAY and not event.date.is_fallback


def test_it_marks_the_object_actor_as_the_target(nlp: Language) -> None:
    event = the_event(nlp, "The EU imposed sanctions on Russia on Wednesday.")
    assert dict(event.actors) == {"EU": "agent", "Russia": "target"}
    assert event.category == "economic"
    assert event.date.start == dt.date(2022, 2, 9)


def test_it_names_both_people_who_held_talks(nlp: Language) -> None:
    event = the_event(
        nlp,
        "Russia's Chief of General Staff Valery Gerasimov and US Joint Chiefs Chairman General "
        "Mark Milley held phone talks on Friday, Interfax news agency reported.",
    )
    assert event.title == "Gerasimov and Milley hold phone talks"
    roles = dict(event.actors)
    assert roles["Valery Gerasimov"] == roles["Mark Milley"] == "agent"
    assert roles["Interfax"] == "mentioned"


def test_it_ignores_what_only_might_happen(nlp: Language) -> None:
    assert events_of(nlp, "An invasion could come at any time, and Russia may attack Kyiv.") == []
    assert events_of(nlp, "Biden said he would not send troops to rescue citizens.") == []
    assert events_of(nlp, "Sanctions will follow if Russia invades Ukraine.") == []


def test_it_takes_a_past_clause_of_time_as_known_inside_a_plan(nlp: Language) -> None:
    found = events_of(
        nlp,
        "Officials had suggested Russia planned to wait until after the games ended February 20.",
    )
    ended = next(e for e in found if e.date.start == dt.date(2022, 2, 20))
    assert ended.title == "Games to end"
    assert ended.date.is_scheduled  # February 20 is after the publication date


def test_it_does_not_take_a_clause_of_time_about_what_may_come_as_known(nlp: Language) -> None:
    assert events_of(nlp, "NATO would respond after Russia invades Ukraine on Friday.") == []


def test_it_takes_a_denial_as_the_event_not_what_is_denied(nlp: Language) -> None:
    event = the_event(nlp, "Moscow denies planning to invade Ukraine.")
    assert event.title == "Russia denies planning to invade Ukraine"
    assert event.category == "statement"


def test_it_schedules_what_is_due_to_happen(nlp: Language) -> None:
    event = the_event(nlp, "Biden was due to hold a phone call on Friday with NATO leaders.")
    assert event.title.startswith("Biden to hold phone call")
    assert event.date.is_scheduled
    assert event.date.start == FRIDAY


def test_it_dates_an_overnight_meeting_from_the_evening_before(nlp: Language) -> None:
    event = the_event(nlp, "Biden met his national security advisers overnight.")
    assert (event.date.start, event.date.end) == (dt.date(2022, 2, 10), FRIDAY)


def test_it_splits_out_a_clause_with_a_date_of_its_own(nlp: Language) -> None:
    text = (
        "Moscow brushed them off, yielding no concessions to Emmanuel Macron, who visited on "
        "Monday, and mocking Liz Truss when she came on Thursday."
    )
    found = {e.date.start: e for e in events_of(nlp, text)}
    assert found[dt.date(2022, 2, 7)].title == "Macron visits Moscow"
    assert found[dt.date(2022, 2, 10)].title == "Truss visits Moscow"
    assert ("Liz Truss", "agent") in found[dt.date(2022, 2, 10)].actors


def test_it_lets_a_pronoun_continue_the_previous_event(nlp: Language) -> None:
    found = events_of(
        nlp,
        "Valery Gerasimov and Mark Milley held phone talks on Friday. "
        "They discussed international security, the agency added.",
    )
    assert [e.title for e in found] == [
        "Gerasimov and Milley hold phone talks",
        "Gerasimov and Milley discuss international security",
    ]
    assert found[1].date.start == FRIDAY and not found[1].date.is_fallback
    assert found[1].confidence < found[0].confidence


def test_it_takes_the_two_leaders_for_the_pair_who_last_met(nlp: Language) -> None:
    found = events_of(
        nlp,
        "Joe Biden spoke with Vladimir Putin by phone on Saturday, according to Mark Milley, "
        "who talked to Ben Wallace. The two leaders last spoke on Dec. 30.",
    )
    last = found[-1]
    assert last.title == "Biden and Putin speak"
    assert dict(last.actors) == {"Joe Biden": "agent", "Vladimir Putin": "agent"}
    assert last.date.start == dt.date(2021, 12, 30)


def test_it_does_not_guess_the_two_leaders_from_names_only_mentioned(nlp: Language) -> None:
    found = events_of(
        nlp,
        "The plan, according to Mark Milley, who talked to Ben Wallace, is unclear. "
        "The two men last spoke on Dec. 30.",
    )
    two_men = found[-1]
    assert two_men.title == "Two men speak"
    assert two_men.actors == []


def test_it_takes_the_two_leaders_for_the_last_two_named_with_a_leaders_title(
    nlp: Language,
) -> None:
    text = (
        'President Joe Biden is expected to "engage with President Vladimir Putin," according '
        "to Vice President Kamala Harris, who talked to Mary Bruce. The two leaders last spoke "
        "on Dec. 30."
    )
    actors = actors_in(text, {**ACTORS, "Kamala Harris": ("person", ("Kamala Harris",))})
    titles = {"Joe Biden": "President", "Vladimir Putin": "Russian President"}
    titles |= {"Kamala Harris": "Vice President"}
    for actor in actors:
        actor.title = titles.get(actor.name, "")
    spoke = extract_events(nlp(text), FRIDAY, actors)[-1]
    assert spoke.title == "Biden and Putin speak"
    assert {name for name, _ in spoke.actors} == {"Joe Biden", "Vladimir Putin"}


def test_it_falls_back_to_the_publication_date_with_less_confidence(nlp: Language) -> None:
    dated, undated = events_of(
        nlp, "Russia launched naval drills on Thursday. Moscow has responded to Western pressure."
    )
    assert undated.date.is_fallback and undated.date.start == FRIDAY
    assert undated.confidence < dated.confidence
    assert all(0.0 <= e.confidence <= 1.0 for e in (dated, undated))


def test_it_marks_a_claim_that_could_not_be_verified(nlp: Language) -> None:
    dated, *_ = events_of(
        nlp,
        "Maxar Technologies said images taken on Wednesday and Thursday showed new deployments "
        "of troops in Belarus. The images could not be independently verified by Reuters.",
    )
    assert dated.verification == "unverified"
    assert (dated.date.start, dated.date.end) == (dt.date(2022, 2, 9), dt.date(2022, 2, 10))


def test_it_marks_a_claim_another_actor_denies_as_disputed(nlp: Language) -> None:
    event, *_ = events_of(
        nlp,
        "Ukraine said Russian forces shelled a kindergarten on Thursday. "
        "Moscow denied the shelling.",
    )
    assert event.title.startswith("Russian forces shell")
    assert event.verification == "disputed"


def test_it_keeps_a_plain_report_reported(nlp: Language) -> None:
    event = the_event(nlp, "The EU and NATO delivered responses this week.")
    assert event.verification == "reported"
    assert (event.date.start, event.date.end, event.date.precision) == (
        dt.date(2022, 2, 7),
        dt.date(2022, 2, 13),
        "week",
    )


# The seed article ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_events(nlp: Language) -> list[ExtractedEvent]:
    body = parse_plain_text(seed_article_path().read_text(encoding="utf-8")).body
    return extract_events(nlp(body), FRIDAY, actors_in(body))


def find(events: list[ExtractedEvent], words: str) -> ExtractedEvent:
    matches = [e for e in events if words in e.title]
    assert matches, f"no event titled with {words!r}: {[e.title for e in events]}"
    return matches[0]


@pytest.mark.parametrize(
    ("words", "start", "end", "precision"),
    [
        ("Gerasimov and Milley hold phone talks", "2022-02-11", None, "day"),
        ("Macron visits", "2022-02-07", None, "day"),
        ("Truss visits", "2022-02-10", None, "day"),
        ("talks in Berlin yield no progress", "2022-02-10", None, "day"),
        ("Biden to hold phone call", "2022-02-11", None, "day"),
        ("Images show", "2022-02-09", "2022-02-10", "day"),
        ("Russia launches joint military exercises", "2022-02-07", "2022-02-13", "week"),
        ("Japan and Netherlands tell citizens to leave Ukraine", "2022-02-11", None, "day"),
        ("Russia annexes Crimea", "2014-01-01", "2014-12-31", "year"),
        ("Biden meets national security advisers", "2022-02-10", "2022-02-11", "day"),
        ("Beijing Games to end", "2022-02-20", None, "day"),
    ],
)
def test_it_dates_the_seed_article_s_events(
    seed_events: list[ExtractedEvent], words: str, start: str, end: str | None, precision: str
) -> None:
    event = find(seed_events, words)
    assert event.date.start == dt.date.fromisoformat(start)
    assert event.date.end == (dt.date.fromisoformat(end) if end else None)
    assert event.date.precision == precision


def test_it_schedules_the_seed_article_s_future_events(seed_events: list[ExtractedEvent]) -> None:
    assert find(seed_events, "Biden to hold phone call").date.is_scheduled
    assert find(seed_events, "Beijing Games to end").date.is_scheduled
    assert not find(seed_events, "Macron visits").date.is_scheduled


def test_it_marks_the_seed_article_s_satellite_images_unverified(
    seed_events: list[ExtractedEvent],
) -> None:
    assert find(seed_events, "Images show").verification == "unverified"
    assert find(seed_events, "Russia annexes Crimea").verification == "reported"


def test_it_categorises_the_seed_article_s_events(seed_events: list[ExtractedEvent]) -> None:
    assert find(seed_events, "Russia launches joint military exercises").category == "military"
    assert find(seed_events, "Gerasimov and Milley hold phone talks").category == "diplomatic"
    assert find(seed_events, "Russia denies").category == "statement"


def test_it_cites_every_seed_event_inside_the_text(nlp: Language) -> None:
    body = parse_plain_text(seed_article_path().read_text(encoding="utf-8")).body
    for event in extract_events(nlp(body), FRIDAY, actors_in(body)):
        assert event.span.excerpt(body).strip() == event.span.excerpt(body)
        assert re.sub(r"\s+", " ", event.span.excerpt(body)) not in event.summary
        assert len(event.title) <= 70
        if event.date.span is not None:
            assert event.date.span.excerpt(body) == event.date.text
        assert 0.0 <= event.confidence <= 1.0


def test_it_keeps_two_events_of_one_sentence_each_with_its_own_date(nlp: Language) -> None:
    found = events_of(
        nlp, "Separatists shelled Donetsk on Wednesday, and Russia invaded Ukraine on Thursday."
    )
    assert [(e.title, e.date.start) for e in found] == [
        ("Separatists shell Donetsk", dt.date(2022, 2, 9)),
        ("Russia invades Ukraine", dt.date(2022, 2, 10)),
    ]


# Issue 15: each event on the date of its own clause, marked; titles that say what happened --


def test_it_binds_two_dates_of_one_sentence_to_their_own_clauses(nlp: Language) -> None:
    text = (
        "Russia rejected talks on Monday, while Biden, who met Macron on Wednesday, "
        "warned of sanctions."
    )
    dated = {e.title: e.date.start for e in events_of(nlp, text)}
    assert dated["Biden meets Macron"] == dt.date(2022, 2, 9)
    assert dated["Russia rejects talks"] == dt.date(2022, 2, 7)


def test_it_dates_a_relative_clause_by_its_own_year(nlp: Language) -> None:
    found = events_of(
        nlp,
        "Satellite images taken on Thursday showed troops in Crimea, which Russia seized in 2014.",
    )
    dated = {e.title: (e.date.start, e.date_source) for e in found}
    assert dated["Russia seizes Crimea"] == (dt.date(2014, 1, 1), "clause")
    shown = next(e for e in found if e.title.startswith("Satellite images show"))
    assert shown.date.start == dt.date(2022, 2, 10)


def test_it_marks_where_each_date_comes_from(nlp: Language) -> None:
    text = (
        "Valery Gerasimov and Mark Milley held talks on Friday, Interfax reported.\n\n"
        "They discussed security.\n\nRussia massed more troops near Ukraine.\n\n"
        "Moscow has responded to pressure."
    )
    sources = {e.title: e.date_source for e in events_of(nlp, text)}
    assert sources == {
        "Gerasimov and Milley hold talks": "clause",
        "Gerasimov and Milley discuss security": "paragraph",
        "Russia masses more troops near Ukraine": "lead",
        "Russia responds to pressure": "publication",
    }


def test_it_titles_a_visit_with_the_place_visited(nlp: Language) -> None:
    text = "Moscow gave nothing to Emmanuel Macron, who visited on Monday."
    assert the_event(nlp, text).title == "Macron visits Moscow"


def test_it_titles_a_meeting_with_whom_and_where(nlp: Language) -> None:
    event = the_event(nlp, "Joe Biden met Emmanuel Macron in Geneva on Wednesday.")
    assert event.title == "Biden meets Macron in Geneva"


def test_it_titles_a_statement_with_what_was_said(nlp: Language) -> None:
    event = the_event(nlp, "Russia denied planning to invade Ukraine on Friday.")
    assert event.title == "Russia denies planning to invade Ukraine"


def test_it_titles_a_military_movement_with_where_the_troops_went(nlp: Language) -> None:
    event = the_event(nlp, "Russia deployed tanks to Belarus on Thursday.")
    assert event.title == "Russia deploys tanks to Belarus"
    assert event.category == "military"


def test_it_keeps_titles_to_a_headline_s_length(nlp: Language) -> None:
    event = the_event(
        nlp,
        "The Netherlands and Japan and Germany and France jointly deployed extraordinarily "
        "large reinforcements of armoured infantry battalions to Belarus on Thursday.",
    )
    assert len(event.title) <= 70
    assert not event.title.endswith((" of", " and", " the"))


def test_it_always_takes_the_lead_s_happening_as_an_event(nlp: Language) -> None:
    text = (
        "Joe Biden, in a phone call on Wednesday, asked Emmanuel Macron to send envoys.\n\n"
        "Russia denied planning to invade Ukraine."
    )
    lead, *_ = events_of(nlp, text)
    assert lead.title.startswith("Biden asks Macron to send envoys")
    assert (lead.date.start, lead.date_source) == (dt.date(2022, 2, 9), "clause")


def test_it_dates_an_undated_past_event_of_the_body_by_the_lead(nlp: Language) -> None:
    text = (
        "Joe Biden held talks with Emmanuel Macron on Wednesday.\n\n"
        "Biden warned Macron that sanctions would follow."
    )
    _, body = events_of(nlp, text)
    assert (body.date.start, body.date_source) == (dt.date(2022, 2, 9), "lead")


def test_it_takes_a_conversation_and_a_call_taking_place_as_events(nlp: Language) -> None:
    spoke = the_event(nlp, "Joe Biden spoke with Emmanuel Macron on Thursday.")
    assert spoke.title == "Biden speaks with Macron"
    assert spoke.category == "diplomatic"
    text = "Russia invaded Ukraine.\n\nJoe Biden spoke to reporters on Thursday."
    assert [e.title for e in events_of(nlp, text)] == ["Russia invades Ukraine"]
    call = the_event(nlp, "The phone call took place on Thursday.")
    assert call.date.start == dt.date(2022, 2, 10)


def test_it_makes_a_happening_told_twice_one_event_with_two_citations(nlp: Language) -> None:
    text = (
        "Joe Biden spoke with Emmanuel Macron on Wednesday.\n\n"
        "Russia denied planning to invade Ukraine.\n\n"
        "Biden held talks with Macron on Wednesday for an hour."
    )
    call, denial = events_of(nlp, text)
    assert call.title == "Biden speaks with Macron"
    assert [s.excerpt(text) for s in call.also_cited] == [
        "Biden held talks with Macron on Wednesday for an hour."
    ]
    assert denial.also_cited == []


def test_it_keeps_two_visits_on_different_days_apart(nlp: Language) -> None:
    text = "Emmanuel Macron visited Moscow on Monday.\n\nEmmanuel Macron visited Kyiv on Tuesday."
    assert len(events_of(nlp, text)) == 2


def test_it_takes_ships_entering_a_sea_and_games_finishing_as_events(nlp: Language) -> None:
    ships = the_event(nlp, "Russia said six warships entered the Black Sea on Tuesday.")
    assert (ships.category, ships.date.start) == ("military", dt.date(2022, 2, 8))
    games = the_event(nlp, "The Beijing Games are set to finish on February 20.")
    assert games.date.start == dt.date(2022, 2, 20) and games.date.is_scheduled


def test_it_takes_the_headline_s_happening_as_an_event_beside_the_lead_s_first(
    nlp: Language,
) -> None:
    text = (
        "Russia deployed tanks to Belarus on Monday. Hours later the Kremlin proclaimed the two "
        "breakaway regions sovereign states in a televised address.\n\nThe rouble fell."
    )
    monday = dt.date(2022, 2, 22)
    untitled = extract_events(nlp(text), monday, actors_in(text))
    assert [e.title for e in untitled] == ["Russia deploys tanks to Belarus"]
    titled = extract_events(
        nlp(text), monday, actors_in(text), title="Kremlin proclaims breakaway regions sovereign"
    )
    told = next(e for e in titled if "proclaims" in e.title)
    assert told.title == "Russia proclaims two breakaway regions sovereign states"
    assert told.span.excerpt(text).startswith("Hours later the Kremlin proclaimed")
    assert told.date.start == dt.date(2022, 2, 21)


def test_it_counts_a_us_evening_story_from_its_own_day_not_the_utc_one(nlp: Language) -> None:
    article = parse_plain_text(
        "Russia moves tanks\n\nBy Jane Doe\n\nFriday, February 11, 2022 at 10:00 p.m. EST\n\n"
        "Russia deployed tanks to Belarus yesterday, officials said on Friday."
    )
    # 10 p.m. in New York is already Saturday in UTC: "yesterday" would be Friday.
    published = article.published_at
    assert published is not None
    assert published.astimezone(dt.UTC).date() == dt.date(2022, 2, 12)
    extraction = extract(article.body, published, title=article.title)
    (event,) = extraction.events
    assert event.title == "Russia deploys tanks to Belarus"
    assert (event.date.start, event.date_source) == (dt.date(2022, 2, 10), "clause")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Putin ordered the deployment of troops to the breakaway regions on Monday.", "military"),
        ("Some units started returning to their bases after the drills on Tuesday.", "military"),
        ("The upper house of parliament voted on Tuesday to allow troops abroad.", "diplomatic"),
        ("Putin informed the French and German leaders of his decision on Monday.", "diplomatic"),
        ("Explosions were heard in Donetsk on Tuesday.", "military"),
        ("Putin watched the drills of the strategic forces on Saturday.", "military"),
        ("The ministry issued a warning to citizens on Friday.", "statement"),
        ("Moscow vetoed the draft resolution at the council on Friday.", "diplomatic"),
        ("Three members of the council abstained on Friday.", "diplomatic"),
        ("Soldiers battled for control of the airport on Saturday.", "military"),
        ("The governor confirmed on Thursday that the plant was safe.", "statement"),
        ("Rescuers recovered the bodies of five people from the rubble on Friday.", "humanitarian"),
        ("The court ruled on Wednesday that the strikes must stop.", "other"),
        ("The president addressed a joint session of parliament on Wednesday.", "statement"),
        ("The government nominated a new envoy on Tuesday.", "other"),
        (
            "The senators criticised the ministry's handling of the evacuation on Monday.",
            "statement",
        ),
    ],
)
def test_it_finds_the_deeds_news_tells_with_common_verbs(
    nlp: Language, text: str, category: str
) -> None:
    event = the_event(nlp, text)

    assert event.category == category


def test_a_light_verb_is_the_happening_its_object_names(nlp: Language) -> None:
    call = the_event(nlp, "Joe Biden had a phone call with Vladimir Putin on Saturday.")
    assert (call.title, call.category) == (
        "Biden holds phone call with Vladimir Putin",
        "diplomatic",
    )
    assert call.date.start == dt.date(2022, 2, 5)
    order = the_event(nlp, "Putin gave the order to deploy troops.")
    assert order.category == "military"
    text = "Russia invaded Ukraine.\n\nJoe Biden had a lot of options."
    assert [e.title for e in events_of(nlp, text)] == ["Russia invades Ukraine"]
    announced = the_event(nlp, "Putin made the announcement in a televised address on Monday.")
    assert announced.title.startswith("Putin makes announcement")
    deal = the_event(nlp, "The two sides made a deal in Minsk on Monday.")
    assert deal.category == "diplomatic"


def test_a_subject_the_parse_hangs_on_an_auxiliary_is_still_the_subject(nlp: Language) -> None:
    # The quotation marks around "tragically" make the small model hang "national" on "been".
    text = "Tirumurti said that an Indian national has been ‘tragically’ killed in Kharkiv."
    (event,) = events_of(nlp, text)
    assert event.title == "Indian national killed in Kharkiv"


def test_a_lead_with_a_copula_takes_the_clause_on_its_complement(nlp: Language) -> None:
    text = "India and China were among 35 countries that abstained from the vote on Wednesday."
    (event,) = events_of(nlp, text)
    assert event.title.startswith("35 countries abstain")
    assert event.date.start == dt.date(2022, 2, 9)
    assert events_of(nlp, "The situation in the capital is tense.") == []


def test_a_standfirst_without_a_date_takes_the_day_the_next_paragraph_gives(
    nlp: Language,
) -> None:
    saturday = FRIDAY + dt.timedelta(days=1)  # the page is dated the morning after
    text = (
        "Eleven of the council's members voted for the motion while three abstained\n\n"
        "Moscow vetoed a council resolution on Friday that deplored its aggression.\n\n"
        "The resolution was co-written by two members."
    )
    events = extract_events(nlp(text), saturday, actors_in(text))

    standfirst = next(e for e in events if e.span.start == 0)
    assert (standfirst.date.start, standfirst.date_source) == (FRIDAY, "lead")
