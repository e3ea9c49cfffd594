from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field, StrictBool, StrictStr

from huddle.accounts import counters
from huddle.accounts.models import Role, User
from huddle.core import limits
from huddle.core.apitypes import NO_NUL, Id, Input

RoleName = Role


class TokenIn(Input):
    email: StrictStr = Field(max_length=limits.EMAIL_MAX, json_schema_extra=NO_NUL)
    password: StrictStr = Field(max_length=limits.PASSWORD_MAX, json_schema_extra=NO_NUL)
    otp: StrictStr | None = Field(default=None, max_length=32, json_schema_extra=NO_NUL)


class PracticeRef(Schema):
    id: Id
    name: str


class Unread(Schema):
    practice: int
    clients: int


class MeOut(Schema):
    id: Id
    name: str
    email: str
    kind: str
    roles: list[str]
    practice: PracticeRef
    unread: Unread


class TokenOut(Schema):
    token: str
    expires_at: datetime
    user: MeOut


class StaffOut(Schema):
    id: Id
    name: str
    email: str
    roles: list[RoleName]
    location_ids: list[Id]
    is_active: bool
    created_at: datetime
    # security: the address waits for its owner's confirmation (an invitation or a
    # confirmation link was emailed to it); `password_set`: they chose a password.
    email_confirmed: bool
    password_set: bool


class StaffIn(Input):
    name: StrictStr = Field(max_length=limits.NAME_MAX)
    email: StrictStr = Field(max_length=limits.EMAIL_MAX)
    roles: list[RoleName] = Field(min_length=1, max_length=len(Role.values))
    location_ids: list[Id] = Field(default_factory=list, max_length=limits.ID_LIST_MAX)
    password: StrictStr | None = Field(default=None, max_length=limits.PASSWORD_MAX)


class StaffPatch(Input):
    name: StrictStr | None = Field(default=None, max_length=limits.NAME_MAX)
    email: StrictStr | None = Field(default=None, max_length=limits.EMAIL_MAX)
    roles: list[RoleName] | None = Field(default=None, min_length=1, max_length=len(Role.values))
    location_ids: list[Id] | None = Field(default=None, max_length=limits.ID_LIST_MAX)
    is_active: StrictBool | None = None
    password: StrictStr | None = Field(default=None, max_length=limits.PASSWORD_MAX)


class LinkSent(Schema):
    id: Id  # the person's
    sent: bool
    purpose: str  # invitation, confirm_email or reset


class StaffList(Schema):
    items: list[StaffOut]
    next_cursor: str | None


def me_out(user: User) -> MeOut:
    return MeOut(
        id=user.pk,
        name=user.name,
        email=user.email,
        kind=user.kind,
        roles=sorted(user.role_set()),
        practice=PracticeRef(id=user.practice.pk, name=user.practice.name),
        unread=Unread(**counters.unread(user)),
    )


def staff_out(user: User) -> StaffOut:
    return StaffOut(
        id=user.pk,
        name=user.name,
        email=user.shown_email,
        roles=sorted(Role(r) for r in user.role_set()),
        location_ids=sorted(loc.pk for loc in user.locations.all()),
        is_active=user.is_active,
        created_at=user.created_at,
        email_confirmed=not user.pending_email,
        password_set=user.has_usable_password(),
    )
