"""The inbox filters (F13): unread only, urgent, a client, an audience, a
participant. They combine with AND, and narrow only what the caller may see
already: each is a condition over the caller's participation `p` and its thread
`t`, added to the inbox page's one statement (messaging.queries.inbox) and to a
search's, so a filtered page costs the same statements as an unfiltered one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from ninja import Schema
from pydantic import Field

from huddle.accounts.models import Kind, User
from huddle.core.apitypes import parse_path_id
from huddle.core.errors import InvalidInput
from huddle.messaging import rules
from huddle.messaging.audiences import visible_clients
from huddle.messaging.checks import AUDIENCE_CHOICES
from huddle.messaging.models import Audience, View

NAMES = ("unread", "urgent", "client_id", "audience", "participant_id")
YES = ("true",)  # as documented (API.md); the page's checkboxes send "true" too
NO = ("false",)
STAFF_ONLY = "This filter is for staff."


class FilterParams(Schema):
    """The filters as query parameters of GET /api/v1/threads (checked by
    `parse_filters`, which names the field of a bad one)."""

    unread: Annotated[str, Field(json_schema_extra={"enum": ["true", "false"]})] | None = None
    urgent: Annotated[str, Field(json_schema_extra={"enum": ["true", "false"]})] | None = None
    client_id: str | None = None
    audience: Annotated[str, Field(json_schema_extra={"enum": list(Audience.values)})] | None = None
    participant_id: str | None = None


@dataclass(frozen=True)
class Filters:
    unread: bool = False
    # Threads with an urgent message (F20) still awaiting the reader's Acknowledge.
    urgent: bool = False
    client_id: int | None = None
    audience: str = ""
    participant_id: int | None = None

    def sql(self) -> tuple[str, list[object]]:
        """The conditions, each beginning with " AND", and their parameters."""
        where = ""
        params: list[object] = []
        if self.unread:
            where += " AND " + rules.UNREAD
        if self.urgent:
            where += " AND p.awaiting_ack > 0"
        if self.client_id is not None:
            where += " AND t.client_id = %s"
            params.append(self.client_id)
        if self.audience:
            where += " AND t.audience = %s"
            params.append(self.audience)
        if self.participant_id is not None:
            where += " AND " + rules.HAS_PARTICIPANT
            params.append(self.participant_id)
        return where, params

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (ids only: never a name)."""
        values: dict[str, str] = {}
        if self.unread:
            values["unread"] = "true"
        if self.urgent:
            values["urgent"] = "true"
        if self.client_id is not None:
            values["client_id"] = str(self.client_id)
        if self.audience:
            values["audience"] = self.audience
        if self.participant_id is not None:
            values["participant_id"] = str(self.participant_id)
        return values

    def __bool__(self) -> bool:
        return bool(self.query())


def _flag(name: str, value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidInput.field(name, "Use true or false.")


def _id(name: str, value: object, message: str) -> int | None:
    if value is None or value == "":
        return None
    pk = parse_path_id(str(value)) if not isinstance(value, bool) else None
    if pk is None:
        raise InvalidInput.field(name, message)
    return pk


def parse_filters(user: User, values: Mapping[str, object]) -> Filters:
    """Filters from URL or JSON values; 400 naming the field for a bad one. An id
    the caller may not see is no error: it matches nothing they may see."""
    audience = str(values.get("audience") or "")
    if audience and audience not in Audience.values:
        raise InvalidInput.field("audience", AUDIENCE_CHOICES)
    filters = Filters(
        unread=_flag("unread", values.get("unread")),
        urgent=_flag("urgent", values.get("urgent")),
        client_id=_id("client_id", values.get("client_id"), "Choose a client by id."),
        audience=audience,
        participant_id=_id(
            "participant_id", values.get("participant_id"), "Choose a person by id."
        ),
    )
    if not user.is_staff_member:
        # Clients see only their own threads, and not who on staff is on them.
        if filters.participant_id is not None:
            raise InvalidInput.field("participant_id", STAFF_ONLY)
        if filters.client_id is not None:
            raise InvalidInput.field("client_id", STAFF_ONLY)
    return filters


def choices(user: User, view: str) -> dict[str, object]:
    """What the inbox page's filter form offers (2 statements at most): the
    practice's staff as participants, and in the Clients view the clients the
    caller may see and the audiences."""
    staff = list(
        User.objects.filter(practice_id=user.practice_id, kind=Kind.STAFF, is_active=True)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    found: dict[str, object] = {"participants": staff, "clients": [], "audiences": []}
    if view == View.CLIENTS:
        found["clients"] = list(
            visible_clients(user).order_by("user__name", "pk").values_list("pk", "user__name")
        )
        found["audiences"] = list(Audience.choices)
    return found
