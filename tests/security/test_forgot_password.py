""" "Forgot password?" for staff (/signin) and clients (/portal/signin): the same
answer for every address, a PHI-free single-use 30-minute link to the owner,
audited and throttled (issue 17, item 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client as HttpClient

from huddle.accounts.links import RESETS_PER_HOUR
from huddle.accounts.models import PasswordLink, User
from huddle.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD, World
from tests.security.links import choose_password_from_email, emails_to

NEW_PASSWORD = "a brand new and long passphrase"


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    """Each test starts with no requests counted from this address."""
    caches["default"].clear()


def forgot(path: str, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return HttpClient().post(path, {"email": email})


def test_the_sign_in_pages_link_to_forgot_password(db: None) -> None:
    assert 'href="/signin/forgot"' in HttpClient().get("/signin").content.decode()
    assert 'href="/portal/signin/forgot"' in HttpClient().get("/portal/signin").content.decode()


@pytest.mark.parametrize(
    ("path", "email", "signin"),
    [
        ("/signin/forgot", "cleo@maple.example", "/signin"),
        ("/portal/signin/forgot", "casey@client.example", "/portal/signin"),
    ],
)
def test_a_person_resets_their_own_password(
    world: World, django_capture_on_commit_callbacks: Any, path: str, email: str, signin: str
) -> None:
    response = forgot(path, email, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == signin
    sent = emails_to(email)
    assert len(sent) == 1
    assert "30 minutes" in sent[0].body
    for name in ("Cleo Clinician", "Casey Client", "Maple Counseling"):
        assert name not in sent[0].body
    http = HttpClient()
    with django_capture_on_commit_callbacks(execute=True):
        chosen = choose_password_from_email(http, email, NEW_PASSWORD)
    assert chosen.status_code == 302
    assert chosen["Location"] == signin
    user = User.objects.get(email=email)
    assert user.check_password(NEW_PASSWORD)
    actions = set(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert {Action.PASSWORD_RESET_REQUESTED, Action.PASSWORD_RESET} <= actions


@pytest.mark.parametrize(
    ("path", "email"),
    [
        ("/signin/forgot", "nobody@nowhere.example"),  # no account
        ("/signin/forgot", "casey@client.example"),  # a client at the staff page
        ("/portal/signin/forgot", "cleo@maple.example"),  # staff at the portal's
    ],
)
def test_the_answer_is_the_same_for_an_address_without_such_an_account(
    world: World, django_capture_on_commit_callbacks: Any, path: str, email: str
) -> None:
    known = forgot(path, "ada@maple.example" if "portal" not in path else "casey@client.example",
                   django_capture_on_commit_callbacks)  # fmt: skip
    unknown = forgot(path, email, django_capture_on_commit_callbacks)

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert emails_to(email) == []
    assert not PasswordLink.objects.filter(user__email=email, used_at__isnull=True).exists()


def test_one_account_gets_at_most_a_few_reset_emails_an_hour(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(RESETS_PER_HOUR + 2):
        response = forgot(
            "/signin/forgot", "cleo@maple.example", django_capture_on_commit_callbacks
        )
        assert response.status_code == 302  # the same answer every time
    assert len(emails_to("cleo@maple.example")) == RESETS_PER_HOUR
    assert User.objects.get(pk=world.clinician.pk).check_password(PASSWORD)


def test_one_address_asking_too_often_gets_429(world: World, settings: Any) -> None:
    http = HttpClient()
    answers = [
        http.post("/signin/forgot", {"email": f"n{i}@nowhere.example"}).status_code
        for i in range(7)
    ]
    assert answers[:5] == [302] * 5
    assert answers[5] == 429
    response = http.post("/signin/forgot", {"email": "x@nowhere.example"})
    assert int(response["Retry-After"]) >= 1
