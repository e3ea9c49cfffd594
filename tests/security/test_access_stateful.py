"""A Hypothesis state machine over the messaging actions (docs/SECURITY_TESTS.md).

Random sequences of the real action functions — start staff threads (to people
and groups) and client threads (staff to client, client to a team), reply, edit
the header, archive, unarchive, delete, change a staff member's roles and
locations, a client's clinicians, deactivate and reactivate people — run on a
practice of five staff and three clients beside a second practice. After every
step, what each person reads through the query layer the inbox and thread views
use equals what `access_model.Model` (written from the docs) allows; nobody
reads another practice's threads, and a deactivated person reads nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.db import transaction
from django.http import HttpRequest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from huddle.accounts.actions import issue_token, update_staff
from huddle.accounts.models import Role, User
from huddle.administration.actions import update_messaging_settings
from huddle.api import TokenAuth
from huddle.clients.actions import create_client, update_client
from huddle.clients.models import Client
from huddle.core.errors import ActionError, InvalidInput, NotFound
from huddle.messaging import actions, queries
from huddle.messaging.access import get_participation
from huddle.messaging.models import EntryKind, Participant
from huddle.practices.models import Location
from tests.conftest import World
from tests.security.access_model import AUDIENCES, Model, ModelThread, Person

SUBJECTS = ("Rota", "Claim 2231", "Intake")
ROLES = tuple(r.value for r in Role)
SETTINGS = settings(
    max_examples=12,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Stats:
    examples: int = 0
    steps: int = 0
    checks: int = 0
    reads: int = 0


def _expect(error: type[ActionError], call: Callable[[], Any]) -> None:
    with pytest.raises(error):
        call()


class AccessMachine(RuleBasedStateMachine):
    initial: ClassVar[Model]
    stats: ClassVar[Stats]

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint that teardown rolls back: no leaks between them.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.model = copy.deepcopy(self.initial)
        self.stats.examples += 1

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- drawing people -----------------------------------------------------
    def _pick(self, data: st.DataObject, people: list[Person]) -> Person:
        return data.draw(st.sampled_from(sorted(people, key=lambda p: p.pk)))

    def _everyone(self, *, staff: bool | None = None, active: bool | None = None) -> list[Person]:
        return [
            p
            for p in self.model.people.values()
            if (staff is None or p.staff == staff) and (active is None or p.active == active)
        ]

    def _admin_for(self, data: st.DataObject, practice: int) -> User:
        return _user(self._pick(data, self.model.active_admins(practice)).pk)

    # --- threads ------------------------------------------------------------
    @rule(data=st.data())
    def start_staff_thread(self, data: st.DataObject) -> None:
        m = self.model
        sender = self._pick(data, self._everyone(staff=True, active=True))
        staff = sorted(p.pk for p in self._everyone(staff=True))
        user_ids = data.draw(st.sets(st.sampled_from(staff), max_size=3))
        keys = data.draw(st.sets(st.sampled_from(_group_keys()), max_size=2))
        subject = data.draw(st.sampled_from(SUBJECTS))
        groups = m.groups(sender.practice)
        people_ok = all(
            m.people[u].staff and m.people[u].active and m.people[u].practice == sender.practice
            for u in user_ids
        )
        reached = set(user_ids).union(*(groups.get(k, set()) for k in keys)) - {sender.pk}

        def send() -> Any:
            return actions.start_thread(
                sender=_user(sender.pk),
                user_ids=user_ids,
                group_keys=sorted(keys),
                subject=subject,
                body="See the note.",
            )

        self.stats.steps += 1
        if not people_ok or not keys <= groups.keys() or not reached:
            _expect(InvalidInput, send)
            return
        thread = send()
        m.threads[thread.pk] = ModelThread(
            pk=thread.pk,
            practice=sender.practice,
            subject=subject,
            members=frozenset(reached | {sender.pk}),
            messages=[thread.last_message_id],
        )

    @rule(data=st.data())
    def staff_writes_to_a_client(self, data: st.DataObject) -> None:
        m = self.model
        sender = self._pick(data, self._everyone(staff=True, active=True))
        client = self._pick(data, self._everyone(staff=False))
        audience = data.draw(st.none() | st.sampled_from(AUDIENCES))
        allowed = m.audiences(sender, client)

        def send() -> Any:
            return actions.start_client_thread(
                sender=_user(sender.pk),
                client=_client(client.pk),
                audience=audience,
                subject="Your invoice",
                body="Please call us.",
            )

        self.stats.steps += 1
        if not allowed:
            _expect(NotFound, send)
        elif audience is not None and audience not in allowed:
            _expect(InvalidInput, send)
        else:
            self._client_thread(send(), client, audience or allowed[0])

    @rule(data=st.data())
    def client_writes_to_a_team(self, data: st.DataObject) -> None:
        m = self.model
        client = self._pick(data, self._everyone(staff=False, active=True))
        audience = data.draw(st.sampled_from(AUDIENCES))
        team = [s for s in m.active_staff(client.practice) if audience in m.audiences(s, client)]

        def send() -> Any:
            return actions.start_client_thread(
                sender=_user(client.pk),
                client=_client(client.pk),
                audience=audience,
                subject="Next session",
                body="Can we move it?",
            )

        self.stats.steps += 1
        if not team:
            _expect(InvalidInput, send)
        else:
            self._client_thread(send(), client, audience)

    def _client_thread(self, thread: Any, client: Person, audience: str) -> None:
        self.model.threads[thread.pk] = ModelThread(
            pk=thread.pk,
            practice=client.practice,
            subject=thread.subject,
            client=client.pk,
            audience=audience,
            messages=[thread.last_message_id],
        )

    def _open(self, data: st.DataObject) -> tuple[User, ModelThread, Participant | None]:
        """Someone active opens some thread, as the thread view and API do (404 or it)."""
        person = self._pick(data, self._everyone(active=True))
        threads = sorted(self.model.threads)
        thread = self.model.threads[data.draw(st.sampled_from(threads))] if threads else None
        user = _user(person.pk)
        if thread is None:
            return user, ModelThread(pk=0, practice=0, subject=""), None
        allowed = thread.pk in self.model.visible(person.pk)
        try:
            participation = get_participation(user, thread.pk)
        except NotFound:
            assert not allowed, f"user {person.pk} is refused thread {thread.pk} the rules give"
            return user, thread, None
        assert allowed, f"LEAK: user {person.pk} opens thread {thread.pk} the rules refuse"
        return user, thread, participation

    @rule(data=st.data())
    def reply(self, data: st.DataObject) -> None:
        user, thread, participation = self._open(data)
        self.stats.steps += 1
        if participation is not None:
            entry = actions.reply(author=user, participation=participation, body="Noted.")
            thread.messages.append(entry.pk)
            self.model.on_reply(thread)

    @rule(data=st.data())
    def edit_header(self, data: st.DataObject) -> None:
        user, thread, participation = self._open(data)
        subject = data.draw(st.sampled_from(SUBJECTS))
        self.stats.steps += 1
        if participation is None:
            return
        if subject == thread.subject:
            _expect(
                InvalidInput,
                lambda: actions.edit_header(
                    editor=user, participation=participation, subject=subject
                ),
            )
            return
        actions.edit_header(editor=user, participation=participation, subject=subject)
        thread.subject = subject

    @rule(data=st.data(), what=st.sampled_from(["archive", "unarchive", "delete"]))
    def change_folder(self, data: st.DataObject, what: str) -> None:
        user, thread, participation = self._open(data)
        self.stats.steps += 1
        if participation is None:
            return
        key = (user.pk, thread.pk)
        if what == "archive":
            actions.archive(participation=participation)
            self.model.archived.add(key)
        elif what == "unarchive":
            actions.unarchive(participation=participation)
            self.model.archived.discard(key)
        else:
            actions.delete_for_user(participation=participation)
            self.model.deleted.add(key)
            self.model.archived.discard(key)

    # --- the practice's records --------------------------------------------
    @rule(data=st.data())
    def change_roles_and_locations(self, data: st.DataObject) -> None:
        m = self.model
        target = self._pick(data, self._everyone(staff=True))
        actor = self._admin_for(data, target.practice)
        roles = data.draw(st.sets(st.sampled_from(ROLES), min_size=1, max_size=3))
        places = sorted(m.locations[target.practice])
        where = data.draw(st.sets(st.sampled_from(places), max_size=2)) if places else set()
        others = [a for a in m.active_admins(target.practice) if a.pk != target.pk]
        loses_last_admin = target.active and "practice_admin" in target.roles - roles and not others

        def change() -> Any:
            return update_staff(
                actor=actor, staff=_user(target.pk), roles=sorted(roles), location_ids=where
            )

        self.stats.steps += 1
        if loses_last_admin:
            _expect(InvalidInput, change)
            return
        before = m.access_pairs()
        change()
        target.roles, target.locations = set(roles), set(where)
        m.forget_lost_access(before)

    @rule(data=st.data())
    def assign_clinicians(self, data: st.DataObject) -> None:
        m = self.model
        client = self._pick(data, self._everyone(staff=False))
        actor = self._admin_for(data, client.practice)
        staff = sorted(p.pk for p in self._everyone(staff=True))
        chosen = data.draw(st.sets(st.sampled_from(staff), max_size=3))
        valid = all(
            m.people[c].practice == client.practice
            and "clinician" in m.people[c].roles
            and (m.people[c].active or c in client.clinicians)
            for c in chosen
        )

        def change() -> Any:
            return update_client(actor=actor, client=_client(client.pk), clinician_ids=chosen)

        self.stats.steps += 1
        if not valid:
            _expect(InvalidInput, change)
            return
        before = m.access_pairs()
        change()
        client.clinicians = set(chosen)
        m.forget_lost_access(before)

    @rule(data=st.data(), active=st.booleans())
    def deactivate_or_reactivate(self, data: st.DataObject, active: bool) -> None:
        m = self.model
        target = self._pick(data, self._everyone())
        actor = self._admin_for(data, target.practice)
        others = [a for a in m.active_admins(target.practice) if a.pk != target.pk]

        def change() -> Any:
            if target.staff:
                return update_staff(actor=actor, staff=_user(target.pk), is_active=active)
            return update_client(actor=actor, client=_client(target.pk), portal_enabled=active)

        self.stats.steps += 1
        refused = target.staff and not active and target.pk == actor.pk
        last_admin = not active and target.active and "practice_admin" in target.roles
        if refused or (target.staff and last_admin and not others):
            _expect(InvalidInput, change)
            return
        before = m.access_pairs()
        change()
        target.active = active
        m.forget_lost_access(before)
        # Deactivated: no sign-in, not even with a token minted afterwards.
        raw, _ = issue_token(user=_user(target.pk))
        signed_in = TokenAuth().authenticate(HttpRequest(), raw)
        assert (signed_in is not None) == active, f"user {target.pk}: active={active}"

    # --- the invariant ------------------------------------------------------
    @invariant()
    def everyone_reads_what_the_rules_allow(self) -> None:
        self.stats.checks += 1
        timelines_checked: set[int] = set()
        for person in self.model.people.values():
            user = _user(person.pk)
            if not person.active:
                if person.staff:
                    assert not _read(user, views=("clients",)), (
                        f"deactivated staff {person.pk} still holds client threads"
                    )
                continue
            # The API lists a client's threads in the clients view only.
            seen = _read(user, views=("practice", "clients") if person.staff else ("clients",))
            expected = self.model.visible(person.pk)
            leaks = {t: f for t, f in seen.items() if expected.get(t) != f}
            assert not leaks, f"LEAK or wrong folder for user {person.pk}: {leaks} vs {expected}"
            assert seen == expected, f"user {person.pk} misses threads: {expected} vs {seen}"
            self.stats.reads += len(seen)
            for thread_id in seen.keys() - timelines_checked:
                timelines_checked.add(thread_id)
                rows = Participant.objects.filter(thread_id=thread_id, user=user).get()
                messages = [e.pk for e in queries.timeline(rows) if e.kind == EntryKind.MESSAGE]
                assert messages == self.model.threads[thread_id].messages


def _user(pk: int) -> User:
    return User.objects.select_related("practice").get(pk=pk)


def _client(pk: int) -> Client:
    return Client.objects.select_related("user__practice", "practice").get(pk=pk)


def _group_keys() -> list[str]:
    keys = ["all_staff", "all_clinicians", "all_billers", "all_schedulers", "no_such_group"]
    locations = Location.objects.order_by("pk").values_list("pk", flat=True)
    return keys + [f"clinicians_location_{pk}" for pk in locations]


def _read(user: User, views: tuple[str, ...]) -> dict[int, str]:
    """Every thread the inbox lists for `user`, page by page, with its folder;
    each one of the user's own practice."""
    seen: dict[int, str] = {}
    for view in views:
        for folder in ("inbox", "archived"):
            cursor = None
            while True:
                page = queries.inbox(user, view=view, folder=folder, cursor=cursor, limit=4)
                for row in page.items:
                    assert row.thread.practice_id == user.practice_id, "another practice's thread"
                    assert row.thread_id not in seen, f"thread {row.thread_id} listed twice"
                    seen[row.thread_id] = folder
                cursor = page.next_cursor
                if cursor is None:
                    break
    return seen


