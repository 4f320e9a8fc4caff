"""Parsing articles as news sites print them: plain text, HTML pages and JSON records."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from evaluation import seed_article_path
from timeline.extraction.article_text import (
    ParsedArticle,
    ParseError,
    parse_html,
    parse_json_record,
    parse_plain_text,
)

CHROME = ("Read more", "Advertising", "ALSO READ", "Recommended for you", "Published:")


@pytest.fixture(scope="module")
def seed() -> ParsedArticle:
    return parse_plain_text(seed_article_path().read_text(encoding="utf-8"))


# The seed article (Reuters via a news site, 11 February 2022) ------------------------------------


def test_it_recognises_the_headline_and_the_standfirst(seed: ParsedArticle) -> None:
    assert seed.title == (
        "US says more Russian troops mass near Ukraine, invasion could come at any time"
    )
    assert seed.standfirst == (
        "President Joe Biden said he would not send troops to rescue US citizens "
        "in the event of a Russian assault"
    )


def test_it_reads_the_byline_and_the_source(seed: ParsedArticle) -> None:
    assert seed.byline == "Reuters"
    assert seed.source_name == "Reuters"


def test_it_reads_the_publication_time_as_utc_when_no_zone_is_printed(seed: ParsedArticle) -> None:
    assert seed.published_at == dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)
    assert seed.published_at.utcoffset() == dt.timedelta(0)


def test_it_keeps_the_photo_caption_apart_from_the_body(seed: ParsedArticle) -> None:
    assert seed.caption == (
        "A Ukrainian soldier trains during military drills close to Kharkiv, Ukraine. — AP"
    )
    assert seed.caption_credit == "AP"
    assert "Ukrainian soldier trains" not in seed.body


def test_it_leaves_the_page_chrome_out_of_the_body(seed: ParsedArticle) -> None:
    for chrome in CHROME:
        assert chrome not in seed.body
    assert seed.title not in seed.body
    # The standfirst's words recur inside a paragraph of the story, but never as a paragraph.
    assert seed.standfirst not in seed.body.split("\n\n")
    assert not seed.body.endswith("Reuters")


def test_it_keeps_every_paragraph_of_the_article_proper(seed: ParsedArticle) -> None:
    paragraphs = seed.body.split("\n\n")
    assert len(paragraphs) == 27
    assert paragraphs[0].startswith("Russia is massing yet more troops near Ukraine")
    assert paragraphs[-1].endswith("Moscow would sample his DNA.")
    assert "“Things could go crazy quickly,” Biden told NBC News." in paragraphs
    assert seed.warnings == []


def test_it_takes_the_publication_time_in_the_zone_it_is_given(seed: ParsedArticle) -> None:
    raw = seed_article_path().read_text(encoding="utf-8")
    kyiv = ZoneInfo("Europe/Kyiv")
    parsed = parse_plain_text(raw, default_tz=kyiv)
    assert parsed.published_at == dt.datetime(2022, 2, 11, 22, 0, tzinfo=kyiv)


# General plain-text rules -------------------------------------------------------------------------


def test_it_takes_text_without_a_header_as_the_body() -> None:
    parsed = parse_plain_text("Russia massed troops, officials said.\n\nMoscow denies it.")
    assert parsed.title == ""
    assert parsed.body == "Russia massed troops, officials said.\n\nMoscow denies it."
    assert parsed.published_at is None
    assert "No headline was recognised." in parsed.warnings


def test_it_reads_a_byline_with_two_writers_and_a_zoned_us_dateline() -> None:
    parsed = parse_plain_text(
        "Talks fail in Berlin\n\nBy Jane Doe and John Roe\n\n"
        "February 10, 2022 3:00 PM ET\n\n"
        "KYIV, Feb 10 (Reuters) - Four-way talks yielded no progress, officials said.\n\n"
        "Share\n\nSubscribe\n\nRelated: Ukraine crisis explained\n\n"
        "The next round is due in March.\n\n"
        "Reporting by Jane Doe in Kyiv; Editing by Tim Roe"
    )
    assert parsed.title == "Talks fail in Berlin"
    assert parsed.byline == "Jane Doe and John Roe"
    assert parsed.source_name == "Reuters"
    assert parsed.published_at == dt.datetime(2022, 2, 10, 20, 0, tzinfo=dt.UTC)
    assert parsed.body == (
        "Four-way talks yielded no progress, officials said.\n\nThe next round is due in March."
    )


def test_it_keeps_the_month_and_day_of_a_lead_dateline_that_prints_no_year() -> None:
    parsed = parse_plain_text(
        "Germany halts pipeline\n\n"
        "BERLIN, Feb 22 (Reuters) - Germany halted the certification of the pipeline.\n\n"
        "The decision was announced by the chancellor."
    )
    assert parsed.published_at is None
    assert parsed.dateline_day == (2, 22)
    assert parsed.body.startswith("Germany halted the certification")


def test_it_reads_a_name_pipe_agency_byline_and_an_iso_dateline() -> None:
    parsed = parse_plain_text(
        "Talks fail in Berlin\nJane Doe | Reuters\nUpdated 2022-02-10T15:00:00Z\n"
        "The talks failed, officials said on\nThursday in a statement.\n"
        "A man walks past a tank in Kyiv. REUTERS/Gleb Garanich\nAdvertisement\nMore text."
    )
    assert (parsed.byline, parsed.source_name) == ("Jane Doe", "Reuters")
    assert parsed.published_at == dt.datetime(2022, 2, 10, 15, 0, tzinfo=dt.UTC)
    assert (
        parsed.body == "The talks failed, officials said on Thursday in a statement.\n\nMore text."
    )
    assert parsed.caption == "A man walks past a tank in Kyiv. REUTERS/Gleb Garanich"
    assert "used as the publication time" in parsed.warnings[0]


def test_it_reads_a_british_dateline_with_a_dotted_time() -> None:
    parsed = parse_plain_text(
        "Truss visits Moscow\n\nThu 10 Feb 2022 15.30 GMT\n\nBy the way, this starts with by."
    )
    assert parsed.published_at == dt.datetime(2022, 2, 10, 15, 30, tzinfo=dt.UTC)
    assert parsed.byline == ""
    assert parsed.body == "By the way, this starts with by."


def test_it_skips_a_section_label_site_suffix_and_relative_times_in_the_header() -> None:
    parsed = parse_plain_text(
        "World\n\nTalks fail in Berlin | Reuters\n\nUpdated 3 hours ago\n\n"
        "By Jane Doe, Chief Correspondent\n\nFriday, February 11, 2022 at 10:00 p.m. EST\n\n"
        "The talks ended without progress, officials said.\n\n5 min read"
    )
    assert parsed.title == "Talks fail in Berlin"
    assert parsed.standfirst == ""
    assert parsed.byline == "Jane Doe, Chief Correspondent"
    assert parsed.published_at == dt.datetime(2022, 2, 12, 3, 0, tzinfo=dt.UTC)
    assert parsed.body == "The talks ended without progress, officials said."


def test_it_keeps_a_bare_date_in_the_body_as_a_subheading() -> None:
    parsed = parse_plain_text(
        "How the crisis unfolded\n\nBy Jane Doe\n\nPublished: 1 March 2022\n\n"
        "Russia massed troops for months.\n\n24 February 2022\n\nRussia invaded Ukraine.\n\n"
        "Correction: October 2, 2022, Sunday."
    )
    assert parsed.published_at == dt.datetime(2022, 3, 1, tzinfo=dt.UTC)
    assert parsed.body.split("\n\n") == [
        "Russia massed troops for months.",
        "24 February 2022",
        "Russia invaded Ukraine.",
        "Correction: October 2, 2022, Sunday.",
    ]


def test_it_does_not_take_a_sentence_starting_with_by_for_a_byline() -> None:
    parsed = parse_plain_text("By Friday, Russia said it had massed troops.\n\nMoscow denied it.")
    assert parsed.byline == ""
    assert parsed.body.startswith("By Friday, Russia said")


def test_it_recognises_captions_credited_in_several_house_styles() -> None:
    parsed = parse_plain_text(
        "Image source, Getty Images\nImage caption, Ukrainian soldiers train near Kharkiv\n\n"
        "Russia massed troops, officials said.\n\n"
        "A tank rolls past a checkpoint (AP Photo/Efrem Lukatsky)\n\n"
        "The talks ended, officials said (Reuters)."
    )
    assert parsed.caption == (
        "Ukrainian soldiers train near Kharkiv\n"
        "A tank rolls past a checkpoint (AP Photo/Efrem Lukatsky)"
    )
    assert parsed.caption_credit == "Getty Images"
    assert parsed.body == (
        "Russia massed troops, officials said.\n\nThe talks ended, officials said (Reuters)."
    )


# HTML and JSON ------------------------------------------------------------------------------------

PAGE = """<!doctype html><html lang="en"><head>
<title>Troops mass near Ukraine | Reuters</title>
<meta property="article:published_time" content="2022-02-11T22:00:00+00:00">
<meta name="author" content="Jane Doe"><meta property="og:site_name" content="Reuters">
<meta name="description" content="Biden will not send troops to rescue US citizens.">
<script>var tracker = "<b>not text</b>";</script><style>p { color: red }</style>
</head><body><nav>Home | World | Europe</nav><article><h1>Troops mass near Ukraine</h1>
<figure><img src="a.jpg"><figcaption>A soldier trains near Kharkiv. — AP</figcaption></figure>
<p>Russia is massing yet more troops near Ukraine, <b>Washington</b> said on Friday.</p>
<script>document.write("<p>injected</p>")</script>
<p>Moscow denies planning to invade Ukraine.</p><p>Advertisement</p></article>
<footer>Copyright 2022</footer></body></html>"""


def test_it_keeps_markup_and_scripts_out_of_the_body_of_a_page() -> None:
    parsed = parse_html(PAGE, url="https://example.com/troops")
    assert parsed.body == (
        "Russia is massing yet more troops near Ukraine, Washington said on Friday.\n\n"
        "Moscow denies planning to invade Ukraine."
    )
    for junk in ("<", "tracker", "injected", "color", "Home |", "Copyright", "Advertisement"):
        assert junk not in parsed.body


def test_it_reads_the_metadata_of_a_page() -> None:
    parsed = parse_html(PAGE, url="https://example.com/troops")
    assert parsed.title == "Troops mass near Ukraine"
    assert parsed.standfirst == "Biden will not send troops to rescue US citizens."
    assert (parsed.byline, parsed.source_name) == ("Jane Doe", "Reuters")
    assert parsed.published_at == dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)
    assert parsed.caption == "A soldier trains near Kharkiv. — AP"
    assert parsed.url == "https://example.com/troops"


def _seed_page(seed: ParsedArticle) -> str:
    """The seed article as a news site serves it: navigation, ads, related links, scripts."""
    aside = (
        "<div class='ad'>Advertisement</div><aside><h3>Related</h3><ul>"
        "<li><a href='/x'>Ukraine crisis explained</a></li></ul></aside>"
    )
    paragraphs = "".join(
        f"<p>{text}</p>" + (aside if i == 3 else "")
        for i, text in enumerate(seed.body.split("\n\n"))
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{seed.title} | Reuters</title><meta name="description" content="{seed.standfirst}">
<meta property="article:published_time" content="2022-02-11T22:00:00Z">
<meta name="author" content="Reuters">
<script>window.dataLayer = []; function x() {{ return "<p>evil</p>"; }}</script></head>
<body><header><nav><a href="/">Home</a><a href="/world">World</a></nav></header>
<main><article><h1>{seed.title}</h1><p class="standfirst">{seed.standfirst}</p>
<figure><img src="x.jpg" alt=""><figcaption>{seed.caption}</figcaption></figure>
<div class="byline">By Reuters</div><time>Published: Fri 11 Feb 2022, 10:00 PM</time>
{paragraphs}<div class="share">Share <a>Facebook</a> <a>Twitter</a></div></article>
<section><h2>Recommended for you</h2><ul><li><a>Another story about something</a></li></ul>
</section></main><footer><p>© 2022 Reuters. All rights reserved.</p></footer></body></html>"""


