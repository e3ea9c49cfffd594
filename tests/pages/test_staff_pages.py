"""Settings > Staff: the list, adding, editing, deactivating and reactivating."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from huddle.accounts.actions import LAST_ADMIN, create_staff
from huddle.accounts.models import User
from huddle.signin.pages import BAD_SIGN_IN
from tests.conftest import PASSWORD, World, with_password
from tests.pages.helpers import field_error, text
from tests.security.links import choose_password_from_email

NEW = "/settings/staff/new"


def new_staff(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Nora Newhire",
        "email": "nora@maple.example",
        "roles": ["clinician", "supervisor"],
        "locations": [str(world.eastside.pk)],
    }
    data.update(overrides)
    return data


def edit_form(member: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": member.name,
        "email": member.email,
        "roles": sorted(member.role_set()),
        "locations": [str(loc.pk) for loc in member.locations.all()],
    }
    data.update(overrides)
    return data


def test_staff_list_shows_everyone_with_roles_locations_and_status(
    world: World, page_as: Any
) -> None:
    body = text(page_as(world.admin).get("/settings/staff/"))
    for name in ("Ada Admin", "Cleo Clinician", "Cody Clinician", "Bill Biller", "Sky Scheduler"):
        assert name in body
    assert f'<a href="/settings/staff/{world.clinician.pk}">Cleo Clinician</a>' in body
    assert '<span class="tag">Practice Admin</span>' in body
    assert '<span class="tag">Clinician</span>' in body
    assert "Downtown" in body
    assert "Casey Client" not in body  # clients are not staff
    assert "Otto Outsider" not in body
    assert body.count(">Active</span>") == 5


def test_admin_adds_a_staff_member_who_chooses_a_password_then_signs_in(
    world: World, page_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    http = page_as(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(NEW, new_staff(world))
    assert response.status_code == 302
    assert response["Location"] == "/settings/staff/"
    member = User.objects.get(pending_email="nora@maple.example")
    assert member.practice_id == world.practice.pk
    assert member.role_set() == {"clinician", "supervisor"}
    assert list(member.locations.all()) == [world.eastside]
    assert "Nora Newhire was added and invited" in text(http.get("/settings/staff/"))
    # Nora follows her invitation and chooses her own password.
    choose_password_from_email(HttpClient(), "nora@maple.example", PASSWORD)
    signin = HttpClient().post("/signin", {"email": "nora@maple.example", "password": PASSWORD})
    assert signin.status_code == 302


def test_staff_added_cannot_sign_in_before_their_invitation(world: World, page_as: Any) -> None:
    response = page_as(world.admin).post(NEW, new_staff(world))
    assert response.status_code == 302
    assert not User.objects.get(pending_email="nora@maple.example").has_usable_password()
    signin = HttpClient().post("/signin", {"email": "nora@maple.example", "password": PASSWORD})
    assert signin.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "n" * 121}, "Ensure this value has at most 120 characters (it has 121)."),
        ({"name": "   "}, "Enter a name."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"roles": []}, "Choose at least one role."),
        ({"roles": ["overlord"]}, "Select a valid choice. overlord is not one of the"),
    ],
    ids=[
        "name-too-long",
        "name-blank",
        "bad-email",
        "no-role",
        "unknown-role",
    ],
)
def test_adding_staff_with_a_bad_field_answers_400(
    world: World, page_as: Any, overrides: dict[str, Any], message: str
) -> None:
    count = User.objects.count()
    response = page_as(world.admin).post(NEW, new_staff(world, **overrides))
    field_error(response, message)
    assert 'class="field has-error"' in text(response)
    assert User.objects.count() == count


def test_adding_staff_at_another_practices_location_is_refused(world: World, page_as: Any) -> None:
    from huddle.administration.actions import create_location

    elsewhere = create_location(actor=world.outsider_admin, name="Elsewhere")
    response = page_as(world.admin).post(NEW, new_staff(world, locations=[str(elsewhere.pk)]))
    field_error(response, "Select a valid choice.")
    assert not User.objects.filter(pending_email="nora@maple.example").exists()


def test_staff_form_offers_only_this_practices_locations(world: World, page_as: Any) -> None:
    from huddle.administration.actions import create_location

    create_location(actor=world.outsider_admin, name="Elsewhere")
    body = text(page_as(world.admin).get(NEW))
    assert "Downtown" in body
    assert "Elsewhere" not in body
    assert "<legend>Roles</legend>" in body
    assert "<legend>Locations</legend>" in body


def test_admin_edits_roles_locations_and_name(world: World, page_as: Any) -> None:
    path = f"/settings/staff/{world.scheduler.pk}"
    http = page_as(world.admin)
    form_page = text(http.get(path))
    assert 'value="Sky Scheduler"' in form_page
    assert 'value="scheduler"' in form_page
    response = http.post(
        path,
        edit_form(
            world.scheduler,
            name="Sky Skyler",
            roles=["scheduler", "biller"],
            locations=[str(world.downtown.pk), str(world.eastside.pk)],
        ),
    )
    assert response.status_code == 302
    member = User.objects.get(pk=world.scheduler.pk)
    assert member.name == "Sky Skyler"
    assert member.role_set() == {"scheduler", "biller"}
    assert {loc.pk for loc in member.locations.all()} == {world.downtown.pk, world.eastside.pk}
    assert member.check_password(PASSWORD)  # an edit never touches the password


def test_editing_to_a_taken_email_keeps_both_accounts(world: World, page_as: Any) -> None:
    path = f"/settings/staff/{world.biller.pk}"
    response = page_as(world.admin).post(
        path, edit_form(world.biller, name="Bill Renamed", email="sky@maple.example")
    )
    assert response.status_code == 302  # the same answer as for a free address
    member = User.objects.get(pk=world.biller.pk)
    assert (member.name, member.email) == ("Bill Renamed", "bill@maple.example")
    assert member.pending_email == "sky@maple.example"
    assert User.objects.get(email="sky@maple.example") == world.scheduler


def test_last_admin_cannot_drop_their_admin_role(world: World, page_as: Any) -> None:
    path = f"/settings/staff/{world.admin.pk}"
    response = page_as(world.admin).post(path, edit_form(world.admin, roles=["clinician"]))
    field_error(response, LAST_ADMIN)
    assert User.objects.get(pk=world.admin.pk).is_practice_admin


def test_the_staff_form_has_no_password_field(world: World, page_as: Any) -> None:
    """Issue 19, finding 1: a Practice Admin never chooses a colleague's password."""
    for path in (NEW, f"/settings/staff/{world.biller.pk}"):
        assert 'type="password"' not in text(page_as(world.admin).get(path))
    body = text(page_as(world.admin).get(f"/settings/staff/{world.biller.pk}"))
    assert "Send a password reset link" in body


