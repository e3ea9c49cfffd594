"""The records pages as insider and outsider: Settings > Records, its forms, a
thread's export, and emergency access, with what they store."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.audit.models import Action, AuditEvent
from huddle.records import exports, retention, worker
from huddle.records.models import EmergencyAccess, LegalHold, PracticeExport, RetentionSettings
from tests.conftest import World
from tests.records.helpers import client_thread, outsider_thread, staff_thread

REASON = "Records request from the client's attorney"


def test_records_page_shows_exports_holds_and_emergency_accesses(
    world: World, page_as: Any
) -> None:
    export = exports.request_export(user=world.admin, reason=REASON)
    worker.step()
    retention.place_hold(user=world.admin, scope="client", client_id=world.client.pk, reason=REASON)

    page = page_as(world.admin).get("/settings/records")

    assert page.status_code == 200
    html = page.content.decode()
    assert f"/settings/records/exports/{export.pk}/download" in html
    assert "Client: Casey Client" in html
    assert "Nobody has used emergency access." in html
    assert "Ada Admin" in html


def test_running_export_shows_a_progress_bar(world: World, page_as: Any) -> None:
    exports.request_export(user=world.admin, reason=REASON)
    html = page_as(world.admin).get("/settings/records").content.decode()
    assert '<progress id="export-progress-bar"' in html
    assert "records/records.js" in html
    assert "Start the export" not in html


def test_records_page_is_for_practice_admins(world: World, page_as: Any) -> None:
    for user in (world.clinician, world.biller):
        assert page_as(user).get("/settings/records").status_code == 403
        assert (
            page_as(user).post("/settings/records/exports", {"reason": REASON}).status_code == 403
        )
    assert page_as(world.client.user).get("/settings/records").status_code == 403
    assert not PracticeExport.objects.exists()


def test_outsider_admin_sees_nothing_of_this_practice(world: World, page_as: Any) -> None:
    export = exports.request_export(user=world.admin, reason=REASON)
    worker.step()
    hold = retention.place_hold(user=world.admin, scope="practice", reason=REASON)
    http = page_as(world.outsider_admin)

    html = http.get("/settings/records").content.decode()

    assert REASON not in html
    assert http.get(f"/settings/records/exports/{export.pk}/download").status_code == 404
    assert http.post(f"/settings/records/holds/{hold.pk}/release").status_code == 404
    hold.refresh_from_db()
    assert hold.released_at is None


def test_export_form_needs_a_reason_and_refuses_a_second_one(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    short = http.post("/settings/records/exports", {"reason": "because"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()
    assert http.post("/settings/records/exports", {"reason": REASON}).status_code == 302
    assert PracticeExport.objects.count() == 1
    assert http.post("/settings/records/exports", {"reason": REASON}).status_code == 409
    assert PracticeExport.objects.count() == 1


def test_download_from_the_page_is_audited(world: World, page_as: Any) -> None:
    export = exports.request_export(user=world.admin, reason=REASON)
    worker.step()
    response = page_as(world.admin).get(f"/settings/records/exports/{export.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert AuditEvent.objects.filter(action=Action.EXPORT_DOWNLOADED).count() == 1


def test_retention_form_saves_and_checks(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    saved = http.post(
        "/settings/records/retention", {"retention_years": "12", "purge_after_retention": "on"}
    )
    assert saved.status_code == 302
    stored = RetentionSettings.objects.get(practice=world.practice)
    assert (stored.retention_years, stored.purge_after_retention) == (12, True)
    bad = http.post("/settings/records/retention", {"retention_years": "40"})
    assert bad.status_code == 400
    stored.refresh_from_db()
    assert stored.retention_years == 12


def test_hold_form_places_and_releases(world: World, page_as: Any) -> None:
    thread = staff_thread(world)
    http = page_as(world.admin)
    placed = http.post(
        "/settings/records/holds",
        {"scope": "thread", "target_id": str(thread.pk), "reason": REASON},
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.scope, hold.thread_id) == ("thread", thread.pk)
    missing = http.post("/settings/records/holds", {"scope": "client", "reason": REASON})
    assert missing.status_code == 400
    assert http.post(f"/settings/records/holds/{hold.pk}/release").status_code == 302
    hold.refresh_from_db()
    assert hold.released_by == world.admin


def test_thread_export_page_for_participants_only(world: World, page_as: Any) -> None:
    thread = staff_thread(world)
    outsider_thread(world)  # the other practice's messaging on: refused for who they are
    ok = page_as(world.biller).get(f"/messages/{thread.pk}/export?format=pdf")
    assert ok.status_code == 200
    assert ok["Content-Type"] == "application/pdf"
    for user in (world.admin, world.scheduler, world.outsider_admin):
        assert page_as(user).get(f"/messages/{thread.pk}/export").status_code == 404
    page = page_as(world.clinician).get(f"/messages/{thread.pk}").content.decode()
    assert f"/messages/{thread.pk}/export?format=pdf" in page


@pytest.mark.parametrize("role_user", ["co_clinician", "admin"])
def test_emergency_access_from_the_page(world: World, page_as: Any, role_user: str) -> None:
    thread = client_thread(world)
    user = getattr(world, role_user)
    http = page_as(user)
    found = http.get("/emergency-access?q=casey").content.decode()
    assert f"/emergency-access/{world.client.pk}" in found
    assert (
        f"/messages/{thread.pk}"
        not in http.get(f"/emergency-access/{world.client.pk}").content.decode()
    )

    short = http.post(f"/emergency-access/{world.client.pk}", {"reason": "hurry"})
    assert short.status_code == 400
    opened = http.post(f"/emergency-access/{world.client.pk}", {"reason": REASON})

    assert opened.status_code == 302
    assert EmergencyAccess.objects.get().user == user
    listing = http.get(f"/emergency-access/{world.client.pk}").content.decode()
    assert f"/messages/{thread.pk}" in listing
    assert http.get(f"/messages/{thread.pk}").status_code == 200


def test_emergency_pages_refuse_others(world: World, page_as: Any) -> None:
    outsider_thread(world)  # the other practice's messaging on: refused for who they are
    assert page_as(world.biller).get("/emergency-access").status_code == 403
    biller = page_as(world.biller).post(f"/emergency-access/{world.client.pk}", {"reason": REASON})
    assert biller.status_code == 403
    outsider = page_as(world.outsider_clinician)
    assert outsider.get(f"/emergency-access/{world.client.pk}").status_code == 404
    assert (
        outsider.post(f"/emergency-access/{world.client.pk}", {"reason": REASON}).status_code == 404
    )
    assert "Casey" not in outsider.get("/emergency-access?q=casey").content.decode()
    assert page_as(world.client.user).get("/emergency-access").status_code == 404
    assert not EmergencyAccess.objects.exists()
