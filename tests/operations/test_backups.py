"""Backups: export_crisis writes a crisis to JSON, import_crisis reads it back, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_actor, make_article, make_crisis, make_event, make_source
from timeline import backups
from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    EventPlace,
    Merge,
    Place,
    Source,
    Statement,
    Status,
)
from timeline.services import merges

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<script>alert("x")</script> \u202eevil\u202c zero\u200bwidth “quoted” Київ'


@pytest.fixture
def crisis(editor: User) -> Crisis:
    """The demo crisis, plus every kind of row a backup has to carry."""
    call_command("load_demo")
    crisis = Crisis.objects.get()
    Statement.objects.update(reviewed_by=editor)
    add_every_kind_of_row(crisis, editor)
    return crisis


@pytest.fixture
def small_crisis(editor: User) -> Crisis:
    """The same kinds of rows without the demo, for the tests that only need a valid file."""
    crisis = make_crisis(slug="small")
    add_every_kind_of_row(crisis, editor)
    return crisis


def add_every_kind_of_row(crisis: Crisis, editor: User) -> None:
    usa = make_actor(name="Freedonia", kind="state")
    state_dept = make_actor(name="Freedonian Foreign Office", kind="organisation", affiliation=usa)
    blinken = make_actor(name="Antony Blinken", title="Secretary of State", affiliation=state_dept)
    ActorAlias.objects.create(actor=blinken, name="Tony Blinken")
    ActorAlias.objects.create(actor=blinken, name=HOSTILE)
    category = EventCategory.objects.create(slug="cyber", name="Cyber", colour="#123456")
    wire = make_source(name="Wire & Co <b>", slug="wire-co")
    reprint = make_source(name="Daily Reprint", slug="daily-reprint")
    article = make_article(
        title=HOSTILE,
        text=f"{HOSTILE}\n\nBlinken warned Moscow on Friday.",
        source=wire,
        publisher=reprint,
        url="https://news.example/story?a=1&b=2",
    )
    article.crises.add(crisis)
    other = make_crisis(slug="baltic-tensions", title="Baltic tensions")
    event = make_event(
        title=HOSTILE,
        start_date=dt.date(2022, 2, 12),
        category=category,
        status=Status.PUBLISHED,
        end_date=dt.date(2022, 2, 13),
        place="Brussels",
        summary=HOSTILE,
    )
    event.crises.add(crisis, other)
    EventActor.objects.create(event=event, actor=blinken, role="agent")
    freedonia = Place.objects.create(
        name="Freedonia",
        slug="freedonia",
        kind=Place.Kind.COUNTRY,
        iso_code="FD",
        latitude=50.8,
        longitude=4.4,
        gazetteer_id="test:freedonia",
        actor=usa,
    )
    capital = Place.objects.create(
        name="Fredville",
        slug="fredville",
        kind=Place.Kind.CITY,
        latitude=50.85,
        longitude=4.35,
        gazetteer_id="test:fredville",
        country=freedonia,
    )
    EventPlace.objects.create(event=event, place=capital, mention=HOSTILE, confidence=0.4)
    Citation.objects.create(article=article, event=event, start=0, end=len(HOSTILE))
    statement = Statement.objects.create(text=HOSTILE, speaker=blinken, date=dt.date(2022, 2, 12))
    statement.crises.add(crisis)
    Citation.objects.create(article=article, statement=statement, start=0, end=10)
    event.title = "Blinken warns Moscow"  # a second history row
    event.save()
    optional = {name: backups._model(name) for name in ("claim", "editorcomment", "correction")}
    if optional["claim"]:
        optional["claim"]._default_manager.create(
            event=event, statement=statement, stance="supports"
        )
    if optional["editorcomment"]:
        optional["editorcomment"]._default_manager.create(event=event, author=editor, body=HOSTILE)
    if optional["correction"]:
        optional["correction"]._default_manager.create(
            event=event, note="Date fixed.", changes={"start_date": ["2022-02-11", "2022-02-12"]}
        )


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every backed-up model, as Django's serializer sees it."""
    return {
        model._meta.label_lower: serializers.serialize("python", model._base_manager.order_by("pk"))
        for model in backups.backed_up_models()
    }


