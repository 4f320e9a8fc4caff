"""Write the actor directory to a JSON file that import_directory reads back."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from timeline.exports.directory import directory_document
from timeline.management.files import write_text_atomically


class Command(BaseCommand):
    help = (
        "Write the actor directory (people, their aliases, titles and affiliations with their "
        "dates) to JSON, for another newsroom's import_directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="File to write (default: standard output). An existing file is replaced.",
        )

    def handle(self, *args: object, output: Path | None, **options: object) -> None:
        data = directory_document()
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if output is None:
            self.stdout.write(text)
        else:
            write_text_atomically(output, text)
        self.stderr.write(
            self.style.SUCCESS(f"Exported the directory to {output or 'standard output'}: ")
            + f"{len(data['people'])} people."
        )
