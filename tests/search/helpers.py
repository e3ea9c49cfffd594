"""A practice with something to find, and the search API as one person sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huddle.administration.actions import update_messaging_settings
from huddle.messaging import actions
from huddle.messaging.models import Entry, Thread
from tests.conftest import Api, World

SECRET = "ziggurat"  # one word, in one client thread of each practice


@dataclass
class Corpus:
    staff_thread: Thread  # clinician -> biller
    staff_message: Entry
    client_thread: Thread  # the client -> clinical team (the clinician)
    client_message: Entry
    outsider_thread: Thread


def make_corpus(world: World) -> Corpus:
    staff_thread = actions.start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk],
        subject="Claim 2231",
        body="Jordan's claim was billed twice. The rota link is on the wall.",
    )
    client_thread = actions.start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="clinical",
        subject="After the session",
        body=f"I could not sleep after the session; I kept thinking of the {SECRET}.",
    )
    update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    world.outsider_client.user.practice.refresh_from_db()
    outsider_thread = actions.start_client_thread(
        sender=world.outsider_client.user,
        client=world.outsider_client,
        audience="clinical",
        subject="Outside",
        body=f"Another practice's {SECRET}.",
    )
    assert staff_thread.last_message is not None and client_thread.last_message is not None
    return Corpus(
        staff_thread=staff_thread,
        staff_message=staff_thread.last_message,
        client_thread=client_thread,
        client_message=client_thread.last_message,
        outsider_thread=outsider_thread,
    )


def search(api: Api, q: str, **more: Any) -> Any:
    return api.post("/search", {"q": q, **more})


def found(api: Api, q: str, **more: Any) -> list[dict[str, Any]]:
    response = search(api, q, **more)
    assert response.status_code == 200, response.content
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def thread_ids(items: list[dict[str, Any]]) -> set[int]:
    return {int(i["thread"]["id"]) for i in items}


def marked(item: dict[str, Any]) -> list[str]:
    """The highlighted parts of a result's snippet."""
    return [item["snippet"][start:end] for start, end in item["highlights"]]
