"""Time expressions normalised against the publication date (TimeML TIMEX3 values).

Most cases are dated against the seed article's publication: Friday 11 February 2022.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from evaluation.dates import parse_tml
from timeline.extraction.dates import (
    TimeExpression,
    find_time_expressions,
    resolve_sentence_date,
)
from timeline.extraction.nlp import get_nlp
from timeline.extraction.types import ResolvedDate

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

FRIDAY = dt.date(2022, 2, 11)


@pytest.fixture(scope="session")
def nlp() -> Language:
    return get_nlp()


def expressions(nlp: Language, text: str, published: dt.date = FRIDAY) -> list[TimeExpression]:
    return find_time_expressions(nlp(text), published)


def only(nlp: Language, text: str, published: dt.date = FRIDAY) -> TimeExpression:
    found = [e for e in expressions(nlp, text, published) if e.type in ("DATE", "TIME")]
    assert len(found) == 1, found
    return found[0]


def sentence_date(nlp: Language, text: str, published: dt.date = FRIDAY) -> ResolvedDate:
    doc: Doc = nlp(text)
    return resolve_sentence_date(next(iter(doc.sents)), published)


# Weekdays by tense ----------------------------------------------------------------------------


def test_it_resolves_a_past_weekday_to_the_previous_week(nlp: Language) -> None:
    found = only(nlp, "French President Emmanuel Macron, who visited on Monday, left empty-handed.")
    assert found.value == "2022-02-07"
    assert found.resolved is not None
    assert found.resolved.precision == "day"
    assert not found.resolved.is_scheduled


def test_it_resolves_yesterday_s_weekday_in_the_past_tense(nlp: Language) -> None:
    assert only(nlp, "Britain's foreign secretary came on Thursday.").value == "2022-02-10"


def test_it_reads_the_publication_weekday_as_the_publication_day(nlp: Language) -> None:
    assert only(nlp, "Washington said on Friday that an invasion could come.").value == (
        "2022-02-11"
    )


def test_it_marks_a_weekday_the_sentence_schedules(nlp: Language) -> None:
    found = only(nlp, "Biden was due to hold a phone call on Friday with the leaders.")
    assert found.value == "2022-02-11"
    assert found.resolved is not None and found.resolved.is_scheduled


def test_it_resolves_a_future_weekday_forward(nlp: Language) -> None:
    found = only(nlp, "The foreign ministers will meet in Geneva on Tuesday.")
    assert found.value == "2022-02-15"
    assert found.resolved is not None and found.resolved.is_scheduled


def test_it_reads_a_deadline_weekday_as_the_coming_one(nlp: Language) -> None:
    assert only(nlp, "Embassy staff have until Wednesday to leave.").value == "2022-02-16"


def test_it_counts_last_and_next_weekdays_from_publication(nlp: Language) -> None:
    assert only(nlp, "The drills began last Friday.").value == "2022-02-04"
    # "next Sunday" on a Friday is the coming one, two days on, as most readers take it.
    assert only(nlp, "The drills end next Sunday.").value == "2022-02-13"


def test_it_trusts_a_weekday_to_pick_the_year_of_a_date() -> None:
    nlp = get_nlp()
    found = only(
        nlp, "The newspaper said in an editorial on Saturday, April 25:", dt.date(1998, 4, 24)
    )
    assert found.value == "1998-04-25"


# Weeks, months, years ----------------------------------------------------------------------


def test_it_gives_this_week_the_iso_week_of_publication(nlp: Language) -> None:
    found = only(nlp, "The EU and NATO delivered responses this week.")
    assert found.value == "2022-W06"
    assert found.resolved is not None
    assert (found.resolved.start, found.resolved.end) == (dt.date(2022, 2, 7), dt.date(2022, 2, 13))
    assert found.resolved.precision == "week"


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Prices rose this month.", "2022-02", "month"),
        ("Talks resume next month.", "2022-03", "month"),
        ("Officials met last week.", "2022-W05", "week"),
        ("The army held drills last year.", "2021", "year"),
        ("The summit was held two weeks ago.", "2022-W04", "week"),
        ("The agreement was signed three days ago.", "2022-02-08", "day"),
        ("The border was redrawn in the 1990s.", "199X", "year"),
        ("The talks collapsed in March 1998.", "1998-03", "month"),
        ("The deal was signed on Jan. 8, 1998.", "1998-01-08", "day"),
        ("The conflict began in 2014.", "2014", "year"),
        ("Russia annexed Crimea in early 2014.", "2014", "year"),
        ("Growth slowed in the third quarter of 2021.", "2021-Q3", "month"),
        ("The offensive stalled last summer.", "2021-SU", "month"),
        ("Ministers met today.", "2022-02-11", "day"),
        ("Ministers met yesterday.", "2022-02-10", "day"),
        ("Ministers meet tomorrow.", "2022-02-12", "day"),
    ],
)
def test_it_normalises_common_news_dates(
    nlp: Language, text: str, value: str, precision: str
) -> None:
    found = only(nlp, text)
    assert found.value == value
    assert found.resolved is not None
    assert found.resolved.precision == precision


def test_it_reads_a_month_day_as_the_nearest_one_when_the_tense_allows(nlp: Language) -> None:
    found = only(nlp, "The Beijing Games end on February 20.")
    assert found.value == "2022-02-20"
    assert found.resolved is not None and found.resolved.is_scheduled


def test_it_puts_a_past_month_day_in_the_past(nlp: Language) -> None:
    assert only(nlp, "The talks took place on March 3.").value == "2021-03-03"


def test_it_puts_a_payment_date_ahead_even_after_a_past_verb() -> None:
    nlp = get_nlp()
    found = only(nlp, "The company declared a dividend payable Dec. 15.", dt.date(1989, 10, 26))
    assert found.value == "1989-12-15"


def test_it_dates_overnight_from_the_evening_before_publication(nlp: Language) -> None:
    found = only(nlp, "Biden met his national security advisers overnight.")
    assert found.type == "TIME"
    assert found.value == "2022-02-10TNI"
    assert found.resolved is not None
    assert (found.resolved.start, found.resolved.end) == (dt.date(2022, 2, 10), FRIDAY)


def test_it_reads_a_quarter_and_the_year_ago_quarter_beside_it() -> None:
    nlp = get_nlp()
    found = expressions(
        nlp,
        "Third-quarter profit rose 19% to $50 million from $42 million a year earlier.",
        dt.date(1989, 10, 26),
    )
    assert [e.value for e in found] == ["1989-Q3", "1988-Q3"]


# Vague references, durations, words that only look like dates --------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Moscow is now demanding guarantees.", "PRESENT_REF"),
        ("Tensions have risen recently.", "PAST_REF"),
        ("An answer will come soon.", "FUTURE_REF"),
        ("Invasion could come in the coming days.", "FUTURE_REF"),
    ],
)
def test_it_marks_vague_references_to_now_the_past_and_the_future(
    nlp: Language, text: str, value: str
) -> None:
    found = only(nlp, text)
    assert found.value == value
    assert found.resolved is None


def test_it_reads_a_duration_as_a_duration(nlp: Language) -> None:
    found = expressions(nlp, "The exercises will last for three months.")
    assert [(e.type, e.value) for e in found] == [("DURATION", "P3M")]


def test_it_does_not_read_the_modal_may_as_a_month(nlp: Language) -> None:
    assert expressions(nlp, "Russia may invade Ukraine, officials say.") == []


def test_it_cites_each_expression_by_its_exact_span(nlp: Language) -> None:
    text = "Truss came on Thursday and Macron visited on Monday."
    for found in expressions(nlp, text):
        assert found.span.excerpt(text) == found.text
        assert found.resolved is not None and found.resolved.span == found.span


# The date of a sentence's event ------------------------------------------------------------


def test_it_makes_a_range_of_two_coordinated_days(nlp: Language) -> None:
    resolved = sentence_date(
        nlp, "Maxar said images taken on Wednesday and Thursday showed new deployments."
    )
    assert (resolved.start, resolved.end, resolved.precision) == (
        dt.date(2022, 2, 9),
        dt.date(2022, 2, 10),
        "day",
    )
    assert resolved.text == "Wednesday and Thursday"


def test_it_falls_back_to_the_publication_date(nlp: Language) -> None:
    resolved = sentence_date(nlp, "Russia says it has the right to move forces on its territory.")
    assert resolved.is_fallback
    assert resolved.start == FRIDAY
    assert resolved.span is None


def test_it_prefers_the_date_on_the_anchor_verb(nlp: Language) -> None:
    doc = nlp("Moscow mocked Truss when she came on Thursday, days after Macron visited on Monday.")
    sent = next(iter(doc.sents))
    visited = next(t for t in sent if t.text == "visited")
    came = next(t for t in sent if t.text == "came")
    assert resolve_sentence_date(sent, FRIDAY, anchor=visited).start == dt.date(2022, 2, 7)
    assert resolve_sentence_date(sent, FRIDAY, anchor=came).start == dt.date(2022, 2, 10)


def test_it_does_not_date_an_event_by_since(nlp: Language) -> None:
    resolved = sentence_date(nlp, "Ukraine has rejected the demand since 2014.")
    assert resolved.is_fallback


# Evaluation plumbing -----------------------------------------------------------------------


def test_it_keeps_timex_offsets_when_stripping_timeml(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(
        '<?xml version="1.0" ?>\n<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" '
        'functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>\n<TEXT>Prices &amp; '
        '<EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07">'
        "yesterday</TIMEX3>.</TEXT></TimeML>",
        encoding="utf-8",
    )
    document = parse_tml(path)
    assert document.published == dt.date(1998, 1, 8)
    assert document.text == "Prices & fell yesterday."
    (timex,) = document.timexes
    assert document.text[timex.start : timex.end] == "yesterday"
    assert (timex.type, timex.value) == ("DATE", "1998-01-07")


def test_it_counts_later_that_year_from_the_date_last_named(nlp: Language) -> None:
    found = expressions(
        nlp, "He fled to Florida in June 1998 and returned to Cuba later that year.", FRIDAY
    )
    assert [e.value for e in found] == ["1998-06", "1998"]
    found = expressions(nlp, "Talks opened on March 3, 2021, and collapsed the following day.")
    assert [e.value for e in found] == ["2021-03-03", "2021-03-04"]


def test_it_reads_a_clock_time_on_a_weekday_as_a_time(nlp: Language) -> None:
    found = only(nlp, "The attack began at 10 p.m. Wednesday, police said.")
    assert (found.type, found.value) == ("TIME", "2022-02-09T22:00")
    assert found.resolved is not None and found.resolved.start == dt.date(2022, 2, 9)


# Ranges, bare months, generic and anchored expressions (issue 15) ----------------------------


def values(nlp: Language, text: str, published: dt.date = FRIDAY) -> list[str]:
    return [e.value for e in expressions(nlp, text, published) if e.type == "DATE"]


def test_it_reads_a_year_range_as_its_two_years(nlp: Language) -> None:
    assert values(nlp, "The port was rebuilt in 2009-2010 with foreign loans.") == ["2009", "2010"]
    assert values(nlp, "Exports fell during the 1994-95 season.") == ["1994", "1995"]


def test_it_does_not_read_a_score_or_a_count_as_a_year_range(nlp: Language) -> None:
    assert values(nlp, "The committee voted 2009-1200 against the motion.") == []


def test_it_resolves_a_bare_month_without_a_verb_backward(nlp: Language) -> None:
    march = dt.date(2023, 3, 20)
    december = dt.date(2023, 12, 4)
    text = "Shares, up from $29.75 in October, closed higher."
    assert values(nlp, text, march) == ["2022-10"]
    assert values(nlp, text, december) == ["2023-10"]


def test_it_resolves_a_past_month_by_the_season_of_publication(nlp: Language) -> None:
    text = "The ministry said the talks collapsed in December."
    assert values(nlp, text, dt.date(2023, 3, 20)) == ["2022-12"]
    text = "The ministry said the talks collapsed in March."
    assert values(nlp, text, dt.date(2023, 12, 4)) == ["2023-03"]


def test_it_reads_generic_today_as_the_present(nlp: Language) -> None:
    assert values(nlp, "The case matters to today's youth more than any debate.") == ["PRESENT_REF"]


def test_it_counts_the_day_before_from_the_date_named_before_it(nlp: Language) -> None:
    text = (
        "The envoy landed in Warsaw on March 3, 2021. The day before, she had met the "
        "prime minister."
    )
    assert values(nlp, text) == ["2021-03-03", "2021-03-02"]


def test_it_counts_days_later_and_a_day_earlier_from_the_date_named_before(
    nlp: Language,
) -> None:
    text = "Talks opened on June 10, 2020. Two days later, both sides walked out."
    assert values(nlp, text) == ["2020-06-10", "2020-06-12"]
    text = "The ceasefire held on June 10, 2020. A day earlier, shelling had stopped."
    assert values(nlp, text) == ["2020-06-10", "2020-06-09"]


def test_it_does_not_count_from_an_event_after_the_day_before(nlp: Language) -> None:
    text = "Troops moved on June 10, 2020, the day before the vote was held."
    assert values(nlp, text) == ["2020-06-10"]


def strict_date(nlp: Language, text: str, verb: str) -> ResolvedDate:
    doc: Doc = nlp(text)
    anchor = next(t for t in doc if t.text == verb)
    return resolve_sentence_date(anchor.sent, FRIDAY, anchor=anchor, strict=True)


def test_it_does_not_date_an_event_by_a_clause_hanging_from_a_noun(nlp: Language) -> None:
    text = "The leaders spoke for an hour after reports that fighting could start next week."
    assert strict_date(nlp, text, "spoke").is_fallback


def test_it_does_not_date_an_event_by_the_year_in_a_name(nlp: Language) -> None:
    text = "Officials warned that troops could move before the end of the 2022 Winter Olympics."
    assert strict_date(nlp, text, "warned").is_fallback


def test_it_reads_a_holiday_week_begun_before_publication_as_this_year_s(nlp: Language) -> None:
    # Easter 2022 is Sunday 17 April; its week began on Monday 11 April.
    begun = only(nlp, "Protesters prayed as Easter week began.", dt.date(2022, 4, 12))
    before = only(nlp, "Protesters prayed as Easter week began.", dt.date(2022, 4, 8))

    assert begun.value == "2022-W15"
    assert before.value == "2021-W13"


def test_it_reads_later_monday_or_monday_night_on_a_tuesday_page_as_the_day_of_writing(
    nlp: Language,
) -> None:
    tuesday = dt.date(2022, 2, 22)  # an Asian paper's date for a US Monday story

    assert values(nlp, "The council will meet later Monday in New York.", tuesday) == ["2022-02-21"]
    assert values(nlp, "The council will meet later Tuesday.", tuesday) == ["2022-02-22"]
    assert values(nlp, "The council will meet on Monday.", tuesday) == ["2022-02-28"]
    assert values(nlp, "The council will meet Monday night.", tuesday) == ["2022-02-21"]
    assert values(nlp, "The council will meet Sunday night.", tuesday) == ["2022-02-27"]


def test_overnight_and_the_day_after_the_pages_date_is_the_night_just_gone(
    nlp: Language,
) -> None:
    friday = dt.date(2022, 2, 25)  # a US page dated the evening before

    text = "Explosions thundered in the capital overnight Saturday."
    assert values(nlp, text, friday) == ["2022-02-26"]
    assert values(nlp, "Fighting raged overnight Tuesday.", friday) == ["2022-02-22"]


def test_it_counts_earlier_in_the_day_from_the_day_named_before(nlp: Language) -> None:
    text = "Putin spoke on Monday. Earlier in the day, he called Macron."
    assert values(nlp, text, dt.date(2022, 2, 22)) == ["2022-02-21", "2022-02-21"]
    assert values(nlp, "Earlier in the day, he called Macron.", FRIDAY) == ["2022-02-11"]
