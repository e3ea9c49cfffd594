"""The demo practice, Riverside Counseling, built through the app's own actions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from huddle.accounts.actions import create_staff
from huddle.accounts.links import first_password
from huddle.accounts.models import Role, User
from huddle.administration.actions import (
    create_location,
    create_practice,
    update_messaging_settings,
)
from huddle.clients.actions import create_client
from huddle.demo.availability import build_demo_availability
from huddle.messaging.conversation_demo import build_demo_conversation
from huddle.messaging.demo import build_demo_client_threads, build_demo_threads
from huddle.practices.models import Practice
from huddle.records.demo import build_demo_records

DEMO_NAME = "Riverside Counseling"
# Demo sign-ins are printed for the person trying Huddle; they are not secrets.
DEMO_PASSWORD = "riverside-demo-2026"  # noqa: S105

ADMIN = ("Dana Whitfield", "admin@riverside.example")
STAFF: list[tuple[str, str, list[Role], list[str]]] = [
    ("Priya Raman", "priya@riverside.example", [Role.CLINICIAN], ["Downtown"]),
    ("Marcus Bell", "marcus@riverside.example", [Role.CLINICIAN], ["Downtown", "Eastside"]),
    ("Elena Ortiz", "elena@riverside.example", [Role.CLINICIAN], ["Eastside"]),
    ("Sam Whitaker", "sam@riverside.example", [Role.CLINICIAN, Role.SUPERVISOR], ["Eastside"]),
    ("Grace Kim", "grace@riverside.example", [Role.SUPERVISOR], ["Downtown"]),
    ("Noah Fischer", "noah@riverside.example", [Role.CLINICAL_ADMIN], ["Downtown"]),
    ("Aisha Grant", "aisha@riverside.example", [Role.CLINICAL_ADMIN, Role.CLINICIAN], ["Eastside"]),
    ("Leo Martin", "leo@riverside.example", [Role.BILLER], []),
    ("Hannah Cole", "hannah@riverside.example", [Role.BILLER], []),
    ("Olivia Reyes", "olivia@riverside.example", [Role.SCHEDULER], ["Downtown"]),
    ("Ben Carter", "ben@riverside.example", [Role.SCHEDULER], ["Eastside"]),
    ("Ruth Mendel", "ruth@riverside.example", [Role.PRACTICE_ADMIN, Role.BILLER], []),
]
CLIENTS: list[tuple[str, str, list[str]]] = [
    ("Jordan Avery", "jordan.avery@client.example", ["priya@riverside.example"]),
    ("Casey Morgan", "casey.morgan@client.example", ["marcus@riverside.example"]),
    (
        "Riley Chen",
        "riley.chen@client.example",
        ["elena@riverside.example", "sam@riverside.example"],
    ),
    ("Taylor Brooks", "taylor.brooks@client.example", ["priya@riverside.example"]),
    ("Morgan Lee", "morgan.lee@client.example", ["aisha@riverside.example"]),
]


@dataclass
class SignIn:
    name: str
    email: str
    roles: str


def demo_exists() -> bool:
    return Practice.objects.filter(name=DEMO_NAME).exists()


def demo_client_sign_ins() -> list[SignIn]:
    return [SignIn(name, email, "Client") for name, email, _ in CLIENTS]


def demo_sign_ins() -> list[SignIn]:
    staff = [SignIn(n, e, ", ".join(r.label for r in roles)) for n, e, roles, _ in STAFF]
    return [SignIn(ADMIN[0], ADMIN[1], "Practice Admin"), *staff]


@transaction.atomic
def build_demo() -> None:
    _practice, admin = create_practice(
        name=DEMO_NAME, admin_name=ADMIN[0], admin_email=ADMIN[1], admin_password=DEMO_PASSWORD
    )
    update_messaging_settings(
        actor=admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    locations = {
        name: create_location(actor=admin, name=name).pk for name in ("Downtown", "Eastside")
    }
    by_email: dict[str, User] = {}
    for name, email, roles, where in STAFF:
        by_email[email] = create_staff(
            actor=admin,
            name=name,
            email=email,
            roles=[r.value for r in roles],
            location_ids=[locations[w] for w in where],
            invite=False,
        )
        # The person's own step, as if they followed their invitation.
        by_email[email] = first_password(user=by_email[email], password=DEMO_PASSWORD)
    short = {email.split("@")[0]: user for email, user in by_email.items()}
    build_demo_threads({**short, "admin": admin}, downtown_id=locations["Downtown"])
    build_demo_conversation(short)  # conversation (F17-F21)
    clients = {}
    for name, email, clinicians in CLIENTS:
        clients[email.split("@")[0]] = create_client(
            actor=admin,
            name=name,
            email=email,
            clinician_ids=[by_email[c].pk for c in clinicians],
            portal_enabled=True,
            invite=False,
        )
        client = clients[email.split("@")[0]]
        client.user = first_password(user=client.user, password=DEMO_PASSWORD)
    build_demo_client_threads(short, clients)
    build_demo_availability(admin, short, clients)
    build_demo_records(admin, clients)
