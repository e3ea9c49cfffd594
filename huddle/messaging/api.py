from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.params import functions as param
from ninja.responses import NinjaJSONEncoder
from pydantic import Field, StrictStr

from huddle.accounts.api import caller
from huddle.accounts.models import User
from huddle.core import sql
from huddle.core.apitypes import (
    JSON_CONTENT_TYPE,
    RETRY_AFTER,
    Error,
    Input,
    Limit,
    json_answer,
    parse_path_id,
)
from huddle.core.errors import InvalidInput, NotFound
from huddle.messaging import actions, queries, receipts, scheduled, sending, urgent
from huddle.messaging.access import (
    get_client_for_staff,
    get_participation,
    require_view_enabled,
)
from huddle.messaging.conversation_schemas import ScheduledOut, scheduled_json
from huddle.messaging.filters import FilterParams, parse_filters
from huddle.messaging.idempotency import once
from huddle.messaging.models import Participant, Thread, View
from huddle.messaging.schemas import (
    ClientRecipient,
    GroupRecipient,
    HeaderChangeOut,
    HeaderIn,
    MessageOut,
    Receipt,
    RecipientList,
    ReplyIn,
    ThreadDetail,
    ThreadIn,
    ThreadList,
    ThreadState,
    UserRecipient,
    coverage_out,
    entry_out,
    page_json,
    person,
    snippet,
    state_out,
    summary,
)

router = Router(tags=["messaging"])

IdempotencyHeader = Annotated[str | None, param.Header(alias="Idempotency-Key")]

READ_ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: Error, 413: Error}
# Sending is rate-limited per user: 429 with Retry-After (core/ratelimit.py).
SEND_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 429: Error}


def _participation(request: HttpRequest, thread_id: str) -> Participant:
    pk = parse_path_id(thread_id)
    if pk is None:
        raise NotFound
    return get_participation(caller(request), pk)


def _detail(participation: Participant) -> ThreadDetail:
    cutoff = queries.archive_cutoff(participation.user)
    participants = queries.thread_participants(participation)
    thread = Thread.objects.select_related("last_message__author").get(pk=participation.thread_id)
    participation.thread = thread
    entries = list(queries.timeline(participation))
    # Urgent messages' acknowledgements: 1 statement, only on a thread that has one.
    acks = urgent.acks_for(entries, participants) if participation.user.is_staff_member else {}
    return ThreadDetail(
        **dict(summary(participation, cutoff, participants)),
        timeline=[entry_out(e, acks.get(e.pk)) for e in entries],
        receipts=[
            Receipt(
                user=None if r.user is None else person(r.user), read_up_to=r.read_up_to, at=r.at
            )
            for r in receipts.receipts(participation.user, participants)
        ],
        coverage=coverage_out(participation),
    )


# A thread's participants, in `queries.thread_participants`' order.
_PARTICIPANT_NAMES = (
    "SELECT u.id, u.name FROM messaging_participant p JOIN accounts_user u ON u.id = p.user_id"
    " WHERE p.thread_id = %s ORDER BY u.name, u.id"
)


def _once(
    request: HttpRequest,
    user: User,
    key: str | None,
    run: Callable[[], tuple[int, Any]],
    *,
    thread_field: str,
) -> tuple[int, Any]:
    """`run` at most once per Idempotency-Key, for this request's method and path; a
    replayed answer is given only while the caller may still see the thread it
    names (`thread_field` of the stored answer)."""
    return once(
        user,
        key,
        f"{request.method} {request.path}",
        run,
        recheck=lambda body: get_participation(user, int(body[thread_field])),
    )


def _started(user: User, thread: Thread) -> tuple[dict[str, Any], str]:
    """`_detail` of the practice thread `user` has just started, built from the
    action's own objects and the participants' names in name order (one
    statement; All Staff names hundreds): as `_detail(…).model_dump(mode="json")`
    (what an Idempotency-Key stores), and as the JSON ninja answers for it."""
    entry = thread.last_message
    if entry is None:
        raise NotFound
    out = entry_out(entry)
    # Away notices the send set off (availability), as reading the thread shows them.
    notices = [entry_out(n) for n in getattr(entry, "auto_notices", [])]
    names = sql.fetch_all(_PARTICIPANT_NAMES, (thread.pk,))
    participants = [{"id": str(pk), "name": name} for pk, name in names]
    archived = thread.created_at < queries.archive_cutoff(user)

    def detail(message: dict[str, Any], more: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": str(thread.pk),
            "subject": thread.subject,
            "view": thread.view,
            "client": None,
            "audience": None,
            "participants": participants,
            "groups": list(thread.group_names),
            "last_message": {
                "author": message["author"],
                "snippet": snippet(entry.body),
                "sent_at": message["sent_at"],
            },
            "unread_count": 0,
            "archived": archived,
            "timeline": [message, *more],
            # Nobody else has read a message just sent (read receipts, F17).
            "receipts": [
                {"user": p, "read_up_to": None, "at": None}
                for p in participants
                if p["id"] != str(user.pk)
            ],
            "coverage": [],
        }

    stored = detail(
        out.model_dump(mode="json", by_alias=True),
        [n.model_dump(mode="json", by_alias=True) for n in notices],
    )
    # Ninja dumps its schemas with times as datetimes, for its encoder to write.
    answer = json.dumps(
        detail(out.model_dump(by_alias=True), [n.model_dump(by_alias=True) for n in notices]),
        cls=NinjaJSONEncoder,
    )
    return stored, answer


