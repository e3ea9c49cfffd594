"""Staff groups (F3): made from roles and locations, never edited by hand, always
current. A group exists only while it has two or more active members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS

from huddle.accounts.models import Kind, Role, User
from huddle.core import sql
from huddle.practices.models import Practice

LOCATION_PREFIX = "clinicians_location_"

# A staff member as a group holds them: id and name.
Member = tuple[int, str]


@dataclass(frozen=True)
class Roster:
    """A group with its members as (id, name), in name order."""

    key: str
    name: str
    members: list[Member]


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    members: list[User]


# Active staff with their roles, in name order (a person with two roles has two rows).
_STAFF = (
    "SELECT u.id, u.name, r.role FROM accounts_user u"
    " LEFT JOIN accounts_userrole r ON r.user_id = u.id"
    " WHERE u.practice_id = %s AND u.kind = %s AND u.is_active"
    " ORDER BY u.name, u.id"
)
# Every location of the practice, with the people placed there.
_LOCATIONS = (
    "SELECT l.id, l.name, ul.user_id FROM practices_location l"
    " LEFT JOIN accounts_user_locations ul ON ul.location_id = l.id"
    " WHERE l.practice_id = %s"
)


def rosters(practice_id: int) -> list[Roster]:
    """The practice's groups as of now, with their active members (2 statements).

    Plain SQL and (id, name) pairs: All Staff of a 500-person practice is a send,
    and building statements and model objects for every person, role and
    location row cost more than the send's writes."""
    staff: list[Member] = []
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, name, role in sql.fetch_all(_STAFF, (practice_id, Kind.STAFF.value)):
        if not staff or staff[-1][0] != user_id:
            staff.append((user_id, name))
        if role is not None:
            roles[user_id].add(role)
    location_names: dict[int, str] = {}
    places: dict[int, set[int]] = defaultdict(set)
    for location_id, location_name, user_id in sql.fetch_all(_LOCATIONS, (practice_id,)):
        location_names[location_id] = location_name
        if user_id is not None:
            places[user_id].add(location_id)

    def with_role(role: Role) -> list[Member]:
        value = role.value
        return [m for m in staff if value in roles[m[0]]]

    clinicians = with_role(Role.CLINICIAN)
    groups = [
        Roster("all_staff", "All Staff", staff),
        Roster("all_clinicians", "All Clinicians", clinicians),
        Roster("all_billers", "All Billers", with_role(Role.BILLER)),
        Roster("all_schedulers", "All Schedulers", with_role(Role.SCHEDULER)),
    ]
    if len(location_names) > 1:
        used = {pk for user_id, _ in staff for pk in places[user_id]}
        for pk in sorted(used, key=lambda pk: (location_names[pk].lower(), pk)):
            at_location = [m for m in clinicians if pk in places[m[0]]]
            name = f"Clinicians - {location_names[pk]}"
            groups.append(Roster(f"{LOCATION_PREFIX}{pk}", name, at_location))
    return [g for g in groups if len(g.members) >= 2]


def staff_groups(practice: Practice) -> list[Group]:
    """`rosters` with their members as users (loaded with id, practice and name
    only), one object per person, for the pages and the recipients list."""
    users: dict[int, User] = {}

    def user(member: Member) -> User:
        found = users.get(member[0])
        if found is None:
            # As `.only("id", "practice_id", "name")` loads them (in field order).
            values = (member[0], practice.pk, member[1])
            found = User.from_db(DEFAULT_DB_ALIAS, ["id", "practice_id", "name"], values)
            users[member[0]] = found
        return found

    return [Group(r.key, r.name, [user(m) for m in r.members]) for r in rosters(practice.pk)]
