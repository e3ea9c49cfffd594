"""Threads and people for the records tests, built through the app's actions."""

from __future__ import annotations

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.administration.actions import update_messaging_settings
from huddle.messaging import actions
from huddle.messaging.models import Thread
from tests.conftest import World, with_password


def second_admin(world: World) -> User:
    return with_password(
        create_staff(
            actor=world.admin,
            name="Abe Admin",
            email="abe@maple.example",
            roles=["practice_admin"],
            invite=False,
        )
    )


def staff_thread(world: World, body: str = "Staff meeting moved to 3pm") -> Thread:
    return actions.start_thread(
        sender=world.clinician,
        user_ids=[world.co_clinician.pk, world.biller.pk],
        subject="Team notes",
        body=body,
    )


def client_thread(world: World, body: str = "I need to move my appointment") -> Thread:
    return actions.start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="clinical",
        subject="Appointment",
        body=body,
    )


def outsider_thread(world: World) -> Thread:
    update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    world.outsider_client.user.practice.refresh_from_db()
    return actions.start_client_thread(
        sender=world.outsider_client.user,
        client=world.outsider_client,
        audience="clinical",
        subject="Outsider subject",
        body="Outsider secret body",
    )
