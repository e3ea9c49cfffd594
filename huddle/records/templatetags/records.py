from __future__ import annotations

from django import template

from huddle.accounts.models import User
from huddle.messaging.models import Thread
from huddle.records import emergency

register = template.Library()


@register.simple_tag
def emergency_notices(thread: Thread, user: User) -> list[emergency.Notice]:
    """The thread's emergency-access notices, for staff only (never the client)."""
    if not user.is_staff_member:
        return []
    return emergency.notices(thread)
