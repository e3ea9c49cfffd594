"""Attachments on S3-compatible object storage (django-storages), against moto's
S3 server on loopback: the same uploads, sends and checked downloads, the bytes
in the bucket under random keys, never readable without credentials."""

from __future__ import annotations

import hashlib
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from huddle.attachments import config
from huddle.attachments.models import Attachment
from tests.attachments.helpers import PDF, body_of, png, upload, uploaded
from tests.attachments.s3server import s3_server
from tests.conftest import Api, World

BUCKET = "huddle-attachments-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with s3_server() as url:
        boto3.client("s3", endpoint_url=url, region_name="us-east-1", **CREDENTIALS).create_bucket(
            Bucket=BUCKET
        )
        yield url


@pytest.fixture
def bucket(endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """STORAGES["attachments"] as `ATTACHMENT_STORAGE=s3` configures it."""
    env = {
        "ATTACHMENT_STORAGE": "s3",
        "ATTACHMENT_S3_BUCKET": BUCKET,
        "ATTACHMENT_S3_ENDPOINT_URL": endpoint,
        "ATTACHMENT_S3_REGION": "us-east-1",
        "ATTACHMENT_S3_ACCESS_KEY_ID": "testing",
        "ATTACHMENT_S3_SECRET_ACCESS_KEY": "testing",
        "ATTACHMENT_S3_ADDRESSING_STYLE": "path",
        "ATTACHMENT_S3_PREFIX": "attachments",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "attachments": config.storage(settings.VAR_DIR)}
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)


def test_an_upload_lands_in_the_bucket_and_comes_back_to_the_thread(
    world: World, bucket: Any, endpoint: str
) -> None:
    api = Api(world.clinician)
    image = png(800, 600)
    ids = [uploaded(api, PDF, "superbill.pdf"), uploaded(api, image, "card.png")]
    response = api.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "Insurance",
            "body": "Card and superbill",
            "attachment_ids": ids,
        },
    )
    assert response.status_code == 201, response.content

    pdf = Attachment.objects.get(pk=ids[0])
    card = Attachment.objects.get(pk=ids[1])
    stored = bucket.get_object(Bucket=BUCKET, Key=f"attachments/{pdf.key}")["Body"].read()
    assert stored == PDF
    assert hashlib.sha256(stored).hexdigest() == pdf.sha256
    assert card.thumbnail_key
    biller = Api(world.biller)
    assert body_of(biller.get(f"/attachments/{ids[0]}")) == PDF
    assert body_of(biller.get(f"/attachments/{ids[1]}")) == image
    preview = biller.get(f"/attachments/{ids[1]}/preview")
    assert preview.status_code == 200 and body_of(preview)[:2] == b"\xff\xd8"  # a JPEG
    assert Api(world.co_clinician).get(f"/attachments/{ids[0]}").status_code == 404
    # The object is private: without credentials the bucket refuses it.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{BUCKET}/attachments/{pdf.key}")  # noqa: S310
    assert refused.value.code == 403


def test_a_failing_bucket_answers_503_and_leaves_nothing_to_attach(
    world: World, bucket: Any, settings: Any
) -> None:
    options = settings.STORAGES["attachments"]["OPTIONS"]
    broken = {**settings.STORAGES["attachments"], "OPTIONS": {**options, "bucket_name": "none"}}
    settings.STORAGES = {**settings.STORAGES, "attachments": broken}
    api = Api(world.clinician)

    response = upload(api, PDF)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "storage_unavailable"
    [row] = Attachment.objects.all()
    assert not row.stored  # the cleanup's to remove; a send refuses it
    thread = api.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "S",
            "body": "B",
            "attachment_ids": [str(row.pk)],
        },
    )
    assert thread.status_code == 400
