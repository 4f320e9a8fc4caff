"""Shared fixtures: the personas (editor, publisher, reader) and small factories."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: object) -> None:
    # Hashed static names need `collectstatic`; tests serve files straight from static/.
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def editor(db: None) -> User:
    """Erin, an editor: reviews and fixes what the machine extracted."""
    user = User.objects.create_user("erin", "erin@example.org", "correct horse battery staple")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="editors"))
    return user


@pytest.fixture
def publisher(db: None) -> User:
    """Paul, a publisher: also publishes, unpublishes and merges."""
    user = User.objects.create_user("paul", "paul@example.org", "correct horse battery staple")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="publishers"))
    return user


@pytest.fixture
def publisher_client(client: object, publisher: User) -> object:
    client.force_login(publisher)  # type: ignore[attr-defined]
    return client


@pytest.fixture
def editor_client(client: object, editor: User) -> object:
    client.force_login(editor)  # type: ignore[attr-defined]
    return client
