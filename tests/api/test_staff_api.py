"""GET/POST /api/v1/staff and GET/PATCH /api/v1/staff/{id}."""

from __future__ import annotations

import base64
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huddle.accounts.actions import create_staff
from huddle.accounts.models import ApiToken, Kind, User
from huddle.administration.actions import create_location, create_practice
from huddle.core import limits
from tests.api.helpers import ApiAs, error_of, field_error, snapshot
from tests.conftest import PASSWORD, Api, World

NEW = {"name": "Nia New", "email": "nia@maple.example", "roles": ["clinician"]}


@pytest.fixture
def admin(world: World, api_as: ApiAs) -> Api:
    return api_as(world.admin)


def test_creating_staff_answers_201_with_the_stored_member(world: World, admin: Api) -> None:
    body = {
        **NEW,
        "email": "Nia@Maple.Example",
        "roles": ["supervisor", "clinician"],
        "location_ids": [str(world.eastside.pk), world.downtown.pk],
    }

    response = admin.post("/staff", body)

    assert response.status_code == 201
    out = response.json()
    nia = User.objects.get(pending_email="nia@maple.example")
    assert out["id"] == str(nia.pk)
    assert out["name"] == "Nia New"
    assert out["email"] == "nia@maple.example"
    assert out["email_confirmed"] is False
    assert out["password_set"] is False
    assert out["roles"] == ["clinician", "supervisor"]
    assert out["location_ids"] == sorted([str(world.downtown.pk), str(world.eastside.pk)])
    assert all(isinstance(i, str) for i in out["location_ids"])
    assert out["is_active"] is True
    assert datetime.fromisoformat(out["created_at"]).utcoffset() is not None
    assert "password" not in out
    assert nia.practice_id == world.practice.pk
    assert nia.kind == Kind.STAFF
    assert nia.role_set() == {"clinician", "supervisor"}
    assert set(nia.locations.all()) == {world.downtown, world.eastside}


def test_staff_created_cannot_sign_in_until_they_choose_a_password(
    world: World, admin: Api
) -> None:
    response = admin.post("/staff", NEW)

    assert response.status_code == 201
    nia = User.objects.get(pending_email="nia@maple.example")
    assert not nia.has_usable_password()
    assert nia.email != "nia@maple.example"  # no account signs in with it yet


def test_getting_a_staff_member_answers_their_record(world: World, admin: Api) -> None:
    response = admin.get(f"/staff/{world.scheduler.pk}")

    assert response.status_code == 200
    out = response.json()
    assert out["id"] == str(world.scheduler.pk)
    assert out["roles"] == ["scheduler"]
    assert out["location_ids"] == [str(world.downtown.pk)]


@pytest.mark.parametrize(
    "email",
    [
        "cleo@maple.example",  # staff of this practice
        "CLEO@Maple.example",  # in another case
        "olga@other.example",  # staff of another practice
        "Casey@Client.Example",  # a client's email
        "oscar@client.example",  # another practice's client
    ],
)
def test_creating_staff_with_an_email_in_use_answers_as_for_a_new_one(
    world: World, admin: Api, email: str
) -> None:
    """Issue 19, finding 2: no 409 that tells one practice about another's accounts;
    the address keeps its one account (the owner is told by email)."""
    owner = User.objects.get(email=email.lower())

    response = admin.post("/staff", {**NEW, "email": email})

    assert response.status_code == 201
    assert response.json()["email"] == email.lower()
    assert User.objects.get(email=email.lower()) == owner
    assert User.objects.filter(pending_email=email.lower()).count() == 1


def test_changing_an_email_to_one_in_use_changes_no_account(world: World, admin: Api) -> None:
    response = admin.patch(f"/staff/{world.biller.pk}", {"email": "OTTO@other.example"})

    assert response.status_code == 200
    assert response.json()["email"] == "otto@other.example"
    assert response.json()["email_confirmed"] is False
    world.biller.refresh_from_db()
    assert world.biller.email == "bill@maple.example"  # still signs in with the old one
    assert User.objects.filter(email="otto@other.example").count() == 1


