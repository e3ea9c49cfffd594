"""The pages: files sent from the composers and reply boxes (staff and portal),
shown on messages with previews, the storage use in Settings, and the cost of a
thread page as files grow."""

from __future__ import annotations

import html
import uuid
from typing import Any

from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huddle.attachments.models import Attachment
from huddle.messaging.models import Entry, Thread
from tests.attachments.helpers import PDF, TEXT, outsiders_on, png, uploaded
from tests.conftest import Api, World


def _page(user: Any) -> Client:
    http = Client()
    http.force_login(user)
    return http


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _staff_thread(world: World) -> int:
    api = Api(world.clinician)
    response = api.post(
        "/threads",
        {"recipients": {"users": [str(world.biller.pk)]}, "subject": "Claim", "body": "Hi"},
    )
    assert response.status_code == 201
    return int(response.json()["id"])


def test_a_reply_from_the_page_carries_the_picked_files(world: World) -> None:
    thread_id = _staff_thread(world)
    ids = [uploaded(Api(world.clinician), png(), "card.png"), uploaded(Api(world.clinician))]
    http = _page(world.clinician)

    response = http.post(
        reverse("thread_reply", args=[thread_id]),
        {"body": "Both attached.", "form_token": str(uuid.uuid4()), "attachment_ids": ids},
    )

    assert response.status_code == 302
    entry = Entry.objects.filter(thread_id=thread_id).order_by("pk").last()
    assert entry is not None and entry.body == "Both attached."
    assert sorted(Attachment.objects.filter(entry=entry).values_list("pk", flat=True)) == sorted(
        int(i) for i in ids
    )
    page = _text(_page(world.biller).get(reverse("thread", args=[thread_id])))
    assert "card.png" in page and "superbill.pdf" in page
    assert f'href="/api/v1/attachments/{ids[0]}"' in page
    assert f'src="/api/v1/attachments/{ids[0]}/preview"' in page
    assert f'src="/api/v1/attachments/{ids[1]}/preview"' not in page  # a PDF has none
    assert "PNG image" in page and "PDF" in page


def test_a_refused_file_keeps_the_reply_and_the_picked_files_on_the_page(world: World) -> None:
    thread_id = _staff_thread(world)
    mine = uploaded(Api(world.clinician), TEXT, "notes.txt")
    theirs = uploaded(Api(world.biller), PDF, "theirs.pdf")
    before = Entry.objects.count()

    response = _page(world.clinician).post(
        reverse("thread_reply", args=[thread_id]),
        {"body": "Here", "form_token": str(uuid.uuid4()), "attachment_ids": [mine, theirs]},
    )

    assert response.status_code == 400
    page = _text(response)
    assert "Attach files you uploaded that are not sent yet." in page
    assert "notes.txt" in page and f'value="{mine}"' in page
    assert "theirs.pdf" not in page
    assert Entry.objects.count() == before
    assert Attachment.objects.get(pk=mine).entry_id is None


def test_every_composer_and_reply_box_has_the_file_picker(world: World) -> None:
    thread_id = _staff_thread(world)
    staff = _page(world.clinician)
    pages = [
        staff.get(reverse("compose")),
        staff.get(reverse("compose") + "?view=clients"),
        staff.get(reverse("thread", args=[thread_id])),
        _page(world.client.user).get(reverse("portal_compose")),
    ]
    for response in pages:
        assert response.status_code == 200
        page = _text(response)
        assert 'data-file-picker data-upload-url="/api/v1/attachments"' in page
        assert '<label for="' in page and "Attach files" in page
        assert "/static/attachments/picker.js" in page


def test_a_client_sends_a_file_from_the_portal(world: World) -> None:
    attachment_id = uploaded(Api(world.client.user), PDF, "release.pdf")

    response = _page(world.client.user).post(
        reverse("portal_compose"),
        {
            "audience": "clinical",
            "subject": "Release form",
            "body": "Signed.",
            "form_token": str(uuid.uuid4()),
            "attachment_ids": [attachment_id],
        },
    )

    assert response.status_code == 302
    thread = Thread.objects.get(client=world.client)
    assert Attachment.objects.get(pk=attachment_id).entry.thread_id == thread.pk  # type: ignore[union-attr]
    page = _text(_page(world.clinician).get(reverse("thread", args=[thread.pk])))
    assert "release.pdf" in page
    assert Api(world.clinician).get(f"/attachments/{attachment_id}").status_code == 200


def test_settings_shows_the_practices_storage_use(world: World) -> None:
    admin = _page(world.admin)
    empty = _text(admin.get(reverse("settings_messaging")))
    assert "No files are attached to messages yet." in empty
    uploaded(Api(world.clinician), PDF)
    uploaded(Api(world.biller), TEXT, "t.txt")
    outsiders_on(world)
    uploaded(Api(world.outsider_admin), PDF)  # another practice's file is not counted

    page = _text(admin.get(reverse("settings_messaging")))

    assert "2 files" in page
    assert f"<strong>{filesizeformat(len(PDF) + len(TEXT))}</strong> in all" in page


def _thread_page_statements(http: Client, thread_id: int) -> int:
    http.get(reverse("thread", args=[thread_id]))
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(reverse("thread", args=[thread_id])).status_code == 200
    return len(ctx.captured_queries)


def test_a_thread_page_costs_the_same_with_1_and_with_12_files(world: World) -> None:
    thread_id = _staff_thread(world)
    api = Api(world.clinician)
    http = _page(world.biller)

    def reply_with(n: int) -> None:
        ids = [uploaded(api, TEXT, f"{k}.txt") for k in range(n)]
        body = {"body": "files", "attachment_ids": ids}
        assert api.post(f"/threads/{thread_id}/messages", body).status_code == 201

    reply_with(1)
    small = _thread_page_statements(http, thread_id)
    reply_with(10)
    reply_with(1)
    large = _thread_page_statements(http, thread_id)

    assert small == large
