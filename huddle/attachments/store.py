"""The attachments' storage (`STORAGES["attachments"]`) and its keys."""

from __future__ import annotations

import contextlib
import logging
import secrets
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, storages

logger = logging.getLogger("huddle.attachments")


class StorageFailed(Exception):
    """The storage refused or lost a write."""


def storage() -> Storage:
    return storages["attachments"]


def new_key(practice_id: int) -> str:
    """A random, unguessable key; the practice's id groups a practice's files."""
    return f"p{practice_id}/{secrets.token_urlsafe(24)}"


def put(key: str, file: File[Any]) -> None:
    """Write `file` at `key`, in chunks (File.chunks / a multipart upload to S3)."""
    try:
        stored = storage().save(key, file)
    except Exception as exc:
        logger.warning("attachment storage: writing failed (%s)", type(exc).__name__)
        remove(key)
        raise StorageFailed from exc
    if stored != key:
        remove(stored)
        raise StorageFailed


def remove(key: str) -> None:
    """Delete `key` if it is there; a failure is logged, and the cleanup retries."""
    if not key:
        return
    with contextlib.suppress(Exception):
        storage().delete(key)
