"""The data's generation: a number in the shared cache that moves on after every commit that
wrote to the timeline's tables, whatever wrote it (a save, a queryset update, a bulk insert, raw
SQL, another process).

The readers' cache keys whole answers on a fingerprint of the data (`caching.data_version`:
indexed MAXes of ids and update times). That fingerprint alone misses two kinds of change: rows
without an update time of their own (articles' outlets, categories), and a transaction that
commits after a newer one (its rows are older than the newest already visible, so no MAX moves).
The generation closes both: it is bumped after the commit, so an answer built from data before
the commit was keyed on the generation before it. With Redis every process shares it; with the
local-memory cache, each process sees its own writes at once and others' by the fingerprint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

KEY = "timeline-data-generation"
_WRITES = ("INSERT", "UPDATE", "DELETE")


def generation() -> str:
    """The current generation; "0" before any write seen by this cache."""
    return str(cache.get(KEY) or 0)


def bump() -> None:
    """Move the generation on (the cache's errors are ignored, as every cache error is)."""
    try:
        cache.incr(KEY)
    except ValueError:  # not there yet (or expired): start from a value never used before
        cache.set(KEY, time.time_ns(), timeout=None)


def watch_writes(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """For `connection_created`: bump the generation after each commit that wrote to the
    timeline's tables (once per transaction, however many rows it wrote)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if sql.lstrip()[:6].upper() in _WRITES and "timeline_" in sql:
        connection = context["connection"]
        # Registered after the statement ran: outside a transaction on_commit runs at once.
        if not any(entry[1] is bump for entry in connection.run_on_commit):
            transaction.on_commit(bump, using=connection.alias)
    return result