def test_keeping_ones_own_email_in_another_case_is_allowed(world: World, admin: Api) -> None:
    response = admin.patch(f"/staff/{world.biller.pk}", {"email": "BILL@maple.example"})

    assert response.status_code == 200
    world.biller.refresh_from_db()
    assert world.biller.email == "bill@maple.example"


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_name_too_long_is_400_naming_the_field(world: World, admin: Api, method: str) -> None:
    before = snapshot()
    name = "n" * (limits.NAME_MAX + 1)

    if method == "post":
        response = admin.post("/staff", {**NEW, "name": name})
    else:
        response = admin.patch(f"/staff/{world.biller.pk}", {"name": name})

    field_error(response, "name")
    assert snapshot() == before


@pytest.mark.parametrize("roles", [["wizard"], ["clinician", "owner"], [], ["Clinician"], "admin"])
def test_an_unknown_or_empty_role_list_is_400(world: World, admin: Api, roles: object) -> None:
    before = snapshot()

    field_error(admin.post("/staff", {**NEW, "roles": roles}), "roles")
    field_error(admin.patch(f"/staff/{world.biller.pk}", {"roles": roles}), "roles")
    assert snapshot() == before


def test_locations_of_another_practice_are_400_and_nothing_is_stored(
    world: World, admin: Api
) -> None:
    theirs = create_location(actor=world.outsider_admin, name="Their Office")
    before = snapshot()

    created = admin.post("/staff", {**NEW, "location_ids": [world.downtown.pk, theirs.pk]})
    patched = admin.patch(
        f"/staff/{world.biller.pk}", {"name": "Renamed", "location_ids": [str(theirs.pk)]}
    )

    field_error(created, "location_ids")
    field_error(patched, "location_ids")
    assert snapshot() == before
    world.biller.refresh_from_db()
    assert world.biller.name == "Bill Biller"


def test_a_location_that_does_not_exist_is_400(world: World, admin: Api) -> None:
    before = snapshot()

    field_error(admin.post("/staff", {**NEW, "location_ids": ["999999"]}), "location_ids")
    assert snapshot() == before


@pytest.mark.parametrize(
    "password", ["short pass", "qwerty123456", "1q2w3e4r5t6y", "nia@maple.example", "123qweasdzxc"]
)
def test_a_weak_password_is_400_naming_the_field(world: World, admin: Api, password: str) -> None:
    before = snapshot()

    created = admin.post("/staff", {**NEW, "password": password})
    patched = admin.patch(f"/staff/{world.biller.pk}", {"password": password})

    field_error(created, "password")
    field_error(patched, "password")
    assert snapshot() == before


def test_the_last_practice_admin_cannot_lose_the_role(world: World, admin: Api) -> None:
    before = snapshot()

    response = admin.patch(f"/staff/{world.admin.pk}", {"roles": ["clinician"]})

    assert "Practice Admin" in field_error(response, "roles")
    assert snapshot() == before


def test_an_admin_cannot_deactivate_themself(world: World, admin: Api) -> None:
    before = snapshot()

    response = admin.patch(f"/staff/{world.admin.pk}", {"is_active": False})

    field_error(response, "is_active")
    assert snapshot() == before


def test_an_admin_may_hand_over_the_role_to_another(world: World, admin: Api) -> None:
    promoted = admin.patch(f"/staff/{world.biller.pk}", {"roles": ["biller", "practice_admin"]})
    demoted = admin.patch(f"/staff/{world.admin.pk}", {"roles": ["supervisor"]})

    assert promoted.status_code == 200
    assert demoted.status_code == 200
    assert demoted.json()["roles"] == ["supervisor"]
    assert world.admin.role_set() == {"supervisor"}
    assert world.biller.role_set() == {"biller", "practice_admin"}


def test_another_admin_may_be_deactivated_while_one_remains(world: World, admin: Api) -> None:
    admin.patch(f"/staff/{world.biller.pk}", {"roles": ["biller", "practice_admin"]})
    biller_token = Api(world.biller)

    response = admin.patch(f"/staff/{world.biller.pk}", {"is_active": False})

    assert response.status_code == 200
    world.biller.refresh_from_db()
    assert world.biller.is_active is False
    error_of(biller_token.get("/staff"), 401, "not_authenticated")


