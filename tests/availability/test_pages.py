"""The availability pages: Settings > Practice hours, Profile > Away, the
header's "Away", the portal's guidance, crisis and closed notices, the client
page's messaging control and the thread's notices - as insiders and outsiders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huddle.availability.models import AwayPeriod, PracticeHours
from huddle.clients.models import Client
from tests.availability.helpers import set_away, set_hours
from tests.client_messaging.helpers import created, start_as_client
from tests.conftest import Api, World
from tests.pages.helpers import (
    assert_admin_only,
    assert_not_found,
    assert_signin_redirect,
    field_error,
    text,
)

HOURS = "/settings/hours"
AWAY = "/profile/away"


def hours_form(**overrides: str) -> dict[str, str]:
    data = {
        "timezone": "America/Chicago",
        "weekly_mon": "08:00-12:00, 13:00-17:00",
        "weekly_tue": "09:00-17:00",
        "weekly_wed": "",
        "weekly_thu": "",
        "weekly_fri": "09:00-15:00",
        "weekly_sat": "",
        "weekly_sun": "",
        "closed_dates": "2026-12-25\n2027-01-01",
        "after_hours_reply": "We are closed; we answer tomorrow.",
        "portal_guidance": "For scheduling and questions.",
        "crisis_notice": "Call 911 or 988.",
    }
    data.update(overrides)
    return data


def test_a_practice_admin_saves_the_hours_page(world: World, page_as: Any) -> None:
    admin = page_as(world.admin)
    page = text(admin.get(HOURS))
    assert "Not set yet" in page and "Practice hours" in page
    response = admin.post(HOURS, hours_form())
    assert response.status_code == 302
    row = PracticeHours.objects.get(practice=world.practice)
    assert row.timezone == "America/Chicago"
    assert row.weekly == {
        "mon": [["08:00", "12:00"], ["13:00", "17:00"]],
        "tue": [["09:00", "17:00"]],
        "fri": [["09:00", "15:00"]],
    }
    assert row.closed_dates == ["2026-12-25", "2027-01-01"]
    page = text(admin.get(HOURS))
    assert 'value="08:00-12:00, 13:00-17:00"' in page
    assert "Practice hours were saved." in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weekly_mon": "17:00-08:00"}, "17:00 to 08:00 ends before it starts."),
        ({"weekly_tue": "08:00-12:00, 11:00-13:00"}, "overlap"),
        ({"weekly_wed": "mornings"}, "Write each range as 08:00-17:00"),
        ({"closed_dates": "Christmas"}, "is not a date as YYYY-MM-DD"),
        ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
        ({"crisis_notice": ""}, "Write the crisis notice."),
    ],
)
def test_bad_hours_come_back_as_400_and_nothing_is_saved(
    world: World, page_as: Any, change: dict[str, str], message: str
) -> None:
    response = page_as(world.admin).post(HOURS, hours_form(**change))
    field_error(response, message)
    assert not PracticeHours.objects.exists()


def test_the_hours_page_is_for_practice_admins_only(world: World, page_as: Any) -> None:
    assert_admin_only(page_as(world.clinician).get(HOURS))
    assert_admin_only(page_as(world.clinician).post(HOURS, hours_form()))
    assert_signin_redirect(Api(None).http.get(HOURS), HOURS)
    assert not PracticeHours.objects.exists()


def test_an_outsider_admin_edits_only_their_own_practice(world: World, page_as: Any) -> None:
    page_as(world.outsider_admin).post(HOURS, hours_form())
    assert list(PracticeHours.objects.values_list("practice_id", flat=True)) == [
        world.outsider_practice.pk
    ]


def test_staff_set_their_away_period_and_the_header_says_away(world: World, page_as: Any) -> None:
    me = page_as(world.clinician)
    page = text(me.get("/messages/"))
    assert "away-badge" not in page
    start = timezone.now().astimezone(ZoneInfo("America/New_York")) - timedelta(minutes=5)
    end = datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    response = me.post(
        AWAY,
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
            "note": "",
            "covering": str(world.co_clinician.pk),
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    period = AwayPeriod.objects.get(user=world.clinician)
    assert period.ends_at == datetime(2026, 12, 8, 14, 0, tzinfo=UTC)  # 09:00 EST
    assert period.covering == world.co_clinician
    page = text(me.get(AWAY))
    assert "You are away until" in page and "Tue 8 Dec, 09:00" in page
    assert "Cody Clinician is covering" in page
    assert 'class="button-quiet away-badge"' in text(me.get("/messages/"))
    assert me.post("/profile/away/end").status_code == 302
    assert "away-badge" not in text(me.get("/messages/"))


def test_a_bad_away_period_is_400_with_the_field(world: World, page_as: Any) -> None:
    response = page_as(world.clinician).post(
        AWAY,
        {
            "starts_at": "2026-12-10T09:00",
            "ends_at": "2026-12-09T09:00",
            "covering": str(world.biller.pk),
        },
    )
    field_error(response, "Choose an end after the start")
    assert not AwayPeriod.objects.exists()


def test_the_away_page_offers_only_colleagues_of_the_practice(world: World, page_as: Any) -> None:
    page = text(page_as(world.clinician).get(AWAY))
    assert "Cody Clinician" in page
    assert "Olga Outside" not in page and "Casey Client" not in page
    response = page_as(world.clinician).post(
        AWAY,
        {
            "starts_at": "2026-12-10T09:00",
            "ends_at": "2026-12-11T09:00",
            "covering": str(world.outsider_clinician.pk),
        },
    )
    assert response.status_code == 400
    assert not AwayPeriod.objects.exists()


def test_clients_have_no_away_page(world: World, page_as: Any) -> None:
    assert_not_found(page_as(world.client.user).get(AWAY))
    assert_signin_redirect(Api(None).http.get(AWAY), AWAY)


def test_the_portal_shows_the_practices_guidance_crisis_notice_and_closed(
    world: World, page_as: Any
) -> None:
    set_hours(
        world.admin,
        portal_guidance="Write to us about appointments.",
        crisis_notice="Crisis? Call 988 now.",
    )
    with time_machine.travel(datetime(2026, 12, 5, 17, 0, tzinfo=UTC), tick=False):  # Saturday
        page = text(page_as(world.client.user).get("/portal/"))
        compose = text(page_as(world.client.user).get("/portal/new"))
    assert "Write to us about appointments." in page
    assert "Crisis? Call 988 now." in page and "Crisis? Call 988 now." in compose
    assert "The practice is closed now and opens again Monday 7 December at 08:00." in page
    with time_machine.travel(datetime(2026, 12, 7, 15, 0, tzinfo=UTC), tick=False):  # Mon 10:00
        page = text(page_as(world.client.user).get("/portal/"))
    assert "closed now" not in page


def test_the_thread_shows_the_auto_reply_and_the_coverage(world: World, page_as: Any) -> None:
    set_hours(world.admin, after_hours_reply="Closed; back at 8.")
    with time_machine.travel(datetime(2026, 12, 5, 17, 0, tzinfo=UTC), tick=False):
        thread = created(start_as_client(Api(world.client.user), "clinical"))
    set_away(
        world.clinician,
        timezone.now(),
        timezone.now() + timedelta(days=2),
        covering_user_id=str(world.co_clinician.pk),
    )
    staff_page = text(page_as(world.co_clinician).get(f"/messages/{thread}"))
    assert "Automatic notice" in staff_page and "Closed; back at 8." in staff_page
    assert "Cody Clinician sees this thread while covering for Cleo Clinician" in staff_page
    client_page = text(page_as(world.client.user).get(f"/portal/{thread}"))
    assert "Closed; back at 8." in client_page
    assert "covering for" not in client_page


def test_the_client_page_sets_messaging(world: World, page_as: Any) -> None:
    admin = page_as(world.admin)
    path = f"/settings/clients/{world.client.pk}"
    page = text(admin.get(path))
    assert "Reply only: the client answers staff threads but starts none" in page
    response = admin.post(
        path,
        {
            "name": "Casey Client",
            "email": "casey@client.example",
            "clinicians": [str(world.clinician.pk)],
            "portal_enabled": "on",
            "messaging": "reply_only",
        },
    )
    assert response.status_code == 302
    assert Client.objects.get(pk=world.client.pk).messaging == "reply_only"


def test_a_thread_page_costs_the_same_with_one_or_five_notices(world: World, page_as: Any) -> None:
    set_hours(world.admin)
    thread = ""
    for day in range(5):
        with time_machine.travel(datetime(2026, 12, 1 + day, 3, 0, tzinfo=UTC), tick=False):
            if not thread:
                thread = created(start_as_client(Api(world.client.user), "clinical"))
                page = page_as(world.clinician)
                page.get(f"/messages/{thread}")
                with CaptureQueriesContext(connection) as one:
                    page.get(f"/messages/{thread}")
            else:
                Api(world.client.user).post(f"/threads/{thread}/messages", {"body": "again"})
    page = page_as(world.clinician)
    page.get(f"/messages/{thread}")
    with CaptureQueriesContext(connection) as five:
        page.get(f"/messages/{thread}")
    assert len(five.captured_queries) == len(one.captured_queries)
