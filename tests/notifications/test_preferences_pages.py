"""Staff Profile > Notifications > Secure Messaging, and the portal's page (F8)."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient

from huddle.notifications.models import Preference
from tests.conftest import World


def test_staff_page_shows_the_secure_messaging_checkboxes(world: World, page_as: Any) -> None:
    response = page_as(world.clinician).get("/profile/notifications")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Secure Messaging" in html
    assert "Internal Messages" in html
    assert "Client Messages" in html
    assert 'name="internal_messages"' in html
    assert 'name="client_messages"' in html
    assert "checked" not in html  # staff opt in


def test_the_header_links_to_the_notifications_page(world: World, page_as: Any) -> None:
    html = page_as(world.clinician).get("/messages/").content.decode()
    assert 'href="/profile/notifications"' in html

    portal = page_as(world.client.user).get("/portal/").content.decode()
    assert 'href="/portal/notifications"' in portal


def test_saving_the_staff_page_stores_the_choices(world: World, page_as: Any) -> None:
    http = page_as(world.clinician)

    response = http.post("/profile/notifications", {"internal_messages": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/profile/notifications"
    stored = Preference.objects.get(user=world.clinician)
    assert (stored.internal_messages, stored.client_messages) == (True, False)
    page = http.get("/profile/notifications").content.decode()
    assert "Your notification settings were saved." in page
    assert 'name="internal_messages" id="id_internal_messages" checked' in page

    http.post("/profile/notifications", {"client_messages": "on"})
    stored.refresh_from_db()
    assert (stored.internal_messages, stored.client_messages) == (False, True)


def test_the_client_page_has_one_checkbox_on_by_default(world: World, page_as: Any) -> None:
    http = page_as(world.client.user)

    html = http.get("/portal/notifications").content.decode()

    assert "Email me when I have a new message" in html
    assert "Internal Messages" not in html
    assert 'name="client_messages" id="id_client_messages" checked' in html
    assert world.practice.name in html  # the portal's own header, as on every portal page

    response = http.post("/portal/notifications", {})
    assert response.status_code == 302
    assert response["Location"] == "/portal/notifications"
    assert Preference.objects.get(user=world.client.user).client_messages is False


def test_the_pages_need_the_csrf_token(world: World) -> None:
    for user, path in (
        (world.clinician, "/profile/notifications"),
        (world.client.user, "/portal/notifications"),
    ):
        http = HttpClient(enforce_csrf_checks=True)
        http.force_login(user)

        refused = http.post(path, {"client_messages": "on", "internal_messages": "on"})
        assert refused.status_code == 403

        page = http.get(path)
        token = page.cookies["csrftoken"].value
        accepted = http.post(path, {"client_messages": "on", "csrfmiddlewaretoken": token})
        assert accepted.status_code == 302
    assert Preference.objects.get(user=world.clinician).client_messages is True


def test_each_page_is_for_its_own_kind_of_user(world: World, page_as: Any) -> None:
    assert page_as(world.client.user).get("/profile/notifications").status_code == 404
    assert page_as(world.clinician).get("/portal/notifications").status_code == 404
    assert page_as(world.client.user).post("/profile/notifications", {}).status_code == 404
    assert not Preference.objects.exists()


def test_signed_out_is_sent_to_sign_in(world: World) -> None:
    staff = HttpClient().get("/profile/notifications")
    assert staff.status_code == 302
    assert staff["Location"].startswith("/signin?next=")
    client = HttpClient().get("/portal/notifications")
    assert client["Location"].startswith("/portal/signin?next=")
