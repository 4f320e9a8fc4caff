"""GET /healthz: is this web process able to serve? For load balancers and uptime checks.

Plain JSON, 200 when every configured dependency answers and 503 naming the one that does not:
the database always; the cache when it is shared (Redis); the Celery broker when one is set.
Why a check failed (an exception's text can hold host names, ports or a DSN) is logged, and shown
to staff only: anyone else sees which check failed, not why.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from crisis.celery import app as celery_app

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1.")


def check_cache() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("A value written to the cache could not be read back.")


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def checks() -> dict[str, Callable[[], None]]:
    found: dict[str, Callable[[], None]] = {"database": check_database}
    if settings.REDIS_URL:
        found["cache"] = check_cache
    if settings.CELERY_BROKER_URL:
        found["broker"] = check_broker
    return found


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    healthy = True
    detailed = request.user.is_staff
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure is a 503, with its reason, not a 500
            logger.warning("Health check %s failed: %s", name, exc)
            healthy = False
            results[name] = {"ok": False}
            if detailed:
                results[name]["error"] = f"{type(exc).__name__}: {exc}"[:300]
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
