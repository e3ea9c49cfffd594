"""Availability in the demo practice: its hours, an absence with cover, and a
reply-only client - built through the actions, relative to the time of seeding."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from huddle.accounts.models import User
from huddle.availability import actions
from huddle.clients.actions import update_client
from huddle.clients.models import Client, Messaging
from huddle.messaging import actions as messaging
from huddle.messaging.models import Audience

WEEKLY = {
    **{day: [["08:00", "12:30"], ["13:30", "18:00"]] for day in ("mon", "tue", "wed", "thu")},
    "fri": [["08:00", "15:00"]],
    "sat": [["09:00", "12:00"]],
}


def set_demo_hours(
    admin: User, *, weekly: dict[str, list[list[str]]] = WEEKLY, holidays: bool = True
) -> None:
    """The demo practice's hours (New York time) and portal guidance; `holidays`:
    closed on Christmas Eve, Christmas Day and New Year's Day."""
    year = timezone.now().year
    actions.set_hours(
        actor=admin,
        timezone_name="America/New_York",
        weekly=weekly,
        closed_dates=[f"{year}-12-24", f"{year}-12-25", f"{year + 1}-01-01"] if holidays else [],
        portal_guidance=(
            "Write to us about appointments, billing and questions between sessions. "
            "We answer within one working day."
        ),
    )


def build_demo_availability(
    admin: User, staff: dict[str, User], clients: dict[str, Client]
) -> None:
    now = timezone.now()
    set_demo_hours(admin)
    # Elena is away for the week; Marcus covers her clients (Riley Chen among them).
    actions.set_away(
        actor=staff["elena"],
        starts_at=now,
        ends_at=now + timedelta(days=5),
        covering_user_id=staff["marcus"].pk,
    )
    riley = clients["riley.chen"]
    messaging.start_client_thread(
        sender=riley.user,
        client=riley,
        audience=Audience.CLINICAL,
        subject="Homework from last week",
        body="Hi Elena, I finished the thought record. Should I start the next one?",
    )
    update_client(actor=admin, client=clients["morgan.lee"], messaging=Messaging.REPLY_ONLY)
