"""POST /api/v1/attachments: what is accepted, what is refused and why, and
what is stored."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from huddle.administration.actions import update_messaging_settings
from huddle.attachments.models import Attachment
from tests.attachments.helpers import EXE, PDF, TEXT, docx, png, upload
from tests.conftest import Api, World


def test_a_pdf_is_stored_under_a_random_key_with_its_hash(
    world: World, attachment_dir: Path
) -> None:
    response = upload(Api(world.clinician), PDF, "superbill.pdf")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "superbill.pdf"
    assert body["size"] == len(PDF)
    assert body["content_type"] == "application/pdf"
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    stored = Attachment.objects.get(pk=body["id"])
    assert stored.entry_id is None and stored.stored
    assert stored.uploaded_by_id == world.clinician.pk
    assert "superbill" not in stored.key
    assert (attachment_dir / stored.key).read_bytes() == PDF


def test_types_are_judged_from_the_content_not_the_name(world: World) -> None:
    api = Api(world.clinician)
    cases = [
        (png(), "scan.pdf", "image/png"),
        (TEXT, "notes", "text/plain"),
        (
            docx(),
            "plan.bin",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ]
    for content, name, expected in cases:
        response = upload(api, content, name)
        assert response.status_code == 201, (name, response.content)
        assert response.json()["content_type"] == expected


def test_a_refused_type_answers_400_attachment_type_and_stores_nothing(
    world: World, attachment_dir: Path
) -> None:
    response = upload(Api(world.clinician), EXE, "invoice.pdf")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "attachment_type"
    assert "file" in error["fields"]
    assert not Attachment.objects.exists()
    assert not attachment_dir.exists() or not any(attachment_dir.rglob("*.*"))


def test_an_empty_file_or_no_file_answers_400(world: World) -> None:
    api = Api(world.clinician)
    empty = upload(api, b"", "empty.txt")
    missing = api.http.post("/api/v1/attachments", {"other": "x"}, headers=api.headers)

    assert empty.status_code == 400
    assert empty.json()["error"]["fields"]["file"] == "The file is empty."
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"]["file"] == "Choose a file to attach."
    assert not Attachment.objects.exists()


def test_a_declared_length_over_the_limit_answers_413_without_reading(
    world: World, settings: Any
) -> None:
    settings.LARGE_BODY_PATHS = {"/api/v1/attachments": 1000}
    response = upload(Api(world.clinician), PDF + b"x" * 2000)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_found_while_reading_answers_413(world: World, settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000  # the body's declared length is let through
    response = upload(Api(world.clinician), PDF + b"x" * 5000)

    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert error["fields"]["file"].startswith("A file may be at most")
    assert not Attachment.objects.exists()


def test_file_names_lose_paths_control_and_bidi_characters(world: World) -> None:
    api = Api(world.clinician)
    cases = {
        "../../etc/passwd.txt": "passwd.txt",
        "C:\\Users\\x\\report.txt": "report.txt",
        "invoice\u202etxt.exe.txt": "invoicetxt.exe.txt",
        "a\x00b\x1fc.txt": "abc.txt",
        ("n" * 300) + ".txt": ("n" * 196) + ".txt",
    }
    for raw, expected in cases.items():
        response = upload(api, TEXT, raw)
        assert response.status_code == 201, raw
        assert response.json()["name"] == expected


def test_signed_out_callers_cannot_upload(world: World) -> None:
    response = upload(Api(None), PDF)

    assert response.status_code == 401
    assert not Attachment.objects.exists()


def test_the_browser_session_needs_its_csrf_token(world: World) -> None:
    api = Api(None)
    api.http = type(api.http)(enforce_csrf_checks=True)
    api.http.force_login(world.clinician)

    response = upload(api, PDF)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert not Attachment.objects.exists()


def test_no_uploads_while_secure_messaging_is_off(world: World) -> None:
    update_messaging_settings(
        actor=world.admin, secure_messaging_enabled=False, practice_messaging_enabled=False
    )

    response = upload(Api(world.clinician), PDF)

    assert response.status_code == 403
    assert "Secure Messaging is turned off" in response.json()["error"]["message"]
    assert not Attachment.objects.exists()
