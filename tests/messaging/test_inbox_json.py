"""The inbox page's JSON is built as plain data (schemas.page_json): it must stay
what ninja dumps for a `ThreadList`, and say what `summary` says of each thread."""

from __future__ import annotations

import json
from typing import Any

from ninja.responses import NinjaJSONEncoder

from huddle.accounts.models import User
from huddle.messaging import actions, queries
from huddle.messaging.access import get_participation
from huddle.messaging.models import Thread
from huddle.messaging.schemas import ThreadList, page_json, row_json, summary
from tests.conftest import World


def encoded(data: Any) -> str:
    return json.dumps(data, cls=NinjaJSONEncoder)


def threads_of_every_kind(world: World) -> None:
    two = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Two", body="Hi  \n there"
    )
    actions.start_thread(
        sender=world.biller, group_keys=["all_staff"], subject="Group", body="x" * 400
    )
    mine = get_participation(world.clinician, two.pk)
    actions.edit_header(editor=world.clinician, participation=mine, subject="Renamed")
    actions.archive(participation=get_participation(world.biller, two.pk))
    actions.start_client_thread(
        sender=world.client.user, client=world.client, audience="clinical", subject="C", body="B"
    )
    actions.start_client_thread(
        sender=world.clinician, client=world.client, audience="clinical", subject="D", body="E"
    )


def check_pages(user: User, view: str) -> int:
    seen = 0
    for folder in queries.FOLDERS:
        page = queries.inbox(user, view=view, folder=folder)
        data = page_json(page, user)
        assert encoded(data) == encoded(ThreadList.model_validate(data).model_dump())
        for row in page.items:
            participation = get_participation(user, row.thread_id)
            participation.thread = Thread.objects.select_related("last_message__author").get(
                pk=row.thread_id
            )
            expected = summary(
                participation, page.cutoff, queries.thread_participants(participation)
            )
            assert encoded(row_json(row, user, page.cutoff)) == encoded(expected.model_dump())
            seen += 1
    return seen


def test_the_page_json_is_the_thread_list_ninja_would_dump(world: World) -> None:
    threads_of_every_kind(world)
    seen = 0
    for user in (world.clinician, world.biller, world.admin):
        seen += check_pages(user, "practice") + check_pages(user, "clients")
    seen += check_pages(world.client.user, "clients")
    assert seen >= 9
