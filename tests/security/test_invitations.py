"""Issue 19, findings 1 and 2: nobody but the person chooses their password
(invitations and reset links by email, single-use, expiring, PHI-free,
audited); role changes are visible; one practice learns nothing of another's
accounts from an address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from huddle.accounts.models import LinkPurpose, PasswordLink, User
from huddle.audit.models import Action, AuditEvent
from huddle.twofactor.devices import has_two_factor
from tests.api.helpers import field_error, snapshot
from tests.conftest import PASSWORD, Api, World
from tests.notifications.conftest import smtp, smtp_server  # noqa: F401 - fixtures
from tests.notifications.smtp import Inbox
from tests.security.links import choose_password_from_email, emails_to, link_in_email

NEW = {"name": "Nia New", "email": "nia@maple.example", "roles": ["clinician"]}
CHOSEN = "nia chose this long passphrase"
NAMES = ("Nia New", "Maple Counseling", "Ada Admin", "Bill Biller", "Casey Client")


def sign_in(email: str, password: str) -> int:
    response = HttpClient().post("/signin", {"email": email, "password": password})
    return int(response.status_code)


def assert_phi_free(message: Any) -> None:
    for name in NAMES:
        assert name not in message.subject + message.body


@pytest.mark.parametrize("path", ["/staff", "/staff/{biller}"])
def test_an_admin_cannot_set_a_staff_password_through_the_api(
    world: World, api_as: Any, path: str
) -> None:
    """Before: PATCH /staff/{id} {"password"} let an admin sign in as a colleague."""
    admin = api_as(world.admin)
    before = snapshot()
    url = path.format(biller=world.biller.pk)
    body = {"password": "an admin chosen passphrase"}
    response = admin.post(url, {**NEW, **body}) if path == "/staff" else admin.patch(url, body)

    field_error(response, "password")
    assert snapshot() == before
    assert sign_in("bill@maple.example", "an admin chosen passphrase") == 400


def test_an_invited_person_chooses_their_own_password_once(
    world: World, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = api_as(world.admin).post("/staff", NEW)
    assert created.status_code == 201
    invitation = emails_to("nia@maple.example")
    assert len(invitation) == 1
    assert_phi_free(invitation[0])
    assert "72 hours" in invitation[0].body
    link = link_in_email("nia@maple.example")
    assert link not in created.content.decode()  # the admin never sees it

    http = HttpClient()
    with django_capture_on_commit_callbacks(execute=True):
        chosen = choose_password_from_email(http, "nia@maple.example", CHOSEN)

    assert chosen.status_code == 302
    assert chosen["Location"] == "/signin"
    nia = User.objects.get(email="nia@maple.example")
    assert nia.pending_email == ""
    assert nia.check_password(CHOSEN)
    assert sign_in("nia@maple.example", CHOSEN) == 302
    used = PasswordLink.objects.get(user=nia, purpose=LinkPurpose.INVITATION)
    assert used.used_at is not None
    actions = list(AuditEvent.objects.filter(object_id=nia.pk).values_list("action", flat=True))
    assert Action.STAFF_ADDED in actions and Action.INVITATION_ACCEPTED in actions
    # Single use: the same link again changes nothing.
    again = HttpClient()
    assert again.get(link).status_code == 302
    refused = again.post("/account/password", {"password": "x" * 20, "again": "x" * 20})
    assert refused.status_code == 400
    assert User.objects.get(pk=nia.pk).check_password(CHOSEN)


def test_a_reset_link_lasts_30_minutes(world: World, api_as: Any, page_as: Any) -> None:
    sent = api_as(world.admin).post(f"/staff/{world.biller.pk}/sign-in-link")
    assert sent.status_code == 200
    assert sent.json()["purpose"] == "reset"
    link = PasswordLink.objects.get(user=world.biller, used_at__isnull=True)
    assert link.purpose == LinkPurpose.RESET
    assert link.expires_at - link.created_at == timedelta(minutes=30)
    PasswordLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())

    http = page_as(world.biller)
    http.session["password_link"] = "whatever"  # a stale session key is no help either
    response = http.get("/account/password")

    assert response.status_code == 400
    assert User.objects.get(pk=world.biller.pk).check_password(PASSWORD)
    row = AuditEvent.objects.get(action=Action.INVITATION_SENT)
    assert (row.actor_id, row.object_id, row.detail) == (world.admin.pk, world.biller.pk, "reset")


def test_another_practices_admin_cannot_send_a_link(world: World, api_as: Any) -> None:
    outsider = api_as(world.outsider_admin)
    before = snapshot()
    response = outsider.post(f"/staff/{world.biller.pk}/sign-in-link")
    assert response.status_code == 404
    assert snapshot() == before


def test_an_address_with_an_account_elsewhere_answers_the_same_and_its_owner_is_told(
    world: World, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Before: 409 "already used" told practice B that the address has an account."""
    admin = api_as(world.outsider_admin)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = admin.post("/staff", {**NEW, "email": "someone.new@other.example"})
        taken = admin.post("/staff", {**NEW, "email": "cleo@maple.example"})

    assert fresh.status_code == taken.status_code == 201
    assert set(fresh.json()) == set(taken.json())
    assert taken.json()["email_confirmed"] is fresh.json()["email_confirmed"] is False
    notice = emails_to("cleo@maple.example")
    assert len(notice) == 1
    assert "/account/link" not in notice[0].body  # no way into Cleo's account
    assert_phi_free(notice[0])
    assert "Other Practice" not in notice[0].body
    cleo = User.objects.get(email="cleo@maple.example")
    assert cleo.practice_id == world.practice.pk and cleo.check_password(PASSWORD)


