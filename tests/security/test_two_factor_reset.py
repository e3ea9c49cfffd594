"""A Practice Admin resets the two-factor sign-in of a staff member or client who
lost their phone and their recovery codes, from that person's Settings page."""

from __future__ import annotations

from django.test import Client as HttpClient
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huddle.accounts.models import User
from huddle.audit.models import Action, AuditEvent
from huddle.twofactor.devices import has_two_factor
from tests.conftest import World
from tests.security.twofactor_steps import turn_on


def signed_in(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_the_staff_page_offers_the_reset_only_while_two_factor_is_on(world: World) -> None:
    admin = signed_in(world.admin)
    url = f"/settings/staff/{world.clinician.pk}"

    before = admin.get(url).content.decode()
    turn_on(world.clinician)
    after = admin.get(url).content.decode()

    assert "Reset two-factor sign-in" not in before
    assert "Two-factor sign-in" in before
    assert "Reset two-factor sign-in" in after


def test_an_admin_resets_a_staff_members_two_factor_and_signs_them_out(world: World) -> None:
    turn_on(world.clinician)
    their_session = signed_in(world.clinician)
    assert their_session.get("/messages/").status_code == 200

    answer = signed_in(world.admin).post(
        f"/settings/staff/{world.clinician.pk}/two-factor/reset", follow=True
    )

    assert answer.status_code == 200
    assert "was reset" in answer.content.decode()
    assert not has_two_factor(world.clinician)
    assert not StaticDevice.objects.filter(user=world.clinician).exists()
    assert their_session.get("/messages/").status_code == 302
    row = AuditEvent.objects.get(action=Action.TWO_FACTOR_RESET)
    assert (row.actor_id, row.object_type, row.object_id) == (
        world.admin.pk,
        "user",
        world.clinician.pk,
    )


def test_an_admin_resets_a_clients_two_factor(world: World) -> None:
    client_user = world.client.user
    turn_on(client_user)

    answer = signed_in(world.admin).post(
        f"/settings/clients/{world.client.pk}/two-factor/reset", follow=True
    )

    assert answer.status_code == 200
    assert not has_two_factor(client_user)


def test_only_an_admin_of_the_same_practice_can_reset(world: World) -> None:
    turn_on(world.clinician)
    url = f"/settings/staff/{world.clinician.pk}/two-factor/reset"

    assert signed_in(world.co_clinician).post(url).status_code == 403
    assert signed_in(world.outsider_admin).post(url).status_code == 404
    assert signed_in(world.admin).get(url).status_code == 405

    assert TOTPDevice.objects.filter(user=world.clinician, confirmed=True).count() == 1
    assert not AuditEvent.objects.filter(action=Action.TWO_FACTOR_RESET).exists()


def test_resetting_someone_without_two_factor_says_so_and_changes_nothing(world: World) -> None:
    answer = signed_in(world.admin).post(
        f"/settings/staff/{world.clinician.pk}/two-factor/reset", follow=True
    )

    assert "Two-factor sign-in is not on." in answer.content.decode()
    assert not AuditEvent.objects.filter(action=Action.TWO_FACTOR_RESET).exists()
