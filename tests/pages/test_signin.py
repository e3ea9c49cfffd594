"""/signin and /signout: who may sign in, where they land, and that signing out
really ends the session."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient

from huddle.signin.pages import BAD_SIGN_IN
from tests.conftest import PASSWORD, World
from tests.pages.helpers import assert_signin_redirect, text


def sign_in(http: HttpClient, email: str, password: str, next_: str = "") -> Any:
    path = "/signin" + (f"?next={next_}" if next_ else "")
    return http.post(path, {"email": email, "password": password})


def test_sign_in_page_has_labelled_fields_and_button(db: None) -> None:
    response = HttpClient().get("/signin")
    assert response.status_code == 200
    body = text(response)
    assert '<label for="id_email">Email</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert 'type="email"' in body
    assert 'autocomplete="current-password"' in body
    assert '<button type="submit" class="button-primary wide">Sign in</button>' in body


def test_staff_member_signs_in_and_lands_in_the_inbox(world: World) -> None:
    http = HttpClient()
    response = sign_in(http, "CLEO@maple.example", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = http.get("/", follow=True)
    assert home.redirect_chain == [("/messages/", 302)]
    assert "Cleo Clinician" in text(home)
    assert "+ New" in text(home)
    assert int(http.session["_auth_user_id"]) == world.clinician.pk


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("cleo@maple.example", "not the password at all"),
        ("nobody@maple.example", PASSWORD),
        ("cleo@maple.example", ""),
    ],
    ids=["wrong-password", "unknown-email", "empty-password"],
)
def test_failed_sign_in_says_the_same_thing_with_400(
    world: World, email: str, password: str
) -> None:
    http = HttpClient()
    response = sign_in(http, email, password)
    assert response.status_code == 400
    assert "_auth_user_id" not in http.session
    if password:
        assert BAD_SIGN_IN in text(response)
        assert text(response).count(BAD_SIGN_IN) == 1
    else:
        assert "This field is required." in text(response)


def test_wrong_password_and_unknown_email_pages_are_identical(world: World) -> None:
    wrong = sign_in(HttpClient(), "cleo@maple.example", "not the password at all")
    unknown = sign_in(HttpClient(), "nobody@maple.example", "not the password at all")
    strip = [text(r).split('name="csrfmiddlewaretoken"')[0] for r in (wrong, unknown)]
    assert wrong.status_code == unknown.status_code == 400
    assert strip[0] == strip[1]


def test_client_account_cannot_sign_in_to_the_staff_pages(world: World) -> None:
    http = HttpClient()
    response = sign_in(http, "casey@client.example", PASSWORD)
    assert response.status_code == 400
    assert BAD_SIGN_IN in text(response)
    assert "_auth_user_id" not in http.session
    assert_signin_redirect(http.get("/"), "/")


def test_deactivated_staff_member_cannot_sign_in(world: World, page_as: Any) -> None:
    page_as(world.admin).post(f"/settings/staff/{world.biller.pk}/active", {"is_active": "false"})
    http = HttpClient()
    response = sign_in(http, "bill@maple.example", PASSWORD)
    assert response.status_code == 400
    assert BAD_SIGN_IN in text(response)
    assert "_auth_user_id" not in http.session


def test_sign_in_follows_next_on_the_same_site(world: World) -> None:
    response = sign_in(HttpClient(), "ada@maple.example", PASSWORD, next_="/settings/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/settings/staff/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/steal",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_redirects_to_another_site(world: World, target: str) -> None:
    http = HttpClient()
    response = sign_in(http, "ada@maple.example", PASSWORD, next_=target)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" in http.session


def test_signed_out_page_carries_next_through_sign_in(world: World) -> None:
    http = HttpClient()
    first = http.get("/settings/locations/")
    assert first["Location"] == "/signin?next=/settings/locations/"
    response = http.post(first["Location"], {"email": "ada@maple.example", "password": PASSWORD})
    assert response["Location"] == "/settings/locations/"
    assert http.get(response["Location"]).status_code == 200


def test_signed_in_person_opening_sign_in_goes_home(world: World, page_as: Any) -> None:
    response = page_as(world.clinician).get("/signin")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_out_only_by_post(world: World, page_as: Any) -> None:
    http = page_as(world.clinician)
    assert http.get("/signout").status_code == 405
    assert http.get("/messages/").status_code == 200


def test_sign_out_ends_the_session(world: World) -> None:
    http = HttpClient()
    sign_in(http, "cleo@maple.example", PASSWORD)
    session_key = http.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    response = http.post("/signout", follow=True)
    assert response.redirect_chain == [("/signin", 302)]
    assert "You have signed out." in text(response)
    assert not Session.objects.filter(session_key=session_key).exists()
    assert_signin_redirect(http.get("/"), "/")
    # The old cookie, replayed, opens nothing.
    replay = HttpClient()
    assert session_key is not None
    replay.cookies["sessionid"] = session_key
    assert_signin_redirect(replay.get("/"), "/")


def test_sign_out_needs_the_csrf_token(world: World) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(world.clinician)
    assert http.post("/signout").status_code == 403
    assert http.get("/messages/").status_code == 200


def test_sign_out_button_is_a_form_on_every_signed_in_page(world: World, page_as: Any) -> None:
    body = text(page_as(world.clinician).get("/messages/"))
    assert '<form method="post" action="/signout">' in body
    assert ">Sign out</button>" in body
