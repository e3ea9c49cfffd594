"""The rough edges of issue #17, item 7: Settings' Secure Messaging checkbox
(F1), the header edit's address, and HEAD."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.administration.actions import update_messaging_settings
from huddle.messaging.actions import start_thread
from huddle.messaging.models import Thread
from huddle.practices.models import Practice
from tests.conftest import World
from tests.pages.helpers import text

SETTINGS = "/settings/secure-messaging"


def settings_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "secure_messaging_enabled": "on",
        "practice_messaging_enabled": "on",
        "auto_archive_days": "30",
        "session_idle_minutes": "30",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_unchecking_only_secure_messaging_turns_both_off(world: World, page_as: Any) -> None:
    page = page_as(world.admin)
    response = page.post(SETTINGS, settings_form(secure_messaging_enabled=None))
    assert response.status_code == 302
    practice = Practice.objects.get(pk=world.practice.pk)
    assert not practice.secure_messaging_enabled
    assert not practice.practice_messaging_enabled


def test_practice_messaging_still_needs_secure_messaging_to_turn_on(
    world: World, page_as: Any
) -> None:
    page = page_as(world.admin)
    page.post(SETTINGS, settings_form(secure_messaging_enabled=None))
    response = page.post(SETTINGS, settings_form(secure_messaging_enabled=None))
    assert response.status_code == 400
    assert "can only be on while Secure Messaging is on" in text(response)
    practice = Practice.objects.get(pk=world.practice.pk)
    assert not practice.practice_messaging_enabled


def test_settings_of_another_practice_are_untouched(world: World, page_as: Any) -> None:
    page_as(world.outsider_admin).post(SETTINGS, settings_form(secure_messaging_enabled=None))
    practice = Practice.objects.get(pk=world.practice.pk)
    assert practice.secure_messaging_enabled
    assert practice.practice_messaging_enabled


def thread_of(world: World) -> Thread:
    return start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claim 2231", body="Hi"
    )


def test_a_failed_header_edit_keeps_an_address_that_reloads(world: World, page_as: Any) -> None:
    thread = thread_of(world)
    page = page_as(world.biller)
    failed = page.post(f"/messages/{thread.pk}/header", {"subject": ""})
    assert failed.status_code == 400
    assert failed["HX-Replace-Url"] == f"/messages/{thread.pk}?edit=1"
    reloaded = page.get(f"/messages/{thread.pk}/header")
    assert reloaded.status_code == 302
    assert reloaded["Location"] == f"/messages/{thread.pk}?edit=1"
    form = page.get(reloaded["Location"])
    assert form.status_code == 200
    assert 'id="header-edit"' in text(form)
    assert "hidden novalidate" not in text(form)  # the form is open
    assert Thread.objects.get(pk=thread.pk).subject == "Claim 2231"


def messaging_on_for_the_outsider(world: World) -> None:
    update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )


def test_the_header_address_is_not_found_for_an_outsider(world: World, page_as: Any) -> None:
    thread = thread_of(world)
    messaging_on_for_the_outsider(world)
    for person in (world.outsider_clinician, world.scheduler):
        assert page_as(person).get(f"/messages/{thread.pk}/header").status_code == 404


@pytest.mark.parametrize("path", ["/signin", "/healthz", "/api/v1/openapi.json"])
@pytest.mark.django_db
def test_head_answers_as_get_signed_out(client: Any, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""


def test_head_answers_as_get_on_the_api_and_pages(world: World, api_as: Any, page_as: Any) -> None:
    thread = thread_of(world)
    page = page_as(world.biller)
    for path in (
        "/messages/",
        f"/messages/{thread.pk}",
        "/api/v1/threads",
        "/api/v1/me/notifications",
    ):
        got = page.get(path)
        head = page.head(path)
        assert (path, head.status_code) == (path, got.status_code)
        assert got.status_code == 200
        assert head.content == b""
        assert int(head["Content-Length"]) == len(got.content) or path.startswith("/messages/")
    # Who may not see a thread still may not, by HEAD too.
    messaging_on_for_the_outsider(world)
    outsider = page_as(world.outsider_clinician)
    assert outsider.head(f"/messages/{thread.pk}").status_code == 404
    assert outsider.head(f"/api/v1/threads/{thread.pk}").status_code == 404


def test_head_on_the_event_stream_is_still_refused(world: World, page_as: Any) -> None:
    assert page_as(world.biller).head("/api/v1/events").status_code == 405
