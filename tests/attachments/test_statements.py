"""What files cost a send, in SQL statements: a reply with 3 attachments at most
twice a plain reply (issue #13), and the same with 1 file as with 10."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.attachments.helpers import TEXT, uploaded
from tests.conftest import Api, World


def _reply_statements(api: Api, thread_id: str, ids: list[str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.post(
            f"/threads/{thread_id}/messages", {"body": "files", "attachment_ids": ids}
        )
    assert response.status_code == 201, response.content
    return len(ctx.captured_queries)


def test_a_reply_with_3_files_costs_at_most_twice_a_plain_reply(world: World) -> None:
    api = Api(world.clinician)
    response = api.post(
        "/threads",
        {"recipients": {"users": [str(world.biller.pk)]}, "subject": "S", "body": "B"},
    )
    thread_id = response.json()["id"]
    _reply_statements(api, thread_id, [])  # warm

    plain = _reply_statements(api, thread_id, [])
    three = _reply_statements(api, thread_id, [uploaded(api, TEXT, f"{n}.txt") for n in range(3)])
    one = _reply_statements(api, thread_id, [uploaded(api, TEXT, "1.txt")])
    ten = _reply_statements(api, thread_id, [uploaded(api, TEXT, f"{n}.txt") for n in range(10)])

    assert three <= 2 * plain, (plain, three)
    # the attaching UPDATE, reading the files back, and one INSERT of their names
    # into search (search.index.index_attachments)
    assert three == plain + 3
    assert one == three == ten
