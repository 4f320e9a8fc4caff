"""Who may do what through the API: the same model permissions as in the admin."""

from __future__ import annotations

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


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
