"""The actor directory end to end: filled from the articles, read by ingestion, moved as JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.factories import make_actor
from timeline.extraction.article_text import ParsedArticle
from timeline.ingestion import pipeline
from timeline.models import Actor, DirectoryAlias, DirectoryEntry, DirectoryRole, Statement

pytestmark = pytest.mark.django_db


def ingest(body: str, day: dt.date, title: str = "Talks in Moscow") -> None:
    published = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    pipeline.article_ingest(parsed=ParsedArticle(title=title, body=body), published_at=published)


def export() -> dict[str, Any]:
    out = io.StringIO()
    call_command("export_directory", stdout=out, stderr=io.StringIO())
    return dict(json.loads(out.getvalue()))


def import_file(path: Path) -> str:
    out = io.StringIO()
    call_command("import_directory", str(path), stdout=out)
    return out.getvalue()


def directory_file(tmp_path: Path, people: list[dict[str, Any]]) -> Path:
    path = tmp_path / "directory.json"
    document = {"format": "crisis-timeline-directory", "version": 1, "people": people}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


SHOIGU = {
    "name": "Sergei Shoigu",
    "roles": [{"title": "Defence Minister", "affiliation": "Russia"}],
}


def test_what_one_article_prints_tells_who_a_bare_name_is_in_the_next() -> None:
    ingest(
        "Russian Defence Minister Sergei Shoigu met his British counterpart on Friday.",
        dt.date(2022, 2, 11),
    )
    ingest(
        'Shoigu said on Monday: "The exercises will end when they end."',
        dt.date(2022, 2, 14),
        title="Drills go on",
    )

    shoigu = Actor.objects.get(name="Sergei Shoigu")
    assert not Actor.objects.filter(name="Shoigu").exists()
    assert "Shoigu" in set(shoigu.aliases.values_list("name", flat=True))
    assert Statement.objects.get(text__contains="exercises will end").speaker == shoigu
    role = DirectoryRole.objects.get(entry__name="Sergei Shoigu")
    assert (role.title, role.affiliation, role.origin) == ("Defence Minister", "Russia", "article")
    assert (role.seen, role.first_seen) == (1, dt.date(2022, 2, 11))


def test_an_imported_directory_gives_a_bare_name_its_title_and_state(tmp_path: Path) -> None:
    make_actor(name="Russia", slug="russia", kind="state")
    import_file(directory_file(tmp_path, [SHOIGU]))

    ingest("Shoigu said the drills would go on.", dt.date(2022, 2, 14))

    shoigu = Actor.objects.get(name="Sergei Shoigu")
    assert (shoigu.title, str(shoigu.affiliation)) == ("Defence Minister", "Russia")


def test_a_dated_title_is_given_only_while_it_was_held(tmp_path: Path) -> None:
    johnson = {
        "name": "Boris Johnson",
        "roles": [
            {"title": "Prime Minister", "valid_from": "2019-07-24", "valid_to": "2022-09-06"},
        ],
    }
    import_file(directory_file(tmp_path, [johnson]))

    ingest("Johnson said the sanctions would bite.", dt.date(2023, 3, 1))

    assert Actor.objects.get(name="Boris Johnson").title == ""


def test_the_printed_title_wins_over_the_directory(tmp_path: Path) -> None:
    import_file(directory_file(tmp_path, [SHOIGU]))

    ingest("Former Defence Minister Sergei Shoigu said the war would go on.", dt.date(2024, 6, 1))

    assert Actor.objects.get(name="Sergei Shoigu").title == "Former Defence Minister"


def test_export_then_import_on_an_empty_directory_gives_the_same_directory(
    tmp_path: Path,
) -> None:
    ingest(
        "Russian Defence Minister Sergei Shoigu met U.S. Secretary of State Antony Blinken.",
        dt.date(2022, 2, 11),
    )
    import_file(
        directory_file(
            tmp_path,
            [
                {
                    "name": "Boris Johnson",
                    "aliases": ["Alexander Boris de Pfeffel Johnson"],
                    "notes": "UK prime minister 2019-2022.",
                    "roles": [
                        {
                            "title": "Prime Minister",
                            "affiliation": "United Kingdom",
                            "valid_from": "2019-07-24",
                            "valid_to": "2022-09-06",
                        },
                    ],
                },
            ],
        )
    )
    before = export()
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    DirectoryEntry.objects.all().delete()

    message = import_file(path)

    assert export() == before
    assert {p["name"] for p in before["people"]} == {
        "Antony Blinken",
        "Boris Johnson",
        "Sergei Shoigu",
    }
    assert "3 new people" in message


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    path = directory_file(tmp_path, [SHOIGU])
    import_file(path)
    before = export()

    message = import_file(path)

    assert export() == before
    assert "0 new people, 0 new aliases and 0 new or updated roles" in message


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "is not valid JSON"),
        ('{"format": "something else"}', 'its "format" should be "crisis-timeline-directory"'),
        (
            json.dumps(
                {
                    "format": "crisis-timeline-directory",
                    "version": 1,
                    "people": [SHOIGU, {"name": "Jane Doe", "roles": [{"valid_from": "soon"}]}],
                }
            ),
            "person 2 ('Jane Doe'), role 1's valid_from should be a date written YYYY-MM-DD",
        ),
        (
            json.dumps(
                {
                    "format": "crisis-timeline-directory",
                    "version": 1,
                    "people": [
                        SHOIGU,
                        {
                            "name": "Jane Doe",
                            "roles": [
                                {
                                    "title": "Mayor",
                                    "valid_from": "2020-01-01",
                                    "valid_to": "2019-01-01",
                                }
                            ],
                        },
                    ],
                }
            ),
            "valid_from 2020-01-01 is after valid_to 2019-01-01",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_sentence_and_imports_nothing(
    tmp_path: Path, content: str, said: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing was imported") as refused:
        import_file(path)

    assert said in str(refused.value)
    assert not DirectoryEntry.objects.exists()


def test_a_missing_file_is_refused_with_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file"):
        import_file(tmp_path / "nowhere.json")


def test_a_role_an_editor_changes_in_the_admin_becomes_theirs(client: Client) -> None:
    editor = User.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    entry = DirectoryEntry.objects.create(name="Sergei Shoigu")
    role = DirectoryRole.objects.create(
        entry=entry, title="Defence Minister", origin=DirectoryRole.Origin.ARTICLE, seen=3
    )
    url = reverse("admin:timeline_directoryentry_change", args=[entry.pk])
    assert client.get(reverse("admin:timeline_directoryentry_changelist")).status_code == 200

    response = client.post(
        url,
        {
            "name": "Sergei Shoigu",
            "notes": "",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-0-name": "Sergey Shoygu",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "1",
            "roles-0-id": str(role.pk),
            "roles-0-entry": str(entry.pk),
            "roles-0-title": "Defence Minister",
            "roles-0-affiliation": "Russia",
            "roles-0-valid_from": "2012-11-06",
            "roles-0-valid_to": "2024-05-12",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    role.refresh_from_db()
    assert (role.affiliation, role.origin, role.seen) == ("Russia", "editor", 3)
    assert role.valid_to == dt.date(2024, 5, 12)
    assert DirectoryAlias.objects.get(entry=entry).name == "Sergey Shoygu"
