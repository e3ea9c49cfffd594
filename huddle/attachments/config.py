"""Where attachments are stored, from the environment (docs/ATTACHMENTS.md).

Read by `huddle/settings.py` only; it imports nothing of Django's models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from huddle.env import env_int, env_str

MIB = 1024 * 1024


def storage(var_dir: Path) -> dict[str, Any]:
    """The `STORAGES["attachments"]` entry: files under `var/attachments` by
    default, or an S3-compatible bucket (django-storages) with
    `ATTACHMENT_STORAGE=s3`."""
    kind = env_str("ATTACHMENT_STORAGE", "local")
    if kind == "local":
        location = env_str("ATTACHMENT_ROOT") or str(var_dir / "attachments")
        # No base_url: attachments never have a public URL, only the checked download.
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        }
    if kind != "s3":
        raise ImproperlyConfigured("ATTACHMENT_STORAGE must be local or s3")
    bucket = env_str("ATTACHMENT_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("ATTACHMENT_S3_BUCKET must be set with ATTACHMENT_STORAGE=s3")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "region_name": env_str("ATTACHMENT_S3_REGION") or None,
        "endpoint_url": env_str("ATTACHMENT_S3_ENDPOINT_URL") or None,
        "access_key": env_str("ATTACHMENT_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("ATTACHMENT_S3_SECRET_ACCESS_KEY") or None,
        "location": env_str("ATTACHMENT_S3_PREFIX"),
        # "path" for servers without virtual-host buckets (MinIO, moto on loopback).
        "addressing_style": env_str("ATTACHMENT_S3_ADDRESSING_STYLE") or None,
        # Objects are private; keys are random and never overwritten.
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 60,
        # Multipart uploads in 8 MiB parts: a file is sent to the bucket in pieces.
        "max_memory_size": 8 * MIB,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def max_bytes() -> int:
    return env_int("ATTACHMENT_MAX_BYTES", 25 * MIB, minimum=1)
