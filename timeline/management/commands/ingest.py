from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from timeline.ingestion.pipeline import ingest_source
from timeline.models import Crisis


def published_argument(value: str) -> dt.datetime:
    moment = parse_datetime(value.replace("Z", "+00:00"))
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise argparse.ArgumentTypeError(
                f"{value!r} is not a date or time; use 2022-02-11 or 2022-02-11T22:00Z."
            )
        moment = dt.datetime.combine(day, dt.time(12, 0))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = (
        "Ingest news articles (plain text, HTML, JSON or JSONL files, or URLs): store each one "
        "with the actors, statements and events extracted from it as drafts for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--crisis", metavar="SLUG", help="Add the articles to this crisis.")
        parser.add_argument(
            "--published",
            type=published_argument,
            metavar="WHEN",
            help="Publication time (2022-02-11 or 2022-02-11T22:00Z) for articles without one.",
        )
        parser.add_argument("--source", default="", help="The outlet, when the text omits it.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-extract articles already stored, replacing machine-made drafts that no "
            "editor has touched.",
        )

    def handle(self, *args: object, **options: object) -> None:
        crises = []
        if options["crisis"]:
            crisis = Crisis.objects.filter(slug=options["crisis"]).first()
            if crisis is None:
                raise CommandError(
                    f"There is no crisis with the slug {options['crisis']!r}. Create it in the "
                    "admin first, or leave out --crisis."
                )
            crises.append(crisis)
        sources: list[str] = options["sources"]  # type: ignore[assignment]
        created = unchanged = 0
        failures: list[str] = []
        bar = tqdm(sources, unit="source", disable=len(sources) < 2 or options["verbosity"] == 0)
        for source in bar:
            for outcome in ingest_source(
                source,
                crises=crises,
                published_at=options["published"],  # type: ignore[arg-type]
                source_name=options["source"],  # type: ignore[arg-type]
                force=bool(options["force"]),
            ):
                if outcome.result is None:
                    failures.append(f"{outcome.label}: {outcome.error}")
                    continue
                result = outcome.result
                if result.created or options["force"]:
                    created += 1
                    self.stdout.write(
                        f"{outcome.label}: “{result.article.title}” — {len(result.actors)} new "
                        f"actor(s), {len(result.statements)} statement(s), "
                        f"{len(result.events)} event(s) as drafts."
                    )
                else:
                    unchanged += 1
                    self.stdout.write(f"{outcome.label}: already stored; nothing changed.")
        for failure in failures:
            self.stderr.write(failure)
        summary = (
            f"{created} article(s) ingested, {unchanged} already stored, {len(failures)} failed."
        )
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
