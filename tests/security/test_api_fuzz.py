"""Schemathesis fuzzes every operation of /api/v1/openapi.json (docs/SECURITY_TESTS.md).

Generated requests, valid and invalid, go through Django's WSGI handler in this
process, signed in with a bearer token as a Practice Admin and, in a second pass,
as a client (clients use the same API). Every check schemathesis has runs on
every answer: no 5xx, only documented status codes, content types, headers and
bodies that match the schema, invalid input refused, valid input accepted, no
answer without the token, 405 for undeclared methods. Path ids are half the time
real ones (the caller's own threads, staff and clients, and another practice's),
so the handlers behind the 404 are fuzzed too. The seed is fixed: CI sends the
same requests every run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from pytest_django.fixtures import Settings
from schemathesis.checks import load_all_checks
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.python._constants.orchestrator import make_constants_value_source

from huddle.accounts.actions import issue_token
from huddle.accounts.models import ApiToken, User, hash_token
from huddle.administration.actions import create_location, update_messaging_settings
from huddle.messaging import actions as messaging
from tests.conftest import World

SEED = 20261127
# Where input the schema allows may still be refused with a 400 naming the field,
# because the rule depends on stored data or cannot be said in JSON Schema. Every
# other operation must accept whatever its schema allows.
RULES_BEYOND_THE_SCHEMA = {
    # password strength, an email Django refuses, ids of this practice's
    # locations or clinicians, the last Practice Admin
    "POST /api/v1/staff",
    "PATCH /api/v1/staff/{staff_id}",
    "POST /api/v1/clients",
    "PATCH /api/v1/clients/{client_id}",
    # a cursor is opaque: a made-up one is not valid
    "GET /api/v1/staff",
    "GET /api/v1/clients",
    "GET /api/v1/threads",
    "GET /api/v1/audit",
    # recipients or a client, people of the practice, a team for that client
    "POST /api/v1/threads",
    # the new header equals the old one
    "PATCH /api/v1/threads/{thread_id}",
    # Practice Messaging only with Secure Messaging
    "PATCH /api/v1/practice/settings",
    # clients get no internal messages (one schema for staff and clients)
    "PATCH /api/v1/me/notifications",
    # availability: a known IANA timezone, ranges in order and apart, real dates;
    # an end after the start and after now, a covering colleague of the practice
    "PUT /api/v1/practice/hours",
    "PUT /api/v1/me/away",
    # attachments: ids of the caller's own unsent uploads; a body unless files are
    # attached; a file's type judged from its content
    "POST /api/v1/threads/{thread_id}/messages",
    "POST /api/v1/attachments",
    # records: a reason of 10 to 500 characters once white space is collapsed;
    # a client or thread of this practice; the scope's own id
    "POST /api/v1/exports",
    "POST /api/v1/legal-holds",
    "POST /api/v1/clients/{client_id}/emergency-access",
    # the search text must hold a word of letters or digits; clients filter by no staff
    "POST /api/v1/search",
}
ACCEPTED = ["2xx", "401", "403", "404", "409", "429"]
MAX_EXAMPLES = 12  # per operation and generation mode, after the examples and coverage phases


@dataclass
class Tally:
    """What one pass sent and what came back wrong."""

    user: User
    token: str = ""
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    reports: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        """A live token: the fuzzer itself revokes it (DELETE /auth/token) or ends
        it (a new password for the caller), and then a new one is issued."""
        if not ApiToken.objects.filter(token_hash=hash_token(self.token)).exists():
            self.token, _ = issue_token(user=self.user)
        return {"Authorization": f"Bearer {self.token}"}


def _config(ids: dict[str, list[int]]) -> schemathesis.Config:
    """All phases, all checks, valid and invalid data; real ids half the time."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}},
            "dictionaries": {name: {"values": [str(i) for i in pks]} for name, pks in ids.items()},
            "parameters": {
                f"path.{name}": {"dictionary": name, "probability": 0.5} for name in ids
            },
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {"expected-statuses": ACCEPTED},
            },
            "operations": [
                {
                    "include-name": sorted(RULES_BEYOND_THE_SCHEMA),
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}
                    },
                }
            ],
        }
    )