def empty_the_timeline() -> None:
    """What a freshly migrated database holds: the seed categories, no timeline data."""
    seeded = {"military", "diplomatic", "statement", "economic", "humanitarian", "other"}
    models = backups.backed_up_models()
    histories = [m for m in models if getattr(m, "instance_type", None)]
    # Items first (deleting them writes history rows), then their history.
    for model in [*reversed([m for m in models if m not in histories]), *histories]:
        if model is EventCategory:
            model.objects.exclude(slug__in=seeded).delete()
        elif model is Event:
            model.objects.all().delete()
            Actor.objects.update(affiliation=None)
        else:
            model._base_manager.all().delete()
    assert not Event.objects.exists() and not Article.objects.exists()


def export(slug: str, tmp_path: Path) -> Path:
    path = tmp_path / "backup.json"
    call_command("export_crisis", slug, output=path, stderr=open("/dev/null", "w"))  # noqa: SIM115
    return path


def test_a_round_trip_into_an_empty_database_gives_identical_data(
    crisis: Crisis, tmp_path: Path
) -> None:
    before = snapshot()
    path = export(crisis.slug, tmp_path)
    empty_the_timeline()

    call_command("import_crisis", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    after = snapshot()
    for label in before:
        assert after[label] == before[label], label
    # Ids survive, and with them the public URLs.
    event = Event.objects.get(title="Blinken warns Moscow")
    assert event.get_absolute_url() == f"/events/{event.pk}/"


def test_the_backup_covers_the_history_of_each_item(crisis: Crisis, tmp_path: Path) -> None:
    data = json.loads(export(crisis.slug, tmp_path).read_text())
    history = data["models"].get("timeline.historicalevent")
    if history is None:
        pytest.skip("no history library installed")
    titles = [row["fields"]["title"] for row in history]
    assert HOSTILE in titles and "Blinken warns Moscow" in titles


def test_it_backs_up_every_timeline_model_or_says_why_not() -> None:
    covered = {m._meta.model_name for m in backups.backed_up_models()}
    for model in apps.get_app_config("timeline").get_models():
        name = model._meta.model_name
        assert name in covered or name in backups.EXCLUDED, (
            f"{model.__name__} is neither backed up nor listed in backups.EXCLUDED"
        )


def test_it_holds_the_crisis_items_and_what_they_need_but_not_other_crises_items(
    crisis: Crisis, tmp_path: Path
) -> None:
    unrelated = make_event(title="Elsewhere")
    unrelated.crises.add(Crisis.objects.get(slug="baltic-tensions"))
    data = json.loads(export(crisis.slug, tmp_path).read_text())
    events = {row["fields"]["title"] for row in data["models"]["timeline.event"]}
    actors = {row["fields"]["name"] for row in data["models"]["timeline.actor"]}
    crises = {row["fields"]["slug"] for row in data["models"]["timeline.crisis"]}

    assert "Elsewhere" not in events
    assert {
        "Antony Blinken",
        "Freedonian Foreign Office",
        "Freedonia",
    } <= actors  # affiliations too
    assert crises == {crisis.slug, "baltic-tensions"}  # links to other crises survive


def test_new_rows_after_an_import_get_fresh_ids(small_crisis: Crisis, tmp_path: Path) -> None:
    path = export(small_crisis.slug, tmp_path)
    last = Event.objects.order_by("-pk").first()
    assert last is not None
    top = last.pk
    empty_the_timeline()
    call_command("import_crisis", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert make_event().pk > top  # PostgreSQL's sequences were moved past the imported ids


def test_an_import_beside_other_data_reuses_shared_rows(crisis: Crisis, tmp_path: Path) -> None:
    path = export(crisis.slug, tmp_path)
    data = json.loads(path.read_text())
    Citation.objects.all().delete()
    Event.objects.all().delete()
    Statement.objects.all().delete()
    crisis.delete()
    actors, sources, articles = (
        Actor.objects.count(),
        Source.objects.count(),
        Article.objects.count(),
    )

    call_command("import_crisis", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (Actor.objects.count(), Source.objects.count(), Article.objects.count()) == (
        actors,
        sources,
        articles,
    )
    assert Event.objects.count() == len(data["models"]["timeline.event"])


@pytest.fixture
def merged(small_crisis: Crisis, publisher: User) -> dict[str, int]:
    """An event and an actor of the crisis, each merged into another: what an editor may undo."""
    kept = Event.objects.get(title="Blinken warns Moscow")
    twin = make_event(title="Blinken warns Russia", status=Status.PUBLISHED)
    twin.crises.add(small_crisis)
    Citation.objects.create(article=Article.objects.get(), event=twin, start=0, end=5)
    blinken = Actor.objects.get(name="Antony Blinken")
    misspelt = make_actor(name="Anthony Blinken")
    statement = Statement.objects.create(text="We are ready", speaker=misspelt)
    statement.crises.add(small_crisis)
    ids = {"event": twin.pk, "actor": misspelt.pk, "statement": statement.pk, "kept": kept.pk}
    merges.event_merge(keep=kept, merge=twin, by=publisher)
    merges.actor_merge(keep=blinken, merge=misspelt, by=publisher)
    return ids


def test_merges_survive_a_round_trip_and_can_still_be_undone(
    merged: dict[str, int], small_crisis: Crisis, tmp_path: Path, publisher: User
) -> None:
    path = export(small_crisis.slug, tmp_path)
    empty_the_timeline()
    call_command("import_crisis", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    for record in Merge.objects.order_by("pk"):
        merges.merge_undo(merge=record, by=publisher)

    twin = Event.objects.get(pk=merged["event"])
    assert twin.title == "Blinken warns Russia"
    assert twin.citations.count() == 1
    assert Statement.objects.get(pk=merged["statement"]).speaker_id == merged["actor"]
    assert Actor.objects.get(pk=merged["actor"]).name == "Anthony Blinken"


def test_merges_whose_rows_get_other_ids_are_left_out_and_said_so(
    merged: dict[str, int], small_crisis: Crisis, tmp_path: Path
) -> None:
    path = export(small_crisis.slug, tmp_path)
    empty_the_timeline()
    make_event(title="Already here", pk=merged["kept"])  # takes an id the file's rows need
    out = io.StringIO()

    call_command("import_crisis", str(path), stdout=out)

    assert not Merge.objects.exists()
    assert "2 merges left out" in out.getvalue()


def test_it_refuses_to_import_a_crisis_that_already_exists(
    small_crisis: Crisis, tmp_path: Path
) -> None:
    path = export(small_crisis.slug, tmp_path)
    with pytest.raises(CommandError, match="already exists in this database"):
        call_command("import_crisis", str(path))


def corrupt(path: Path, change: Any) -> Path:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    return path


def citation_outside_text(data: dict[str, Any]) -> None:
    data["models"]["timeline.citation"][0]["fields"]["end"] = 10**6


def reference_to_missing_row(data: dict[str, Any]) -> None:
    data["models"]["timeline.event"][0]["fields"]["category"] = 999_999


def bad_date(data: dict[str, Any]) -> None:
    data["models"]["timeline.event"][0]["fields"]["start_date"] = "2022-13-45"


def year_one(data: dict[str, Any]) -> None:
    data["models"]["timeline.event"][0]["fields"]["start_date"] = "0001-01-01"


def nul_byte(data: dict[str, Any]) -> None:
    data["models"]["timeline.event"][0]["fields"]["title"] = "Talks\x00 in Geneva"


def unknown_status(data: dict[str, Any]) -> None:
    data["models"]["timeline.event"][0]["fields"]["status"] = "<script>"


def edited_text(data: dict[str, Any]) -> None:
    data["models"]["timeline.article"][0]["fields"]["text"] += " Forged."


def unknown_field(data: dict[str, Any]) -> None:
    data["models"]["timeline.event"][0]["fields"]["colour"] = "red"


def wrong_version(data: dict[str, Any]) -> None:
    data["version"] = 99


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (citation_outside_text, "lies outside the article's text"),
        (reference_to_missing_row, "which is not in the file"),
        (bad_date, "invalid date"),
        (year_one, "Enter a date between 1000-01-01 and 2999-12-31"),
        (nul_byte, "NUL"),
        (unknown_status, "is not a valid choice"),
        (edited_text, "does not match its content hash"),
        (unknown_field, "a field 'colour' that this app does not have"),
        (wrong_version, "this app reads version 1"),
    ],
    ids=lambda v: getattr(v, "__name__", "")[:30],
)
def test_a_bad_file_is_refused_with_a_reason_and_changes_nothing(
    small_crisis: Crisis, tmp_path: Path, change: Any, message: str
) -> None:
    path = corrupt(export(small_crisis.slug, tmp_path), change)
    empty_the_timeline()
    before = snapshot()

    with pytest.raises(CommandError, match=message) as error:
        call_command("import_crisis", str(path))

    assert str(error.value).endswith(".")
    assert snapshot() == before


def test_a_file_that_is_not_json_exits_non_zero_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(b"\xff\xfe not json")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_crisis", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "give a file written by export_crisis" in result.stderr


def test_exporting_an_unknown_crisis_names_the_known_ones(small_crisis: Crisis) -> None:
    with pytest.raises(CommandError, match=r"give one of these slugs: .*baltic-tensions"):
        call_command("export_crisis", "atlantis")
