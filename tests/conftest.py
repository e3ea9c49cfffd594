"""Personas shared by every test (STYLE.md 8): a practice with a clinician, a
co-clinician, a biller, a scheduler, a practice admin and a client, and an
outsider practice. Everything is built through the app's own actions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient

from huddle.accounts.actions import create_staff, issue_token
from huddle.accounts.links import first_password
from huddle.accounts.models import User
from huddle.administration.actions import (
    create_location,
    create_practice,
    update_messaging_settings,
)
from huddle.clients.actions import create_client
from huddle.clients.models import Client
from huddle.events import publish
from huddle.events.sse import Delivery
from huddle.practices.models import Location, Practice

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    practice: Practice
    downtown: Location
    eastside: Location
    admin: User
    clinician: User
    co_clinician: User
    biller: User
    scheduler: User
    client: Client
    outsider_practice: Practice
    outsider_admin: User
    outsider_clinician: User
    outsider_client: Client


def with_password(user: User, password: str = PASSWORD) -> User:
    """The person's own first step: they follow their invitation and choose a
    password (accounts/links.py), as every persona has done."""
    return first_password(user=user, password=password)


def client_with_password(client: Client, password: str = PASSWORD) -> Client:
    client.user = with_password(client.user, password)
    return client


def make_world() -> World:
    practice, admin = create_practice(
        name="Maple Counseling",
        admin_name="Ada Admin",
        admin_email="ada@maple.example",
        admin_password=PASSWORD,
    )
    update_messaging_settings(
        actor=admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    downtown = create_location(actor=admin, name="Downtown")
    eastside = create_location(actor=admin, name="Eastside")

    def staff(name: str, email: str, roles: list[str], where: list[Location]) -> User:
        return with_password(
            create_staff(
                actor=admin,
                name=name,
                email=email,
                roles=roles,
                location_ids=[w.pk for w in where],
                invite=False,
            )
        )

    clinician = staff("Cleo Clinician", "cleo@maple.example", ["clinician"], [downtown])
    co_clinician = staff("Cody Clinician", "cody@maple.example", ["clinician"], [eastside])
    biller = staff("Bill Biller", "bill@maple.example", ["biller"], [])
    scheduler = staff("Sky Scheduler", "sky@maple.example", ["scheduler"], [downtown])
    client = client_with_password(
        create_client(
            actor=admin,
            name="Casey Client",
            email="casey@client.example",
            clinician_ids=[clinician.pk],
            portal_enabled=True,
            invite=False,
        )
    )

    other, outsider_admin = create_practice(
        name="Other Practice",
        admin_name="Otto Outsider",
        admin_email="otto@other.example",
        admin_password=PASSWORD,
    )
    outsider_clinician = with_password(
        create_staff(
            actor=outsider_admin,
            name="Olga Outside",
            email="olga@other.example",
            roles=["clinician"],
            invite=False,
        )
    )
    outsider_client = client_with_password(
        create_client(
            actor=outsider_admin,
            name="Oscar Outclient",
            email="oscar@client.example",
            clinician_ids=[outsider_clinician.pk],
            portal_enabled=True,
            invite=False,
        )
    )
    return World(
        practice=practice,
        downtown=downtown,
        eastside=eastside,
        admin=admin,
        clinician=clinician,
        co_clinician=co_clinician,
        biller=biller,
        scheduler=scheduler,
        client=client,
        outsider_practice=other,
        outsider_admin=outsider_admin,
        outsider_clinician=outsider_clinician,
        outsider_client=outsider_client,
    )


@pytest.fixture
def world(db: None) -> World:
    return make_world()


class Api:
    """The JSON API as one user sees it, through a bearer token."""

    def __init__(self, user: User | None) -> None:
        self.http = HttpClient()
        self.headers: dict[str, str] = {}
        if user is not None:
            raw, _ = issue_token(user=user)
            self.headers["Authorization"] = f"Bearer {raw}"

    def call(self, method: str, path: str, body: Any = None, raw: str | None = None) -> Any:
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs: dict[str, Any] = {"headers": self.headers}
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = "application/json"
        return getattr(self.http, method.lower())(f"/api/v1{path}", **kwargs)

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        return self.call("POST", path, body, raw)

    def patch(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        return self.call("PATCH", path, body, raw)

    def delete(self, path: str) -> Any:
        return self.call("DELETE", path)

    def put(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        return self.call("PUT", path, body, raw)


@pytest.fixture
def api_as() -> Any:
    """`api_as(user)` gives that user's view of the API; `api_as(None)` is signed out."""
    return Api


@pytest.fixture
def page_as() -> Any:
    """`page_as(user)` gives a browser-like client signed in as that user."""

    def make(user: User) -> HttpClient:
        http = HttpClient()
        http.force_login(user)
        return http

    return make


@dataclass(frozen=True)
class Sent:
    """One live event as published: its name, who it went to, what it said."""

    event: str
    users: frozenset[int]
    data: dict[str, Any]


@pytest.fixture
def capture_events(monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> Any:
    """`with capture_events() as sent:` runs the block as a committed request
    would (its after-commit work included, as a server process that serves
    streams) and lists, in order, every live event it published, to whom."""

    @contextmanager
    def capture() -> Iterator[list[Sent]]:
        sent: list[Sent] = []

        def record(deliveries: list[Delivery]) -> None:
            sent.extend(Sent(d.event, frozenset(d.users), dict(d.data)) for d in deliveries)

        monkeypatch.setattr(publish, "publish", record)
        monkeypatch.setattr(publish, "listened_to", lambda: True)
        with django_capture_on_commit_callbacks(execute=True):
            yield sent

    return capture
