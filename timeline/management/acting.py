"""Who a database-changing management command acts as.

Commands run with the server's own rights. Given `--user USERNAME`, a command first checks that
the user may do what it is about to do, with the same permissions the admin and the API check
(the `editors` and `publishers` groups), and records that user in the edit history of everything
it changes. Without `--user` it acts as the system, as data migrations do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import CommandError, CommandParser
from simple_history.models import HistoricalRecords

# What storing articles and their drafts needs: an editor's rights.
DRAFTING = (
    "timeline.add_article",
    "timeline.add_actor",
    "timeline.add_statement",
    "timeline.add_event",
)
# What publishing items (or loading published ones) needs as well: a publisher's.
PUBLISHING = (
    *DRAFTING,
    "timeline.publish_actor",
    "timeline.publish_statement",
    "timeline.publish_event",
)


def add_user_argument(parser: CommandParser, *, role: str) -> None:
    parser.add_argument(
        "--user",
        metavar="USERNAME",
        help=f"Act as this user, who must be {role}: the edit history records them. "
        "Without it, the command acts as the system.",
    )


def command_user(
    username: str | None, *, needs: Sequence[str], doing: str
) -> AbstractBaseUser | None:
    """The active user named `username`, if they hold every permission in `needs`."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            f"There is no active user {username!r}. Give the username of an editor or publisher "
            "(see Users in the admin), or leave out --user."
        )
    missing = [codename for codename in needs if not user.has_perm(codename)]
    if missing:
        publishing = any(".publish_" in codename for codename in missing)
        role, group = ("a publisher", "publishers") if publishing else ("an editor", "editors")
        raise CommandError(
            f"{username} may not {doing}: that is for {role} (missing permission "
            f"{', '.join(missing)}). Ask a superuser to add them to the {group} group, or run "
            "it as someone who is."
        )
    return user


@contextmanager
def acting_as(user: AbstractBaseUser | None) -> Iterator[None]:
    """Record `user` in the history of every change made inside, as a request's user would be."""
    if user is None:
        yield
        return
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    # django-simple-history reads the user from the current request (its middleware sets it);
    # a command has none, so it gets a stand-in that carries only the user.
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
