"""Reading and writing the JSON files that the export and import commands exchange."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError


def read_json_file(file: str, *, what: str, written_by: str) -> Any:
    """The parsed JSON of `file` ("-" is standard input), or a CommandError that says why not.

    `what` names the kind of file ("a backup"), `written_by` the command that writes one. The
    value is whatever the file holds; the importer that receives it checks its shape.
    """
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"There is no file {file}; give the path of {what}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            f"{file} could not be read as UTF-8 text ({exc}); give a file written by {written_by}."
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            f"give a file written by {written_by}. Nothing was imported."
        ) from None


def write_text_atomically(output: Path, text: str) -> None:
    """Write beside the target, then rename: a crash never leaves half a file behind."""
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(output)
