"""The audit log (docs/AUDIT.md). Callers write `from huddle import audit` and
`audit.record(audit.Action.X, actor=...)` inside their action's transaction.

The names below load lazily: this package is imported while Django is still
loading its apps, before models may be imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huddle.audit.actions import (
        count_recent,
        fields_detail,
        record,
        record_client_change,
        record_sign_in_failed,
        record_staff_change,
        record_thread,
        record_threads,
    )
    from huddle.audit.models import Action, ObjectType

__all__ = [
    "Action",
    "ObjectType",
    "count_recent",
    "fields_detail",
    "record",
    "record_client_change",
    "record_sign_in_failed",
    "record_staff_change",
    "record_thread",
    "record_threads",
]


def __getattr__(name: str) -> Any:
    if name in ("Action", "ObjectType"):
        from huddle.audit import models

        return getattr(models, name)
    if name in __all__:
        from huddle.audit import actions

        return getattr(actions, name)
    raise AttributeError(name)
