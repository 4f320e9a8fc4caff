"""How the outlets citing one event tell it: the date each gives, the figures, who each quotes,
and where they differ (issue 16 item 7). Read by the event page and the API's
`/events/{id}/reports/`, from two queries.

An outlet here is an independent source, as `source_count` counts them: a wire story and the
papers that printed it are one report, naming the papers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from timeline.extraction.figures import Disagreement, Figure, figure_disagreements, figures_in
from timeline.models.choices import Status
from timeline.models.items import Citation

if TYPE_CHECKING:
    from timeline.models.items import Event
    from timeline.models.sources import Article


@dataclass
class OutletReport:
    outlet: str  # the independent source: the agency of a wire story
    printed_by: list[str]  # the outlets that published its articles, when not the source itself
    articles: list[Article]
    excerpts: list[str]  # the sentences cited, in text order
    start_date: dt.date  # the date this outlet gives the event
    end_date: dt.date | None
    date_precision: str
    figures: list[Figure] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)  # whom its cited sentences quote
    proposed: bool = False  # matched by the machine only, no editor has confirmed it

    @property
    def date_key(self) -> tuple[dt.date, dt.date | None, str]:
        return (self.start_date, self.end_date, self.date_precision)


@dataclass
class EventReports:
    reports: list[OutletReport]
    disagreements: list[Disagreement]  # "date" first, then the figures


def event_reports(event: Event, *, include_proposed: bool = False) -> EventReports:
    """The event's reports, one per independent outlet, in order of first publication; readers
    get confirmed citations only, editors (`include_proposed`) the machine's matches too."""
    citations = Citation.objects.filter(event=event).with_excerpt()
    if not include_proposed:
        citations = citations.confirmed()
    citations = citations.select_related("article__source", "article__publisher").defer(
        "article__text"
    )
    cited = sorted(citations, key=lambda c: (c.article.published_at or _NEVER, c.start))
    speakers = _speakers_over(cited, published_only=not include_proposed)
    by_outlet: dict[int | str, OutletReport] = {}
    for citation in cited:
        article = citation.article
        origin = article.source or article.publisher
        key: int | str = origin.pk if origin is not None else f"article-{article.pk}"
        start, end, precision = _date_given(citation, event)
        report = by_outlet.get(key)
        if report is None:
            report = by_outlet[key] = OutletReport(
                outlet=origin.name if origin is not None else "Unknown outlet",
                printed_by=[],
                articles=[],
                excerpts=[],
                start_date=start,
                end_date=end,
                date_precision=precision,
                proposed=citation.proposed,
            )
        report.proposed = report.proposed and citation.proposed
        if article not in report.articles:
            report.articles.append(article)
        printer = article.publisher
        if printer is not None and printer != origin and printer.name not in report.printed_by:
            report.printed_by.append(printer.name)
        report.excerpts.append(citation.excerpt)
        report.figures.extend(figures_in(citation.excerpt))
        for name in speakers.get(citation.pk, ()):
            if name not in report.speakers:
                report.speakers.append(name)
    reports = list(by_outlet.values())
    return EventReports(reports=reports, disagreements=_disagreements(reports))


_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _date_given(citation: Citation, event: Event) -> tuple[dt.date, dt.date | None, str]:
    """The date the cited article gives: what the machine read there when it matched the
    citation to this event, else (the article it was first found in, or an editor's citation)
    the event's own."""
    proposal = citation.proposal or {}
    try:
        start = dt.date.fromisoformat(proposal["start_date"])
        end = dt.date.fromisoformat(proposal["end_date"]) if proposal.get("end_date") else None
        return start, end, str(proposal.get("date_precision") or event.date_precision)
    except (KeyError, TypeError, ValueError):
        return event.start_date, event.end_date, event.date_precision


def _speakers_over(citations: list[Citation], *, published_only: bool) -> dict[int, list[str]]:
    """For each event citation, the speakers of the statements cited in the same sentences of
    the same article (one query): published ones for readers, all but rejected for editors."""
    articles = {c.article_id for c in citations}
    if not articles:
        return {}
    said = Citation.objects.filter(
        article_id__in=articles, statement__speaker__isnull=False, proposed=False
    ).select_related("statement__speaker")
    if published_only:
        said = said.filter(
            statement__status=Status.PUBLISHED, statement__speaker__status=Status.PUBLISHED
        )
    else:
        said = said.exclude(statement__status=Status.REJECTED)
    found: dict[int, list[str]] = {}
    for quote in said:
        assert quote.statement is not None and quote.statement.speaker is not None
        for citation in citations:
            overlaps = quote.start < citation.end and citation.start < quote.end
            if citation.article_id == quote.article_id and overlaps:
                names = found.setdefault(citation.pk, [])
                if quote.statement.speaker.name not in names:
                    names.append(quote.statement.speaker.name)
    return found


def _disagreements(reports: list[OutletReport]) -> list[Disagreement]:
    found = []
    dates = {report.date_key for report in reports}
    if len(dates) > 1:
        found.append(
            Disagreement(
                about="date",
                versions=tuple(
                    (
                        _date_text(key),
                        tuple(r.outlet for r in reports if r.date_key == key),
                    )
                    for key in sorted(dates, key=lambda k: (k[0], k[1] or k[0]))
                ),
            )
        )
    found.extend(figure_disagreements([(r.outlet, r.figures) for r in reports]))
    return found


def _date_text(key: tuple[dt.date, dt.date | None, str]) -> str:
    start, end, precision = key
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return start.strftime("%B %Y")
    text = f"{start.day} {start:%B %Y}"
    return f"{text} – {end.day} {end:%B %Y}" if end and end != start else text
