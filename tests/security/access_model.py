"""Who may see what, written from PRODUCT.md and docs/MESSAGING.md alone (not from
the code), for the state machine of test_access_stateful.py.

- A staff thread is seen by its sender and the people it went to; groups are
  resolved at the moment of sending (F3), so its members never change.
- A client thread is seen by its client and by the active staff its audience
  covers *now* (F10): Clinical — the client's assigned clinicians (who hold the
  Clinician role), every Clinical Admin and Supervisor; Billing — every Biller;
  Administrative — every Scheduler and Practice Admin.
- Nothing crosses practices. A deactivated person cannot sign in, so reads
  nothing; deactivated staff are in no group and cannot be picked.
- Delete hides a thread from that person only, until anyone replies; archive
  moves it to their Archived folder, a reply brings it back to everyone's Inbox.
  Losing access to a client thread forgets one's place on it: access given
  again is new access (older threads arrive), as for a newly assigned clinician.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CLINICAL, BILLING, ADMINISTRATIVE = "clinical", "billing", "administrative"
AUDIENCES = (CLINICAL, BILLING, ADMINISTRATIVE)
WIDE = {
    CLINICAL: {"clinical_admin", "supervisor"},
    BILLING: {"biller"},
    ADMINISTRATIVE: {"scheduler", "practice_admin"},
}
ROLE_GROUPS = {
    "all_clinicians": "clinician",
    "all_billers": "biller",
    "all_schedulers": "scheduler",
}


@dataclass
class Person:
    pk: int
    practice: int
    staff: bool
    active: bool = True
    roles: set[str] = field(default_factory=set)
    locations: set[int] = field(default_factory=set)
    clinicians: set[int] = field(default_factory=set)  # clients: their assigned clinicians


@dataclass
class ModelThread:
    pk: int
    practice: int
    subject: str
    members: frozenset[int] = frozenset()  # staff threads: fixed at sending
    client: int | None = None
    audience: str | None = None
    messages: list[int] = field(default_factory=list)


@dataclass
class Model:
    people: dict[int, Person]
    locations: dict[int, set[int]]  # practice -> its location ids
    threads: dict[int, ModelThread] = field(default_factory=dict)
    archived: set[tuple[int, int]] = field(default_factory=set)  # (user, thread)
    deleted: set[tuple[int, int]] = field(default_factory=set)

    # --- who is who -------------------------------------------------------
    def active_staff(self, practice: int) -> list[Person]:
        return [p for p in self.people.values() if p.staff and p.active and p.practice == practice]

    def active_admins(self, practice: int) -> list[Person]:
        return [p for p in self.active_staff(practice) if "practice_admin" in p.roles]

    def groups(self, practice: int) -> dict[str, set[int]]:
        """The staff groups that exist now: two or more active members (F3)."""
        staff = self.active_staff(practice)
        found = {"all_staff": {p.pk for p in staff}}
        for key, role in ROLE_GROUPS.items():
            found[key] = {p.pk for p in staff if role in p.roles}
        if len(self.locations[practice]) > 1:
            for loc in self.locations[practice]:
                found[f"clinicians_location_{loc}"] = {
                    p.pk for p in staff if "clinician" in p.roles and loc in p.locations
                }
        return {key: members for key, members in found.items() if len(members) >= 2}

    def audiences(self, staff: Person, client: Person) -> list[str]:
        """The teams through which `staff` may see and write to `client`, in order."""
        if not (staff.staff and staff.active) or staff.practice != client.practice:
            return []
        result = []
        for audience in AUDIENCES:
            assigned = (
                audience == CLINICAL
                and "clinician" in staff.roles
                and staff.pk in client.clinicians
            )
            if staff.roles & WIDE[audience] or assigned:
                result.append(audience)
        return result

    # --- who sees what ----------------------------------------------------
    def has_access(self, user: int, thread: ModelThread) -> bool:
        """On the thread at all (before their own Delete), whether or not active."""
        person = self.people[user]
        if person.practice != thread.practice:
            return False
        if thread.client is None:
            return user in thread.members
        if not person.staff:
            return user == thread.client
        return thread.audience in self.audiences(person, self.people[thread.client])

    def visible(self, user: int) -> dict[int, str]:
        """What `user` reads now: thread -> folder ("inbox" or "archived")."""
        if not self.people[user].active:
            return {}
        return {
            t.pk: "archived" if (user, t.pk) in self.archived else "inbox"
            for t in self.threads.values()
            if self.has_access(user, t) and (user, t.pk) not in self.deleted
        }

    def forget_lost_access(self, before: set[tuple[int, int]]) -> None:
        """After a change of records: whoever lost a client thread loses their place on it."""
        now = self.access_pairs()
        for pair in before - now:
            self.archived.discard(pair)
            self.deleted.discard(pair)

    def access_pairs(self) -> set[tuple[int, int]]:
        """Who is on which client thread (staff need to be active to be)."""
        return {
            (user, t.pk)
            for t in self.threads.values()
            if t.client is not None
            for user in self.people
            if self.has_access(user, t)
        }

    def on_reply(self, thread: ModelThread) -> None:
        for user in self.people:
            if self.has_access(user, thread):
                self.archived.discard((user, thread.pk))
                self.deleted.discard((user, thread.pk))
