"""Auto-archive (F7): a thread with no new message for the practice's period
is archived for everyone; a change of the period applies at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from huddle.practices.models import Practice
from tests.conftest import Api, World
from tests.messaging.helpers import backdate, listed, sent, state_of


def days_ago(days: int) -> Any:
    return timezone.now() - timedelta(days=days)


def set_period(admin: Api, days: int) -> None:
    response = admin.patch("/practice/settings", {"auto_archive_days": days})
    assert response.status_code == 200, response.content
    assert response.json()["auto_archive_days"] == days


def test_a_thread_quiet_for_the_period_is_archived_for_everyone(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    old = sent(clinician, users=[world.biller], subject="Old")
    recent = sent(clinician, users=[world.biller], subject="Recent")
    backdate(old, days_ago(31))  # the default period is 30 days
    backdate(recent, days_ago(29))

    for api in (clinician, biller):
        assert list(listed(api)) == [recent]
        archived = listed(api, "archived")
        assert list(archived) == [old]
        assert archived[old]["archived"] is True
        assert api.get(f"/threads/{old}").json()["archived"] is True
    # Computed from the period, not written: the rows say what people did.
    assert state_of(world.biller, old).archived is False


def test_changing_the_period_applies_at_once_to_every_thread(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    admin = api_as(world.admin)
    twenty = sent(clinician, users=[world.biller], subject="Twenty days")
    forty = sent(clinician, users=[world.biller], subject="Forty days")
    backdate(twenty, days_ago(20))
    backdate(forty, days_ago(40))

    set_period(admin, 60)
    assert Practice.objects.get(pk=world.practice.pk).auto_archive_days == 60
    for api in (clinician, biller):
        assert list(listed(api)) == [twenty, forty]
        assert listed(api, "archived") == {}

    set_period(admin, 14)
    for api in (clinician, biller):
        assert listed(api) == {}
        assert list(listed(api, "archived")) == [twenty, forty]

    set_period(admin, 30)
    for api in (clinician, biller):
        assert list(listed(api)) == [twenty]
        assert list(listed(api, "archived")) == [forty]


def test_unarchiving_an_auto_archived_thread_brings_it_to_the_inbox(
    world: World, api_as: Any
) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller])
    backdate(thread, days_ago(45))

    response = biller.post(f"/threads/{thread}/unarchive")

    assert response.status_code == 200, response.content
    assert response.json()["archived"] is False
    assert list(listed(biller)) == [thread]
    assert listed(biller, "archived") == {}
    assert state_of(world.biller, thread).activity_at > days_ago(1)
    # Only for the person who moved it.
    assert listed(clinician) == {}
    assert list(listed(clinician, "archived")) == [thread]


def test_a_reply_brings_an_auto_archived_thread_back_for_everyone(
    world: World, api_as: Any
) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    scheduler = api_as(world.scheduler)
    thread = sent(clinician, users=[world.biller, world.scheduler])
    backdate(thread, days_ago(90))
    assert biller.get(f"/threads/{thread}").json()["archived"] is True

    assert scheduler.post(f"/threads/{thread}/messages", {"body": "Bump"}).status_code == 201

    for api in (clinician, biller, scheduler):
        assert list(listed(api)) == [thread]
        assert listed(api, "archived") == {}
    assert listed(clinician)[thread]["unread_count"] == 1
    assert listed(scheduler)[thread]["unread_count"] == 0


def test_a_header_change_does_not_keep_a_thread_out_of_auto_archive(
    world: World, api_as: Any
) -> None:
    clinician = api_as(world.clinician)
    thread = sent(clinician, users=[world.biller], subject="Claim")
    backdate(thread, days_ago(31))

    assert clinician.patch(f"/threads/{thread}", {"subject": "Claim 2231"}).status_code == 200

    assert listed(clinician) == {}
    assert listed(clinician, "archived")[thread]["subject"] == "Claim 2231"
