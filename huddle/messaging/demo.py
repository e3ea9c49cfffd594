"""Threads for the demo practice, sent through the app's own actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from huddle.accounts.models import User
from huddle.attachments import demo as demo_files
from huddle.clients.models import Client
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from huddle.messaging.groups import LOCATION_PREFIX
from huddle.messaging.models import Audience, Entry, Participant, Thread


def _backdate(thread: Thread, days: int) -> None:
    """Demo only: make a thread look as if it happened `days` ago."""
    when = timezone.now() - timedelta(days=days)
    Thread.objects.filter(pk=thread.pk).update(created_at=when, last_message_at=when)
    Entry.objects.filter(thread=thread).update(created_at=when)
    Participant.objects.filter(thread=thread).update(activity_at=when)


def build_demo_threads(staff: dict[str, User], downtown_id: int) -> None:
    def send(
        sender: str, subject: str, body: str, *, to: Sequence[str] = (), groups: Sequence[str] = ()
    ) -> Thread:
        return actions.start_thread(
            sender=staff[sender],
            user_ids=[staff[name].pk for name in to],
            group_keys=list(groups),
            subject=subject,
            body=body,
        )

    def answer(author: str, thread: Thread, body: str) -> None:
        actions.reply(
            author=staff[author],
            participation=get_participation(staff[author], thread.pk),
            body=body,
        )

    def read(name: str, thread: Thread) -> None:
        actions.mark_read(participation=get_participation(staff[name], thread.pk))

    old = send(
        "ruth",
        "Q3 billing code changes",
        "The new CPT guidance is in the shared drive. Please review before the end of the quarter.",
        groups=["all_billers"],
    )
    _backdate(old, 45)

    closed = send(
        "olivia",
        "Room 3 closed Friday",
        "Maintenance is fixing the heating in Room 3 on Friday.\nPlease book Room 5 instead.",
        groups=["all_clinicians"],
    )
    actions.edit_header(
        editor=staff["olivia"],
        participation=get_participation(staff["olivia"], closed.pk),
        subject="Room 3 closed Friday afternoon",
    )
    read("priya", closed)
    answer("marcus", closed, "Thanks Olivia, I have moved my 2 pm.")

    holidays = send(
        "admin",
        "Holiday schedule",
        "Hi all,\nThe office closes Dec 24 to Dec 26. The full schedule is at "
        "https://riverside.example/holidays.\nThank you for a great year!",
        groups=["all_staff"],
    )
    read("leo", holidays)
    actions.archive(participation=get_participation(staff["leo"], holidays.pk))

    auth = send(
        "priya",
        "Pre-authorization for a new intake",
        "Could someone check whether the new intake on Tuesday needs a pre-authorization?",
        groups=["all_billers"],
    )
    read("leo", auth)
    answer("leo", auth, "Checking with the payer now; I will update you by noon.")
    answer("priya", auth, "Thank you!")

    consult = send(
        "marcus",
        "Coverage next week",
        "Elena, could you cover my Thursday group session next week?",
        to=["elena"],
    )
    answer("elena", consult, "Yes, happy to. Send me the notes on Wednesday.")

    send(
        "grace",
        "Downtown case conference",
        "Case conference moves to 8:30 on Monday, in the Downtown conference room.",
        groups=[f"{LOCATION_PREFIX}{downtown_id}"],
    )


def build_demo_client_threads(staff: dict[str, User], clients: dict[str, Client]) -> None:
    """Client threads: from clients to their teams, and from staff to clients."""

    def answer(author: User, thread: Thread, body: str) -> None:
        actions.reply(author=author, participation=get_participation(author, thread.pk), body=body)

    jordan = clients["jordan.avery"]
    moved = actions.start_client_thread(
        sender=jordan.user,
        client=jordan,
        audience=Audience.CLINICAL,
        subject="Moving next week's session",
        body="Hi Priya, could we move Tuesday's session to Thursday afternoon?",
    )
    answer(staff["priya"], moved, "Thursday at 3 pm works. See you then!")

    casey = clients["casey.morgan"]
    actions.start_client_thread(
        sender=casey.user,
        client=casey,
        audience=Audience.BILLING,
        subject="Question about my statement",
        body="My statement shows two charges for October 12. Could you check?",
        attachment_ids=[
            demo_files.upload(casey.user, "statement-october.png", demo_files.statement_image())
        ],
    )

    taylor = clients["taylor.brooks"]
    actions.start_client_thread(
        sender=staff["priya"],
        client=taylor,
        audience=Audience.CLINICAL,
        subject="Worksheet for our next session",
        body="Hi Taylor, here is the worksheet we talked about: "
        "https://riverside.example/worksheets/sleep-diary\nBring it along if you can.",
        attachment_ids=[demo_files.upload(staff["priya"], "sleep-diary.pdf", demo_files.WORKSHEET)],
    )
