"""Attachments in Chromium: pick files in a reply box (a progress bar each, a
refused type explained, remove), send, see them with a server-made preview,
download one; a client attaches from the portal. Screenshots at desktop and
phone widths."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import FilePayload, Page, expect

from huddle.attachments.models import Attachment
from tests.browser.conftest import PHONE
from tests.browser.helpers import fits_width, sign_in
from tests.browser.portal_steps import portal_compose, portal_sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (70, 140, 190)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def attachment_dir(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def _files(page: Page) -> Any:
    return page.get_by_role("list", name="Attached files")


def test_a_reply_with_files_from_pick_to_download(make_page: Any, screenshots: Path) -> None:
    page: Page = make_page()
    sign_in(page, "priya@riverside.example")
    page.goto("/messages/?view=clients")
    page.get_by_role("link", name="Moving next week's session").click()

    files: list[FilePayload] = [
        {"name": "insurance card.png", "mimeType": "image/png", "buffer": _png()},
        {"name": "superbill.pdf", "mimeType": "application/pdf", "buffer": PDF},
        {"name": "setup.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" * 64},
    ]
    page.get_by_label("Attach files").set_input_files(files)
    refused = _files(page).get_by_role("listitem").filter(has_text="setup.pdf")
    expect(refused.get_by_role("alert")).to_contain_text("This kind of file cannot be attached")
    for name in ("insurance card.png", "superbill.pdf"):
        item = _files(page).get_by_role("listitem").filter(has_text=name)
        expect(item).to_contain_text("uploaded")
        expect(item.get_by_role("progressbar")).to_have_count(0)
    page.screenshot(path=str(screenshots / "attachments-reply-picked.png"), full_page=True)
    page.get_by_role("button", name="Remove setup.pdf").click()
    expect(_files(page).get_by_role("listitem")).to_have_count(2)

    page.get_by_label("Reply").fill("Here are the card and the superbill.")
    page.get_by_role("button", name="Send reply").click()

    attachments = page.get_by_role("list", name="Attachments")
    expect(attachments.get_by_role("link", name="insurance card.png")).to_be_visible()
    expect(attachments.get_by_role("link", name="superbill.pdf")).to_be_visible()
    preview = attachments.locator("img.attachment-preview")
    expect(preview).to_have_count(1)
    page.wait_for_function(
        "() => document.querySelector('img.attachment-preview').naturalWidth > 0"
    )
    # The reply holds the two files (the demo practice's threads carry files of their own).
    sent = Attachment.objects.filter(entry__body="Here are the card and the superbill.")
    assert sorted(sent.values_list("name", flat=True)) == ["insurance card.png", "superbill.pdf"]
    assert Attachment.objects.filter(entry__isnull=True).count() == 0
    assert not Attachment.objects.filter(name="setup.pdf").exists()
    with page.expect_download() as download:
        attachments.get_by_role("link", name="superbill.pdf").click()
    assert download.value.suggested_filename == "superbill.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    page.screenshot(path=str(screenshots / "attachments-thread.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_a_client_attaches_a_form_from_the_portal_on_a_phone(
    make_page: Any, screenshots: Path
) -> None:
    page: Page = make_page(PHONE)
    portal_sign_in(page, "jordan.avery@client.example")
    portal_compose(page, "Clinical", "Release form", "Signed release form attached.")
    page.get_by_label("Attach files").set_input_files(
        {"name": "release form.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    expect(
        _files(page).get_by_role("listitem").filter(has_text="release form.pdf")
    ).to_contain_text("uploaded")
    assert fits_width(page)
    page.screenshot(path=str(screenshots / "attachments-portal-compose-phone.png"), full_page=True)

    page.get_by_role("button", name="Send Message").click()

    expect(page.get_by_role("heading", name="Release form", level=1)).to_be_visible()
    expect(
        page.get_by_role("list", name="Attachments").get_by_role("link", name="release form.pdf")
    ).to_be_visible()
    assert fits_width(page)
    page.screenshot(path=str(screenshots / "attachments-portal-thread-phone.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]
