"""Never a 500 for bad input (API.md): every POST/PATCH body of the wrong shape or
with a field of the wrong type answers 400 in the error format, never 500 or 422,
and stores nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from huddle.accounts.models import ApiToken
from tests.api.helpers import ApiAs, error_of, snapshot
from tests.conftest import PASSWORD, Api, World

# Values of every JSON type, and a few that no field accepts.
NESTED = {"a": {"b": [1, None, {"c": "d"}]}}
ANY_TYPE: dict[str, Any] = {
    "int": 7,
    "float": 7.5,
    "bool": True,
    "str": "seven",
    "list": ["seven", 7],
    "object": NESTED,
    "huge": 10**40,
}
WRONG_FOR_KIND: dict[str, list[Any]] = {
    "str": [v for k, v in ANY_TYPE.items() if k != "str"] + ["a\x00b", "x" * 5000],
    "bool": [v for k, v in ANY_TYPE.items() if k != "bool"] + ["true", 1, 0],
    "int": [v for k, v in ANY_TYPE.items() if k not in {"int"}] + ["30", -1, 0, 10**6],
    "ids": [v for k, v in ANY_TYPE.items() if k != "list"]
    + [[None], [True], [1.5], [-1], [0], [10**40], ["abc"], ["1e3"], [NESTED], [[1]], ["9" * 19]],
    "roles": [v for k, v in ANY_TYPE.items() if k != "list"]
    + [[None], [1], ["wizard"], [NESTED], [["clinician"]], [], ["clinician"] * 10],
}
WHOLE_BODIES: list[Any] = [None, [], [{}], 0, 1.5, True, "string", "", NESTED, {"": 1}]


@dataclass(frozen=True)
class Writer:
    method: str
    path: str
    valid: dict[str, Any]
    fields: dict[str, str]  # field -> kind
    nullable: frozenset[str] = frozenset()  # null means "unchanged" or "none"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def bad_bodies(self) -> Iterator[tuple[str, str]]:
        """(description, raw JSON) of every bad body for this endpoint."""
        for body in WHOLE_BODIES:
            yield f"body {body!r}", json.dumps(body)
        for field, kind in self.fields.items():
            values = list(WRONG_FOR_KIND[kind])
            if field not in self.nullable:
                values.append(None)
            for value in values:
                yield f"{field}={value!r:.60}", json.dumps({**self.valid, field: value})
        yield "unknown field", json.dumps({**self.valid, "surprise": NESTED})


WRITERS = [
    Writer(
        "POST",
        "/auth/token",
        {"email": "ada@maple.example", "password": PASSWORD},
        {"email": "str", "password": "str", "otp": "str"},
        frozenset({"otp"}),
    ),
    Writer(
        "PATCH",
        "/practice/settings",
        {"auto_archive_days": 14},
        {
            "secure_messaging_enabled": "bool",
            "practice_messaging_enabled": "bool",
            "auto_archive_days": "int",
            "session_idle_minutes": "int",
            "require_two_factor": "bool",
        },
        frozenset(
            {
                "secure_messaging_enabled",
                "practice_messaging_enabled",
                "auto_archive_days",
                "session_idle_minutes",
                "require_two_factor",
            }
        ),
    ),
    Writer("POST", "/locations", {"name": "Northside"}, {"name": "str"}),
    Writer("PATCH", "/locations/{location}", {"name": "Midtown"}, {"name": "str"}),
    Writer(
        "POST",
        "/staff",
        {"name": "Nia New", "email": "nia@maple.example", "roles": ["clinician"]},
        {"name": "str", "email": "str", "roles": "roles", "location_ids": "ids", "password": "str"},
        frozenset({"password"}),
    ),
    Writer(
        "PATCH",
        "/staff/{staff}",
        {"name": "Renamed Person"},
        {
            "name": "str",
            "email": "str",
            "roles": "roles",
            "location_ids": "ids",
            "is_active": "bool",
            "password": "str",
        },
        frozenset({"name", "email", "roles", "location_ids", "is_active", "password"}),
    ),
    Writer(
        "POST",
        "/clients",
        {"name": "Noor New", "email": "noor@client.example"},
        {"name": "str", "email": "str", "clinician_ids": "ids", "portal_enabled": "bool"},
        frozenset({"password"}),
    ),
    Writer(
        "PATCH",
        "/clients/{client}",
        {"name": "Renamed Person"},
        {
            "name": "str",
            "email": "str",
            "clinician_ids": "ids",
            "portal_enabled": "bool",
            "password": "str",
        },
        frozenset({"name", "email", "clinician_ids", "portal_enabled", "password"}),
    ),
]


def url_of(writer: Writer, world: World) -> str:
    return (
        writer.path.replace("{location}", str(world.downtown.pk))
        .replace("{staff}", str(world.scheduler.pk))
        .replace("{client}", str(world.client.pk))
    )


@pytest.mark.parametrize("writer", WRITERS, ids=str)
def test_the_valid_body_of_each_writer_is_accepted(
    world: World, api_as: ApiAs, writer: Writer
) -> None:
    # The loop below varies one field of this body: it must be good to begin with.
    before = snapshot()

    response = api_as(world.admin).call(writer.method, url_of(writer, world), writer.valid)

    assert response.status_code in {200, 201}, response.content
    assert snapshot() != before


@pytest.mark.parametrize("writer", WRITERS, ids=str)
def test_wrong_typed_bodies_are_always_400_and_store_nothing(
    world: World, api_as: ApiAs, writer: Writer
) -> None:
    api = api_as(world.admin)
    api.http.raise_request_exception = False
    url = url_of(writer, world)
    before = snapshot()
    answers: list[tuple[str, int]] = []

    for description, raw in writer.bad_bodies():
        response = api.call(writer.method, url, raw=raw)
        answers.append((description, response.status_code))
        if response.status_code == 400:
            error_of(response, 400)

    wrong = [(d, status) for d, status in answers if status != 400]
    print(f"{writer}: {len(answers)} bad bodies, all 400")
    assert not wrong, wrong
    assert len(answers) >= 20
    assert snapshot() == before


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_a_body_that_is_not_declared_json_is_400(
    world: World, api_as: ApiAs, content_type: str
) -> None:
    api = api_as(world.admin)
    api.http.raise_request_exception = False
    before = snapshot()

    response = api.http.post(
        "/api/v1/locations",
        data="name=Northside",
        content_type=content_type,
        headers=api.headers,
    )

    error_of(response, 400)
    assert snapshot() == before


@pytest.mark.parametrize("path", ["/staff", "/clients"])
@pytest.mark.parametrize(
    "query",
    [
        "limit=",
        "limit=x",
        "limit=1e2",
        "limit=99999999999999999999",
        "cursor=%00",
        "cursor=" + "A" * 5000,
    ],
)
def test_bad_list_parameters_are_400_never_500(
    world: World, api_as: ApiAs, path: str, query: str
) -> None:
    api = api_as(world.admin)
    api.http.raise_request_exception = False

    response = api.get(f"{path}?{query}")

    error_of(response, 400)


def test_an_empty_body_is_400(world: World, api_as: ApiAs) -> None:
    api = api_as(world.admin)
    before = snapshot()

    for writer in WRITERS:
        response = api.call(writer.method, url_of(writer, world), raw="")
        error_of(response, 400)
    assert snapshot() == before


def test_signing_in_with_wrong_types_gives_no_token(world: World) -> None:
    for body in ({"email": ["ada@maple.example"], "password": PASSWORD}, {"email": None}):
        error_of(Api(None).post("/auth/token", body), 400)
    assert not ApiToken.objects.exists()
