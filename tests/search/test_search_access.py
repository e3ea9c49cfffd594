"""No persona ever finds a thread it cannot open, and access changes hold from
the very next search (F13, "permission-safe at query time")."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.accounts.actions import update_staff
from huddle.clients.actions import update_client
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from tests.conftest import World
from tests.search.helpers import SECRET, found, make_corpus, search, thread_ids

# Who finds the clinical thread of the client (assigned to the clinician) and the
# practice thread between the clinician and the biller, by persona.
PERSONAS = [
    # persona, finds the client thread, finds the practice thread
    ("clinician", True, True),  # assigned clinician; on the practice thread
    ("co_clinician", False, False),  # a clinician not assigned to this client
    ("biller", False, True),  # not clinical; on the practice thread
    ("scheduler", False, False),  # in the practice, on neither
    ("admin", False, False),  # a Practice Admin reaches a thread only by being on it
    ("client", True, False),  # the client: their own threads only
    ("outsider_admin", False, False),  # another practice
    ("outsider_clinician", False, False),  # another practice, the other client's clinician
]


def _user(world: World, name: str) -> Any:
    person = getattr(world, name)
    return person.user if hasattr(person, "user") else person


@pytest.mark.parametrize(("persona", "client_thread", "practice_thread"), PERSONAS)
def test_each_persona_finds_exactly_the_threads_it_may_open(
    world: World, api_as: Any, persona: str, client_thread: bool, practice_thread: bool
) -> None:
    corpus = make_corpus(world)
    user = _user(world, persona)
    api = api_as(user)
    secret = thread_ids(found(api, SECRET))
    rota = thread_ids(found(api, "rota"))
    assert (corpus.client_thread.pk in secret) is client_thread
    assert (corpus.staff_thread.pk in rota) is practice_thread
    # Only the other practice's clinician of its client finds that practice's thread.
    assert (corpus.outsider_thread.pk in secret) is (persona == "outsider_clinician")
    # Every thread found opens for this person; nothing else does.
    for thread_id in secret | rota:
        assert api.get(f"/threads/{thread_id}").status_code == 200
    every = {corpus.client_thread.pk, corpus.staff_thread.pk, corpus.outsider_thread.pk}
    for thread_id in every - (secret | rota):
        assert api.get(f"/threads/{thread_id}").status_code == 404


def test_the_other_practice_finds_only_its_own(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    items = found(api_as(world.outsider_client.user), SECRET)
    assert thread_ids(items) == {corpus.outsider_thread.pk}
    assert found(api_as(world.outsider_clinician), SECRET)[0]["snippet"].startswith("Another")


def test_an_unassigned_clinician_stops_finding_at_once_and_the_new_one_finds(
    world: World, api_as: Any
) -> None:
    corpus = make_corpus(world)
    cleo, cody = api_as(world.clinician), api_as(world.co_clinician)
    assert thread_ids(found(cleo, SECRET)) == {corpus.client_thread.pk}
    update_client(actor=world.admin, client=world.client, clinician_ids=[world.co_clinician.pk])
    assert found(cleo, SECRET) == []
    assert thread_ids(found(cody, SECRET)) == {corpus.client_thread.pk}


def test_a_clinician_who_loses_the_role_stops_finding(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    cleo = api_as(world.clinician)
    update_staff(actor=world.admin, staff=world.clinician, roles=["scheduler"])
    assert corpus.client_thread.pk not in thread_ids(found(cleo, SECRET))


def test_a_deactivated_person_cannot_search_at_all(world: World, api_as: Any) -> None:
    make_corpus(world)
    cleo = api_as(world.clinician)
    update_staff(actor=world.admin, staff=world.clinician, is_active=False)
    assert search(cleo, SECRET).status_code == 401


def test_a_thread_deleted_for_oneself_is_not_found_until_someone_replies(
    world: World, api_as: Any
) -> None:
    corpus = make_corpus(world)
    biller = api_as(world.biller)
    participation = get_participation(world.biller, corpus.staff_thread.pk)
    actions.delete_for_user(participation=participation)
    assert found(biller, "rota") == []
    assert found(api_as(world.clinician), "rota")  # the others keep it
    actions.reply(
        author=world.clinician,
        participation=get_participation(world.clinician, corpus.staff_thread.pk),
        body="One more thing.",
    )
    assert thread_ids(found(biller, "rota")) == {corpus.staff_thread.pk}


def test_filters_narrow_only_what_one_may_see(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    cody = api_as(world.co_clinician)
    # Naming the client, or a participant, never widens a search.
    assert found(cody, SECRET, client_id=str(world.client.pk)) == []
    assert found(cody, SECRET, participant_id=str(world.clinician.pk)) == []
    cleo = api_as(world.clinician)
    assert thread_ids(found(cleo, SECRET, client_id=str(world.client.pk))) == {
        corpus.client_thread.pk
    }
    assert found(cleo, SECRET, client_id=str(world.outsider_client.pk)) == []
    assert thread_ids(found(cleo, "rota", participant_id=str(world.biller.pk))) == {
        corpus.staff_thread.pk
    }
    assert found(cleo, "rota", participant_id=str(world.scheduler.pk)) == []
    assert found(cleo, "rota", view="clients") == []
    assert found(cleo, "rota", folder="archived") == []


def test_a_client_may_not_filter_by_the_staff_on_their_threads(world: World, api_as: Any) -> None:
    make_corpus(world)
    response = search(api_as(world.client.user), SECRET, participant_id=str(world.clinician.pk))
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"participant_id": "This filter is for staff."}
