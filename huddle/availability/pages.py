"""What availability adds to other apps' pages: the portal's notices and a
thread's coverage and messaging notes. Each is one dict under "availability"."""

from __future__ import annotations

from django.utils import timezone

from huddle.accounts.models import User
from huddle.availability import client_mode, queries
from huddle.clients.models import Client, Messaging


def portal_context(user: User) -> dict[str, object]:
    """The portal's guidance, crisis notice, "closed now" and the client's own
    messaging note; `may_start` hides "+ New" when starting would fail."""
    state = queries.open_state(user.practice_id, timezone.now())
    mode = Client.objects.filter(pk=user.pk).values_list("messaging", flat=True).first()
    mode = mode or Messaging.ON
    return {
        "availability": {
            "closed": not state.open,
            "opens_at": state.opens_at,
            "zone": state.hours.zone,
            "guidance": state.hours.portal_guidance,
            "crisis_notice": state.hours.crisis_notice,
            "mode_note": client_mode.explanation(mode),
            "may_start": mode == Messaging.ON,
        }
    }


def thread_context(
    user: User, *, practice_id: int, client_id: int | None, audience: str
) -> dict[str, object]:
    """On a thread of `practice_id` (of `client_id` and `audience` on a client
    thread): staff see who sees it while covering; a client whose messaging is
    off, why there is no reply box."""
    found: dict[str, object] = {"coverage": [], "reply_blocked": "", "zone": "UTC"}
    if user.is_staff_member:
        coverage = queries.coverage_on_thread(client_id, audience)
        found["coverage"] = coverage
        if coverage:
            found["zone"] = queries.practice_hours(practice_id).zone
    elif client_id is not None:
        mode = Client.objects.filter(pk=client_id).values_list("messaging", flat=True)
        if mode.first() == Messaging.OFF:
            found["reply_blocked"] = client_mode.OFF
    return {"availability": found}
