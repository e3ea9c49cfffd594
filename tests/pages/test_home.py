"""The home page: signed-in staff only, and it says plainly whether messaging is on."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient

from huddle.accounts.actions import update_staff
from huddle.administration.actions import update_messaging_settings
from tests.conftest import World
from tests.pages.helpers import assert_signin_redirect, text


def test_signed_out_home_goes_to_sign_in(db: None) -> None:
    assert_signin_redirect(HttpClient().get("/"), "/")


def test_home_is_the_inbox_while_practice_messaging_is_on(world: World, page_as: Any) -> None:
    response = page_as(world.clinician).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/messages/"


def test_clinician_home_greets_and_hides_admin_links(world: World, page_as: Any) -> None:
    update_messaging_settings(actor=world.admin, practice_messaging_enabled=False)
    response = page_as(world.clinician).get("/")
    assert response.status_code == 200
    body = text(response)
    assert "Welcome, Cleo Clinician" in body
    assert "Practice administration" not in body
    assert 'href="/settings/staff/"' not in body


def test_admin_home_links_every_admin_page(world: World, page_as: Any) -> None:
    update_messaging_settings(actor=world.admin, secure_messaging_enabled=False)
    body = text(page_as(world.admin).get("/"))
    assert "Practice administration" in body
    for href in (
        "/settings/secure-messaging",
        "/settings/locations/",
        "/settings/staff/",
        "/settings/clients/",
    ):
        assert f'href="{href}"' in body


def test_home_says_when_messaging_is_off(world: World, page_as: Any) -> None:
    update_messaging_settings(actor=world.admin, secure_messaging_enabled=False)
    clinician_view = text(page_as(world.clinician).get("/"))
    assert "Secure Messaging is off for Maple Counseling." in clinician_view
    assert "A Practice Admin can turn it on" in clinician_view
    admin_view = text(page_as(world.admin).get("/"))
    assert "Turn it on in" in admin_view


def test_home_says_when_only_practice_messaging_is_off(world: World, page_as: Any) -> None:
    update_messaging_settings(actor=world.admin, practice_messaging_enabled=False)
    body = text(page_as(world.scheduler).get("/"))
    assert "Practice Messaging (between staff) is off." in body


def test_home_shows_names_escaped(world: World, page_as: Any) -> None:
    update_staff(actor=world.admin, staff=world.biller, name="<script>alert(1)</script>")
    update_messaging_settings(actor=world.admin, practice_messaging_enabled=False)
    world.biller.refresh_from_db()
    raw = page_as(world.biller).get("/").content.decode()
    assert "<script>alert(1)</script>" not in raw
    assert "Welcome, &lt;script&gt;alert(1)&lt;/script&gt;" in raw