def _send(case: Case[Any], tally: Tally) -> None:
    tally.operations.add(case.operation.label)
    tally.cases += 1
    headers = tally.headers
    response = case.call(headers=headers)
    tally.statuses[response.status_code] += 1
    try:
        # As `call_and_validate` does, so the checks that resend (without the
        # token, with another method) send what this request sent.
        case.validate_response(response, headers=headers, transport_kwargs={"headers": headers})
    except FailureGroup as group:
        for failure in group.exceptions:
            tally.failures[type(failure).__name__] += 1
        raise


def _fuzz(user: User, ids: dict[str, list[int]]) -> Tally:
    """Every phase (examples, coverage, fuzzing) of every operation; the failures
    of one operation do not stop the others. This is what schemathesis' pytest
    loader (`schemathesis.pytest.from_fixture`) does per operation; that loader
    renames `request.node._nodeid`, which pytest 9 no longer has, hence the loop."""
    tally = Tally(user=user)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", WSGIHandler(), config=_config(ids)
    )
    load_all_checks()
    feedback = FeedbackSources(constants_value_source=make_constants_value_source(schema))
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        test = build_operation_test(
            config=schema.config,
            operation=operation,
            test_func=_send,
            given_kwargs={},
            feedback=feedback,
        )
        try:
            test(tally=tally)
        except (Exception, BaseExceptionGroup) as exc:  # reported below, with all the others
            tally.reports.append(f"{operation.label}: {exc}")
    return tally


def _report(tally: Tally, label: str, capsys: pytest.CaptureFixture[str]) -> None:
    accepted = sum(n for status, n in tally.statuses.items() if status < 300)
    with capsys.disabled():
        print(
            f"\nAPI fuzz ({label}): {len(tally.operations)} operations, {tally.cases} cases "
            f"({accepted} answered 2xx, {tally.statuses[429]} answered 429), "
            f"{tally.failures['ServerError']} server errors, "
            f"{sum(tally.failures.values())} schema violations"
        )
    assert not tally.reports, "\n\n".join(tally.reports)
    assert tally.statuses[429], "the limits were never reached: their 429 went unchecked"
    assert tally.statuses and max(tally.statuses) < 500
    assert len(tally.operations) >= 30  # every operation of the API, none filtered out


@pytest.fixture
def ids(world: World, settings: Settings) -> Iterator[dict[str, list[int]]]:
    """Real ids to aim at: threads of every kind, staff, clients, locations, half of
    them the personas' own and some another practice's. The send limits and the
    sign-in throttle are on and low, so their 429 answers are fuzzed too (the
    limits count in a cache of this test's own)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fuzz"}
    }
    settings.RATE_LIMIT_MESSAGES_PER_MINUTE = 10
    settings.RATE_LIMIT_THREADS_PER_MINUTE = 5
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 5
    settings.SIGNIN_FAILURES_PER_ADDRESS = 10
    staff_thread = messaging.start_thread(
        sender=world.admin, user_ids=[world.clinician.pk], subject="Rota", body="Monday?"
    )
    clinical, administrative = (
        messaging.start_client_thread(
            sender=world.client.user,
            client=world.client,
            audience=audience,
            subject="Next session",
            body="Can we move it?",
        )
        for audience in ("clinical", "administrative")
    )
    world.outsider_clinician.practice = update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True
    )
    elsewhere = messaging.start_client_thread(
        sender=world.outsider_clinician,
        client=world.outsider_client,
        audience="clinical",
        subject="Elsewhere",
        body="Not yours.",
    )
    outside = create_location(actor=world.outsider_admin, name="Uptown")
    # As Django's test client does: a request must not close the test's
    # connection, whose transaction every generated request runs in.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {
            "thread_id": [staff_thread.pk, clinical.pk, administrative.pk, elsewhere.pk],
            "staff_id": [world.clinician.pk, world.admin.pk, world.outsider_clinician.pk],
            "client_id": [world.client.pk, world.outsider_client.pk],
            "location_id": [world.downtown.pk, outside.pk],
        }
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        caches["default"].clear()


def test_fuzz_as_practice_admin(
    world: World, ids: dict[str, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    _report(_fuzz(world.admin, ids), "staff admin", capsys)


def test_fuzz_as_client(
    world: World, ids: dict[str, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    _report(_fuzz(world.client.user, ids), "client", capsys)
