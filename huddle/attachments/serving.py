"""How a stored file is answered: streamed from storage in blocks, with its own
policy (nothing in a file may run or load) and a safe Content-Disposition.
Who may have it is messaging's (`messaging.access.get_attachment`), which
serves the downloads (messaging/attachment_api.py)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse

from huddle.attachments import actions, store

# Downloads answer with their own policy: nothing in a file may run or load.
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
BLOCK = 256 * 1024


def content_disposition(name: str) -> str:
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def stream(key: str, content_type: str, size: int | None) -> FileResponse:
    """The stored bytes under `key`; StorageUnavailable (503) when storage fails."""
    try:
        handle = store.storage().open(key, "rb")
    except Exception:
        raise actions.StorageUnavailable(actions.STORAGE_FAILED) from None
    response = FileResponse(handle, content_type=content_type)
    response.block_size = BLOCK
    if size is not None:
        response["Content-Length"] = str(size)
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
