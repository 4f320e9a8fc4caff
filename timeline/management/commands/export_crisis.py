"""Write one crisis, with everything it needs, to a JSON backup (see timeline/backups.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from timeline.backups import dump_crisis
from timeline.management.files import write_text_atomically
from timeline.models import Crisis


class Command(BaseCommand):
    help = (
        "Write a crisis with its articles, sources, actors, statements, events, citations and "
        "their history to a JSON file that import_crisis reads back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The crisis to export, by its slug.")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="File to write (default: standard output). An existing file is replaced.",
        )

    def handle(self, *args: object, slug: str, output: Path | None, **options: object) -> None:
        try:
            data = dump_crisis(slug)
        except Crisis.DoesNotExist:
            known = ", ".join(Crisis.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"There is no crisis {slug!r}; give one of these slugs: {known}."
            ) from None
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        if output is None:
            self.stdout.write(text)
        else:
            write_text_atomically(output, text)
        counts = {label: len(rows) for label, rows in data["models"].items() if rows}
        summary = ", ".join(f"{n} {label.split('.')[-1]}" for label, n in counts.items())
        self.stderr.write(
            self.style.SUCCESS(f"Exported crisis {slug!r} to {output or 'standard output'}: ")
            + summary
            + "."
        )
