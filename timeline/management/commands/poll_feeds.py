import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from timeline.ingestion.feeds import feeds_poll_due
from timeline.models import FeedPoll, WatchedFeed


class Command(BaseCommand):
    help = (
        "Poll the watched feeds that are due and ingest their new entries into the review queue, "
        "for machines without `celery beat`. With --once, poll the due feeds once and stop; "
        "otherwise keep polling each feed on its own interval until interrupted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Poll the due feeds once, then stop."
        )
        parser.add_argument(
            "--every",
            type=int,
            default=60,
            help="Without --once: seconds between two looks for due feeds (default 60).",
        )

    def handle(self, *args: object, once: bool, every: int, **options: object) -> None:
        if every < 1:
            raise CommandError("--every must be at least 1 second.")
        if not WatchedFeed.objects.filter(active=True).exists():
            raise CommandError(
                "No active watched feed: add one to a crisis in the admin (Watched feeds) first."
            )
        while True:
            for poll in feeds_poll_due():
                self._report(poll)
            if once:
                return
            try:
                time.sleep(every)
            except KeyboardInterrupt:
                return

    def _report(self, poll: FeedPoll) -> None:
        when = timezone.localtime(poll.polled_at).strftime("%Y-%m-%d %H:%M")
        line = f"{when} {poll.feed}: {poll.get_status_display()}"
        if poll.status == WatchedFeed.Status.FAILED:
            self.stderr.write(f"{line}: {poll.error}")
            return
        line += f", {poll.entries} entries, {poll.new_entries} new, {poll.ingested} stored"
        self.stdout.write(line)
