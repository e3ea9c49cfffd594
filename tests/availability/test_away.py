"""Away (F23): GET/PUT/DELETE /api/v1/me/away, one notice per thread and absence
for people writing to the absent person, and the covering colleague's access to
their client threads for the absence only, audited and shown in those threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from huddle.accounts.actions import create_staff
from huddle.audit.models import AuditEvent
from huddle.availability import actions
from huddle.availability.models import AwayPeriod, Coverage
from huddle.messaging.models import Participant
from tests.api.helpers import error_of, field_error
from tests.availability.helpers import notices, set_away, timeline
from tests.client_messaging.helpers import created, start_as_client
from tests.conftest import Api, World, with_password
from tests.messaging.helpers import sent


def soon(hours: float) -> datetime:
    return timezone.now() + timedelta(hours=hours)


def away_until_tuesday(world: World, **more: Any) -> Any:
    """The clinician away from now until Tue 8 Dec 2026 09:00 in New York."""
    until = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
    return set_away(world.clinician, soon(-1), until, **more)


def test_no_away_period_is_404_and_a_put_sets_one_starting_now(world: World) -> None:
    me = Api(world.clinician)
    error_of(me.get("/me/away"), 404)
    response = set_away(
        world.clinician,
        soon(-3),
        soon(48),
        note="Back Monday.",
        covering_user_id=str(world.co_clinician.pk),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["active"] is True and body["note"] == "Back Monday."
    assert body["covering"] == {"id": str(world.co_clinician.pk), "name": "Cody Clinician"}
    period = AwayPeriod.objects.get(user=world.clinician)
    assert abs((period.starts_at - timezone.now()).total_seconds()) < 60  # the past starts now
    assert period.coverage == Coverage.ACTIVE
    assert me.get("/me/away").json() == body
    assert AuditEvent.objects.filter(action="away_set", actor=world.clinician).count() == 1


def test_delete_ends_it_now_and_a_second_delete_is_404(world: World) -> None:
    away_until_tuesday(world)
    me = Api(world.clinician)
    assert me.delete("/me/away").status_code == 204
    error_of(me.get("/me/away"), 404)
    error_of(me.delete("/me/away"), 404)
    period = AwayPeriod.objects.get(user=world.clinician)
    assert period.ends_at <= timezone.now()
    assert AuditEvent.objects.filter(action="away_ended", actor=world.clinician).count() == 1


def test_a_future_period_is_not_active_and_deleting_it_drops_it(world: World) -> None:
    body = set_away(world.clinician, soon(24), soon(48)).json()
    assert body["active"] is False
    assert Api(world.clinician).delete("/me/away").status_code == 204
    assert not AwayPeriod.objects.exists()


@pytest.mark.parametrize(
    ("starts", "ends", "more", "field"),
    [
        (2, 1, {}, "ends_at"),
        (-5, -1, {}, "ends_at"),
        (1, 24 * 400, {}, "ends_at"),
        (1, 5, {"note": "x" * 501}, "note"),
        (1, 5, {"covering_user_id": "self"}, "covering_user_id"),
        (1, 5, {"covering_user_id": "outsider"}, "covering_user_id"),
        (1, 5, {"covering_user_id": "biller"}, "covering_user_id"),
        (1, 5, {"covering_user_id": "client"}, "covering_user_id"),
        (1, 5, {"covering_user_id": "99999999"}, "covering_user_id"),
    ],
)
def test_bad_away_periods_are_400_naming_the_field_and_nothing_is_stored(
    world: World, starts: float, ends: float, more: dict[str, Any], field: str
) -> None:
    people = {
        "self": world.clinician,
        "outsider": world.outsider_clinician,
        "biller": world.biller,
        "client": world.client.user,
    }
    if more.get("covering_user_id") in people:
        more = {"covering_user_id": str(people[more["covering_user_id"]].pk)}
    field_error(set_away(world.clinician, soon(starts), soon(ends), **more), field)
    assert not AwayPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action="away_set").exists()


def test_times_without_an_offset_are_400(world: World) -> None:
    body = {"starts_at": "2026-12-10T09:00:00", "ends_at": "2026-12-11T09:00:00"}
    field_error(Api(world.clinician).call("PUT", "/me/away", body), "starts_at")


@pytest.mark.parametrize("edge", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_times_at_the_edge_of_the_calendar_are_400_not_500(world: World, edge: str) -> None:
    body = {"starts_at": "2026-12-10T09:00:00Z", "ends_at": edge}
    field_error(Api(world.clinician).call("PUT", "/me/away", body), "ends_at")
    assert not AwayPeriod.objects.exists()


def test_clients_have_no_away_and_signed_out_is_401(world: World) -> None:
    error_of(set_away(world.client.user, soon(1), soon(5)), 403)
    error_of(Api(world.client.user).get("/me/away"), 404)
    error_of(Api(None).get("/me/away"), 401)


def test_writing_to_an_away_colleague_gets_one_notice_per_thread_and_absence(
    world: World,
) -> None:
    away_until_tuesday(world, covering_user_id=str(world.co_clinician.pk))
    biller = Api(world.biller)
    thread = sent(biller, users=[world.clinician], subject="Invoice", body="A question")
    biller.post(f"/threads/{thread}/messages", {"body": "And another"})
    items = timeline(biller, thread)
    assert [i["type"] for i in items] == ["message", "auto_reply", "message"]
    notice = items[1]
    assert notice["reason"] == "away"
    assert notice["user"] == {"id": str(world.clinician.pk), "name": "Cleo Clinician"}
    assert notice["text"] == "Cleo Clinician is away until Tue 8 Dec; Cody Clinician is covering."
    assert notice["until"].startswith("2026-12-08T14:00")
    # Not unread for anyone: the clinician has the two messages, the biller none.
    assert Participant.objects.get(user=world.clinician, thread_id=int(thread)).unread_count == 2
    assert Participant.objects.get(user=world.biller, thread_id=int(thread)).unread_count == 0


def test_the_note_is_the_notice_and_the_away_person_writing_sets_off_none(world: World) -> None:
    away_until_tuesday(world, note="On leave; for urgent matters call the front desk.")
    thread = sent(Api(world.clinician), users=[world.biller], subject="Leaving", body="Bye")
    assert notices(thread) == []
    Api(world.biller).post(f"/threads/{thread}/messages", {"body": "Enjoy"})
    assert [n.body for n in notices(thread)] == [
        "On leave; for urgent matters call the front desk."
    ]


def test_a_new_absence_notices_again(world: World) -> None:
    away_until_tuesday(world)
    thread = sent(Api(world.biller), users=[world.clinician], subject="A", body="1")
    Api(world.clinician).delete("/me/away")
    set_away(world.clinician, soon(0), soon(30))
    Api(world.biller).post(f"/threads/{thread}/messages", {"body": "2"})
    assert len(notices(thread)) == 2


def test_a_covering_clinician_sees_the_client_threads_only_during_the_absence(
    world: World,
) -> None:
    thread = created(start_as_client(Api(world.client.user), "clinical"))
    cover = Api(world.co_clinician)
    error_of(cover.get(f"/threads/{thread}"), 404)
    away_until_tuesday(world, covering_user_id=str(world.co_clinician.pk))
    detail = cover.get(f"/threads/{thread}")
    assert detail.status_code == 200
    assert detail.json()["coverage"] == [
        {
            "user": {"id": str(world.co_clinician.pk), "name": "Cody Clinician"},
            "covering_for": {"id": str(world.clinician.pk), "name": "Cleo Clinician"},
            "until": "2026-12-08T14:00:00Z",
        }
    ]
    # The client never sees who covers; other staff see it too.
    assert Api(world.client.user).get(f"/threads/{thread}").json()["coverage"] == []
    assert Api(world.clinician).get(f"/threads/{thread}").json()["coverage"] != []
    assert cover.post(f"/threads/{thread}/messages", {"body": "Covering"}).status_code == 201
    # A new thread of the client during the absence reaches the covering clinician too.
    later = created(start_as_client(Api(world.client.user), "clinical", subject="Later"))
    assert cover.get(f"/threads/{later}").status_code == 200
    # The outsider sees nothing of it.
    error_of(Api(world.outsider_clinician).get(f"/threads/{thread}"), 404)
    started = AuditEvent.objects.filter(action="coverage_started", actor=world.co_clinician)
    assert list(started.values_list("object_id", flat=True)) == [world.clinician.pk]
    # At the end, on its own: the worker's sweep takes the places back.
    with time_machine.travel(datetime(2026, 12, 8, 14, 0, 1, tzinfo=UTC), tick=False):
        assert actions.sweep() == 1
        error_of(Api(world.co_clinician).get(f"/threads/{thread}"), 404)
        error_of(Api(world.co_clinician).get(f"/threads/{later}"), 404)
        assert actions.sweep() == 0
    assert AwayPeriod.objects.get().coverage == Coverage.DONE
    assert AuditEvent.objects.filter(action="coverage_ended", actor=world.co_clinician).exists()
    # The absent clinician keeps their own places.
    assert Participant.objects.filter(user=world.clinician, thread_id=int(thread)).exists()


def test_coverage_set_ahead_starts_with_the_sweep_and_ending_early_revokes_it(
    world: World,
) -> None:
    thread = created(start_as_client(Api(world.client.user), "clinical"))
    start = datetime(2026, 12, 20, 14, 0, tzinfo=UTC)
    set_away(
        world.clinician,
        start,
        start + timedelta(days=3),
        covering_user_id=str(world.co_clinician.pk),
    )
    assert actions.sweep() == 0
    error_of(Api(world.co_clinician).get(f"/threads/{thread}"), 404)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert actions.sweep() == 1
        assert Api(world.co_clinician).get(f"/threads/{thread}").status_code == 200
        assert Api(world.clinician).delete("/me/away").status_code == 204
        error_of(Api(world.co_clinician).get(f"/threads/{thread}"), 404)


def test_changing_the_covering_colleague_moves_the_access(world: World) -> None:
    third = with_password(
        create_staff(
            actor=world.admin,
            name="Tess Third",
            email="tess@maple.example",
            roles=["clinician"],
            invite=False,
        )
    )
    thread = created(start_as_client(Api(world.client.user), "clinical"))
    away_until_tuesday(world, covering_user_id=str(world.co_clinician.pk))
    away_until_tuesday(world, covering_user_id=str(third.pk))
    error_of(Api(world.co_clinician).get(f"/threads/{thread}"), 404)
    assert Api(third).get(f"/threads/{thread}").status_code == 200
    assert AwayPeriod.objects.count() == 1
    started = AuditEvent.objects.filter(action="coverage_started").order_by("pk")
    assert [e.actor for e in started] == [world.co_clinician, third]
    ended = AuditEvent.objects.filter(action="coverage_ended")
    assert [e.actor for e in ended] == [world.co_clinician]


def test_the_answer_to_a_new_thread_shows_the_away_notice_as_reading_it_does(
    world: World,
) -> None:
    away_until_tuesday(world)
    biller = Api(world.biller)
    response = biller.post(
        "/threads",
        {"recipients": {"users": [str(world.clinician.pk)]}, "subject": "Hi", "body": "Hello"},
    )
    assert response.status_code == 201, response.content
    assert [i["type"] for i in response.json()["timeline"]] == ["message", "auto_reply"]
    assert biller.get(f"/threads/{response.json()['id']}").content == response.content
