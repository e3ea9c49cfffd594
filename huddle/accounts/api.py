from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import AuthenticationError

from huddle.accounts import actions, queries
from huddle.accounts.access import require_practice_admin
from huddle.accounts.models import User
from huddle.accounts.schemas import (
    LinkSent,
    MeOut,
    StaffIn,
    StaffList,
    StaffOut,
    StaffPatch,
    me_out,
    staff_out,
)
from huddle.core.apitypes import RETRY_AFTER, Error, Limit, parse_path_id
from huddle.core.errors import NotFound

router = Router(tags=["accounts"])


def caller(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user


@router.get("/me", response={200: MeOut, 401: Error})
def me(request: HttpRequest) -> MeOut:
    return me_out(caller(request))


def _staff_or_404(user: User, staff_id: str) -> User:
    pk = parse_path_id(staff_id)
    if pk is None:
        raise NotFound
    return queries.get_staff(user.practice, pk)


@router.get("/staff", response={200: StaffList, 400: Error, 401: Error, 403: Error})
def list_staff(
    request: HttpRequest, cursor: str | None = None, limit: Limit | None = None
) -> StaffList:
    user = caller(request)
    require_practice_admin(user)
    page = queries.list_staff(user.practice, cursor=cursor, limit=limit)
    return StaffList(items=[staff_out(s) for s in page.items], next_cursor=page.next_cursor)


@router.post("/staff", response={201: StaffOut, 400: Error, 401: Error, 403: Error, 409: Error})
def create_staff(request: HttpRequest, payload: StaffIn) -> Status[StaffOut]:
    user = caller(request)
    staff = actions.create_staff(
        actor=user,
        name=payload.name,
        email=payload.email,
        roles=[r.value for r in payload.roles],
        location_ids=payload.location_ids,
        password=payload.password,
    )
    return Status(201, staff_out(queries.get_staff(user.practice, staff.pk)))


@router.get("/staff/{staff_id}", response={200: StaffOut, 401: Error, 403: Error, 404: Error})
def get_staff(request: HttpRequest, staff_id: str) -> StaffOut:
    user = caller(request)
    require_practice_admin(user)
    return staff_out(_staff_or_404(user, staff_id))


@router.patch(
    "/staff/{staff_id}",
    response={200: StaffOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
)
def update_staff(request: HttpRequest, staff_id: str, payload: StaffPatch) -> StaffOut:
    user = caller(request)
    require_practice_admin(user)
    staff = _staff_or_404(user, staff_id)
    actions.update_staff(
        actor=user,
        staff=staff,
        name=payload.name,
        email=payload.email,
        roles=None if payload.roles is None else [r.value for r in payload.roles],
        location_ids=payload.location_ids,
        is_active=payload.is_active,
        password=payload.password,
    )
    return staff_out(queries.get_staff(user.practice, staff.pk))


@router.post(
    "/staff/{staff_id}/sign-in-link",
    response={200: LinkSent, 401: Error, 403: Error, 404: Error, 429: Error},
    openapi_extra=RETRY_AFTER,
)
def staff_sign_in_link(request: HttpRequest, staff_id: str) -> LinkSent:
    """Email the person the link they need (an invitation, an address confirmation
    or a 30-minute password reset); the link itself is never in the answer."""
    user = caller(request)
    require_practice_admin(user)
    person = _staff_or_404(user, staff_id)
    purpose = actions.send_sign_in_link(actor=user, person=person)
    return LinkSent(id=person.pk, sent=True, purpose=purpose)
