"""Sending with `attachment_ids`: new threads and replies, the timeline's
`attachments`, who may attach what, and Idempotency-Key."""

from __future__ import annotations

from typing import Any

from huddle.attachments.models import Attachment
from huddle.messaging.models import Entry
from tests.attachments.helpers import PDF, TEXT, outsiders_on, png, uploaded
from tests.conftest import Api, World


def _thread(api: Api, world: World) -> str:
    response = api.post(
        "/threads",
        {"recipients": {"users": [str(world.biller.pk)]}, "subject": "Claim", "body": "Hi"},
    )
    assert response.status_code == 201
    thread_id: str = response.json()["id"]
    return thread_id


def test_a_reply_with_files_shows_them_in_everyones_timeline(world: World) -> None:
    api = Api(world.clinician)
    thread_id = _thread(api, world)
    ids = [uploaded(api, PDF, "a.pdf"), uploaded(api, png(), "b.png"), uploaded(api, TEXT, "c.txt")]

    response = api.post(f"/threads/{thread_id}/messages", {"body": "", "attachment_ids": ids})

    assert response.status_code == 201, response.content
    message = response.json()
    assert message["body"] == ""
    assert [(a["id"], a["name"]) for a in message["attachments"]] == [
        (ids[0], "a.pdf"),
        (ids[1], "b.png"),
        (ids[2], "c.txt"),
    ]
    timeline = Api(world.biller).get(f"/threads/{thread_id}").json()["timeline"]
    assert timeline[0]["attachments"] == []
    assert timeline[1]["attachments"] == message["attachments"]
    assert timeline[1]["attachments"][1] == {
        "id": ids[1],
        "name": "b.png",
        "size": len(png()),
        "content_type": "image/png",
    }
    entry = Entry.objects.get(pk=message["id"])
    assert sorted(str(a.pk) for a in Attachment.objects.filter(entry=entry)) == sorted(ids)


def test_a_new_thread_carries_its_files(world: World) -> None:
    api = Api(world.clinician)
    attachment_id = uploaded(api)

    response = api.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "Superbill",
            "body": "Attached.",
            "attachment_ids": [attachment_id],
        },
    )

    assert response.status_code == 201, response.content
    [first] = response.json()["timeline"]
    assert [a["id"] for a in first["attachments"]] == [attachment_id]
    detail = Api(world.biller).get(f"/threads/{response.json()['id']}").json()
    assert detail["timeline"][0]["attachments"] == first["attachments"]


def _refused(api: Api, thread_id: str, ids: list[str], body: str = "") -> Any:
    before = Entry.objects.count()
    response = api.post(f"/threads/{thread_id}/messages", {"body": body, "attachment_ids": ids})
    assert response.status_code == 400, response.content
    assert Entry.objects.count() == before
    return response.json()["error"]


def test_only_ones_own_unsent_files_and_at_most_ten(world: World) -> None:
    api = Api(world.clinician)
    thread_id = _thread(api, world)
    others = uploaded(Api(world.biller))
    outsiders_on(world)
    outsiders = uploaded(Api(world.outsider_admin))
    mine = uploaded(api)
    sent = uploaded(api)
    assert api.post(f"/threads/{thread_id}/messages", {"attachment_ids": [sent]}).status_code == 201

    for ids in ([others], [outsiders], [sent], [mine, "999999"]):
        error = _refused(api, thread_id, ids, body="with files")
        assert error["fields"]["attachment_ids"] == (
            "Attach files you uploaded that are not sent yet."
        )
    eleven = [uploaded(api, TEXT, f"{n}.txt") for n in range(11)]
    assert "attachment_ids" in _refused(api, thread_id, eleven)["fields"]
    # Nothing was attached by the refused sends.
    assert Attachment.objects.get(pk=mine).entry_id is None
    assert Attachment.objects.get(pk=others).entry_id is None


def test_without_files_the_body_is_still_required(world: World) -> None:
    api = Api(world.clinician)
    thread_id = _thread(api, world)

    assert _refused(api, thread_id, [])["fields"]["body"] == "Write a message."


def test_a_repeated_send_with_the_same_key_attaches_once(world: World) -> None:
    api = Api(world.clinician)
    thread_id = _thread(api, world)
    attachment_id = uploaded(api)
    api.headers["Idempotency-Key"] = "b9f7c1e2-reply-1"
    payload = {"body": "Here it is", "attachment_ids": [attachment_id]}

    first = api.post(f"/threads/{thread_id}/messages", payload)
    again = api.post(f"/threads/{thread_id}/messages", payload)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Entry.objects.filter(thread_id=thread_id).count() == 2
    assert Attachment.objects.filter(entry__thread_id=thread_id).count() == 1
