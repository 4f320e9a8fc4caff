"""Shared fixtures: the personas (editor, publisher, reader) and small factories.

Django is imported inside the fixtures, never at the top: the extraction tests are pure Python
and run without it (`pytest tests/extraction -p no:django`), so the autouse fixtures below do
nothing when the Django plugin is off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client
    from rest_framework.test import APIClient


def _django_settings(request: pytest.FixtureRequest) -> Any:
    """pytest-django's `settings` fixture, or None when the Django plugin is off."""
    if not request.config.pluginmanager.hasplugin("django"):
        return None
    return request.getfixturevalue("settings")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """Lets every connection wrapper restore the migrations' rows after a transactional test.

    Django keeps the serialized rows on the connection wrapper it built the test database with.
    While Playwright's event loop runs in this thread, Django's thread-critical connection local
    behaves like a context variable, so the browser tests get a fresh wrapper without those rows:
    their flush would then re-run post_migrate and later serialized restores would collide.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents  # type: ignore[attr-defined]  # Django's private test-database state


@pytest.fixture(autouse=True)
def _plain_static_storage(request: pytest.FixtureRequest) -> None:
    settings = _django_settings(request)
    if settings is None:
        return
    # Hashed static names need `collectstatic`; tests serve files straight from static/.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _answers_built_afresh(request: pytest.FixtureRequest) -> None:
    settings = _django_settings(request)
    if settings is None:
        return
    # Tests look at how answers are built (queries, visibility): no whole answer comes from the
    # readers' cache, except in tests/pages/test_caching.py, which turns it on.
    settings.RESPONSE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_requests_counted(request: pytest.FixtureRequest) -> None:
    if _django_settings(request) is None:
        return
    from django.core.cache import cache

    # The API's throttles count requests in the cache: every test starts with none counted.
    cache.clear()


PASSWORD = "correct horse battery staple"


def _person(username: str, *, group: str | None = None) -> User:
    """A user named for a persona; staff in `group` when given."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    if group:
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name=group))
    return user


def token_client(user: User) -> APIClient:
    """An API client sending `user`'s token as `Authorization: Token …`."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor(db: None) -> User:
    """Erin, an editor: reviews and fixes what the machine extracted."""
    return _person("erin", group="editors")


@pytest.fixture
def publisher(db: None) -> User:
    """Paul, a publisher: also publishes, unpublishes and merges."""
    return _person("paul", group="publishers")


@pytest.fixture
def rita(db: None) -> User:
    """Rita has an account but is neither an editor nor a publisher."""
    return _person("rita")


@pytest.fixture
def publisher_client(client: Client, publisher: User) -> Client:
    client.force_login(publisher)
    return client


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


@pytest.fixture
def api_client() -> APIClient:
    """A reader's API client: anonymous."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def editor_api(editor: User) -> APIClient:
    """Erin's API client, with her token."""
    return token_client(editor)


@pytest.fixture
def publisher_api(publisher: User) -> APIClient:
    """Paul's API client, with his token."""
    return token_client(publisher)


@pytest.fixture
def rita_api(rita: User) -> APIClient:
    """Rita's API client: a token, but no editorial rights."""
    return token_client(rita)
