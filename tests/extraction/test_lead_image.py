"""A page's lead image, as trafilatura reads it (og:image): its https address at the outlet, what
it shows and whom it is credited to, for story mode's slides."""

from __future__ import annotations

from timeline.extraction.article_text import parse_html

BODY = """<p>GENEVA, Jan 21 (Reuters) - U.S. Secretary of State Antony Blinken met Russian Foreign
Minister Sergei Lavrov in Geneva on Friday for talks on Ukraine, which both sides called frank.</p>
<p>“We are on a path of dialogue,” Blinken said after the talks, adding that the United States
would put its ideas in writing next week.</p>
<p>Lavrov said Moscow had no plans to attack Ukraine and that the talks had been constructive,
according to a transcript released by his ministry.</p>"""


def page(head: str = "", figure: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Blinken and Lavrov hold talks in Geneva | Reuters</title>
<meta property="article:published_time" content="2022-01-21T12:00:00Z">{head}</head>
<body><article><h1>Blinken and Lavrov hold talks in Geneva</h1>{figure}{BODY}</article>
</body></html>"""


OG_IMAGE = '<meta property="og:image" content="https://www.reuters.com/resizer/geneva.jpg">'
FIGURE = """<figure><img src="https://www.reuters.com/resizer/geneva.jpg" alt="">
<figcaption>Antony Blinken meets Sergei Lavrov in Geneva, January 21, 2022.
REUTERS/Denis Balibouse</figcaption></figure>"""


def test_it_reads_the_lead_image_with_its_caption_and_credit() -> None:
    parsed = parse_html(page(OG_IMAGE, FIGURE), url="https://www.reuters.com/world/geneva")
    assert parsed.image_url == "https://www.reuters.com/resizer/geneva.jpg"
    assert parsed.image_caption == "Antony Blinken meets Sergei Lavrov in Geneva, January 21, 2022."
    assert parsed.image_credit == "REUTERS/Denis Balibouse"
    # The caption stays out of the body, as before.
    assert "Balibouse" not in parsed.body


def test_the_images_own_alt_text_describes_it_before_the_caption() -> None:
    alt = '<meta property="og:image:alt" content="Two men shake hands in front of flags.">'
    parsed = parse_html(page(OG_IMAGE + alt, FIGURE))
    assert parsed.image_caption == "Two men shake hands in front of flags."
    assert parsed.image_credit == "REUTERS/Denis Balibouse"


def test_an_image_without_a_caption_has_the_address_alone() -> None:
    parsed = parse_html(page(OG_IMAGE))
    assert (parsed.image_url, parsed.image_caption, parsed.image_credit) == (
        "https://www.reuters.com/resizer/geneva.jpg",
        "",
        "",
    )


def test_it_keeps_no_image_that_an_https_page_could_not_show() -> None:
    for address in (
        "http://www.reuters.com/geneva.jpg",
        "data:image/png;base64,AAAA",
        "/geneva.jpg",
    ):
        meta = f'<meta property="og:image" content="{address}">'
        assert parse_html(page(meta)).image_url == ""


def test_a_page_without_a_lead_image_has_none() -> None:
    parsed = parse_html(page(figure=FIGURE))
    assert parsed.image_url == ""
    assert parsed.image_credit == ""


def test_a_json_record_may_name_its_lead_image() -> None:
    from timeline.extraction.article_text import parse_json_record

    text = "Russia is massing yet more troops near Ukraine, Washington said on Friday."
    record = {"title": "Troops", "text": text, "image": "https://example.com/troops.jpg"}
    assert parse_json_record(record).image_url == "https://example.com/troops.jpg"
    assert parse_json_record({**record, "image": "javascript:alert(1)"}).image_url == ""
