"""Per-client messaging (F24): on, reply-only or off. The one place that says
what a client may send; messaging's actions ask it before storing anything."""

from __future__ import annotations

from huddle.clients.models import Client, Messaging
from huddle.core.errors import Forbidden

REPLY_ONLY = (
    "Your practice has set your messages to replies only: you can answer the "
    "practice's conversations, but not start a new one."
)
OFF = (
    "Your practice has turned messaging off for you: you can read your earlier "
    "conversations, but not send messages. To reach the practice, call the office."
)
OFF_FOR_STAFF = (
    "Messaging is off for this client. A Practice Admin can set it to on or "
    "reply-only on the client's page."
)


def explanation(mode: str) -> str:
    """What the portal tells a client about their messaging, or "" when it is on."""
    return {Messaging.REPLY_ONLY: REPLY_ONLY, Messaging.OFF: OFF}.get(Messaging(mode), "")


def require_may_start(client: Client, *, by_staff: bool) -> None:
    """A client starts threads only while on; staff write to reply-only clients too."""
    if client.messaging == Messaging.OFF:
        raise Forbidden(OFF_FOR_STAFF if by_staff else OFF)
    if client.messaging == Messaging.REPLY_ONLY and not by_staff:
        raise Forbidden(REPLY_ONLY)


def require_may_reply(client_id: int | None) -> None:
    """A client replies unless their messaging is off (1 statement)."""
    mode = Client.objects.filter(pk=client_id).values_list("messaging", flat=True).first()
    if mode == Messaging.OFF:
        raise Forbidden(OFF)
