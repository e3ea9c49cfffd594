"""The pages behind the two panes: the thread page carries its folder's list,
at a constant number of statements; who a row names; initials avatars."""

from __future__ import annotations

from typing import Any

from huddle.core.templatetags.face import avatar_tone, initials, thread_people
from huddle.messaging.actions import start_thread
from huddle.messaging.queries import Name
from tests.conftest import World
from tests.messaging.test_query_counts import count
from tests.pages.helpers import text


def threads_for_biller(world: World, n: int, prefix: str = "Claim") -> list[int]:
    return [
        start_thread(
            sender=world.clinician, user_ids=[world.biller.pk], subject=f"{prefix} {i}", body="Hi"
        ).pk
        for i in range(n)
    ]


def test_the_thread_page_lists_its_folder_beside_the_thread(world: World, page_as: Any) -> None:
    first, *_, last = threads_for_biller(world, 3)
    page = page_as(world.biller).get(f"/messages/{first}")
    body = text(page)
    assert page.status_code == 200
    assert 'id="pane-list"' in body and 'id="pane-main"' in body
    assert f'href="/messages/{last}"' in body  # the other threads, in the list
    assert f'href="/messages/{first}" aria-current="true"' in body  # the open one, marked


def test_an_outsider_sees_no_list_and_no_thread(world: World, page_as: Any) -> None:
    first, *_ = threads_for_biller(world, 2)
    for person in (world.scheduler, world.co_clinician):
        page = page_as(person).get(f"/messages/{first}")
        assert page.status_code == 404
        assert "Claim" not in text(page)


def test_the_thread_page_costs_the_same_with_3_and_with_60_threads_in_its_list(
    world: World, page_as: Any
) -> None:
    first, *_ = threads_for_biller(world, 3)
    browser = page_as(world.biller)
    small = count(lambda: browser.get(f"/messages/{first}"))
    threads_for_biller(world, 57, prefix="More")
    large = count(lambda: browser.get(f"/messages/{first}"))
    assert small == large


def test_a_row_names_the_other_people_without_a_stray_comma() -> None:
    people = [Name(1, "Ada Admin"), Name(2, "Marcus Bell")]
    assert thread_people(people, [], 1) == "Marcus Bell"
    assert thread_people(people, [], 2) == "Ada Admin"  # the viewer sorting last
    many = [Name(i, f"Person {i}") for i in range(6)]
    assert thread_people(many, ["All Billers"], 0) == (
        "All Billers · Person 1, Person 2, Person 3 +2"
    )
    assert thread_people([Name(1, "Ada Admin")], [], 1) == "Only you"


def test_initials_and_a_steady_avatar_tone() -> None:
    assert initials("Priya Raman") == "PR"
    assert initials("Mary-Jane van der Berg") == "MB"
    assert initials("Leo") == "L"
    assert initials("") == "?"
    assert avatar_tone("Priya Raman") == avatar_tone("Priya Raman")
    assert 1 <= avatar_tone("Leo Martin") <= 6
