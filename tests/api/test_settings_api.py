"""GET/PATCH /api/v1/practice/settings: the messaging switches and their rules."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from huddle.administration.actions import update_messaging_settings
from huddle.core import limits
from huddle.practices.models import Practice
from tests.api.helpers import ApiAs, error_of, field_error, snapshot
from tests.conftest import Api, World


@pytest.fixture
def admin(world: World, api_as: ApiAs) -> Api:
    return api_as(world.admin)


def stored(world: World) -> Practice:
    return Practice.objects.get(pk=world.practice.pk)


def test_settings_answer_every_documented_field(world: World, admin: Api) -> None:
    response = admin.get("/practice/settings")

    assert response.status_code == 200
    assert response.json() == {
        "secure_messaging_enabled": True,
        "practice_messaging_enabled": True,
        "auto_archive_days": 30,
        "session_idle_minutes": 30,
        "require_two_factor": False,
        "client_read_receipts": False,
        "urgent_escalation_minutes": 15,
    }


def test_patching_settings_stores_them_and_answers_the_new_state(world: World, admin: Api) -> None:
    body = {"auto_archive_days": 60, "session_idle_minutes": 90, "require_two_factor": True}

    response = admin.patch("/practice/settings", body)

    assert response.status_code == 200
    assert response.json() == {
        "secure_messaging_enabled": True,
        "practice_messaging_enabled": True,
        "client_read_receipts": False,
        "urgent_escalation_minutes": 15,
        **body,
    }
    practice = stored(world)
    assert practice.auto_archive_days == 60
    assert practice.session_idle_minutes == 90
    assert practice.require_two_factor is True


def test_enabling_practice_messaging_while_secure_messaging_is_off_is_400(
    world: World, admin: Api
) -> None:
    update_messaging_settings(actor=world.admin, secure_messaging_enabled=False)
    before = snapshot()

    response = admin.patch(
        "/practice/settings", {"practice_messaging_enabled": True, "auto_archive_days": 14}
    )

    message = field_error(response, "practice_messaging_enabled")
    assert "Secure Messaging" in message
    assert snapshot() == before
    practice = stored(world)
    assert practice.practice_messaging_enabled is False
    assert practice.auto_archive_days == 30


def test_enabling_practice_messaging_while_turning_secure_messaging_off_is_400(
    world: World, admin: Api
) -> None:
    before = snapshot()

    response = admin.patch(
        "/practice/settings",
        {"secure_messaging_enabled": False, "practice_messaging_enabled": True},
    )

    field_error(response, "practice_messaging_enabled")
    assert snapshot() == before
    assert stored(world).secure_messaging_enabled is True


def test_turning_secure_messaging_off_turns_both_off(world: World, admin: Api) -> None:
    response = admin.patch("/practice/settings", {"secure_messaging_enabled": False})

    assert response.status_code == 200
    assert response.json()["secure_messaging_enabled"] is False
    assert response.json()["practice_messaging_enabled"] is False
    practice = stored(world)
    assert practice.secure_messaging_enabled is False
    assert practice.practice_messaging_enabled is False


def test_practice_messaging_can_be_turned_off_alone(world: World, admin: Api) -> None:
    response = admin.patch("/practice/settings", {"practice_messaging_enabled": False})

    assert response.status_code == 200
    practice = stored(world)
    assert practice.secure_messaging_enabled is True
    assert practice.practice_messaging_enabled is False


@pytest.mark.parametrize("days", limits.AUTO_ARCHIVE_DAYS)
def test_auto_archive_accepts_14_30_and_60_days(world: World, admin: Api, days: int) -> None:
    response = admin.patch("/practice/settings", {"auto_archive_days": days})

    assert response.status_code == 200
    assert response.json()["auto_archive_days"] == days
    assert stored(world).auto_archive_days == days


@pytest.mark.parametrize("days", [45, 0, -14, 15, 600, "30", 30.5, True, None, [30]])
def test_auto_archive_refuses_other_values(world: World, admin: Api, days: object) -> None:
    before = snapshot()

    response = admin.patch("/practice/settings", {"auto_archive_days": days})

    if days is None:
        # null in a PATCH leaves the value as it is.
        assert response.status_code == 200
    else:
        field_error(response, "auto_archive_days")
    assert snapshot() == before


@pytest.mark.parametrize("minutes", [limits.SESSION_IDLE_MIN, limits.SESSION_IDLE_MAX])
def test_session_idle_minutes_accepts_its_limits(world: World, admin: Api, minutes: int) -> None:
    response = admin.patch("/practice/settings", {"session_idle_minutes": minutes})

    assert response.status_code == 200
    assert response.json()["session_idle_minutes"] == minutes
    assert stored(world).session_idle_minutes == minutes


@pytest.mark.parametrize(
    "minutes",
    [limits.SESSION_IDLE_MIN - 1, limits.SESSION_IDLE_MAX + 1, 0, -5, 10**30, "30", 30.5],
)
def test_session_idle_minutes_outside_its_range_is_400(
    world: World, admin: Api, minutes: object
) -> None:
    before = snapshot()

    response = admin.patch("/practice/settings", {"session_idle_minutes": minutes})

    field_error(response, "session_idle_minutes")
    assert snapshot() == before


@pytest.mark.parametrize(
    "field", ["secure_messaging_enabled", "practice_messaging_enabled", "require_two_factor"]
)
@pytest.mark.parametrize("value", ["yes", "true", 1, 0, [], {}])
def test_a_switch_that_is_not_a_boolean_is_400_naming_it(
    world: World, admin: Api, field: str, value: object
) -> None:
    before = snapshot()

    response = admin.patch("/practice/settings", {field: value})

    field_error(response, field)
    assert snapshot() == before


def test_an_unknown_settings_field_is_400_naming_it(world: World, admin: Api) -> None:
    before = snapshot()

    response = admin.patch("/practice/settings", {"auto_archive_days": 14, "auto_archive": 14})

    field_error(response, "auto_archive")
    assert snapshot() == before


@pytest.mark.parametrize("raw", ["{", '{"auto_archive_days": 14', "auto_archive_days=14", "nul"])
def test_malformed_json_is_400_malformed_json(world: World, admin: Api, raw: str) -> None:
    before = snapshot()

    response = admin.patch("/practice/settings", raw=raw)

    error_of(response, 400, "malformed_json")
    assert snapshot() == before


def test_a_body_over_the_size_limit_is_413(world: World, admin: Api) -> None:
    before = snapshot()
    padding = "x" * (settings.MAX_REQUEST_BYTES + 1)
    raw = json.dumps({"auto_archive_days": 14, "padding": padding})

    response = admin.patch("/practice/settings", raw=raw)

    error_of(response, 413, "too_large")
    assert snapshot() == before


def test_a_body_just_under_the_size_limit_is_read(world: World, admin: Api) -> None:
    # The same request, small enough, is parsed: the unknown field is named, not 413.
    padding = "x" * (settings.MAX_REQUEST_BYTES - 100)
    raw = json.dumps({"padding": padding})

    response = admin.patch("/practice/settings", raw=raw)

    field_error(response, "padding")


def test_signing_in_with_a_body_over_the_size_limit_is_413(world: World, api_as: ApiAs) -> None:
    raw = json.dumps({"email": "ada@maple.example", "password": "x" * settings.MAX_REQUEST_BYTES})

    response = api_as(None).post("/auth/token", raw=raw)

    error_of(response, 413, "too_large")


def test_conversation_settings_are_stored_and_checked(world: World, admin: Api) -> None:
    response = admin.patch(
        "/practice/settings", {"client_read_receipts": True, "urgent_escalation_minutes": 30}
    )
    assert response.status_code == 200, response.content
    practice = stored(world)
    assert (practice.client_read_receipts, practice.urgent_escalation_minutes) == (True, 30)
    for minutes in (0, 1441):
        field_error(
            admin.patch("/practice/settings", {"urgent_escalation_minutes": minutes}),
            "urgent_escalation_minutes",
        )
    assert stored(world).urgent_escalation_minutes == 30
