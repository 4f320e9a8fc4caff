from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from timeline.ingestion.pipeline import enqueue_source, ingest_sources
from timeline.management.acting import DRAFTING, acting_as, add_user_argument, command_user
from timeline.models import Article, Crisis
from timeline.services.articles import NO_PUBLICATION_TIME


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
        parser.add_argument(
            "--async",
            dest="run_async",
            action="store_true",
            help="Store the articles as pending and queue them for Celery workers "
            "(CELERY_BROKER_URL); then follow their progress until all are done or failed.",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="With --async: queue the articles and return at once.",
        )
        add_user_argument(parser, role="an editor")

    # Any: argparse's values, typed by the arguments above.
    def handle(self, *args: object, user: str | None, **options: Any) -> None:
        importer = command_user(user, needs=DRAFTING, doing="ingest articles")
        with acting_as(importer):
            self._handle(options, importer)

    def _handle(self, options: dict[str, Any], importer: Any) -> None:
        crises = []
        if options["crisis"]:
            crisis = Crisis.objects.filter(slug=options["crisis"]).first()
            if crisis is None:
                raise CommandError(
                    f"There is no crisis with the slug {options['crisis']!r}. Create it in the "
                    "admin first, or leave out --crisis."
                )
            crises.append(crisis)
        sources: list[str] = options["sources"]
        if options["run_async"]:
            self._enqueue(sources, crises, options, importer)
            return
        created = unchanged = 0
        failures: list[str] = []
        bar = tqdm(
            total=len(sources),
            unit="source",
            disable=len(sources) < 2 or options["verbosity"] == 0,
        )
        current_source = None
        for outcome in ingest_sources(
            sources,
            crises=crises,
            published_at=options["published"],
            source_name=options["source"],
            force=bool(options["force"]),
            by=importer,
        ):
            if outcome.source != current_source:
                bar.update(0 if current_source is None else 1)  # the previous one is done
                current_source = outcome.source
            if outcome.result is None:
                failures.append(f"{outcome.label}: {_with_option(outcome.error)}")
                continue
            result = outcome.result
            if result.extracted:
                created += 1
                # Stored before and extracted now without --force: its last attempt failed,
                # or its worker died, so this was a retry.
                retried = "" if result.created or options["force"] else " (retried)"
                self.stdout.write(
                    f"{outcome.label}: “{result.article.title}”{retried} — "
                    f"{len(result.actors)} new actor(s), {len(result.statements)} "
                    f"statement(s), {len(result.events)} event(s) as drafts."
                )
            else:
                unchanged += 1
                self.stdout.write(f"{outcome.label}: already stored; nothing changed.")
        bar.update(max(len(sources) - bar.n, 0))
        bar.close()
        for failure in failures:
            self.stderr.write(failure)
        summary = (
            f"{created} article(s) ingested, {unchanged} already stored, {len(failures)} failed."
        )
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _enqueue(
        self, sources: list[str], crises: list[Crisis], options: dict[str, Any], importer: Any
    ) -> None:
        ids: list[int] = []
        unchanged = 0
        failures: list[str] = []
        for source in sources:
            for queued in enqueue_source(
                source,
                crises=crises,
                published_at=options["published"],
                source_name=options["source"],
                force=bool(options["force"]),
                by=importer,
            ):
                if queued.error:
                    failures.append(f"{queued.label}: {_with_option(queued.error)}")
                elif queued.queued and queued.article_id is not None:
                    ids.append(queued.article_id)
                else:
                    unchanged += 1
        self.stdout.write(
            f"{len(ids)} article(s) queued, {unchanged} already stored, {len(failures)} refused."
        )
        for failure in failures:
            self.stderr.write(failure)
        if options["no_wait"] or not ids:
            return
        done, failed = self._follow(ids, quiet=options["verbosity"] == 0)
        for article in Article.objects.filter(pk__in=failed).only("title", "ingestion_error"):
            self.stderr.write(f"“{article.title}”: {article.ingestion_error}")
        summary = f"{len(done)} article(s) ingested, {unchanged} already stored, "
        summary += f"{len(failed) + len(failures)} failed."
        if failed or failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _follow(self, ids: list[int], *, quiet: bool) -> tuple[list[int], list[int]]:
        """Poll the articles' ingestion status until none is pending or processing."""
        finished = {Article.IngestionStatus.DONE, Article.IngestionStatus.FAILED}
        all_settled = 0
        with tqdm(total=len(ids), unit="article", disable=quiet) as bar:
            while True:
                statuses = dict(
                    Article.objects.filter(pk__in=ids).values_list("pk", "ingestion_status")
                )
                settled = sum(1 for status in statuses.values() if status in finished)
                bar.update(max(settled - bar.n, 0))
                # Twice in a row: a failed article is set pending again when it is retried.
                all_settled = all_settled + 1 if settled == len(ids) else 0
                if all_settled == 2:
                    break
                time.sleep(0.2 if all_settled else 0.5)
        done = [pk for pk, status in statuses.items() if status == Article.IngestionStatus.DONE]
        return done, [pk for pk, status in statuses.items() if status != "done"]


def _with_option(error: str) -> str:
    """The service's error, with the option that supplies what it asks for."""
    if error == NO_PUBLICATION_TIME:
        return f"{error} Use --published 2022-02-11T22:00Z."
    return error
