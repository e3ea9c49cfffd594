"""`extras|for_entry:e.pk`: one message's conversation extras on the thread page."""

from __future__ import annotations

from django import template

from huddle.messaging.conversation_context import MessageExtras, ThreadExtras

register = template.Library()


@register.filter
def for_entry(extras: ThreadExtras | None, entry_id: int) -> MessageExtras:
    if extras is None:
        return MessageExtras()
    return extras.messages.get(entry_id) or MessageExtras()
