"""The permission matrix: who may open which admin page, run which action, call which endpoint.

The roles are the personas: an anonymous reader, Erin the editor, Paul the publisher and a
superuser. What each group may do is written out below (EDITORS, PUBLISHERS) and checked against
the database; every admin page, admin action and API endpoint must then answer each role exactly
as that table says. A new role is one more entry in ROLES and PERMISSIONS.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_statement,
)
from timeline.models import (
    ActorAlias,
    Claim,
    Correction,
    DirectoryEntry,
    DirectoryRole,
    EditorComment,
    Event,
    EventActor,
    FeedEntry,
    IngestBatch,
    Merge,
    Provenance,
    Statement,
    Status,
    WatchedFeed,
    Webhook,
    WebhookDelivery,
)

if TYPE_CHECKING:
    from rest_framework.decorators import ViewSetAction

pytestmark = pytest.mark.django_db

CORE = [
    "crisis",
    "source",
    "article",
    "actor",
    "actoralias",
    "eventcategory",
    "statement",
    "event",
    "eventactor",
    "citation",
]
# Editors view, add and change the timeline; they delete only small rows edited inline.
EDITORS = (
    {f"timeline.{action}_{model}" for model in CORE for action in ("view", "add", "change")}
    | {f"timeline.delete_{model}" for model in ("actoralias", "eventactor", "citation")}
    | {f"timeline.{action}_claim" for action in ("view", "add", "change", "delete")}
    | {"timeline.view_editorcomment", "timeline.add_editorcomment"}
    | {"timeline.view_correction", "timeline.view_merge"}
    # The actor directory is not published and nothing cites it: editors keep it whole.
    | {
        f"timeline.{action}_{model}"
        for model in ("directoryentry", "directoryalias", "directoryrole")
        for action in ("view", "add", "change", "delete")
    }
    # Watched feeds: editors follow outlets and read what the polls found.
    | {f"timeline.{action}_watchedfeed" for action in ("view", "add", "change")}
    | {"timeline.view_feedentry", "timeline.view_feedpoll"}
    # Batches of articles handed over at once, and their progress.
    | {f"timeline.{action}_ingestbatch" for action in ("view", "add", "change")}
)
# Publishers also publish, unpublish and merge, write corrections and undo merges.
PUBLISHERS = EDITORS | {
    "timeline.publish_actor",
    "timeline.publish_statement",
    "timeline.publish_event",
    "timeline.merge_actor",
    "timeline.merge_event",
    "timeline.add_correction",
    "timeline.change_merge",
    "timeline.delete_watchedfeed",
}
ROLES = ["anonymous", "editor", "publisher", "superuser"]
PERMISSIONS: dict[str, Callable[[str], bool]] = {
    "anonymous": lambda perm: False,
    "editor": lambda perm: perm in EDITORS,
    "publisher": lambda perm: perm in PUBLISHERS,
    "superuser": lambda perm: True,
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Three accounts per test; PBKDF2 would spend seconds on hashing that nothing here tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("sam", "sam@example.org", "correct horse battery staple")


@pytest.fixture
def user_for(editor: User, publisher: User, superuser: User) -> Callable[[str], User | None]:
    users = {"anonymous": None, "editor": editor, "publisher": publisher, "superuser": superuser}
    return users.__getitem__


@pytest.fixture
def rows(editor: User) -> dict[str, Any]:
    """One row of every kind, drafts and published items both."""
    crisis = make_crisis()
    actor = make_actor()
    published_actor = make_actor(
        status=Status.PUBLISHED, first_published_at=dt.datetime.now(dt.UTC)
    )
    ActorAlias.objects.create(actor=actor, name="Another name")
    event = make_event()
    event.crises.add(crisis)
    published_event = make_event(
        status=Status.PUBLISHED, first_published_at=dt.datetime.now(dt.UTC)
    )
    published_event.crises.add(crisis)
    EventActor.objects.create(event=event, actor=actor)
    statement = make_statement(speaker=actor)
    published_statement = make_statement(
        status=Status.PUBLISHED, first_published_at=dt.datetime.now(dt.UTC)
    )
    citation = make_citation(event=event)
    citation.article.crises.add(crisis)
    # The outlet is public through another of its articles, which a published event cites.
    make_citation(event=published_event, article=make_article(source=citation.article.source))
    Claim.objects.create(event=event, statement=statement, stance="supports")
    EditorComment.objects.create(event=event, author=editor, body="Check the date.")
    Correction.objects.create(event=published_event, note="Date fixed.", changes={})
    Merge.objects.create(kind="actor", kept_id=actor.pk, merged_id=999, merged_name="X", undo={})
    person = DirectoryEntry.objects.create(name="Erin Example")
    DirectoryRole.objects.create(entry=person, title="minister")
    feed = WatchedFeed.objects.create(crisis=crisis, name="World", url="https://example.org/rss")
    FeedEntry.objects.create(feed=feed, key="a1", url="https://example.org/a1", status="ingested")
    IngestBatch.objects.create(label="overnight.jsonl").articles.add(citation.article)
    webhook = Webhook.objects.create(name="Example Daily", url="https://example.org/hook")
    WebhookDelivery.objects.create(webhook=webhook, kind="published", payload={})
    Client().post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})  # axes
    return {
        "crisis": crisis,
        "actor": actor,
        "event": event,
        "statement": statement,
        "article": citation.article,
        "source": citation.article.source,
        "published": {
            "actor": published_actor,
            "event": published_event,
            "statement": published_statement,
        },
    }


def client_as(role: str, user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_groups_hold_exactly_the_permissions_in_the_table() -> None:
    def perms(name: str) -> set[str]:
        group = Group.objects.get(name=name)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    assert perms("editors") == EDITORS
    assert perms("publishers") == PUBLISHERS


# The admin


def admin_pages(model: type[Model], pk: Any) -> list[tuple[str, str, str]]:
    """(name, URL, permission needed) for each page of a model's admin; pk=None: list pages only."""
    opts = model._meta
    label = f"{opts.app_label}.%s_{opts.model_name}"
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    pages = [("changelist", reverse(f"{prefix}_changelist"), label % "view")]
    pages.append(("add", reverse(f"{prefix}_add"), label % "add"))
    if pk is not None:
        for page, action in (("change", "view"), ("history", "view"), ("delete", "delete")):
            pages.append((page, reverse(f"{prefix}_{page}", args=[pk]), label % action))
    return pages


