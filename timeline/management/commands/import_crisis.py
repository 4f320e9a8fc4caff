"""Read a crisis backup written by export_crisis, all or nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from timeline.backups import BackupError, load_crisis, summary
from timeline.management.acting import PUBLISHING, acting_as, add_user_argument, command_user


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
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"There is no file {file}; give the path of a backup.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                f"{file} could not be read as UTF-8 text ({exc}); give a file written by "
                "export_crisis."
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                "give a file written by export_crisis. Nothing was imported."
            ) from None
        try:
            with acting_as(acting):
                counts = load_crisis(data)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported crisis {data['crisis']!r}: ") + summary(counts) + "."
        )
