"""What the break-in sweeps share: every route of the URL configuration (pages and
the ninja API, read from `huddle.urls` so a new route is swept without being
listed), the table that fills a route's ids, A's objects marked with a string
that must never reach anyone else, and a snapshot of what a request could change."""

from __future__ import annotations

import dataclasses
import inspect
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.administration.actions import create_location, update_messaging_settings
from huddle.attachments import demo as attachment_files
from huddle.clients.actions import create_client
from huddle.clients.models import Client
from huddle.messaging.actions import start_client_thread, start_thread
from huddle.messaging.models import Thread
from huddle.practices.models import Location
from tests.conftest import World, client_with_password, with_password

# Every string of A's objects carries this; no answer to anyone else may contain it.
# Long and mixed-case, so that no random CSRF token on a page contains it by chance.
MARK = "Zqxmarker"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
PAGE_METHODS = ("GET", *UNSAFE)
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    """One route of the URL conf: `pattern` as Django spells it (no leading slash)."""

    pattern: str
    view: Any
    # A ninja operation's declared methods; None for Django views (pages, and
    # ninja's docs, OpenAPI and root views, which are plain Django views).
    api_methods: tuple[str, ...] | None
    api_open: frozenset[str]  # ninja methods that need no authentication (auth=None)

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.pattern)

    @property
    def is_api(self) -> bool:
        return self.api_methods is not None

    def url(self, ids: dict[str, int]) -> str:
        return "/" + PARAM.sub(lambda m: str(ids[m.group(1)]), self.pattern)

    def __str__(self) -> str:
        return "/" + self.pattern


def _ninja_path_view(view: Any) -> Any:
    """The ninja PathView behind one of its URL callbacks, or None for other views."""
    if not getattr(view, "csrf_exempt", False) or not inspect.isfunction(view):
        return None
    return inspect.getclosurevars(view).nonlocals.get("self")


