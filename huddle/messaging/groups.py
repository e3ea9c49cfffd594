"""Staff groups (F3): made from roles and locations, never edited by hand, always
current. A group exists only while it has two or more active members."""

from __future__ import annotations

from dataclasses import dataclass

from huddle.accounts.models import Kind, Role, User
from huddle.practices.models import Location, Practice

LOCATION_PREFIX = "clinicians_location_"


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    members: list[User]


def staff_groups(practice: Practice) -> list[Group]:
    """The practice's groups as of now, with their active members (3 queries)."""
    staff = list(
        User.objects.filter(practice=practice, kind=Kind.STAFF, is_active=True)
        .prefetch_related("roles", "locations")
        .order_by("name", "pk")
    )
    locations = sorted({loc for user in staff for loc in user.locations.all()}, key=_by_name)
    location_count = Location.objects.filter(practice=practice).count()

    def with_role(role: Role) -> list[User]:
        return [u for u in staff if role.value in u.role_set()]

    clinicians = with_role(Role.CLINICIAN)
    groups = [
        Group("all_staff", "All Staff", staff),
        Group("all_clinicians", "All Clinicians", clinicians),
        Group("all_billers", "All Billers", with_role(Role.BILLER)),
        Group("all_schedulers", "All Schedulers", with_role(Role.SCHEDULER)),
    ]
    if location_count > 1:
        for loc in locations:
            at_location = [u for u in clinicians if loc in u.locations.all()]
            groups.append(
                Group(f"{LOCATION_PREFIX}{loc.pk}", f"Clinicians - {loc.name}", at_location)
            )
    return [g for g in groups if len(g.members) >= 2]


def _by_name(location: Location) -> tuple[str, int]:
    return (location.name.lower(), location.pk)
