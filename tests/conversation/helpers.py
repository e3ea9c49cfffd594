"""Helpers for the conversation tests (F17-F21)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from huddle.accounts.models import User
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from huddle.messaging.models import Entry, Participant, Thread
from tests.conftest import World


def staff_thread(
    world: World, *, sender: User | None = None, to: list[User] | None = None
) -> Thread:
    """A practice thread from the clinician (by default) to the biller and scheduler."""
    sender = sender or world.clinician
    people = to if to is not None else [world.biller, world.scheduler]
    return actions.start_thread(
        sender=sender, user_ids=[u.pk for u in people], subject="Room change", body="Room 4 today"
    )


def first_message(thread: Thread) -> Entry:
    return Entry.objects.filter(thread=thread, kind="message").order_by("pk").first()  # type: ignore[return-value]


def participation(user: User, thread: Thread) -> Participant:
    return get_participation(user, thread.pk)


def age(entry: Entry, minutes: float) -> None:
    """As if `entry` was sent `minutes` ago."""
    Entry.objects.filter(pk=entry.pk).update(
        created_at=entry.created_at - timedelta(minutes=minutes)
    )


def message_of(detail: dict[str, Any], message_id: int | str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in detail["timeline"] if m["id"] == str(message_id))
    return found


def open_outsider(world: World) -> None:
    """The other practice with messaging on: its refusals are then about access only."""
    from huddle.administration.actions import update_messaging_settings

    update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
