from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field, StrictBool, StrictStr

from huddle.clients.models import Client
from huddle.core import limits
from huddle.core.apitypes import Id, Input


class ClientOut(Schema):
    id: Id
    name: str
    email: str
    clinician_ids: list[Id]
    portal_enabled: bool
    messaging: str  # "on", "reply_only" or "off" (availability, F24)
    email_confirmed: bool  # security: see StaffOut
    password_set: bool


class ClientIn(Input):
    name: StrictStr = Field(max_length=limits.NAME_MAX)
    email: StrictStr = Field(max_length=limits.EMAIL_MAX)
    clinician_ids: list[Id] = Field(default_factory=list, max_length=limits.ID_LIST_MAX)
    portal_enabled: StrictBool = False
    password: StrictStr | None = Field(default=None, max_length=limits.PASSWORD_MAX)


class ClientPatch(Input):
    name: StrictStr | None = Field(default=None, max_length=limits.NAME_MAX)
    email: StrictStr | None = Field(default=None, max_length=limits.EMAIL_MAX)
    clinician_ids: list[Id] | None = Field(default=None, max_length=limits.ID_LIST_MAX)
    portal_enabled: StrictBool | None = None
    password: StrictStr | None = Field(default=None, max_length=limits.PASSWORD_MAX)
    messaging: Literal["on", "reply_only", "off"] | None = None


class ClientList(Schema):
    items: list[ClientOut]
    next_cursor: str | None


def client_out(client: Client) -> ClientOut:
    return ClientOut(
        id=client.pk,
        name=client.user.name,
        email=client.user.shown_email,
        clinician_ids=sorted(c.pk for c in client.clinicians.all()),
        portal_enabled=client.user.is_active,
        messaging=client.messaging,
        email_confirmed=not client.user.pending_email,
        password_set=client.user.has_usable_password(),
    )