def custom_admin_pages(rows: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        ("article import", reverse("admin:timeline_article_import"), "timeline.add_article"),
        ("review queue", reverse("admin:timeline_article_review_queue"), "timeline.view_article"),
        (
            "article review",
            reverse("admin:timeline_article_review", args=[rows["article"].pk]),
            "timeline.change_event",
        ),
    ]


def admin_allows_anyone(model_admin: admin.ModelAdmin, page: str, superuser: User) -> bool:
    """Pages that a ModelAdmin switches off for everyone (merges are never added by hand)."""
    request = RequestFactory().get("/")
    request.user = superuser
    if page == "add":
        return model_admin.has_add_permission(request)
    if page == "delete":
        return model_admin.has_delete_permission(request)
    return True


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_as_the_table_says(
    role: str, rows: dict[str, Any], user_for: Callable[[str], User | None], superuser: User
) -> None:
    client = client_as(role, user_for(role))
    may = PERMISSIONS[role]
    wrong = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.order_by("pk").first()
        for page, url, perm in admin_pages(model, obj.pk if obj else None):
            if role == "anonymous":
                expected = 302
            elif model._meta.app_label == "timeline" or role == "superuser":
                # Holding "change" also lets one view; the groups always give both.
                allowed = may(perm) or (
                    perm.split(".")[1].startswith("view_")
                    and may(perm.replace(".view_", ".change_"))
                )
                allowed = allowed and admin_allows_anyone(model_admin, page, superuser)
                expected = 200 if allowed else 403
            else:
                expected = 403  # users, groups, tokens, login records: superusers only
            status = client.get(url).status_code
            checked += 1
            if status != expected:
                wrong.append(f"{page} {url}: {status}, expected {expected}")
    for page, url, perm in custom_admin_pages(rows):
        expected = 302 if role == "anonymous" else 200 if may(perm) else 403
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{page} {url}: {status}, expected {expected}")
    assert checked > 60
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ["editor", "publisher", "superuser"])
def test_admin_actions_are_offered_only_to_those_allowed_to_run_them(
    role: str, rows: dict[str, Any], user_for: Callable[[str], User | None], superuser: User
) -> None:
    may = PERMISSIONS[role]
    wrong = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "timeline":
            continue
        request = RequestFactory().get("/")
        request.user = superuser
        # django-stubs: get_actions() may map a name to None; Django's never does.
        every_action: dict[str, tuple[Callable[..., Any], str, str]]
        every_action = model_admin.get_actions(request)  # type: ignore[assignment]
        user = user_for(role)
        assert user is not None
        request.user = user
        offered = set(model_admin.get_actions(request))
        expected = {
            name
            for name, (func, _name, _description) in every_action.items()
            if all(
                may(f"timeline.{needed}_{model._meta.model_name}")
                for needed in getattr(func, "allowed_permissions", ())
            )
        }
        if offered != expected:
            wrong.append(
                f"{model.__name__}: offered {sorted(offered)}, expected {sorted(expected)}"
            )
    assert not wrong, "\n".join(wrong)


