"""What every file export shares: absolute links, citations as exported, CSV cells and options,
and the streamed download.

Links are built from `settings.SITE_URL`, never from the request, so the same item has the same
permalink (and calendar UID) whichever host name a reader used.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse

# Spreadsheets run cells that start with these as formulas; news text must never be run. The
# guard puts an apostrophe before such a cell (Excel and LibreOffice then show it as text);
# `raw` turns it off for data users who read the file with a CSV library.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel on Windows reads a CSV without a byte order mark as the local code page.
UTF8_BOM = "\ufeff"

CSV_OPTIONS_NOTE = (
    "Cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a "
    "carriage return) start with an apostrophe; `raw=1` leaves every cell as it is. `excel=1` "
    "starts the file with a UTF-8 byte order mark so that Excel reads its accents and dashes."
)


def absolute(path: str) -> str:
    """`path` on the site, as SITE_URL names it."""
    return str(settings.SITE_URL) + path


def site_host() -> str:
    """The site's host name, for identifiers that must not change with the request."""
    return urlsplit(str(settings.SITE_URL)).hostname or "localhost"


def citation_link(citation: Any) -> str:
    """The cited words highlighted in the article's page on this site."""
    return absolute(
        reverse("timeline:article", args=[citation.article_id]) + f"#cite-{citation.pk}"
    )


def outlet_name(article: Any) -> str:
    source = article.publisher or article.source
    return source.name if source else ""


def citation_record(citation: Any) -> dict[str, Any]:
    """One citation as exports write it: which characters of which article, and where to read
    them (on this site and at the outlet)."""
    return {
        "id": citation.pk,
        "excerpt": citation.excerpt,
        "start": citation.start,
        "end": citation.end,
        "link": citation_link(citation),
        "article_id": citation.article_id,
        "article_title": citation.article.title,
        "outlet": outlet_name(citation.article),
        "url": citation.article.url,
        "published_at": citation.article.published_at.isoformat(),
    }


# The citations' columns of a CSV row: several citations go one per line within each cell.
CITATION_COLUMNS = {
    "citation_ids": "id",
    "citation_excerpts": "excerpt",
    "citation_starts": "start",
    "citation_ends": "end",
    "citation_links": "link",
    "citation_articles": "article_title",
    "citation_outlets": "outlet",
    "citation_urls": "url",
    "citation_published_at": "published_at",
}


def citation_cells(citations: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    citations = list(citations)
    return {
        column: "\n".join(str(c[key]) for c in citations)
        for column, key in CITATION_COLUMNS.items()
    }


@dataclass(frozen=True)
class CsvOptions:
    excel: bool = False  # a UTF-8 byte order mark first
    raw: bool = False  # no formula guard

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> CsvOptions:
        return cls(excel=_flag(params.get("excel")), raw=_flag(params.get("raw")))


DEFAULT_CSV = CsvOptions()


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def csv_document(
    columns: list[str], rows: Iterable[Mapping[str, Any]], options: CsvOptions
) -> Iterator[str]:
    """A header line, then one line per row, guarded (or not) as `options` say."""
    yield (UTF8_BOM if options.excel else "") + csv_line(columns)
    for row in rows:
        cells = ("" if row[c] is None else str(row[c]) for c in columns)
        yield csv_line(cells if options.raw else map(safe_cell, cells))


def download(chunks: Iterator[str], *, content_type: str, filename: str) -> StreamingHttpResponse:
    """Text chunks streamed as UTF-8, to be saved as `filename`."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(chunks: Iterator[str], *, filename: str) -> StreamingHttpResponse:
    return download(chunks, content_type="text/csv; charset=utf-8", filename=filename)


def jsonl_download(chunks: Iterator[str], *, filename: str) -> StreamingHttpResponse:
    return download(chunks, content_type="application/x-ndjson; charset=utf-8", filename=filename)
