"""Management commands that change the timeline check the roles the admin and the API check.

Given --user, a command acts as that user: an editor may ingest (drafts only), loading published
items (a backup, the demo, synthetic data) is for publishers, and the edit history names the
user. A missing user or a missing permission stops the command with a sentence before it changes
anything.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_crisis, make_event
from tests.operations.test_backups import empty_the_timeline
from timeline.models import Article, Event, Statement, Status

pytestmark = pytest.mark.django_db

REPORT = (
    "Russia is massing troops near Ukraine, Washington said on Friday.\n\n"
    "“Things could go crazy quickly,” Biden told NBC News.\n"
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture
def rita(db: None) -> User:
    """Rita has an account but is neither an editor nor a publisher."""
    return User.objects.create_user("rita", "rita@example.org", "correct horse battery staple")


def ingest(path: Path, *extra: str) -> None:
    call_command(
        "ingest",
        str(path),
        "--published",
        "2022-02-11",
        "--source",
        "Reuters",
        *extra,
        stdout=io.StringIO(),
    )


def test_an_editor_ingests_and_the_history_names_her(article: Path, editor: User) -> None:
    ingest(article, "--user", "erin")

    drafts = [*Event.objects.all(), *Statement.objects.all()]
    assert drafts and {item.status for item in drafts} == {Status.DRAFT}
    users = {
        *Event.history.values_list("history_user__username", flat=True),
        *Statement.history.values_list("history_user__username", flat=True),
    }
    assert users == {"erin"}


def test_without_user_the_command_acts_as_the_system(article: Path) -> None:
    ingest(article)

    assert Event.history.exists()
    assert set(Event.history.values_list("history_user", flat=True)) == {None}


def test_an_unknown_user_stops_the_command_before_it_stores_anything(article: Path) -> None:
    with pytest.raises(CommandError, match="There is no active user 'nobody'"):
        ingest(article, "--user", "nobody")

    assert not Article.objects.exists()


def test_a_user_without_the_editors_rights_may_not_ingest(article: Path, rita: User) -> None:
    with pytest.raises(CommandError, match=r"rita may not ingest articles: that is for an editor"):
        ingest(article, "--user", "rita")

    assert not Article.objects.exists()


def test_an_editor_may_not_generate_published_data_but_a_publisher_may(
    editor: User, publisher: User
) -> None:
    sizes = ["--events", "3", "--statements", "2", "--actors", "2", "--articles", "2"]

    with pytest.raises(CommandError, match=r"that is for a publisher .*publish_"):
        call_command("generate_synthetic", *sizes, "--user", "erin", stdout=io.StringIO())
    assert not Event.objects.exists()

    call_command("generate_synthetic", *sizes, "--user", "paul", stdout=io.StringIO())
    assert Event.objects.count() == 3


def test_importing_a_backup_is_for_publishers(
    tmp_path: Path, editor: User, publisher: User
) -> None:
    event = make_event(status=Status.PUBLISHED)
    event.crises.add(make_crisis(slug="backup"))
    backup = tmp_path / "backup.json"
    call_command("export_crisis", "backup", output=backup, stderr=io.StringIO())

    with pytest.raises(CommandError, match="erin may not import a crisis"):
        call_command("import_crisis", str(backup), "--user", "erin", stdout=io.StringIO())

    empty_the_timeline()
    call_command("import_crisis", str(backup), "--user", "paul", stdout=io.StringIO())
    assert Event.objects.get().pk == event.pk


def test_loading_the_demo_is_for_publishers(editor: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="erin may not load the demo"):
        call_command("load_demo", "--corpus", str(tmp_path), "--user", "erin")
