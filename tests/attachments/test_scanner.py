"""ATTACHMENT_SCANNER: a file the scanner refuses is not kept; a scanner that
cannot answer makes the upload fail with 503, not store an unchecked file."""

from __future__ import annotations

from typing import Any

from huddle.attachments.models import Attachment
from huddle.core.errors import InvalidInput
from tests.attachments.helpers import PDF, TEXT, upload
from tests.conftest import Api, World

EICAR_LIKE = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR"


def refuse_marked(path: str) -> None:
    with open(path, "rb") as file:
        if EICAR_LIKE in file.read():
            raise InvalidInput.field("file", "This file was refused by the virus scanner.")


def unreachable(path: str) -> None:
    raise ConnectionRefusedError


def test_a_refused_file_answers_400_and_a_clean_one_is_kept(world: World, settings: Any) -> None:
    settings.ATTACHMENT_SCANNER = "tests.attachments.test_scanner.refuse_marked"
    api = Api(world.clinician)

    refused = upload(api, TEXT + EICAR_LIKE, "notes.txt")
    clean = upload(api, PDF)

    assert refused.status_code == 400
    assert (
        refused.json()["error"]["fields"]["file"] == "This file was refused by the virus scanner."
    )
    assert clean.status_code == 201
    assert list(Attachment.objects.values_list("name", flat=True)) == ["superbill.pdf"]


def test_a_scanner_that_cannot_answer_keeps_nothing(world: World, settings: Any) -> None:
    settings.ATTACHMENT_SCANNER = "tests.attachments.test_scanner.unreachable"

    response = upload(Api(world.clinician), PDF)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "scanner_unavailable"
    assert not Attachment.objects.exists()