def test_it_finds_the_same_article_in_the_page_as_in_the_printed_text(seed: ParsedArticle) -> None:
    parsed = parse_html(_seed_page(seed), url="https://www.reuters.com/world/europe/troops")
    assert parsed.body == seed.body
    assert (parsed.title, parsed.standfirst) == (seed.title, seed.standfirst)
    assert (parsed.byline, parsed.source_name) == ("Reuters", "Reuters")
    assert parsed.published_at == seed.published_at
    assert (parsed.caption, parsed.caption_credit) == (seed.caption, "AP")


def test_it_reads_a_json_record_with_text() -> None:
    parsed = parse_json_record(
        {
            "title": "Talks fail",
            "text": "Talks fail\n\nFour-way talks yielded no progress.\n\nAdvertisement\n\nMore.",
            "url": "https://example.com/talks",
            "published_at": "2022-02-10T18:00:00",
            "source": "reuters",
            "byline": ["Jane Doe", "John Roe"],
            "standfirst": "No progress in Berlin.",
        }
    )
    assert parsed.title == "Talks fail"
    assert parsed.body == "Four-way talks yielded no progress.\n\nMore."
    assert parsed.published_at == dt.datetime(2022, 2, 10, 18, 0, tzinfo=dt.UTC)
    assert parsed.source_name == "Reuters"
    assert parsed.byline == "Jane Doe and John Roe"
    assert parsed.standfirst == "No progress in Berlin."
    assert parsed.warnings == []


