from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field, StrictBool, StrictInt, StrictStr

from huddle.core import limits
from huddle.core.apitypes import NON_BLANK, Id, Input
from huddle.practices.models import Location, Practice


class SettingsOut(Schema):
    secure_messaging_enabled: bool
    practice_messaging_enabled: bool
    auto_archive_days: Literal[14, 30, 60]
    session_idle_minutes: int
    require_two_factor: bool
    client_read_receipts: bool
    urgent_escalation_minutes: int


class SettingsPatch(Input):
    secure_messaging_enabled: StrictBool | None = None
    practice_messaging_enabled: StrictBool | None = None
    auto_archive_days: Literal[14, 30, 60] | None = None
    session_idle_minutes: StrictInt | None = Field(
        default=None, ge=limits.SESSION_IDLE_MIN, le=limits.SESSION_IDLE_MAX
    )
    require_two_factor: StrictBool | None = None
    client_read_receipts: StrictBool | None = None
    urgent_escalation_minutes: StrictInt | None = Field(
        default=None, ge=limits.URGENT_ESCALATION_MIN, le=limits.URGENT_ESCALATION_MAX
    )


class LocationOut(Schema):
    id: Id
    name: str


class LocationIn(Input):
    name: StrictStr = Field(max_length=limits.LOCATION_NAME_MAX, json_schema_extra=NON_BLANK)


class LocationList(Schema):
    items: list[LocationOut]
    next_cursor: str | None


def settings_out(practice: Practice) -> SettingsOut:
    return SettingsOut(
        secure_messaging_enabled=practice.secure_messaging_enabled,
        practice_messaging_enabled=practice.practice_messaging_enabled,
        auto_archive_days=practice.auto_archive_days,  # type: ignore[arg-type]
        session_idle_minutes=practice.session_idle_minutes,
        require_two_factor=practice.require_two_factor,
        client_read_receipts=practice.client_read_receipts,
        urgent_escalation_minutes=practice.urgent_escalation_minutes,
    )


def location_out(location: Location) -> LocationOut:
    return LocationOut(id=location.pk, name=location.name)
