"""GET/PUT /api/v1/practice/hours (F22): Practice Admins write, everyone of the
practice reads; bad input is a 400 naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.audit.models import AuditEvent
from huddle.availability.models import DEFAULT_CRISIS_NOTICE, PracticeHours
from tests.api.helpers import error_of, field_error
from tests.availability.helpers import WEEKDAYS_8_TO_5, put, set_hours
from tests.conftest import Api, World


def test_unset_hours_read_as_defaults_with_the_988_crisis_notice(world: World) -> None:
    body = Api(world.client.user).get("/practice/hours").json()
    assert body["configured"] is False
    assert body["crisis_notice"] == DEFAULT_CRISIS_NOTICE
    assert "911" in body["crisis_notice"] and "988" in body["crisis_notice"]
    assert not PracticeHours.objects.exists()


def test_a_practice_admin_sets_the_hours_and_everyone_of_the_practice_reads_them(
    world: World,
) -> None:
    answer = set_hours(
        world.admin,
        weekly={"mon": [["13:00", "17:00"], ["08:00", "12:00"]], "sat": []},
        closed_dates=["2026-12-25", "2026-12-24", "2026-12-25"],
        after_hours_reply="We are closed.",
        portal_guidance="",
    )
    assert answer["weekly"]["mon"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert answer["weekly"]["sat"] == [] and answer["weekly"]["tue"] == []
    assert answer["closed_dates"] == ["2026-12-24", "2026-12-25"]
    assert answer["after_hours_reply"] == "We are closed."
    assert answer["portal_guidance"] == ""
    assert answer["crisis_notice"] == DEFAULT_CRISIS_NOTICE  # left out: the default
    for reader in (world.clinician, world.biller, world.client.user):
        assert Api(reader).get("/practice/hours").json() == answer
    row = PracticeHours.objects.get(practice=world.practice)
    assert (row.timezone, row.closed_dates) == ("America/New_York", ["2026-12-24", "2026-12-25"])
    assert AuditEvent.objects.filter(action="hours_changed", actor=world.admin).count() == 1


def test_another_practice_reads_only_its_own_hours(world: World) -> None:
    set_hours(world.admin, after_hours_reply="Maple is closed.")
    body = Api(world.outsider_admin).get("/practice/hours").json()
    assert body["configured"] is False
    assert body["after_hours_reply"] != "Maple is closed."


@pytest.mark.parametrize("who", ["clinician", "biller", "scheduler"])
def test_only_a_practice_admin_writes_the_hours(world: World, who: str) -> None:
    body = {"timezone": "UTC", "weekly": WEEKDAYS_8_TO_5}
    error_of(put(Api(getattr(world, who)), "/practice/hours", body), 403)
    error_of(put(Api(world.client.user), "/practice/hours", body), 403)
    error_of(put(Api(None), "/practice/hours", body), 401)
    assert not PracticeHours.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "est"}, "timezone"),
        ({"weekly": {"mon": [["17:00", "08:00"]]}}, "weekly.mon"),
        ({"weekly": {"mon": [["08:00", "08:00"]]}}, "weekly.mon"),
        ({"weekly": {"tue": [["08:00", "12:00"], ["11:00", "17:00"]]}}, "weekly.tue"),
        ({"weekly": {"wed": [["8:00", "17:00"]]}}, "weekly.wed"),
        ({"weekly": {"wed": [["08:00", "25:00"]]}}, "weekly.wed"),
        ({"weekly": {"wed": [["24:00", "24:00"]]}}, "weekly.wed"),
        ({"weekly": {"wed": [["08:00"]]}}, "weekly.wed"),
        ({"weekly": {"funday": [["08:00", "17:00"]]}}, "weekly.funday"),
        ({"closed_dates": ["2026-02-30"]}, "closed_dates"),
        ({"closed_dates": ["next monday"]}, "closed_dates"),
        ({"after_hours_reply": "x" * 2001}, "after_hours_reply"),
        ({"after_hours_reply": "   "}, "after_hours_reply"),
        ({"crisis_notice": "x" * 501}, "crisis_notice"),
        ({"portal_guidance": "x" * 2001}, "portal_guidance"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_hours_are_400_naming_the_field_and_nothing_changes(
    world: World, change: dict[str, Any], field: str
) -> None:
    before = set_hours(world.admin, after_hours_reply="Closed now.")
    body = {"timezone": "America/New_York", "weekly": WEEKDAYS_8_TO_5, **change}
    field_error(put(Api(world.admin), "/practice/hours", body), field)
    assert Api(world.admin).get("/practice/hours").json() == before


def test_a_day_may_end_at_midnight(world: World) -> None:
    answer = set_hours(world.admin, weekly={"fri": [["18:00", "24:00"]]})
    assert answer["weekly"]["fri"] == [["18:00", "24:00"]]
