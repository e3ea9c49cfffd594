"""Practice export (F12): asked for with a reason, built by the worker step, the
ZIP round-trips to exactly what is stored; 409 while one runs; the other admins
are told without health information; downloads audited; expiry after 7 days."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import time_machine
from django.utils import timezone

from huddle.audit.models import Action, AuditEvent
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from huddle.messaging.models import Entry, EntryKind, Participant, Thread
from huddle.records import exports, worker
from huddle.records.models import ExportStatus, PracticeExport
from tests.conftest import World
from tests.notifications.smtp import Inbox
from tests.records.helpers import client_thread, outsider_thread, second_admin, staff_thread

REASON = "Subpoena 2026-114 from the county court"


def _busy_practice(world: World) -> list[Thread]:
    first = staff_thread(world, body="Tabs\tand\nnewlines\n  kept   inside")
    second = client_thread(world, body="Accents é ü and symbols ✓ €")
    participation = get_participation(world.co_clinician, first.pk)
    actions.reply(author=world.co_clinician, participation=participation, body="A reply")
    actions.edit_header(
        editor=world.clinician,
        participation=get_participation(world.clinician, first.pk),
        subject="Renamed",
    )
    actions.reply(
        author=world.clinician,
        participation=get_participation(world.clinician, second.pk),
        body="We can move it to Thursday.",
    )
    outsider_thread(world)
    return [first, second]


def _zip_of(api: Any, export_id: str) -> zipfile.ZipFile:
    response = api.get(f"/exports/{export_id}/download")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(data))


def test_admin_exports_the_practice_and_the_archive_round_trips(world: World, api_as: Any) -> None:
    threads = _busy_practice(world)
    api = api_as(world.admin)

    started = api.post("/exports", {"reason": REASON})
    assert started.status_code == 202
    body = started.json()
    assert (body["status"], body["progress"], body["reason"]) == ("queued", 0.0, REASON)
    assert worker.step() is True
    audit_ids = set(AuditEvent.objects.filter(practice=world.practice).values_list("pk", flat=True))

    detail = api.get(f"/exports/{body['id']}").json()
    assert detail["status"] == "done" and detail["progress"] == 1.0
    archive = _zip_of(api, body["id"])
    manifest = json.loads(archive.read("manifest.json"))

    # Every file listed with its right checksum, and nothing unlisted.
    names = set(archive.namelist()) - {"manifest.json"}
    assert names == set(manifest["files"])
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name

    # Counts equal the database's, for this practice only.
    entries = Entry.objects.filter(thread__practice=world.practice)
    expected = {
        "threads": Thread.objects.filter(practice=world.practice).count(),
        "messages": entries.filter(kind=EntryKind.MESSAGE).count(),
        "header_changes": entries.filter(kind=EntryKind.HEADER_CHANGED).count(),
        "attachments": 0,
        "audit_rows": len(audit_ids),
    }
    assert manifest["counts"] == expected == detail["counts"]
    assert names == {f"threads/{t.pk}.json" for t in threads} | {"audit.jsonl"}

    # Every message byte-equal to what is stored.
    for thread in threads:
        document = json.loads(archive.read(f"threads/{thread.pk}.json"))
        stored = list(entries.filter(thread=thread).order_by("pk").values_list("pk", "body"))
        exported = [(i["id"], i.get("body", "")) for i in document["timeline"]]
        assert exported == stored
        people = set(Participant.objects.filter(thread=thread).values_list("user_id", flat=True))
        assert {p["id"] for p in document["participants"]} == people
    audit_lines = archive.read("audit.jsonl").decode().splitlines()
    assert len(audit_lines) == expected["audit_rows"]
    assert {json.loads(line)["id"] for line in audit_lines} == audit_ids

    # The ZIP's own size and checksum are the ones the API gives.
    data = b"".join(api.get(f"/exports/{body['id']}/download").streaming_content)
    assert detail["size"] == len(data)
    assert detail["sha256"] == hashlib.sha256(data).hexdigest()
    assert b"Outsider secret body" not in data
    downloads = AuditEvent.objects.filter(action=Action.EXPORT_DOWNLOADED, actor=world.admin)
    assert downloads.count() == 2
    assert all(d.detail == f"export {body['id']}" for d in downloads)


def test_a_second_export_while_one_runs_is_409_with_the_running_one(
    world: World, api_as: Any
) -> None:
    api = api_as(world.admin)
    first = api.post("/exports", {"reason": REASON}).json()

    again = api_as(second_admin(world)).post("/exports", {"reason": "Moving to another system"})

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "export_running"
    assert again.json()["export"]["id"] == first["id"]
    assert PracticeExport.objects.count() == 1
    worker.step()
    assert api.post("/exports", {"reason": REASON}).status_code == 202


def test_reason_is_required(world: World, api_as: Any) -> None:
    api = api_as(world.admin)
    for payload in ({}, {"reason": ""}, {"reason": "   short  "}, {"reason": "x" * 501}):
        response = api.post("/exports", payload)
        assert response.status_code == 400, payload
        assert "reason" in response.json()["error"]["fields"]
    assert not PracticeExport.objects.exists()


def test_only_practice_admins_export_and_only_their_own_practice(world: World, api_as: Any) -> None:
    export = exports.request_export(user=world.admin, reason=REASON)
    worker.step()
    for user in (world.clinician, world.biller, world.client.user):
        assert api_as(user).post("/exports", {"reason": REASON}).status_code == 403
        assert api_as(user).get("/exports").status_code == 403
        assert api_as(user).get(f"/exports/{export.pk}/download").status_code == 403
    outsider = api_as(world.outsider_admin)
    assert outsider.get(f"/exports/{export.pk}").status_code == 404
    assert outsider.get(f"/exports/{export.pk}/download").status_code == 404
    assert outsider.get("/exports").json() == {"items": []}
    assert not AuditEvent.objects.filter(action=Action.EXPORT_DOWNLOADED).exists()


def test_other_admins_are_told_by_email_without_health_information(
    world: World, api_as: Any, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    other = second_admin(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(world.admin).post("/exports", {"reason": REASON})
    assert response.status_code == 202
    assert smtp.wait_for(1)
    assert smtp.recipients == [[other.email]]
    text = smtp.raw[0].decode()
    for secret in (REASON, "Ada Admin", "Maple Counseling", "Subpoena"):
        assert secret not in text
    assert "Settings > Records" in text


def test_an_export_expires_after_seven_days(world: World, api_as: Any, export_dir: Path) -> None:
    export = exports.request_export(user=world.admin, reason=REASON)
    worker.step()
    api = api_as(world.admin)
    assert api.get(f"/exports/{export.pk}").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        worker.step()
        api = api_as(world.admin)  # a new token: the first one is 12 hours old by now
        assert api.get(f"/exports/{export.pk}").status_code == 404
        assert api.get(f"/exports/{export.pk}/download").status_code == 404
        assert api.get("/exports").json() == {"items": []}
    assert list(export_dir.iterdir()) == []


def test_a_worker_that_dies_mid_export_leaves_it_to_the_next_one(
    world: World, api_as: Any, export_dir: Path
) -> None:
    _busy_practice(world)
    export = exports.request_export(user=world.admin, reason=REASON)
    # A worker claims it, writes part of the file and dies.
    claimed = exports.claim(timezone.now(), claim_seconds=60)
    assert claimed is not None and claimed.pk == export.pk
    export_dir.mkdir(parents=True, exist_ok=True)
    (export_dir / f"export-{export.pk}.zip.1.part").write_bytes(b"PK\x03\x04truncated")
    api = api_as(world.admin)
    assert api.get(f"/exports/{export.pk}").json()["status"] == "running"
    assert api.get(f"/exports/{export.pk}/download").status_code == 404
    assert worker.step() is False  # still claimed by the dead worker

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert worker.step() is True
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ExportStatus.DONE, 2)
    archive = _zip_of(api, str(export.pk))
    assert archive.testzip() is None
    messages = Entry.objects.filter(thread__practice=world.practice, kind=EntryKind.MESSAGE)
    assert json.loads(archive.read("manifest.json"))["counts"]["messages"] == messages.count() == 4
    assert sorted(p.name for p in export_dir.iterdir()) == [f"export-{export.pk}.zip"]


def test_an_export_that_cannot_be_written_is_failed_and_never_done(
    world: World, api_as: Any, settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.RECORDS_EXPORT_DIR = blocker / "exports"
    export = exports.request_export(user=world.admin, reason=REASON)

    worker.step()

    body = api_as(world.admin).get(f"/exports/{export.pk}").json()
    assert (body["status"], body["size"], body["sha256"]) == ("failed", None, None)
    assert api_as(world.admin).get(f"/exports/{export.pk}/download").status_code == 404
    assert api_as(world.admin).post("/exports", {"reason": REASON}).status_code == 202
