"""Login throttling with two limits: django-axes locks a user name from one address after
LOGIN_FAILURE_LIMIT failures, and an address after LOGIN_ADDRESS_FAILURE_LIMIT failures whatever
names it tries (one client guessing many accounts). Axes compares every count with one limit, so
the address's count is scaled to it."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class UserAndAddressLimits(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS: the (name, address) pair, then the
        # address alone.
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(pair, scaled)
