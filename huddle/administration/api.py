from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from huddle.accounts.access import require_practice_admin
from huddle.accounts.api import caller
from huddle.administration import actions
from huddle.administration.schemas import (
    LocationIn,
    LocationList,
    LocationOut,
    SettingsOut,
    SettingsPatch,
    location_out,
    settings_out,
)
from huddle.core.apitypes import Error, parse_path_id
from huddle.core.errors import NotFound
from huddle.practices import queries

router = Router(tags=["practice administration"])
# The operationIds these were published with while they lived in huddle/practices/api.py
# (django-ninja derives one from the module): kept, so generated clients keep their names.
OPERATION = "huddle_practices_api_"


@router.get(
    "/practice/settings",
    operation_id=f"{OPERATION}get_settings",
    response={200: SettingsOut, 401: Error, 403: Error},
)
def get_settings(request: HttpRequest) -> SettingsOut:
    user = caller(request)
    require_practice_admin(user)
    return settings_out(user.practice)


@router.patch(
    "/practice/settings",
    operation_id=f"{OPERATION}patch_settings",
    response={200: SettingsOut, 400: Error, 401: Error, 403: Error},
)
def patch_settings(request: HttpRequest, payload: SettingsPatch) -> SettingsOut:
    practice = actions.update_messaging_settings(
        actor=caller(request), **payload.model_dump(exclude_none=True)
    )
    return settings_out(practice)


@router.get(
    "/locations",
    operation_id=f"{OPERATION}list_locations",
    response={200: LocationList, 401: Error, 403: Error},
)
def list_locations(request: HttpRequest) -> LocationList:
    user = caller(request)
    require_practice_admin(user)
    items = [location_out(loc) for loc in queries.list_locations(user.practice)]
    return LocationList(items=items, next_cursor=None)


@router.post(
    "/locations",
    operation_id=f"{OPERATION}create_location",
    response={201: LocationOut, 400: Error, 401: Error, 403: Error, 409: Error},
)
def create_location(request: HttpRequest, payload: LocationIn) -> Status[LocationOut]:
    location = actions.create_location(actor=caller(request), name=payload.name)
    return Status(201, location_out(location))


@router.patch(
    "/locations/{location_id}",
    operation_id=f"{OPERATION}rename_location",
    response={200: LocationOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
)
def rename_location(request: HttpRequest, location_id: str, payload: LocationIn) -> LocationOut:
    user = caller(request)
    require_practice_admin(user)
    pk = parse_path_id(location_id)
    if pk is None:
        raise NotFound
    location = queries.get_location(user.practice, pk)
    return location_out(actions.rename_location(actor=user, location=location, name=payload.name))
