"""Parse an article as news sites print it: headline, standfirst, byline, dateline, body, caption.

Three entry points, one result type:

- `parse_plain_text` for text copied from a page (the seed corpus, pasted articles);
- `parse_html` for a fetched page (trafilatura finds the main text and the metadata);
- `parse_json_record` for JSON/JSONL batches.

The rules are general for plain-text news, not a template for one outlet: a line is recognised
as page chrome ("Advertisement", "Read more...", "Share"), a photo caption (it ends with a credit
such as "— AP" or "REUTERS/Jane Doe"), a byline ("By X and Y", "X | Reuters"), or a dateline
("Published: Fri 11 Feb 2022, 10:00 PM", "February 11, 2022 3:00 PM ET", ISO 8601). What is left
before the first byline or dateline is the headline and the standfirst; the rest is the body.

Modules: `result` (ParsedArticle, ParseError, the input check), `lines` (the line classifiers),
`plain` (plain text), `html` (fetched pages), `records` (JSON records).
"""

from timeline.extraction.article_text.html import parse_html
from timeline.extraction.article_text.lines import (
    AGENCIES,
    DEFAULT_MAX_CHARS,
    agency_name,
    is_chrome,
    parse_byline,
    parse_caption,
    parse_dateline,
    to_datetime,
)
from timeline.extraction.article_text.plain import parse_plain_text
from timeline.extraction.article_text.records import parse_json_record
from timeline.extraction.article_text.result import ParsedArticle, ParseError, check_text

__all__ = [
    "AGENCIES",
    "DEFAULT_MAX_CHARS",
    "ParseError",
    "ParsedArticle",
    "agency_name",
    "check_text",
    "is_chrome",
    "parse_byline",
    "parse_caption",
    "parse_dateline",
    "parse_html",
    "parse_json_record",
    "parse_plain_text",
    "to_datetime",
]
