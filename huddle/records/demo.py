"""The demo practice's records: a legal hold on one client's threads, so that
Settings > Records shows one (F15)."""

from __future__ import annotations

from huddle.accounts.models import User
from huddle.clients.models import Client
from huddle.records.retention import place_hold


def build_demo_records(admin: User, clients: dict[str, Client]) -> None:
    place_hold(
        user=admin,
        scope="client",
        client_id=clients["casey.morgan"].pk,
        reason="Records request from the client's insurer; keep until it is resolved.",
    )
