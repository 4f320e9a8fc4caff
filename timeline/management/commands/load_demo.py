from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from timeline.demo import DemoError, load_demo


class Command(BaseCommand):
    help = "Load the demo crisis from the seed article (running it again changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--corpus",
            type=Path,
            default=settings.DEMO_CORPUS_DIR,
            help="Folder holding the seed article (default: DEMO_CORPUS_DIR).",
        )

    def handle(self, *args: object, corpus: Path, **options: object) -> None:
        try:
            crisis = load_demo(corpus)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo crisis “{crisis.title}”: {crisis.articles.count()} article(s), "
                f"{crisis.events.count()} event(s), {crisis.statements.count()} statement(s)."
            )
        )