def test_it_reads_a_json_record_with_html() -> None:
    parsed = parse_json_record({"html": PAGE, "url": "https://example.com/troops"})
    assert parsed.title == "Troops mass near Ukraine"
    assert "<" not in parsed.body


def test_it_reads_epoch_milliseconds_in_a_record() -> None:
    parsed = parse_json_record({"text": "Body.", "published_at": 1644616800000})
    assert parsed.published_at == dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)


def test_it_warns_about_an_unreadable_publication_time_in_a_record() -> None:
    parsed = parse_json_record({"title": "T", "text": "Body.", "published_at": "soon"})
    assert parsed.published_at is None
    assert any("could not be read" in warning for warning in parsed.warnings)


# Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "is empty"),
        (" \n\t\n ", "is empty"),
        ("Russia\x00\x00\x01", "NUL bytes"),
        ("\x01\x02\x03\x04\x05\x06 abc", "non-printable"),
        ("\ufffd" * 50 + "abc", "non-printable"),
        (b"Russia", "decode it to text"),
    ],
)
def test_it_refuses_input_that_is_not_article_text(raw: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_plain_text(raw)


def test_it_refuses_text_over_the_size_cap() -> None:
    with pytest.raises(ParseError, match=r"too large \(21 characters; the limit is 20\)"):
        parse_plain_text("Russia massed troops.", max_chars=20)


def test_it_refuses_a_record_without_text_or_html() -> None:
    with pytest.raises(ParseError, match="neither 'text' nor 'html'"):
        parse_json_record({"title": "Talks fail"})


def test_it_refuses_a_page_with_no_article_text() -> None:
    with pytest.raises(ParseError, match="No article text"):
        parse_html("<html><head><script>alert(1)</script></head><body></body></html>")


# The wire service a story credits, whoever printed it ---------------------------------------------

WIRE_COPY = """Convoys move north as talks fail

By Jane Doe

Published: Fri 11 Feb 2022, 10:00 PM

NORTHTOWN, Feb 11 (AP) — Hundreds of armoured vehicles moved towards the border on Friday.

Talks between the two governments ended without agreement.
"""


def test_the_lead_dateline_names_the_wire_service_it_credits() -> None:
    parsed = parse_plain_text(WIRE_COPY)

    assert parsed.agency == "AP"
    assert parsed.body.startswith("Hundreds of armoured vehicles")


def test_every_name_of_an_agency_is_one_agency() -> None:
    undated = WIRE_COPY.replace("NORTHTOWN, Feb 11 (AP) — ", "")

    for byline in ("By The Associated Press", "By Associated Press", "By AP"):
        parsed = parse_plain_text(undated.replace("By Jane Doe", byline))
        assert (parsed.source_name, parsed.agency) == ("AP", "AP")


def test_a_copyright_line_at_the_foot_credits_the_agency_and_leaves_the_body() -> None:
    undated = WIRE_COPY.replace("NORTHTOWN, Feb 11 (AP) — ", "")

    parsed = parse_plain_text(undated + "\n© 2022 The Associated Press. All rights reserved.\n")

    assert parsed.agency == "AP"
    assert "©" not in parsed.body and "rights reserved" not in parsed.body


def test_an_outlets_own_copyright_credits_no_agency() -> None:
    undated = WIRE_COPY.replace("NORTHTOWN, Feb 11 (AP) — ", "")

    parsed = parse_plain_text(undated + "\n© 2022 The Daily Courier. All rights reserved.\n")

    assert parsed.agency == ""
    assert "©" not in parsed.body


def test_a_record_naming_its_outlet_keeps_the_agency_its_text_credits() -> None:
    parsed = parse_json_record(
        {"text": WIRE_COPY, "source": "The Daily Courier", "published_at": "2022-02-11T22:00Z"}
    )

    assert (parsed.source_name, parsed.agency) == ("The Daily Courier", "AP")


def test_a_broadcaster_is_a_source_but_no_wire_service() -> None:
    parsed = parse_plain_text(WIRE_COPY.replace("(AP)", "(BBC)"))

    assert (parsed.source_name, parsed.agency) == ("BBC", "")