# Documented choices (the handlers answer 400 naming the field for anything else).
ViewChoice = Annotated[str, Field(json_schema_extra={"enum": ["practice", "clients"]})]
FolderChoice = Annotated[str, Field(json_schema_extra={"enum": ["inbox", "archived"]})]


@router.get("/recipients", response={200: RecipientList, **READ_ERRORS})
def list_recipients(
    request: HttpRequest, q: str = "", view: ViewChoice = "practice"
) -> RecipientList:
    """Whom the caller may write to: staff and groups, or (view=clients) clients.
    `POST /recipients` takes the same in its body, which keeps names typed into
    `q` out of addresses and proxy logs: prefer it."""
    return recipient_list(caller(request), q=q, view=view)


class RecipientQuery(Input):
    q: StrictStr = Field(default="", max_length=200)
    view: ViewChoice = "practice"


@router.post("/recipients", response={200: RecipientList, **READ_ERRORS})
def search_recipients(request: HttpRequest, payload: RecipientQuery) -> RecipientList:
    """The same answer as `GET /recipients`, with the query in the body (security)."""
    return recipient_list(caller(request), q=payload.q, view=payload.view)


def recipient_list(user: User, *, q: str, view: str) -> RecipientList:
    if view == "clients":
        require_view_enabled(user, "clients")
        if not user.is_staff_member:
            raise NotFound
        return RecipientList(
            items=[
                ClientRecipient(id=c.pk, name=c.user.name, audiences=audiences)
                for c, audiences in queries.client_recipients(user, q=q[:100])
            ]
        )
    if view != "practice":
        raise InvalidInput.field("view", "Choose the practice or clients view.")
    require_view_enabled(user, "practice")
    found = queries.recipients(user, q=q[:100])
    items: list[UserRecipient | GroupRecipient | ClientRecipient] = [
        GroupRecipient(key=g.key, name=g.name, members=[person(m) for m in g.members])
        for g in found.groups
    ]
    items += [UserRecipient(id=u.pk, name=u.name, roles=sorted(u.role_set())) for u in found.users]
    return RecipientList(items=items)


@router.get("/threads", response={200: ThreadList, **READ_ERRORS})
def list_threads(
    request: HttpRequest,
    filters: Query[FilterParams],
    view: ViewChoice | None = None,
    folder: FolderChoice = "inbox",
    cursor: str | None = None,
    limit: Limit | None = None,
) -> HttpResponse:
    user = caller(request)
    if view is None:
        view = "practice" if user.is_staff_member else "clients"
    if view in ("practice", "clients"):
        require_view_enabled(user, view)
    narrow = parse_filters(user, filters.model_dump()).sql()
    page = queries.inbox(user, view=view, folder=folder, cursor=cursor, limit=limit, narrow=narrow)
    # Built from stored rows as plain data, and encoded as ninja encodes a
    # `ThreadList`: neither validated nor dumped again (see schemas.page_json).
    return json_answer(page_json(page, user))


def _start(user: User, payload: ThreadIn) -> Thread:
    client_messaging = payload.client_id is not None or payload.audience is not None
    if not user.is_staff_member:
        if payload.recipients is not None or payload.client_id is not None:
            raise NotFound  # staff and other clients do not exist for a client
        return sending.send_client_thread(
            sender=user,
            client=user.client,
            audience=payload.audience,
            subject=payload.subject,
            body=payload.body,
            is_urgent=payload.urgent,
            draft_id=payload.draft_id,
            attachment_ids=payload.attachment_ids,
        )
    if client_messaging:
        if payload.recipients is not None:
            raise InvalidInput.field("recipients", "Send to staff or to a client, not both.")
        if payload.client_id is None:
            raise InvalidInput.field("client_id", "Choose the client to write to.")
        return sending.send_client_thread(
            sender=user,
            client=get_client_for_staff(user, payload.client_id),
            audience=payload.audience,
            subject=payload.subject,
            body=payload.body,
            is_urgent=payload.urgent,
            draft_id=payload.draft_id,
            attachment_ids=payload.attachment_ids,
        )
    if payload.recipients is None:
        raise InvalidInput.field("recipients", "Choose at least one recipient.")
    return sending.send_thread(
        sender=user,
        user_ids=payload.recipients.users,
        group_keys=payload.recipients.groups,
        subject=payload.subject,
        body=payload.body,
        is_urgent=payload.urgent,
        draft_id=payload.draft_id,
        attachment_ids=payload.attachment_ids,
    )


