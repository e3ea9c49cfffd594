"""The article's flow through the API: send to a group, read, reply, edit the
header, archive, delete."""

from __future__ import annotations

from typing import Any

from tests.conftest import World


def test_a_group_message_reaches_its_members_and_a_reply_comes_back(
    world: World, api_as: Any
) -> None:
    clinician = api_as(world.clinician)
    biller = api_as(world.biller)
    # A second biller makes "All Billers" a group.
    admin = api_as(world.admin)
    assert (
        admin.post(
            "/staff", {"name": "Bea Biller", "email": "bea@maple.example", "roles": ["biller"]}
        ).status_code
        == 201
    )

    groups = {
        i["key"]: i for i in clinician.get("/recipients").json()["items"] if i["kind"] == "group"
    }
    assert "all_billers" in groups
    assert {m["name"] for m in groups["all_billers"]["members"]} == {"Bill Biller", "Bea Biller"}

    sent = clinician.post(
        "/threads",
        {
            "recipients": {"users": [], "groups": ["all_billers"]},
            "subject": "Claim",
            "body": "Hi\nthere",
        },
    )
    assert sent.status_code == 201, sent.content
    thread = sent.json()
    assert thread["groups"] == ["All Billers"]
    assert {p["name"] for p in thread["participants"]} == {
        "Cleo Clinician",
        "Bill Biller",
        "Bea Biller",
    }

    assert biller.get("/me").json()["unread"] == {"practice": 1, "clients": 0}
    listing = biller.get("/threads?view=practice&folder=inbox").json()
    assert [t["unread_count"] for t in listing["items"]] == [1]
    opened = biller.get(f"/threads/{thread['id']}").json()
    assert opened["timeline"][0]["body"] == "Hi\nthere"
    assert biller.get("/me").json()["unread"]["practice"] == 0

    answer = biller.post(f"/threads/{thread['id']}/messages", {"body": "On it"})
    assert answer.status_code == 201
    assert clinician.get("/me").json()["unread"]["practice"] == 1

    edit = clinician.patch(f"/threads/{thread['id']}", {"subject": "Claim 2231"})
    assert edit.status_code == 200, edit.content
    assert edit.json()["from"] == "Claim" and edit.json()["to"] == "Claim 2231"
    timeline = biller.get(f"/threads/{thread['id']}").json()["timeline"]
    assert [e["type"] for e in timeline] == ["message", "message", "header_changed"]

    assert biller.post(f"/threads/{thread['id']}/archive").json()["archived"] is True
    assert biller.get("/threads?folder=inbox").json()["items"] == []
    assert len(biller.get("/threads?folder=archived").json()["items"]) == 1
    assert biller.delete(f"/threads/{thread['id']}").status_code == 204
    assert biller.get(f"/threads/{thread['id']}").status_code == 404
    clinician.post(f"/threads/{thread['id']}/messages", {"body": "Any news?"})
    back = biller.get("/threads?folder=inbox").json()["items"]
    assert [t["id"] for t in back] == [thread["id"]]
    assert back[0]["unread_count"] == 1
