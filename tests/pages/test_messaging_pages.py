"""The staff inbox pages: inbox, "+ New", a thread, its header, archive and
delete, as participant, non-participant, outsider and signed out."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from huddle.administration.actions import update_messaging_settings
from huddle.messaging import actions
from huddle.messaging.models import Entry, Participant, Thread
from tests.conftest import World
from tests.pages.helpers import assert_not_found, assert_signin_redirect, text


def send(world: World, subject: str = "Claim 2231", body: str = "Hello") -> Thread:
    return actions.start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk, world.scheduler.pk],
        subject=subject,
        body=body,
    )


def compose_post(world: World, token: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "recipients": [f"user:{world.biller.pk}"],
        "subject": "Coverage",
        "body": "Can you cover Friday?",
        "form_token": token,
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("path", ["/messages/", "/messages/new", "/messages/1"])
def test_signed_out_people_are_sent_to_sign_in(db: None, path: str) -> None:
    assert_signin_redirect(Client().get(path), path)


def test_the_inbox_lists_threads_with_a_dot_on_unread_ones(world: World, page_as: Any) -> None:
    thread = send(world, subject="Insurance <b>question</b>")
    page = page_as(world.biller).get("/messages/")
    assert page.status_code == 200
    body = text(page)
    assert "Insurance <b>question</b>" in body  # shown as text...
    assert "Insurance <b>question</b>" not in page.content.decode()  # ...never as HTML
    assert 'aria-label="unread"' in body
    assert f'href="/messages/{thread.pk}"' in body
    assert "Messages, 1 new" in body
    # The sender has read their own message: no dot.
    assert 'aria-label="unread"' not in text(page_as(world.clinician).get("/messages/"))


def test_the_inbox_has_the_practice_and_clients_views_and_both_folders(
    world: World, page_as: Any
) -> None:
    body = text(page_as(world.biller).get("/messages/"))
    for label in ("Practice", "Clients", "Inbox", "Archived", "+ New"):
        assert label in body
    assert page_as(world.biller).get("/messages/?view=nonsense").status_code == 404


def test_new_message_page_has_the_articles_labels(world: World, page_as: Any) -> None:
    page = page_as(world.clinician).get("/messages/new")
    body = text(page)
    assert page.status_code == 200
    for label in (">To<", ">Subject<", ">Message<", "Send Message", "All Staff"):
        assert label in body
    assert "Cleo Clinician</option>" not in body  # the sender is not offered


def test_sending_creates_one_thread_even_when_the_form_is_sent_twice(
    world: World, page_as: Any
) -> None:
    browser = page_as(world.clinician)
    token = str(uuid.uuid4())
    first = browser.post("/messages/new", compose_post(world, token))
    second = browser.post("/messages/new", compose_post(world, token))
    assert first.status_code == 302
    assert second["Location"] == first["Location"]
    assert Thread.objects.filter(subject="Coverage").count() == 1
    thread = Thread.objects.get(subject="Coverage")
    assert first["Location"] == f"/messages/{thread.pk}"
    assert Participant.objects.get(thread=thread, user=world.biller).unread_count == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject": ""}, "This field is required."),
        ({"subject": "x" * 201}, "at most 200 characters"),
        ({"body": "   "}, "Write a message."),
        ({"recipients": []}, "Choose at least one recipient."),
        ({"recipients": ["user:999999"]}, "is not one of the available choices"),
    ],
)
def test_a_message_with_a_problem_is_refused_with_the_reason(
    world: World, page_as: Any, fields: dict[str, Any], message: str
) -> None:
    response = page_as(world.clinician).post(
        "/messages/new", compose_post(world, str(uuid.uuid4()), **fields)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Thread.objects.exists()


def test_opening_a_thread_shows_it_and_marks_it_read_for_that_person_only(
    world: World, page_as: Any
) -> None:
    thread = send(world, body="Line one\nSee https://example.org/a?b=1 <script>x</script>")
    page = page_as(world.biller).get(f"/messages/{thread.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Line one<br>" in html
    assert '<a href="https://example.org/a?b=1" rel="noopener noreferrer"' in html
    assert "<script>x</script>" not in html
    assert "Cleo Clinician" in html and "Sky Scheduler" in html
    assert Participant.objects.get(thread=thread, user=world.biller).unread_count == 0
    assert Participant.objects.get(thread=thread, user=world.scheduler).unread_count == 1


def test_a_reply_from_the_page_is_stored_once_and_new_for_the_others(
    world: World, page_as: Any
) -> None:
    thread = send(world)
    browser = page_as(world.biller)
    data = {"body": "On it", "form_token": str(uuid.uuid4())}
    assert browser.post(f"/messages/{thread.pk}/reply", data).status_code == 302
    assert browser.post(f"/messages/{thread.pk}/reply", data).status_code == 302
    assert Entry.objects.filter(thread=thread, body="On it").count() == 1
    assert Participant.objects.get(thread=thread, user=world.clinician).unread_count == 1
    empty = browser.post(
        f"/messages/{thread.pk}/reply", {"body": "", "form_token": str(uuid.uuid4())}
    )
    assert empty.status_code == 400


def test_editing_the_header_shows_a_notice_to_everyone(world: World, page_as: Any) -> None:
    thread = send(world)
    editor = page_as(world.biller)
    page = editor.get(f"/messages/{thread.pk}")
    assert ">Edit<" in text(page)
    saved = editor.post(f"/messages/{thread.pk}/header", {"subject": "Claim 2231 (paid)"})
    assert saved.status_code == 302
    other = text(page_as(world.scheduler).get(f"/messages/{thread.pk}"))
    assert re.search(
        r"Bill Biller changed the thread header from “Claim 2231” to “Claim 2231 \(paid\)” on ",
        other,
    )
    assert Participant.objects.get(thread=thread, user=world.clinician).unread_count == 0
    refused = editor.post(f"/messages/{thread.pk}/header", {"subject": ""})
    assert refused.status_code == 400
    assert Thread.objects.get(pk=thread.pk).subject == "Claim 2231 (paid)"


def test_archive_and_delete_act_for_that_person_alone(world: World, page_as: Any) -> None:
    thread = send(world)
    biller = page_as(world.biller)
    body = text(biller.get(f"/messages/{thread.pk}"))
    assert "data-confirm" in body and ">Archive<" in body and ">Delete<" in body
    assert biller.post(f"/messages/{thread.pk}/archive").status_code == 302
    assert Participant.objects.get(thread=thread, user=world.biller).archived
    assert not Participant.objects.get(thread=thread, user=world.scheduler).archived
    assert f"/messages/{thread.pk}" in text(biller.get("/messages/?folder=archived"))
    assert f"/messages/{thread.pk}" not in text(biller.get("/messages/?folder=inbox"))
    assert biller.post(f"/messages/{thread.pk}/unarchive").status_code == 302
    assert f"/messages/{thread.pk}" in text(biller.get("/messages/?folder=inbox"))
    assert biller.post(f"/messages/{thread.pk}/delete").status_code == 302
    assert_not_found(biller.get(f"/messages/{thread.pk}"))
    assert page_as(world.scheduler).get(f"/messages/{thread.pk}").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["", "/reply", "/header", "/archive", "/unarchive", "/delete", "/unread"],
)
def test_people_not_on_a_thread_get_404_even_the_practice_admin(
    world: World, page_as: Any, path: str
) -> None:
    thread = send(world)
    update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    before = list(Entry.objects.values_list("pk", flat=True))
    for person in (world.admin, world.co_clinician, world.outsider_admin):
        browser = page_as(person)
        url = f"/messages/{thread.pk}{path}"
        response = browser.get(url) if path == "" else browser.post(url, {"body": "x"})
        assert_not_found(response)
    assert list(Entry.objects.values_list("pk", flat=True)) == before


def test_state_changes_need_post(world: World, page_as: Any) -> None:
    thread = send(world)
    assert page_as(world.biller).get(f"/messages/{thread.pk}/archive").status_code == 405


def test_practice_messaging_off_says_so_and_loses_nothing(world: World, page_as: Any) -> None:
    thread = send(world)
    update_messaging_settings(actor=world.admin, practice_messaging_enabled=False)
    for path in ("/messages/?view=practice", "/messages/new", f"/messages/{thread.pk}"):
        response = page_as(world.biller).get(path)
        assert response.status_code == 403
        assert "Practice Messaging is turned off" in text(response)
    # The inbox itself opens on the Clients view, which stays on.
    assert page_as(world.biller).get("/messages/").status_code == 200
    update_messaging_settings(actor=world.admin, practice_messaging_enabled=True)
    assert f"/messages/{thread.pk}" in text(page_as(world.biller).get("/messages/"))
