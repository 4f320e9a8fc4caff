from django.core.management.base import BaseCommand, CommandError, CommandParser

from timeline.management.acting import PUBLISHING, acting_as, add_user_argument, command_user
from timeline.synthetic import Sizes, SyntheticError, generate


class Command(BaseCommand):
    help = (
        "Fill a crisis with synthetic, reproducible data for benchmarks and scale tests: bursty "
        "dates, a long tail of actors, several cited articles per event. The same --seed gives "
        "the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--events", type=int, default=1000)
        parser.add_argument("--statements", type=int, default=3000)
        parser.add_argument("--actors", type=int, default=200)
        parser.add_argument("--articles", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--crisis", default="synthetic", metavar="SLUG", help="Created when missing."
        )
        add_user_argument(parser, role="a publisher (the data is published)")

    def handle(
        self,
        *args: object,
        events: int,
        statements: int,
        actors: int,
        articles: int,
        seed: int,
        crisis: str,
        user: str | None,
        verbosity: int,
        **options: object,
    ) -> None:
        sizes = Sizes(events=events, statements=statements, actors=actors, articles=articles)
        if min(sizes.events, sizes.statements, sizes.actors, sizes.articles) < 0:
            raise CommandError("Sizes cannot be negative.")
        acting = command_user(user, needs=PUBLISHING, doing="generate published data")
        quiet = verbosity == 0
        try:
            with acting_as(acting):
                summary = generate(
                    sizes=sizes,
                    seed=seed,
                    crisis_slug=crisis,
                    progress=(lambda message: None) if quiet else self.stdout.write,
                )
        except SyntheticError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.line()))
