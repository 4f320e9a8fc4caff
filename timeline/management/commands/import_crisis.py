"""Read a crisis backup written by export_crisis, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from timeline.backups import BackupError, load_crisis, summary
from timeline.management.acting import PUBLISHING, acting_as, add_user_argument, command_user
from timeline.management.files import read_json_file


class Command(BaseCommand):
    help = (
        "Load a crisis backup written by export_crisis. The file is checked row by row and "
        "loaded in one transaction: a bad file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='The backup to read ("-" for standard input).')
        add_user_argument(parser, role="a publisher (a backup holds published items)")

    def handle(self, *args: object, file: str, user: str | None, **options: object) -> None:
        acting = command_user(user, needs=PUBLISHING, doing="import a crisis")
        data = read_json_file(file, what="a backup", written_by="export_crisis")
        try:
            with acting_as(acting):
                counts = load_crisis(data)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported crisis {data['crisis']!r}: ") + summary(counts) + "."
        )
