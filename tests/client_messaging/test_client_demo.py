"""The demo practice (seed_demo) shows Client Messaging: it prints every client's
sign-in, and its clients have threads they can read."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from huddle.accounts.models import User
from huddle.demo.practice import CLIENTS, DEMO_NAME, DEMO_PASSWORD
from huddle.messaging.models import Thread, View
from tests.client_messaging.helpers import client_threads
from tests.conftest import Api


@pytest.mark.django_db
def test_seed_demo_prints_the_client_sign_ins_and_has_client_threads() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert "client" in printed.lower()
    demo_clients = User.objects.filter(practice__name=DEMO_NAME, kind="client")
    assert {u.email for u in demo_clients} == {email for _, email, _ in CLIENTS}
    for _, email, _ in CLIENTS:
        assert email in printed, email
    assert DEMO_PASSWORD in printed

    threads = Thread.objects.filter(practice__name=DEMO_NAME, view=View.CLIENTS)
    assert threads.count() >= 2
    assert {t.audience for t in threads} >= {"clinical", "billing"}
    with_threads = 0
    for user in demo_clients:
        signed_in: Any = Api(None).post(
            "/auth/token", {"email": user.email, "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code == 201, (user.email, signed_in.content)
        api = Api(None)
        api.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
        mine = client_threads(api)
        assert all([p["id"] for p in t["participants"]] == [str(user.pk)] for t in mine.values())
        with_threads += bool(mine)
    assert with_threads >= 2, "several demo clients have threads to read"
