"""Helpers for the messaging API tests: sending, listing, adding staff, and a
comparable snapshot of everything messaging stores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.messaging.models import Entry, IdempotencyKey, Participant, Thread
from huddle.practices.models import Location
from tests.conftest import Api, World

# Filled by test_messaging_access.py; tests/messaging/conftest.py prints the total.
ACCESS_CELLS: list[str] = []


def send(
    api: Api,
    *,
    users: Iterable[User] = (),
    groups: Sequence[str] = (),
    subject: str = "Claim 2231",
    body: str = "Can you look at this claim?",
) -> Any:
    """POST /threads as `api`'s user; returns the response."""
    recipients = {"users": [str(u.pk) for u in users], "groups": list(groups)}
    return api.post("/threads", {"recipients": recipients, "subject": subject, "body": body})


def sent(api: Api, **kwargs: Any) -> str:
    """Like `send`, asserting 201; returns the new thread's id."""
    response = send(api, **kwargs)
    assert response.status_code == 201, response.content
    thread_id: str = response.json()["id"]
    return thread_id


def listed(api: Api, folder: str = "inbox") -> dict[str, dict[str, Any]]:
    """The caller's threads in a folder of the practice view, by id, in order."""
    response = api.get(f"/threads?view=practice&folder={folder}&limit=200")
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.json()["items"]}


def unread(api: Api) -> int:
    count: int = api.get("/me").json()["unread"]["practice"]
    return count


def add_staff(world: World, name: str, roles: list[str], where: Iterable[Location] = ()) -> User:
    email = name.lower().replace(" ", ".") + "@maple.example"
    return create_staff(
        actor=world.admin,
        name=name,
        email=email,
        roles=roles,
        location_ids=[loc.pk for loc in where],
    )


def state_of(user: User, thread_id: str) -> Participant:
    return Participant.objects.get(user=user, thread_id=int(thread_id))


def backdate(thread_id: str, when: datetime) -> None:
    """As if the thread's last message (and everyone's activity) was at `when`."""
    Participant.objects.filter(thread_id=int(thread_id)).update(activity_at=when)
    Thread.objects.filter(pk=int(thread_id)).update(last_message_at=when)
    Entry.objects.filter(thread_id=int(thread_id)).update(created_at=when)


def stored() -> dict[str, Any]:
    """Everything messaging keeps, in a comparable form."""
    return {
        "threads": list(
            Thread.objects.order_by("pk").values_list(
                "pk", "practice_id", "subject", "group_names", "last_message_id", "last_message_at"
            )
        ),
        "entries": list(
            Entry.objects.order_by("pk").values_list(
                "pk", "thread_id", "kind", "author_id", "body", "old_subject", "new_subject"
            )
        ),
        "participants": list(
            Participant.objects.order_by("pk").values_list(
                "pk", "thread_id", "user_id", "unread_count", "archived", "deleted", "activity_at"
            )
        ),
        "idempotency_keys": list(IdempotencyKey.objects.order_by("pk").values_list("pk", "key")),
    }