def test_only_publishers_can_publish_from_the_admin(
    rows: dict[str, Any], editor: User, publisher: User
) -> None:
    event = rows["event"]
    url = reverse("admin:timeline_event_changelist")
    data = {"action": "publish_selected", "_selected_action": [event.pk]}

    client_as("editor", editor).post(url, data)
    event.refresh_from_db()
    assert event.status == Status.DRAFT

    client_as("publisher", publisher).post(url, data)
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED


# The API

WRITABLE = {
    "actor": {"kind": "not-a-kind"},
    "statement": {"date": "not-a-date"},
    "event": {"start_date": "not-a-date"},
}


def api_endpoints(rows: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(name, method, URL, kind) for every endpoint; kind says which rule of the table applies."""
    endpoints = []
    lookups = {
        "crisis": rows["crisis"].slug,
        "source": rows["source"].slug,
        "article": rows["article"].pk,
        "actor": rows["actor"].slug,
        "statement": rows["statement"].pk,
        "event": rows["event"].pk,
    }
    for basename, lookup in lookups.items():
        listing = reverse(f"api:{basename}-list")
        detail = reverse(f"api:{basename}-detail", args=[lookup])
        editorial = basename in WRITABLE
        # Readers see published items, and articles only once something they back is published.
        hidden = editorial or basename == "article"
        endpoints += [
            (f"{basename} list", "GET", listing, "read"),
            (f"{basename} detail", "GET", detail, "read draft" if hidden else "read"),
            (f"{basename} create", "POST", listing, "write" if editorial else "read-only"),
            (f"{basename} update", "PUT", detail, "write" if editorial else "read-only"),
            (f"{basename} patch", "PATCH", detail, "write" if editorial else "read-only"),
            (f"{basename} delete", "DELETE", detail, "delete"),
        ]
        if editorial:
            published = rows["published"][basename]
            key = published.slug if basename == "actor" else published.pk
            url = reverse(f"api:{basename}-detail", args=[key])
            endpoints.append((f"published {basename}", "GET", url, "read"))
    # The viewsets' extra endpoints (exports, ingestion), found on the router.
    from timeline.api.urls import router

    for _prefix, viewset, basename in router.registry:
        # drf-stubs type these as plain views; they are the viewset's @action methods.
        extra: list[ViewSetAction[Any]] = viewset.get_extra_actions()  # type: ignore[assignment]
        for action in extra:
            if action.detail:
                continue
            url = reverse(f"api:{basename}-{action.url_name}")
            for method in action.mapping:
                kind = "read" if method == "get" else "write"
                endpoints.append((f"{basename} {action.url_name}", method.upper(), url, kind))
    endpoints += [
        ("merges", "GET", reverse("api:merge-list"), "merges"),
        ("changes", "GET", reverse("api:changes") + "?since=2000-01-01T00:00:00Z", "read"),
        ("schema", "GET", reverse("api:schema"), "read"),
        ("docs", "GET", reverse("api:docs"), "read"),
    ]
    return endpoints


def expected_api_status(role: str, kind: str, method: str, basename: str) -> int:
    may = PERMISSIONS[role]
    if kind == "read":
        return 200
    if kind == "read draft":
        return 200 if may(f"timeline.view_{basename}") else 404  # readers never see drafts
    if role == "anonymous":
        return 401  # asked to sign in (WWW-Authenticate: Token)
    if kind == "merges":  # the log of merges, to undo one: the publishers'
        return 200 if may("timeline.merge_event") or may("timeline.merge_actor") else 403
    if kind == "read-only":
        # Crises, sources and articles are not written through the API.
        return 405 if may(f"timeline.{'add' if method == 'POST' else 'change'}_{basename}") else 403
    if kind == "delete":
        return 405 if may(f"timeline.delete_{basename}") else 403  # the API deletes nothing
    needed = "add" if method == "POST" else "change"
    return 400 if may(f"timeline.{needed}_{basename}") else 403  # 400: allowed, but bad data


@pytest.mark.parametrize("role", ROLES)
def test_every_api_endpoint_answers_each_role_as_the_table_says(
    role: str, rows: dict[str, Any], user_for: Callable[[str], User | None]
) -> None:
    client = APIClient()
    user = user_for(role)
    if user is not None:
        client.force_authenticate(user)
    wrong = []
    for name, method, url, kind in api_endpoints(rows):
        basename = name.split()[-2] if name.startswith("published") else name.split()[0]
        body = WRITABLE.get(basename, {}) if method in ("POST", "PUT", "PATCH") else None
        response = client.generic(
            method,
            url,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
        )
        expected = expected_api_status(role, kind, method, basename)
        if response.status_code != expected:
            wrong.append(f"{method} {url} ({name}): {response.status_code}, expected {expected}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("basename", sorted(WRITABLE))
def test_an_editor_cannot_change_a_published_item_through_the_api(
    basename: str, rows: dict[str, Any], editor: User, publisher: User
) -> None:
    # Changing what readers already see is a publisher's correction, as in the admin.
    published = rows["published"][basename]
    url = reverse(
        f"api:{basename}-detail", args=[published.slug if basename == "actor" else published.pk]
    )
    as_publisher, as_editor = APIClient(), APIClient()
    as_publisher.force_authenticate(publisher)
    as_editor.force_authenticate(editor)
    assert as_publisher.patch(url, WRITABLE[basename], format="json").status_code == 400
    assert as_editor.patch(url, WRITABLE[basename], format="json").status_code == 403


def test_an_editor_cannot_publish_through_the_api(rows: dict[str, Any], editor: User) -> None:
    client = APIClient()
    client.force_authenticate(editor)
    event = rows["event"]
    client.patch(
        reverse("api:event-detail", args=[event.pk]), {"status": "published"}, format="json"
    )
    event.refresh_from_db()
    assert event.status == Status.DRAFT


# Management commands: they run with the server's own rights, so what they may change is limited
# by what they do. Ingestion makes drafts for review and never publishes.


def test_ingesting_makes_drafts_that_readers_do_not_see(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "Russia is massing troops near Ukraine, Washington said on Friday.\n\n"
        "“Things could go crazy quickly,” Biden told NBC News.\n",
        encoding="utf-8",
    )
    call_command(
        "ingest",
        str(article),
        "--published",
        "2022-02-11",
        "--source",
        "Reuters",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    machine_made = [
        *Statement.objects.filter(provenance=Provenance.MACHINE),
        *Event.objects.filter(provenance=Provenance.MACHINE),
    ]
    assert machine_made, "the article should yield something to review"
    assert {item.status for item in machine_made} == {Status.DRAFT}
    assert not Event.objects.published().exists()