def test_patching_nothing_changes_nothing(world: World, admin: Api) -> None:
    before = snapshot()

    response = admin.patch(f"/staff/{world.biller.pk}", {})

    assert response.status_code == 200
    assert response.json()["name"] == "Bill Biller"
    assert snapshot() == before


def test_the_staff_list_pages_through_every_member_exactly_once(world: World, admin: Api) -> None:
    for i in range(11):
        # Equal names make the (name, id) order matter.
        create_staff(
            actor=world.admin, name="Same Name" if i % 2 else f"Person {i:02}",
            email=f"p{i}@maple.example", roles=["biller"],
        )  # fmt: skip
    expected = set(
        User.objects.filter(practice=world.practice, kind=Kind.STAFF).values_list("pk", flat=True)
    )
    seen: list[str] = []
    cursor = ""
    for _ in range(20):
        response = admin.get(f"/staff?limit=4{cursor}")
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 4
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert sorted(seen) == sorted(str(pk) for pk in expected)
    assert len(seen) == len(set(seen)) == 16
    assert str(world.outsider_admin.pk) not in seen
    assert str(world.client.pk) not in seen


@pytest.mark.parametrize("cursor", ["!!!", "abc", "WyJhIl0", "bnVsbA", "WyJhIiwgLTFd", "e30"])
def test_a_bad_cursor_is_400_naming_it(world: World, admin: Api, cursor: str) -> None:
    field_error(admin.get(f"/staff?cursor={cursor}"), "cursor")


@pytest.mark.parametrize("limit", ["0", "500", "201", "-1", "abc", "1.5"])
def test_a_limit_outside_1_to_200_is_400_naming_it(world: World, admin: Api, limit: str) -> None:
    field_error(admin.get(f"/staff?limit={limit}"), "limit")


def test_limits_1_and_200_are_accepted(world: World, admin: Api) -> None:
    one = admin.get("/staff?limit=1")
    all_of_them = admin.get("/staff?limit=200")

    assert len(one.json()["items"]) == 1
    assert one.json()["next_cursor"] is not None
    assert len(all_of_them.json()["items"]) == 5
    assert all_of_them.json()["next_cursor"] is None


def queries_for_staff_list(count: int) -> int:
    practice_admin = create_practice(
        name=f"Practice of {count}",
        admin_name="Pat Admin",
        admin_email=f"pat{count}@example.org",
        admin_password=PASSWORD,
    )[1]
    where = create_location(actor=practice_admin, name="Main")
    for i in range(count - 1):
        create_staff(
            actor=practice_admin, name=f"Staff {i}", email=f"s{i}.{count}@example.org",
            roles=["clinician", "biller"], location_ids=[where.pk],
        )  # fmt: skip
    api = Api(practice_admin)
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/staff?limit=200")
    assert response.status_code == 200
    assert len(response.json()["items"]) == count
    return len(ctx.captured_queries)


def test_the_staff_list_uses_as_many_queries_for_30_staff_as_for_3(db: None) -> None:
    assert queries_for_staff_list(3) == queries_for_staff_list(30)
    assert ApiToken.objects.count() == 2


def test_a_clients_id_is_not_a_staff_id_nor_the_reverse(world: World, admin: Api) -> None:
    missing = admin.get("/staff/999999999")
    before = snapshot()

    as_staff = admin.patch(f"/staff/{world.client.pk}", {"name": "Renamed"})
    as_client = admin.patch(f"/clients/{world.clinician.pk}", {"name": "Renamed"})

    error_of(as_staff, 404, "not_found")
    error_of(as_client, 404, "not_found")
    assert as_staff.content == as_client.content == missing.content
    assert snapshot() == before


def test_a_forged_deeply_nested_cursor_is_400_not_a_crash(world: World, admin: Api) -> None:
    nested = base64.urlsafe_b64encode(("[" * 5000).encode()).decode().rstrip("=")
    field_error(admin.get(f"/staff?cursor={nested}"), "cursor")