def _model_of(world: World) -> Model:
    practices = [world.practice.pk, world.outsider_practice.pk]
    people: dict[int, Person] = {}
    for user in User.objects.filter(practice__in=practices).prefetch_related("roles", "locations"):
        people[user.pk] = Person(
            pk=user.pk,
            practice=user.practice_id,
            staff=user.is_staff_member,
            active=user.is_active,
            roles=user.role_set(),
            locations={loc.pk for loc in user.locations.all()},
        )
    for client in Client.objects.filter(practice__in=practices).prefetch_related("clinicians"):
        people[client.pk].clinicians = {c.pk for c in client.clinicians.all()}
    locations = {
        pk: set(Location.objects.filter(practice_id=pk).values_list("pk", flat=True))
        for pk in practices
    }
    return Model(people=people, locations=locations)


@pytest.fixture
def small_world(world: World) -> World:
    """The personas' practice with three clients, and the outsider practice with
    its messaging on, so both have threads to keep apart."""
    for name, email, clinicians in (
        ("Dana Client", "dana@client.example", [world.co_clinician.pk]),
        ("Eli Client", "eli@client.example", []),
    ):
        create_client(
            actor=world.admin,
            name=name,
            email=email,
            clinician_ids=clinicians,
            portal_enabled=True,
        )
    update_messaging_settings(
        actor=world.outsider_admin,
        secure_messaging_enabled=True,
        practice_messaging_enabled=True,
    )
    return world


def test_everyone_reads_only_what_the_access_rules_allow(
    small_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    stats = Stats()
    machine = type("Machine", (AccessMachine,), {"initial": _model_of(small_world), "stats": stats})

    run_state_machine_as_test(machine, settings=SETTINGS)

    with capsys.disabled():
        print(
            f"\nAccess state machine: {stats.examples} examples, {stats.steps} steps, "
            f"{stats.checks} invariant checks, {stats.reads} thread reads matched the rules"
        )
    assert stats.steps >= 150
