"""Per-client rate limits: anonymous reads by address, writes by account (429 + Retry-After).

Rates are read from settings on each request (not frozen at import as DRF's are), so a test or an
operator's override applies at once; a rate of None turns a limit off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:
    from rest_framework.views import APIView


class AnonReadThrottle(AnonRateThrottle):
    scope = "anon"

    def get_rate(self) -> str | None:
        # DRF's stubs type the rates as numbers; they are strings such as "100/min".
        return cast(str | None, api_settings.DEFAULT_THROTTLE_RATES.get(self.scope))

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method not in SAFE_METHODS:
            return True  # anonymous writes are refused by the permissions anyway
        return super().allow_request(request, view)


class WriteThrottle(UserRateThrottle):
    scope = "write"

    def get_rate(self) -> str | None:
        # DRF's stubs type the rates as numbers; they are strings such as "100/min".
        return cast(str | None, api_settings.DEFAULT_THROTTLE_RATES.get(self.scope))

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