def test_a_new_address_is_confirmed_by_its_owner(
    world: World, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(world.admin).patch(
            f"/staff/{world.biller.pk}", {"email": "bill.new@maple.example"}
        )
    assert response.status_code == 200
    assert sign_in("bill@maple.example", PASSWORD) == 302  # the old one, until confirmed

    http = HttpClient()
    assert http.get(link_in_email("bill.new@maple.example")).status_code == 302
    confirmed = http.post("/account/password", {})

    assert confirmed.status_code == 302
    assert User.objects.get(pk=world.biller.pk).email == "bill.new@maple.example"
    assert sign_in("bill.new@maple.example", PASSWORD) == 302


def test_a_change_of_roles_is_audited_with_before_and_after_and_told(
    world: World, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from huddle.accounts.actions import create_staff
    from tests.conftest import with_password

    second = with_password(
        create_staff(
            actor=world.admin,
            name="Pat Partner",
            email="pat@maple.example",
            roles=["practice_admin"],
            invite=False,
        )
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # The admin grants themself Clinical Admin: it reaches client threads.
        response = api_as(world.admin).patch(
            f"/staff/{world.admin.pk}", {"roles": ["practice_admin", "clinical_admin"]}
        )

    assert response.status_code == 200
    row = AuditEvent.objects.get(action=Action.STAFF_ROLES_CHANGED)
    assert row.detail == "roles; roles: practice_admin -> clinical_admin,practice_admin"
    told = emails_to(second.email)
    assert len(told) == 1
    assert "Before: Practice Admin" in told[0].body
    assert "Now: Clinical Admin, Practice Admin" in told[0].body
    assert_phi_free(told[0])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api_as(world.admin).patch(f"/staff/{world.biller.pk}", {"roles": ["biller", "scheduler"]})
    assert len(emails_to("bill@maple.example")) == 1  # the person
    assert len(emails_to(second.email)) == 1  # widened: the other admins


def test_a_two_factor_reset_is_emailed_to_the_person(
    world: World, page_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.security.twofactor_steps import turn_on

    turn_on(world.biller)
    assert has_two_factor(world.biller)
    with django_capture_on_commit_callbacks(execute=True):
        response = page_as(world.admin).post(f"/settings/staff/{world.biller.pk}/two-factor/reset")
    assert response.status_code == 302
    assert not has_two_factor(world.biller)
    told = emails_to("bill@maple.example")
    assert len(told) == 1 and "two-factor" in told[0].body
    assert_phi_free(told[0])


def test_invitations_go_out_through_a_real_smtp_server(
    world: World,
    api_as: Any,
    request: pytest.FixtureRequest,
    django_capture_on_commit_callbacks: Any,
) -> None:
    inbox: Inbox = request.getfixturevalue("smtp")
    with django_capture_on_commit_callbacks(execute=True):
        assert api_as(world.admin).post("/staff", NEW).status_code == 201
    assert inbox.wait_for(1)
    assert inbox.recipients == [["nia@maple.example"]]
    message = inbox.messages[0]
    assert message["Subject"] == "Your Huddle account is ready"
    assert "/account/link?token=" in message.get_payload()


def test_the_demo_and_personas_still_sign_in(world: World) -> None:
    """The operator's path: create_practice's first admin and first_password."""
    assert sign_in("ada@maple.example", PASSWORD) == 302
    assert sign_in("cleo@maple.example", PASSWORD) == 302
    assert Api(world.client.user).get("/me").status_code == 200
