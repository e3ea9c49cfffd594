"""Queuing notifications costs a fixed number of SQL statements, however many
people a message goes to (STYLE.md 6)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.notifications.models import Notification, Preference
from tests.api.helpers import ApiAs
from tests.conftest import World


def add_staff(world: World, n: int, role: str, prefix: str) -> list[User]:
    return [
        create_staff(
            actor=world.admin,
            name=f"{prefix} {i:04}",
            email=f"{prefix}{i}@maple.example",
            roles=[role],
        )
        for i in range(n)
    ]


def test_sending_to_200_people_who_want_email_costs_the_same_as_to_20(
    world: World, api_as: ApiAs
) -> None:
    add_staff(world, 18, "scheduler", "sched")
    add_staff(world, 199, "biller", "bill")
    Preference.objects.bulk_create(
        [
            Preference(user=u, internal_messages=True)
            for u in User.objects.exclude(pk=world.clinician.pk)
        ]
    )
    clinician = api_as(world.clinician)

    def send(group: str, subject: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = clinician.post(
                "/threads",
                {"recipients": {"users": [], "groups": [group]}, "subject": subject, "body": "B"},
            )
        assert response.status_code == 201
        return len(ctx.captured_queries)

    small = send("all_schedulers", "small")
    large = send("all_billers", "large")
    assert small == large
    assert Notification.objects.count() == 19 + 200

    # And a third message to the same people adds no rows: one pending each, so
    # the INSERT … SELECT finds nobody new, in the same one statement.
    again = send("all_billers", "again")
    assert again == large
    assert Notification.objects.count() == 19 + 200


def test_queuing_notifications_is_one_statement_whoever_wants_them(
    world: World, api_as: ApiAs
) -> None:
    add_staff(world, 30, "biller", "bill")
    clinician = api_as(world.clinician)

    def send(subject: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = clinician.post(
                "/threads",
                {
                    "recipients": {"users": [], "groups": ["all_billers"]},
                    "subject": subject,
                    "body": "B",
                },
            )
        assert response.status_code == 201
        return len(ctx.captured_queries)

    send("warm up")
    nobody_wants = send("off")
    Preference.objects.bulk_create(
        [
            Preference(user=u, internal_messages=True)
            for u in User.objects.filter(roles__role="biller")
        ]
    )
    everybody_wants = send("on")
    # One INSERT … SELECT, whether it finds nobody or all 31.
    assert everybody_wants == nobody_wants
    assert Notification.objects.count() == 31
