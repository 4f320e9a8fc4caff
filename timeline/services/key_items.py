"""Key events and statements: the editors' choice of what story mode tells a crisis by.

Marking an item key changes no word readers see on it, so it is no correction and it leaves the
item's review (who published it, when) alone; but it changes story mode, so the item's
`updated_at` moves on (the readers' cache follows it) and its history records the choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from timeline.models import Status
from timeline.services.common import reviewer

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from timeline.models import Event, Statement
    from timeline.services.common import User


def check_can_mark_key(*, items: QuerySet[Event] | QuerySet[Statement], by: User | None) -> None:
    """What readers already see is a publisher's to rearrange, as its edits are; an editor may
    mark drafts key before they are published."""
    if by is None or by.has_perm(f"timeline.publish_{items.model._meta.model_name}"):
        return
    if items.filter(status=Status.PUBLISHED).exists():
        raise PermissionDenied(
            f"Only publishers can choose key {items.model._meta.verbose_name_plural} among those "
            "readers see; ask a publisher, or select drafts only."
        )


@transaction.atomic
def items_mark_key(
    *, items: QuerySet[Event] | QuerySet[Statement], key: bool, by: User | None
) -> int:
    """Mark the given events or statements as key (`key=True`) or not; says how many changed.

    Raises PermissionDenied when an editor without the publish permission marks a published item.
    """
    check_can_mark_key(items=items, by=by)
    model = items.model
    pks = list(items.exclude(is_key=key).values_list("pk", flat=True))
    if not pks:
        return 0
    now = timezone.now()
    changed = model.objects.filter(pk__in=pks).update(
        is_key=key, updated_at=now, version=F("version") + 1
    )
    model.history.bulk_history_create(
        list(model.objects.filter(pk__in=pks)),
        update=True,
        default_user=reviewer(by),
        default_change_reason="marked key" if key else "no longer key",
        default_date=now,
    )
    return changed