def _walk(resolver: URLResolver, prefix: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def all_routes() -> list[Route]:
    """Every route Django would answer, the first match of each pattern only."""
    routes: dict[str, Route] = {}
    for pattern, view in _walk(get_resolver(), ""):
        if pattern in routes:
            continue  # ninja yields one URL per operation of a path; Django uses the first
        path_view = _ninja_path_view(view)
        methods: tuple[str, ...] | None = None
        open_methods: set[str] = set()
        if path_view is not None:
            methods = tuple(m for op in path_view.operations for m in op.methods)
            open_methods = {
                m for op in path_view.operations if not op.auth_callbacks for m in op.methods
            }
        routes[pattern] = Route(pattern, view, methods, frozenset(open_methods))
    return list(routes.values())


# --- A's objects ---------------------------------------------------------------


@dataclass
class Owned:
    """A (a clinician) and what belongs to A or A's practice, every string marked."""

    owner: User
    client: Client  # A's client, assigned to A only
    location: Location
    staff_thread: Thread  # A to the biller
    client_thread: Thread  # A's client to the clinical team (A)
    # conversation: A's new-thread draft and A's scheduled reply (A's alone)
    draft_id: int = 0
    scheduled_id: int = 0
    # A file on each thread (attachments): sent by A, and by A's client.
    attachments: list[int] = dataclasses.field(default_factory=list)
    export_id: int = 0  # records: an export of A's practice
    hold_id: int = 0  # records: a legal hold on A's client


def make_owned(world: World) -> Owned:
    admin = world.admin
    location = create_location(actor=admin, name=f"{MARK} Harbor Room")
    owner = with_password(
        create_staff(
            actor=admin,
            name=f"Ava {MARK}owner",
            email="ava.owner@maple.example",
            roles=["clinician"],
            location_ids=[location.pk, world.downtown.pk],  # with Cleo: a location group
            invite=False,
        )
    )
    client = client_with_password(
        create_client(
            actor=admin,
            name=f"Quinn {MARK}client",
            email="quinn.owned@client.example",
            clinician_ids=[owner.pk],
            portal_enabled=True,
            invite=False,
        )
    )
    marked_file = f"{MARK} file text".encode()
    staff_file = attachment_files.upload(owner, f"{MARK} staff.txt", marked_file)
    client_file = attachment_files.upload(client.user, f"{MARK} client.txt", marked_file)
    staff_thread = start_thread(
        sender=owner,
        user_ids=[world.biller.pk],
        subject=f"{MARK} staff subject",
        body=f"{MARK} staff body",
        attachment_ids=[staff_file],
    )
    client_thread = start_client_thread(
        sender=client.user,
        client=client,
        audience="clinical",
        subject=f"{MARK} client subject",
        body=f"{MARK} client body",
        attachment_ids=[client_file],
    )
    # The other practice has messaging on: its people are refused for who they
    # are, not because the feature is off where they are.
    update_messaging_settings(
        actor=world.outsider_admin,
        secure_messaging_enabled=True,
        practice_messaging_enabled=True,
    )
    from huddle.records.exports import request_export
    from huddle.records.retention import place_hold

    export = request_export(user=admin, reason=f"{MARK} export reason")
    hold = place_hold(user=admin, scope="client", client_id=client.pk, reason=f"{MARK} hold")
    from datetime import timedelta

    from django.utils import timezone

    from huddle.messaging import drafts, scheduled
    from huddle.messaging.access import get_participation

    draft = drafts.create_thread_draft(user=owner, subject=f"{MARK} draft", body=f"{MARK} draft")
    later = scheduled.schedule_reply(
        author=owner,
        participation=get_participation(owner, staff_thread.pk),
        body=f"{MARK} later",
        send_at=timezone.now() + timedelta(hours=2),
    )
    return Owned(
        owner,
        client,
        location,
        staff_thread,
        client_thread,
        draft.pk,
        later.pk,
        [staff_file, client_file],
        export.pk,
        hold.pk,
    )


# The id-filling table: which of A's objects a route parameter names. A route
# with a parameter missing here fails the sweeps until it is added.
ID_KINDS: dict[str, str] = {
    "thread_id": "thread",
    "staff_id": "staff",
    "client_id": "client",
    "location_id": "location",
    # conversation
    "entry_id": "message",
    "message_id": "message",
    "draft_id": "draft",
    "item_id": "scheduled",
    "attachment_id": "attachment",
    "export_id": "export",
    "hold_id": "hold",
}
# Routes that open another's objects on purpose, covered by their own tests:
# emergency access lets a clinician reach any client of the practice, with a reason
# (tests/records/test_emergency_access.py, tests/records/test_records_pages.py).
GRANTING_ROUTES = {
    "/api/v1/clients/<client_id>/emergency-access",
    "/emergency-access/<int:client_id>",
}


def owned_ids(owned: Owned, kind: str) -> list[int]:
    """A's objects of `kind`, every one of which the sweep tries."""
    table: dict[str, list[int]] = {
        "thread": [owned.staff_thread.pk, owned.client_thread.pk],
        "staff": [owned.owner.pk],
        "client": [owned.client.pk],
        "location": [owned.location.pk],
        "message": [
            owned.staff_thread.last_message_id or 0,
            owned.client_thread.last_message_id or 0,
        ],
        "draft": [owned.draft_id],
        "scheduled": [owned.scheduled_id],
        "attachment": owned.attachments,
        "export": [owned.export_id],
        "hold": [owned.hold_id],
    }
    return table[kind]


# Bodies an unsafe request carries, so that a missing check would really change
# something. Pages take one form with every field their forms read.
def page_form() -> dict[str, Any]:
    return {
        "body": "Pwned body",
        "subject": "Pwned subject",
        "name": "Pwned Name",
        "email": "pwned@evil.example",
        "roles": ["practice_admin"],
        "is_active": "false",
        "portal_enabled": "on",
        "form_token": str(uuid.uuid4()),
    }


# The API's unsafe operations, by "METHOD /pattern": the IDOR sweep needs one for
# every operation with an id (else a 400 would hide a missing access check).
API_BODIES: dict[str, dict[str, Any]] = {
    "POST /api/v1/auth/token": {"email": "pwned@evil.example", "password": "not-the-password"},
    "POST /api/v1/threads": {
        "recipients": {"users": [], "groups": []},
        "subject": "Pwned",
        "body": "Pwned",
    },
    "POST /api/v1/staff": {
        "name": "Pwned Name",
        "email": "pwned@maple.example",
        "roles": ["practice_admin"],
    },
    "POST /api/v1/clients": {"name": "Pwned Name", "email": "pwned@client.example"},
    "POST /api/v1/locations": {"name": "Pwned Room"},
    "PATCH /api/v1/practice/settings": {
        "secure_messaging_enabled": False,
        "practice_messaging_enabled": False,
    },
    "PATCH /api/v1/me/notifications": {"internal_messages": True, "client_messages": False},
    "PATCH /api/v1/threads/<thread_id>": {"subject": "Pwned subject"},
    "POST /api/v1/threads/<thread_id>/messages": {"body": "Pwned body"},
    "PATCH /api/v1/staff/<staff_id>": {"name": "Pwned Name", "roles": ["practice_admin"]},
    "PATCH /api/v1/clients/<client_id>": {"name": "Pwned Name", "portal_enabled": False},
    "PATCH /api/v1/locations/<location_id>": {"name": "Pwned Room"},
    # conversation
    "PATCH /api/v1/messages/<message_id>": {"body": "Pwned body"},
    "PUT /api/v1/threads/<thread_id>/draft": {"body": "Pwned body"},
    "POST /api/v1/drafts": {"subject": "Pwned subject", "body": "Pwned body"},
    "PUT /api/v1/drafts/<draft_id>": {"subject": "Pwned subject", "body": "Pwned body"},
    "PATCH /api/v1/scheduled/<item_id>": {"body": "Pwned body"},
}
# Operations that take no body.
BODILESS = {"GET", "DELETE"}
BODILESS_ROUTES = {
    "/api/v1/threads/<thread_id>/read",
    "/api/v1/threads/<thread_id>/unread",
    "/api/v1/threads/<thread_id>/archive",
    "/api/v1/threads/<thread_id>/unarchive",
    "/api/v1/messages/<message_id>/acknowledge",
    "/api/v1/staff/<staff_id>/sign-in-link",
    "/api/v1/clients/<client_id>/sign-in-link",
}


def api_body(method: str, route: Route, *, required: bool = True) -> dict[str, Any] | None:
    if method in BODILESS or str(route) in BODILESS_ROUTES:
        return None
    key = f"{method} {route}"
    if not required:
        return API_BODIES.get(key, {})
    assert key in API_BODIES, f"{key} takes a body: add one to API_BODIES in {__file__}"
    return API_BODIES[key]


# --- what a request could change -----------------------------------------------

# Everything A owns lives in these models; their rows are compared whole.
SNAPSHOT_MODELS = [
    "practices.Practice",
    "practices.Location",
    "accounts.User",
    "accounts.UserRole",
    "accounts.PasswordLink",
    "clients.Client",
    "messaging.Thread",
    "messaging.Entry",
    "messaging.Participant",
    "messaging.IdempotencyKey",
    "messaging.EntryVersion",
    "messaging.Acknowledgement",
    "messaging.Draft",
    "messaging.ScheduledMessage",
    "notifications.Preference",
    "notifications.Notification",
    "attachments.Attachment",
    "records.RetentionSettings",
    "records.PracticeExport",
    "records.LegalHold",
    "records.EmergencyAccess",
]
# Set by signing in, which the sweeps do before the first snapshot.
VOLATILE_FIELDS = {"last_login"}


def _rows(model: type[models.Model]) -> list[tuple[Any, ...]]:
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_FIELDS]
    return [tuple(row) for row in model._default_manager.order_by("pk").values_list(*names)]


def snapshot() -> dict[str, Any]:
    state: dict[str, Any] = {}
    for label in SNAPSHOT_MODELS:
        model = apps.get_model(label)
        state[label] = _rows(model)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            state[f"{label}.{field.name}"] = _rows(through)
    return state


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The tables whose rows differ."""
    return [label for label in before if before[label] != after[label]]