def _schedule(user: User, payload: ThreadIn) -> tuple[int, Any]:
    """`send_at`: checked as a send would be, stored, sent later by the worker."""
    if not user.is_staff_member and (
        payload.recipients is not None or payload.client_id is not None
    ):
        raise NotFound
    if payload.send_at is None:
        raise NotFound
    recipients = payload.recipients
    item = scheduled.schedule_thread(
        author=user,
        user_ids=None if recipients is None else list(recipients.users),
        group_keys=None if recipients is None else list(recipients.groups),
        client_id=payload.client_id,
        audience=payload.audience,
        subject=payload.subject,
        body=payload.body,
        send_at=payload.send_at,
        is_urgent=payload.urgent,
        attachment_ids=payload.attachment_ids,
        draft_id=payload.draft_id,
    )
    return 202, scheduled_json(item)


@router.post(
    "/threads",
    response={201: ThreadDetail, 202: ScheduledOut, **SEND_ERRORS},
    by_alias=True,
    openapi_extra=RETRY_AFTER,
)
def create_thread(
    request: HttpRequest,
    payload: ThreadIn,
    idempotency_key: IdempotencyHeader = None,
) -> Status[Any] | HttpResponse:
    user = caller(request)
    answers: list[str] = []

    if payload.send_at is not None:
        status, body = _schedule(user, payload)
        return json_answer(body, status)

    def run() -> tuple[int, Any]:
        thread = _start(user, payload)
        if thread.view == View.PRACTICE:
            stored, answer = _started(user, thread)
            answers.append(answer)
            return 201, stored
        mine = get_participation(user, thread.pk)
        return 201, _detail(mine).model_dump(mode="json", by_alias=True)

    status, body = _once(request, user, idempotency_key, run, thread_field="id")
    if answers:
        # Written as ninja writes a `ThreadDetail` (the same keys in the same
        # order), not validated again: All Staff names hundreds of people. A
        # replayed answer goes through ninja.
        [answer] = answers
        return HttpResponse(answer, status=status, content_type=JSON_CONTENT_TYPE)
    return Status(status, body)


@router.get("/threads/{thread_id}", response={200: ThreadDetail, **READ_ERRORS}, by_alias=True)
def get_thread(request: HttpRequest, thread_id: str) -> ThreadDetail:
    participation = _participation(request, thread_id)
    actions.open_thread(participation=participation)
    return _detail(participation)


@router.post(
    "/threads/{thread_id}/messages",
    response={201: MessageOut, 202: ScheduledOut, **SEND_ERRORS},
    openapi_extra=RETRY_AFTER,
)
def post_message(
    request: HttpRequest,
    thread_id: str,
    payload: ReplyIn,
    idempotency_key: IdempotencyHeader = None,
) -> HttpResponse:
    participation = _participation(request, thread_id)
    user = caller(request)

    if payload.send_at is not None:
        item = scheduled.schedule_reply(
            author=user,
            participation=participation,
            body=payload.body,
            send_at=payload.send_at,
            is_urgent=payload.urgent,
            attachment_ids=payload.attachment_ids,
        )
        return json_answer(scheduled_json(item), 202)

    def run() -> tuple[int, Any]:
        entry = sending.send_reply(
            author=user,
            participation=participation,
            body=payload.body,
            is_urgent=payload.urgent,
            attachment_ids=payload.attachment_ids,
        )
        entry.author = user
        return 201, entry_out(entry).model_dump(mode="json", by_alias=True)

    status, body = _once(request, user, idempotency_key, run, thread_field="thread_id")
    # The body is already the schema's JSON form (entry_out): not validated again.
    return json_answer(body, status)


@router.patch(
    "/threads/{thread_id}", response={200: HeaderChangeOut, **WRITE_ERRORS}, by_alias=True
)
def edit_header(request: HttpRequest, thread_id: str, payload: HeaderIn) -> Any:
    participation = _participation(request, thread_id)
    user = caller(request)
    entry = actions.edit_header(editor=user, participation=participation, subject=payload.subject)
    entry.author = user
    return entry_out(entry)


def _state(participation: Participant) -> ThreadState:
    return state_out(participation, queries.archive_cutoff(participation.user))


@router.post("/threads/{thread_id}/read", response={200: ThreadState, **READ_ERRORS})
def read(request: HttpRequest, thread_id: str) -> ThreadState:
    return _state(actions.mark_read(participation=_participation(request, thread_id)))


@router.post("/threads/{thread_id}/unread", response={200: ThreadState, **READ_ERRORS})
def unread(request: HttpRequest, thread_id: str) -> ThreadState:
    return _state(actions.mark_unread(participation=_participation(request, thread_id)))


@router.post("/threads/{thread_id}/archive", response={200: ThreadState, **READ_ERRORS})
def archive(request: HttpRequest, thread_id: str) -> ThreadState:
    return _state(actions.archive(participation=_participation(request, thread_id)))


@router.post("/threads/{thread_id}/unarchive", response={200: ThreadState, **READ_ERRORS})
def unarchive(request: HttpRequest, thread_id: str) -> ThreadState:
    return _state(actions.unarchive(participation=_participation(request, thread_id)))


@router.delete("/threads/{thread_id}", response={204: None, **READ_ERRORS})
def delete(request: HttpRequest, thread_id: str) -> Status[None]:
    actions.delete_for_user(participation=_participation(request, thread_id))
    return Status(204, None)
