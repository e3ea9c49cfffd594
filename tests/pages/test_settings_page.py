"""Settings > Secure Messaging through the page: what is stored, and the errors."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.administration.actions import NEEDS_SECURE, update_messaging_settings
from huddle.practices.models import Practice
from tests.conftest import World
from tests.pages.helpers import field_error, text

PATH = "/settings/secure-messaging"


def stored(world: World) -> tuple[bool, bool, int, int]:
    p = Practice.objects.get(pk=world.practice.pk)
    return (
        p.secure_messaging_enabled,
        p.practice_messaging_enabled,
        p.auto_archive_days,
        p.session_idle_minutes,
    )


def form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "secure_messaging_enabled": "on",
        "practice_messaging_enabled": "on",
        "auto_archive_days": "30",
        "session_idle_minutes": "30",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_form_shows_the_stored_settings(world: World, page_as: Any) -> None:
    update_messaging_settings(actor=world.admin, auto_archive_days=60, session_idle_minutes=45)
    body = text(page_as(world.admin).get(PATH))
    assert '<label class="check"><input type="checkbox" name="secure_messaging_enabled"' in body
    assert 'id="id_secure_messaging_enabled" checked' in body
    assert 'id="id_practice_messaging_enabled" checked' in body
    assert '<option value="60" selected>' in body
    assert 'value="45"' in body
    for label in (
        "Enable Secure Messaging",
        "Enable Practice Messaging",
        "Auto-archive threads after",
        "Sign out after this many idle minutes",
    ):
        assert label in body


def test_new_practice_starts_with_both_off(world: World, page_as: Any) -> None:
    body = text(page_as(world.outsider_admin).get(PATH))
    assert "checked" not in body
    assert '<option value="30" selected>' in body


def test_admin_changes_auto_archive_and_idle_time(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    response = http.post(PATH, form(auto_archive_days="60", session_idle_minutes="90"))
    assert response.status_code == 302
    assert response["Location"] == PATH
    assert stored(world) == (True, True, 60, 90)
    assert "Secure Messaging settings were saved." in text(http.get(PATH))


def test_turning_practice_messaging_off_keeps_secure_on(world: World, page_as: Any) -> None:
    response = page_as(world.admin).post(PATH, form(practice_messaging_enabled=None))
    assert response.status_code == 302
    assert stored(world)[:2] == (True, False)


def test_turning_secure_messaging_off_turns_both_off(world: World, page_as: Any) -> None:
    response = page_as(world.admin).post(
        PATH, form(secure_messaging_enabled=None, practice_messaging_enabled=None)
    )
    assert response.status_code == 302
    assert stored(world)[:2] == (False, False)


def test_turning_both_on_from_a_new_practice(world: World, page_as: Any) -> None:
    response = page_as(world.outsider_admin).post(PATH, form())
    assert response.status_code == 302
    p = Practice.objects.get(pk=world.outsider_practice.pk)
    assert (p.secure_messaging_enabled, p.practice_messaging_enabled) == (True, True)


def test_practice_messaging_without_secure_messaging_is_refused(world: World, page_as: Any) -> None:
    update_messaging_settings(actor=world.admin, secure_messaging_enabled=False)
    response = page_as(world.admin).post(
        PATH, form(secure_messaging_enabled=None, auto_archive_days="60")
    )
    field_error(response, NEEDS_SECURE)
    assert 'id="id_practice_messaging_enabled_error"' in text(response)
    assert stored(world) == (False, False, 30, 30)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"auto_archive_days": "45"}, "Select a valid choice. 45 is not one of the"),
        ({"auto_archive_days": None}, "This field is required."),
        ({"session_idle_minutes": "1"}, "Ensure this value is greater than or equal to 5."),
        ({"session_idle_minutes": "9999"}, "Ensure this value is less than or equal to 720."),
        ({"session_idle_minutes": "soon"}, "Enter a whole number."),
    ],
    ids=["archive-45", "archive-missing", "idle-too-short", "idle-too-long", "idle-not-number"],
)
def test_bad_values_answer_400_and_store_nothing(
    world: World, page_as: Any, overrides: dict[str, Any], message: str
) -> None:
    response = page_as(world.admin).post(PATH, form(**overrides))
    field_error(response, message)
    assert stored(world) == (True, True, 30, 30)
