"""Who may do what through the API: the same model permissions as in the admin."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly
from rest_framework.request import Request


class EditorModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads; writing needs the model's add or change permission, as the editors group has.

    Anonymous writes get a 401 (with `WWW-Authenticate: Token`), signed-in users without the
    permission a 403. What a reader may *see* (published items only) is each view's queryset.
    """

    perms_map = {
        **DjangoModelPermissionsOrAnonReadOnly.perms_map,
        # The API deletes nothing: items are rejected, as in the admin, never removed.
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: Any) -> bool:
        method = request.method
        if method is not None and method in SAFE_METHODS and not self.perms_map[method]:
            # Reads need no model permission, so there is no need for DRF to build the view's
            # queryset (prefetches and all) just to learn its model: a third of a cached read.
            return True
        return super().has_permission(request, view)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        # As in the admin: editors edit drafts; changing an item readers have already seen is a
        # publisher's correction.
        if request.method in SAFE_METHODS or getattr(obj, "first_published_at", None) is None:
            return True
        opts = obj._meta
        if not request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"):
            raise PermissionDenied(
                f"This {opts.verbose_name} has been published: only publishers can change it. "
                "Ask a publisher to make the correction."
            )
        return True