def test_admin_deactivates_then_reactivates_a_staff_member(world: World, page_as: Any) -> None:
    admin = page_as(world.admin)
    clinician = page_as(world.clinician)
    assert clinician.get("/messages/").status_code == 200
    edit = f"/settings/staff/{world.clinician.pk}"
    page = text(admin.get(edit))
    assert f'action="{edit}/active"' in page
    assert 'data-confirm-title="Deactivate Cleo Clinician?"' in page

    response = admin.post(f"{edit}/active", {"is_active": "false"}, follow=True)
    assert response.redirect_chain == [(edit, 302)]
    body = text(response)
    assert "Cleo Clinician was deactivated." in body
    assert "This account is deactivated" in body
    assert ">Reactivate</button>" in body
    assert not User.objects.get(pk=world.clinician.pk).is_active
    # Their open session ends at once, and they cannot sign in again.
    assert clinician.get("/")["Location"] == "/signin?next=/"
    signin = HttpClient().post("/signin", {"email": "cleo@maple.example", "password": PASSWORD})
    assert signin.status_code == 400
    assert BAD_SIGN_IN in text(signin)
    assert "Deactivated" in text(admin.get("/settings/staff/"))

    response = admin.post(f"{edit}/active", {"is_active": "true"}, follow=True)
    assert "Cleo Clinician was reactivated." in text(response)
    assert User.objects.get(pk=world.clinician.pk).is_active
    signin = HttpClient().post("/signin", {"email": "cleo@maple.example", "password": PASSWORD})
    assert signin.status_code == 302


def test_admin_cannot_deactivate_themselves(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    edit = f"/settings/staff/{world.admin.pk}"
    assert "Deactivate</button>" not in text(http.get(edit))
    response = http.post(f"{edit}/active", {"is_active": "false"}, follow=True)
    assert "You cannot deactivate your own account." in text(response)
    assert User.objects.get(pk=world.admin.pk).is_active


def test_deactivating_the_other_admin_is_fine_but_not_the_last(world: World, page_as: Any) -> None:
    second = with_password(
        create_staff(
            actor=world.admin,
            name="Pat Partner",
            email="pat@maple.example",
            roles=["practice_admin"],
            invite=False,
        )
    )
    response = page_as(second).post(
        f"/settings/staff/{world.admin.pk}/active", {"is_active": "false"}
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=world.admin.pk).is_active


def test_active_page_answers_only_post(world: World, page_as: Any) -> None:
    response = page_as(world.admin).get(f"/settings/staff/{world.clinician.pk}/active")
    assert response.status_code == 405
    assert User.objects.get(pk=world.clinician.pk).is_active


def test_staff_names_are_shown_escaped_everywhere(world: World, page_as: Any) -> None:
    evil = "<script>alert(1)</script>"
    http = page_as(world.admin)
    http.post(NEW, new_staff(world, name=evil))
    member = User.objects.get(pending_email="nora@maple.example")
    assert member.name == evil  # stored as typed
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for path in ("/settings/staff/", f"/settings/staff/{member.pk}"):
        raw = http.get(path).content.decode()
        assert evil not in raw
        assert "<script>alert" not in raw
        assert escaped in raw


def test_staff_list_query_count_does_not_grow_with_staff(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    http.get("/settings/staff/")  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert http.get("/settings/staff/").status_code == 200
        return len(queries.captured_queries)

    few = count()
    for i in range(25):
        create_staff(
            actor=world.admin,
            name=f"Extra Person {i:02}",
            email=f"extra{i}@maple.example",
            roles=["clinician", "biller"],
            location_ids=[world.downtown.pk, world.eastside.pk],
        )
    many = count()
    assert many == few
    assert few <= 12
