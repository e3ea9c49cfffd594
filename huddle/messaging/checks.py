"""What a send is checked against before its transaction: a subject, a body, the
recipients of a new practice thread (resolved now, with their names) and a client
thread's team. The actions, scheduled sends and edits call these."""

from __future__ import annotations

from collections.abc import Iterable

from huddle.accounts.models import Kind, User
from huddle.core import limits, sql
from huddle.core.errors import InvalidInput
from huddle.core.text import clean_line
from huddle.messaging.groups import Member, rosters
from huddle.messaging.models import Audience


def check_subject(subject: str) -> str:
    return clean_line(
        subject, field="subject", max_length=limits.SUBJECT_MAX, empty="Enter a subject."
    )


def check_body(body: str, *, files: Iterable[int] = ()) -> str:
    """A message's text; it may be empty when the message carries files."""
    body = body.replace("\r\n", "\n").strip("\n ")
    if not body.strip() and not list(files):
        raise InvalidInput.field("body", "Write a message.")
    if len(body) > limits.BODY_MAX:
        raise InvalidInput.field("body", f"Use at most {limits.BODY_MAX:,} characters.")
    return body


_ACTIVE_STAFF = (
    "SELECT id, name FROM accounts_user"
    " WHERE practice_id = %s AND kind = %s AND is_active AND id IN ({ids})"
)


def resolve_recipients(
    *, sender: User, user_ids: Iterable[int], group_keys: Iterable[str]
) -> tuple[list[Member], list[str]]:
    """The people a new thread goes to, as of now, as (id, name) in name order,
    and the names of its groups."""
    wanted_ids = set(user_ids)
    wanted_keys = list(dict.fromkeys(group_keys))
    if len(wanted_ids) > limits.RECIPIENTS_MAX:
        raise InvalidInput.field(
            "recipients", f"Send to at most {limits.RECIPIENTS_MAX:,} people at once."
        )
    people: dict[int, str] = {}
    if wanted_ids:
        statement = _ACTIVE_STAFF.format(ids=sql.placeholders(len(wanted_ids)))
        people.update(sql.fetch_all(statement, (sender.practice_id, Kind.STAFF.value, *wanted_ids)))
    if len(people) != len(wanted_ids):
        raise InvalidInput.field(
            "recipients.users", "Choose active staff of your practice as recipients."
        )
    group_names: list[str] = []
    if wanted_keys:
        groups = {g.key: g for g in rosters(sender.practice_id)}
        for key in wanted_keys:
            group = groups.get(key)
            if group is None:
                raise InvalidInput.field("recipients.groups", f"There is no group {key!r}.")
            group_names.append(group.name)
            people.update(group.members)
    people.pop(sender.pk, None)
    if not people:
        raise InvalidInput.field("recipients", "Choose at least one recipient.")
    # The limit counts the people sent to, as the message says; not the sender.
    if len(people) > limits.RECIPIENTS_MAX:
        raise InvalidInput.field(
            "recipients", f"Send to at most {limits.RECIPIENTS_MAX:,} people at once."
        )
    return sorted(people.items(), key=lambda m: (m[1], m[0])), group_names


AUDIENCE_CHOICES = "Choose the clinical, billing or administrative team."


def check_audience(audience: str | None) -> str:
    if audience not in Audience.values:
        raise InvalidInput.field("audience", AUDIENCE_CHOICES)
    return audience
