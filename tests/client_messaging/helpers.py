"""Helpers for the Client Messaging tests (F10): the extra personas, who a
thread's audience covers, and small wrappers around the messaging API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.administration.actions import update_messaging_settings
from huddle.clients.actions import create_client
from huddle.clients.models import Client
from tests.conftest import Api, World, client_with_password, with_password

# Filled by test_client_access_matrix.py; conftest.py prints the total.
CLIENT_CELLS: list[str] = []

AUDIENCES = ("clinical", "billing", "administrative")


@dataclass
class Cast:
    """The shared world, plus the people Client Messaging needs on top of it."""

    world: World
    supervisor: User
    clinical_admin: User
    lead: User  # clinical_admin and supervisor
    other_client: Client  # a second client of the practice, cared for by co_clinician


def make_cast(world: World) -> Cast:
    def staff(name: str, email: str, roles: list[str]) -> User:
        return with_password(
            create_staff(actor=world.admin, name=name, email=email, roles=roles, invite=False)
        )

    supervisor = staff("Sue Supervisor", "sue@maple.example", ["supervisor"])
    clinical_admin = staff("Carl Clinadmin", "carl@maple.example", ["clinical_admin"])
    lead = staff("Lena Lead", "lena@maple.example", ["clinical_admin", "supervisor"])
    other_client = client_with_password(
        create_client(
            actor=world.admin,
            name="Drew Otherclient",
            email="drew@client.example",
            clinician_ids=[world.co_clinician.pk],
            portal_enabled=True,
            invite=False,
        )
    )
    # The other practice has the feature on too: its people are refused for
    # who they are, not because their practice has messaging off.
    update_messaging_settings(
        actor=world.outsider_admin,
        secure_messaging_enabled=True,
        practice_messaging_enabled=True,
    )
    return Cast(world, supervisor, clinical_admin, lead, other_client)


def start_as_client(
    api: Api, audience: str | None, subject: str = "About my session", body: str = "Hello"
) -> Any:
    """POST /threads as a client: `{audience, subject, body}`."""
    payload: dict[str, Any] = {"subject": subject, "body": body}
    if audience is not None:
        payload["audience"] = audience
    return api.post("/threads", payload)


def start_with_client(
    api: Api,
    client: Client,
    audience: str | None = None,
    subject: str = "Your next session",
    body: str = "Hi, a note from the practice.",
) -> Any:
    """POST /threads as staff: `{client_id, audience?, subject, body}`."""
    payload: dict[str, Any] = {"client_id": str(client.pk), "subject": subject, "body": body}
    if audience is not None:
        payload["audience"] = audience
    return api.post("/threads", payload)


def created(response: Any) -> str:
    assert response.status_code == 201, response.content
    thread_id: str = response.json()["id"]
    return thread_id


def client_threads(api: Api, folder: str = "inbox") -> dict[str, dict[str, Any]]:
    """The caller's threads in a folder of the clients view, by id, in order."""
    response = api.get(f"/threads?view=clients&folder={folder}&limit=200")
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.json()["items"]}


def unread_of(api: Api) -> dict[str, int]:
    """`unread` of GET /me: `{practice: n, clients: n}`."""
    response = api.get("/me")
    assert response.status_code == 200, response.content
    counts: dict[str, int] = response.json()["unread"]
    return counts
