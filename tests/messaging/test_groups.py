"""Staff groups (F3) and the recipients typeahead: groups come from roles and
locations, exist only with two or more active members, are always current, and
address their members as of the moment of sending."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.accounts.actions import create_staff, update_staff
from huddle.administration.actions import create_location, update_messaging_settings
from huddle.messaging.models import Participant, Thread
from tests.api.helpers import field_error
from tests.conftest import Api, World
from tests.messaging.helpers import add_staff, listed, send, sent


def groups_seen(api: Api, q: str = "") -> dict[str, dict[str, Any]]:
    response = api.get(f"/recipients?q={q}")
    assert response.status_code == 200, response.content
    return {i["key"]: i for i in response.json()["items"] if i["kind"] == "group"}


def people_seen(api: Api, q: str = "") -> list[str]:
    response = api.get(f"/recipients?q={q}")
    assert response.status_code == 200, response.content
    return [i["name"] for i in response.json()["items"] if i["kind"] == "user"]


def members(group: dict[str, Any]) -> set[str]:
    return {m["name"] for m in group["members"]}


def test_only_groups_with_two_or_more_members_exist(world: World, api_as: Any) -> None:
    groups = groups_seen(api_as(world.clinician))

    # One biller, one scheduler, one clinician per location: no such groups.
    assert {k: g["name"] for k, g in groups.items()} == {
        "all_staff": "All Staff",
        "all_clinicians": "All Clinicians",
    }
    assert members(groups["all_staff"]) == {
        "Ada Admin",
        "Cleo Clinician",
        "Cody Clinician",
        "Bill Biller",
        "Sky Scheduler",
    }
    assert members(groups["all_clinicians"]) == {"Cleo Clinician", "Cody Clinician"}


def test_a_second_biller_and_scheduler_make_their_groups(world: World, api_as: Any) -> None:
    add_staff(world, "Bea Biller", ["biller"])
    add_staff(world, "Sam Scheduler", ["scheduler"])

    groups = groups_seen(api_as(world.biller))

    assert groups["all_billers"]["name"] == "All Billers"
    assert members(groups["all_billers"]) == {"Bill Biller", "Bea Biller"}
    assert groups["all_schedulers"]["name"] == "All Schedulers"
    assert members(groups["all_schedulers"]) == {"Sky Scheduler", "Sam Scheduler"}


def test_two_clinicians_at_a_location_make_a_location_group(world: World, api_as: Any) -> None:
    add_staff(world, "Dora Downtown", ["clinician"], [world.downtown])

    groups = groups_seen(api_as(world.scheduler))

    key = f"clinicians_location_{world.downtown.pk}"
    assert groups[key]["name"] == "Clinicians - Downtown"
    assert members(groups[key]) == {"Cleo Clinician", "Dora Downtown"}
    assert f"clinicians_location_{world.eastside.pk}" not in groups  # Cody alone there


def test_location_groups_exist_only_when_the_practice_has_several_locations(
    world: World, api_as: Any
) -> None:
    boss = world.outsider_admin
    update_messaging_settings(
        actor=boss, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    harbor = create_location(actor=boss, name="Harbor")
    update_staff(actor=boss, staff=world.outsider_clinician, location_ids=[harbor.pk])
    create_staff(
        actor=boss,
        name="Hal Harbor",
        email="hal@other.example",
        roles=["clinician"],
        location_ids=[harbor.pk],
    )
    olga = api_as(world.outsider_clinician)

    assert set(groups_seen(olga)) == {"all_staff", "all_clinicians"}

    create_location(actor=boss, name="Hilltop")  # nobody works there yet
    groups = groups_seen(olga)
    key = f"clinicians_location_{harbor.pk}"
    assert groups[key]["name"] == "Clinicians - Harbor"
    assert members(groups[key]) == {"Olga Outside", "Hal Harbor"}


def test_deactivating_a_biller_dissolves_all_billers(world: World, api_as: Any) -> None:
    bea = add_staff(world, "Bea Biller", ["biller"])
    clinician = api_as(world.clinician)
    assert "all_billers" in groups_seen(clinician)

    response = api_as(world.admin).patch(f"/staff/{bea.pk}", {"is_active": False})
    assert response.status_code == 200, response.content

    groups = groups_seen(clinician)
    assert "all_billers" not in groups
    assert "Bea Biller" not in members(groups["all_staff"])
    assert "Bea Biller" not in people_seen(clinician)
    refused = send(clinician, groups=["all_billers"])
    field_error(refused, "recipients.groups")
    to_her = send(clinician, users=[bea])
    field_error(to_her, "recipients.users")
    assert not Thread.objects.exists()
    assert not Participant.objects.exists()


def test_role_and_location_changes_show_at_once(world: World, api_as: Any) -> None:
    admin = api_as(world.admin)
    biller = api_as(world.biller)

    both = admin.patch(f"/staff/{world.scheduler.pk}", {"roles": ["scheduler", "biller"]})
    assert both.status_code == 200, both.content
    assert members(groups_seen(biller)["all_billers"]) == {"Bill Biller", "Sky Scheduler"}

    moved = admin.patch(f"/staff/{world.co_clinician.pk}", {"location_ids": [world.downtown.pk]})
    assert moved.status_code == 200, moved.content
    downtown = groups_seen(biller)[f"clinicians_location_{world.downtown.pk}"]
    assert members(downtown) == {"Cleo Clinician", "Cody Clinician"}

    changed = admin.patch(f"/staff/{world.clinician.pk}", {"roles": ["scheduler"]})
    assert changed.status_code == 200, changed.content
    groups = groups_seen(biller)
    assert "all_clinicians" not in groups
    assert f"clinicians_location_{world.downtown.pk}" not in groups
    assert members(groups["all_schedulers"]) == {"Cleo Clinician", "Sky Scheduler"}


def test_a_group_is_resolved_when_sending_and_newcomers_miss_earlier_threads(
    world: World, api_as: Any
) -> None:
    add_staff(world, "Bea Biller", ["biller"])
    clinician = api_as(world.clinician)
    earlier = sent(clinician, groups=["all_billers"], subject="Before Bert")

    bert = add_staff(world, "Bert Biller", ["biller"])
    as_bert = api_as(bert)
    assert members(groups_seen(clinician)["all_billers"]) == {
        "Bill Biller",
        "Bea Biller",
        "Bert Biller",
    }

    assert as_bert.get(f"/threads/{earlier}").status_code == 404
    assert as_bert.post(f"/threads/{earlier}/messages", {"body": "Hi"}).status_code == 404
    assert listed(as_bert) == {}
    assert not Participant.objects.filter(user=bert).exists()
    assert Participant.objects.filter(thread_id=int(earlier)).count() == 3

    later = sent(clinician, groups=["all_billers"], subject="After Bert")
    assert list(listed(as_bert)) == [later]
    opened = as_bert.get(f"/threads/{later}")
    assert opened.status_code == 200
    assert {p["name"] for p in opened.json()["participants"]} == {
        "Cleo Clinician",
        "Bill Biller",
        "Bea Biller",
        "Bert Biller",
    }
    assert opened.json()["groups"] == ["All Billers"]


def test_search_matches_names_case_insensitively_and_leaves_out_the_caller(
    world: World, api_as: Any
) -> None:
    clinician = api_as(world.clinician)

    assert people_seen(clinician, "CLIN") == ["Cody Clinician"]
    assert set(groups_seen(clinician, "CLIN")) == {"all_clinicians"}
    assert people_seen(clinician, "bill") == ["Bill Biller"]
    assert groups_seen(clinician, "bill") == {}
    assert people_seen(clinician, "nobody") == []
    everyone = people_seen(clinician)
    assert everyone == ["Ada Admin", "Bill Biller", "Cody Clinician", "Sky Scheduler"]


def test_recipients_never_include_other_practices_or_clients(world: World, api_as: Any) -> None:
    clinician = api_as(world.clinician)
    response = clinician.get("/recipients")

    items = response.json()["items"]
    users = {i["id"] for i in items if i["kind"] == "user"}
    assert str(world.outsider_clinician.pk) not in users
    assert str(world.outsider_admin.pk) not in users
    assert str(world.client.pk) not in users
    for q in ("Olga", "Otto", "Casey", "Oscar"):
        assert clinician.get(f"/recipients?q={q}").json()["items"] == []
    user_items = [i for i in items if i["kind"] == "user"]
    assert all(set(i) == {"kind", "id", "name", "roles"} for i in user_items)
    assert next(i for i in user_items if i["name"] == "Bill Biller")["roles"] == ["biller"]


@pytest.mark.parametrize("q", ["%00", "a%00b", "%25", "_", "%5C", "x" * 5000, "%F0%9F%98%80"])
def test_any_search_text_is_answered_without_error(world: World, api_as: Any, q: str) -> None:
    response = api_as(world.clinician).get(f"/recipients?q={q}")

    assert response.status_code == 200, response.content
    assert response.json()["items"] == []
