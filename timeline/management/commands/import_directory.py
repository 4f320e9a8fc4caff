"""Load an actor directory written by export_directory, merged into this one, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from timeline.management.files import read_json_file
from timeline.services.directory import DirectoryImportError, directory_import


class Command(BaseCommand):
    help = (
        "Merge a directory file written by export_directory into the actor directory: people "
        "matched by name, new aliases and roles added. A bad file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='The directory file to read ("-" for standard input).')

    def handle(self, *args: object, file: str, **options: object) -> None:
        data = read_json_file(file, what="a directory file", written_by="export_directory")
        try:
            counts = directory_import(data)
        except DirectoryImportError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS("Imported the directory: ") + f"{counts}.")
