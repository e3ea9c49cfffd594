"""The benchmark's data, built through the app's own actions (never raw SQL).

Two practices:
- "Bench Staff": `staff` people (its admin included), every one emailed about new
  messages (the costlier choice); a group thread of `group_members` of them.
- "Bench Inboxes": per inbox size N, a reader on N threads with a partner: the
  reader starts 19 threads in 20 (read), the partner the 20th (unread), so the
  badge has something to count.

Needs Django set up (`python -m bench.build_cli`, or a test's database). Tokens are
issued separately (`issue_tokens`), on every run: they expire, the data is cached.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.db import transaction

from bench.client import ADMIN_PASSWORD
from bench.sizes import Sizes
from huddle.accounts.actions import create_staff, issue_token
from huddle.accounts.models import User
from huddle.administration.actions import create_practice, update_messaging_settings
from huddle.messaging import actions
from huddle.notifications.actions import set_preferences

ROLES = ("clinician", "biller", "scheduler")
BATCH = 500  # actions per transaction while building big inboxes

Progress = Callable[[str], None]


def stderr_progress(line: str) -> None:
    print(f"\r  {line:<70}", end="", file=sys.stderr, flush=True)


def _practice(name: str, domain: str) -> User:
    _, admin = create_practice(
        name=name,
        admin_name=f"{name} Admin",
        admin_email=f"admin@{domain}",
        admin_password=ADMIN_PASSWORD,
    )
    update_messaging_settings(
        actor=admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    return admin


def _staff(admin: User, count: int, domain: str, progress: Progress) -> list[User]:
    people = []
    for i in range(count):
        person = create_staff(
            actor=admin,
            name=f"Staff {i:05}",
            email=f"staff{i}@{domain}",
            roles=[ROLES[i % len(ROLES)]],
        )
        people.append(person)
        if i % 50 == 0:
            progress(f"staff {i}/{count}")
    return people


def _inbox(admin: User, size: int, progress: Progress) -> dict[str, int]:
    domain = "inbox.bench.example"
    reader = create_staff(
        actor=admin, name=f"Reader {size}", email=f"reader{size}@{domain}", roles=["clinician"]
    )
    partner = create_staff(
        actor=admin, name=f"Partner {size}", email=f"partner{size}@{domain}", roles=["biller"]
    )
    reader.practice  # noqa: B018 - load once, not per thread
    partner.practice  # noqa: B018
    for start in range(0, size, BATCH):
        with transaction.atomic():
            for i in range(start, min(size, start + BATCH)):
                sender, to = (partner, reader) if i % 20 == 0 else (reader, partner)
                actions.start_thread(
                    sender=sender, user_ids=[to.pk], subject=f"Inbox thread {i}", body="Hello."
                )
        progress(f"inbox of {size:,}: {min(size, start + BATCH):,} threads")
    return {"reader": reader.pk, "partner": partner.pk}


def build(sizes: Sizes, progress: Progress = stderr_progress) -> dict[str, Any]:
    """Everything the workloads need except tokens; JSON-able ids."""
    admin = _practice("Bench Staff", "staff.bench.example")
    staff = [admin, *_staff(admin, sizes.staff - 1, "staff.bench.example", progress)]
    for i, person in enumerate(staff):
        set_preferences(user=person, internal_messages=True)
        if i % 50 == 0:
            progress(f"email preferences {i}/{len(staff)}")
    members = staff[1 : 1 + sizes.group_members]
    starter = members[0]
    starter.practice  # noqa: B018
    thread = actions.start_thread(
        sender=starter,
        user_ids=[m.pk for m in members[1:]],
        subject="Bench group thread",
        body="The group thread starts.",
    )
    inbox_admin = _practice("Bench Inboxes", "inbox.bench.example")
    inboxes = {str(n): _inbox(inbox_admin, n, progress) for n in sizes.inbox_threads}
    progress("built")
    print(file=sys.stderr)
    return {
        "sizes": sizes.as_dict(),
        "group_thread": thread.pk,
        "members": [m.pk for m in members],
        "fanout_sender": staff[-1].pk,
        "staff": len(staff),
        "inboxes": inboxes,
    }


def issue_tokens(world: dict[str, Any]) -> dict[str, Any]:
    """Bearer tokens for everyone the client acts as."""
    members: list[int] = world["members"]
    senders = members[: world["sizes"]["senders"]]
    listener = members[-1]
    wanted = [*senders, listener, world["fanout_sender"]]
    wanted += [inbox["reader"] for inbox in world["inboxes"].values()]
    users = User.objects.in_bulk(wanted)
    tokens = {pk: issue_token(user=users[pk])[0] for pk in dict.fromkeys(wanted)}
    return {
        "senders": [tokens[pk] for pk in senders],
        "listener": tokens[listener],
        "fanout": tokens[world["fanout_sender"]],
        "readers": {n: tokens[inbox["reader"]] for n, inbox in world["inboxes"].items()},
    }
