from __future__ import annotations

from huddle.core.errors import NotFound
from huddle.practices.models import Location, Practice


def list_locations(practice: Practice) -> list[Location]:
    return list(Location.objects.filter(practice=practice).order_by("name", "pk"))


def get_location(practice: Practice, location_id: int) -> Location:
    try:
        return Location.objects.get(practice=practice, pk=location_id)
    except Location.DoesNotExist:
        raise NotFound from None
