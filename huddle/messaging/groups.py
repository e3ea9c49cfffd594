"""Staff groups (F3): made from roles and locations, never edited by hand, always
current. A group exists only while it has two or more active members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from huddle.accounts.models import Kind, Role, User, UserRole
from huddle.practices.models import Location, Practice

LOCATION_PREFIX = "clinicians_location_"


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    members: list[User]


def staff_groups(practice: Practice) -> list[Group]:
    """The practice's groups as of now, with their active members (4 queries).

    Members are loaded with their id and name only, and roles and locations as
    pairs of ids: All Staff of a 500-person practice is a send, and model
    objects for every role and location row cost more than the send's writes."""
    staff = list(
        User.objects.filter(practice=practice, kind=Kind.STAFF, is_active=True)
        .only("id", "name", "practice_id")
        .order_by("name", "pk")
    )
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in UserRole.objects.filter(
        user__practice=practice, user__kind=Kind.STAFF, user__is_active=True
    ).values_list("user_id", "role"):
        roles[user_id].add(role)
    places: dict[int, set[int]] = defaultdict(set)
    for user_id, location_id in User.locations.through.objects.filter(
        location__practice=practice
    ).values_list("user_id", "location_id"):
        places[user_id].add(location_id)
    all_locations = {loc.pk: loc for loc in Location.objects.filter(practice=practice)}
    used = {pk for user in staff for pk in places[user.pk]}
    locations = sorted((all_locations[pk] for pk in used), key=_by_name)

    def with_role(role: Role) -> list[User]:
        return [u for u in staff if role.value in roles[u.pk]]

    clinicians = with_role(Role.CLINICIAN)
    groups = [
        Group("all_staff", "All Staff", staff),
        Group("all_clinicians", "All Clinicians", clinicians),
        Group("all_billers", "All Billers", with_role(Role.BILLER)),
        Group("all_schedulers", "All Schedulers", with_role(Role.SCHEDULER)),
    ]
    if len(all_locations) > 1:
        for loc in locations:
            at_location = [u for u in clinicians if loc.pk in places[u.pk]]
            groups.append(
                Group(f"{LOCATION_PREFIX}{loc.pk}", f"Clinicians - {loc.name}", at_location)
            )
    return [g for g in groups if len(g.members) >= 2]


def _by_name(location: Location) -> tuple[str, int]:
    return (location.name.lower(), location.pk)
