"""The demo practice's conversation features (F17-F21): an urgent message one
recipient has acknowledged and one has not, an edited message, a reply draft
and a message scheduled for Monday morning."""

from __future__ import annotations

from huddle.accounts.models import User
from huddle.messaging import drafts, edits, scheduled, sending, urgent
from huddle.messaging.access import get_participation
from huddle.messaging.conversation_forms import quick_time


def build_demo_conversation(staff: dict[str, User]) -> None:
    front_desk = sending.send_thread(
        sender=staff["priya"],
        user_ids=[staff["olivia"].pk, staff["leo"].pk],
        subject="Front desk",
        body="My 10 am is here early; could someone let them into Room 2?",
        is_urgent=True,
    )
    first = front_desk.last_message
    if first is None:
        return
    urgent.acknowledge(user=staff["olivia"], entry_id=first.pk)
    olivia = get_participation(staff["olivia"], front_desk.pk)
    reply = sending.send_reply(
        author=staff["olivia"], participation=olivia, body="On it, opening Room 3 now."
    )
    edits.edit_message(editor=staff["olivia"], entry_id=reply.pk, body="On it, opening Room 2 now.")

    drafts.save_reply_draft(
        participation=get_participation(staff["leo"], front_desk.pk),
        body="Thanks, I will also",
    )
    monday = quick_time("monday", staff["grace"].practice)
    if monday is not None:
        scheduled.schedule_thread(
            author=staff["grace"],
            user_ids=[staff["priya"].pk, staff["marcus"].pk],
            subject="Supervision this week",
            body="Good morning! Supervision is at 4 pm today, same room as usual.",
            send_at=monday,
        )
