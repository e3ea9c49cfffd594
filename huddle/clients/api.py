from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from huddle.accounts import actions as account_actions
from huddle.accounts.access import require_practice_admin
from huddle.accounts.api import caller
from huddle.accounts.models import User
from huddle.accounts.schemas import LinkSent
from huddle.clients import actions, queries
from huddle.clients.models import Client
from huddle.clients.schemas import ClientIn, ClientList, ClientOut, ClientPatch, client_out
from huddle.core.apitypes import RETRY_AFTER, Error, Limit, parse_path_id
from huddle.core.errors import NotFound

router = Router(tags=["practice administration"])
# Published with this operationId while it lived in huddle/accounts/api.py (django-ninja
# derives one from the module): kept, so generated clients keep their names.
ACCOUNTS_OPERATION = "huddle_accounts_api_"


def _client_or_404(user: User, client_id: str) -> Client:
    pk = parse_path_id(client_id)
    if pk is None:
        raise NotFound
    return queries.get_client(user.practice, pk)


@router.get("/clients", response={200: ClientList, 400: Error, 401: Error, 403: Error})
def list_clients(
    request: HttpRequest, cursor: str | None = None, limit: Limit | None = None
) -> ClientList:
    user = caller(request)
    require_practice_admin(user)
    page = queries.list_clients(user.practice, cursor=cursor, limit=limit)
    return ClientList(items=[client_out(c) for c in page.items], next_cursor=page.next_cursor)


@router.post("/clients", response={201: ClientOut, 400: Error, 401: Error, 403: Error, 409: Error})
def create_client(request: HttpRequest, payload: ClientIn) -> Status[ClientOut]:
    user = caller(request)
    client = actions.create_client(
        actor=user,
        name=payload.name,
        email=payload.email,
        clinician_ids=payload.clinician_ids,
        portal_enabled=payload.portal_enabled,
        password=payload.password,
    )
    return Status(201, client_out(queries.get_client(user.practice, client.pk)))


@router.get("/clients/{client_id}", response={200: ClientOut, 401: Error, 403: Error, 404: Error})
def get_client(request: HttpRequest, client_id: str) -> ClientOut:
    user = caller(request)
    require_practice_admin(user)
    return client_out(_client_or_404(user, client_id))


@router.patch(
    "/clients/{client_id}",
    response={200: ClientOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
)
def update_client(request: HttpRequest, client_id: str, payload: ClientPatch) -> ClientOut:
    user = caller(request)
    require_practice_admin(user)
    client = _client_or_404(user, client_id)
    actions.update_client(
        actor=user,
        client=client,
        name=payload.name,
        email=payload.email,
        clinician_ids=payload.clinician_ids,
        portal_enabled=payload.portal_enabled,
        password=payload.password,
        messaging=payload.messaging,
    )
    return client_out(queries.get_client(user.practice, client.pk))


@router.post(
    "/clients/{client_id}/sign-in-link",
    response={200: LinkSent, 401: Error, 403: Error, 404: Error, 429: Error},
    openapi_extra=RETRY_AFTER,
    tags=["accounts"],
    operation_id=f"{ACCOUNTS_OPERATION}client_sign_in_link",
)
def client_sign_in_link(request: HttpRequest, client_id: str) -> LinkSent:
    # The API docs show it next to POST /staff/{staff_id}/sign-in-link: the same for a client.
    """The same for a client."""
    user = caller(request)
    require_practice_admin(user)
    person = _client_or_404(user, client_id).user
    purpose = account_actions.send_sign_in_link(actor=user, person=person)
    return LinkSent(id=person.pk, sent=True, purpose=purpose)
