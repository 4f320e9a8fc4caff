from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from timeline.demo import DemoError, load_demo
from timeline.management.acting import PUBLISHING, acting_as, add_user_argument, command_user
from timeline.models import Status


class Command(BaseCommand):
    help = (
        "Load the demo crisis: ingest the demo corpus through the extraction pipeline and publish "
        "the drafts it is sure of; the rest wait in the review queue (running it again changes "
        "nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--corpus",
            type=Path,
            default=settings.DEMO_CORPUS_DIR,
            help="Folder holding the demo corpus's *.txt articles (default: DEMO_CORPUS_DIR).",
        )
        add_user_argument(parser, role="a publisher (the demo publishes what it is sure of)")

    def handle(self, *args: object, corpus: Path, user: str | None, **options: object) -> None:
        acting = command_user(user, needs=PUBLISHING, doing="load the demo")
        try:
            with acting_as(acting):
                crisis = load_demo(corpus)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        events, statements = crisis.events.all(), crisis.statements.all()
        published = Status.PUBLISHED
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo crisis “{crisis.title}”: {crisis.articles.count()} article(s), "
                f"{events.filter(status=published).count()} of {events.count()} event(s) and "
                f"{statements.filter(status=published).count()} of {statements.count()} "
                "statement(s) published; the rest are drafts in the review queue."
            )
        )
