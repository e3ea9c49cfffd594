from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from huddle.accounts.actions import issue_token
from huddle.accounts.models import User
from tests.events.servers import EventReader, Server, random_prefix, start_server


@pytest.fixture(scope="module")
def two_servers(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Two server processes that share the test database and one Redis channel."""
    tmp = tmp_path_factory.mktemp("servers")
    prefix = random_prefix()
    first = start_server(tmp, redis_prefix=prefix, name="first")
    try:
        second = start_server(tmp, redis_prefix=prefix, name="second")
    except BaseException:
        first.stop()
        raise
    yield first, second
    second.stop()
    first.stop()


@pytest.fixture(scope="module")
def lone_server(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One server process without Redis: its in-process broker."""
    server = start_server(tmp_path_factory.mktemp("lone"), redis_prefix=None, name="lone")
    yield server
    server.stop()


def bearer(user: User) -> dict[str, str]:
    raw, _ = issue_token(user=user)
    return {"Authorization": f"Bearer {raw}"}


@contextmanager
def stream(
    server: Server, headers: dict[str, str], last_event_id: int | str | None = None
) -> Iterator[EventReader]:
    """An open event stream. The server subscribes before it answers, so the
    stream hears everything committed once this yields."""
    sent = dict(headers)
    if last_event_id is not None:
        sent["Last-Event-ID"] = str(last_event_id)
    timeout = httpx.Timeout(10, read=10)
    with (
        httpx.Client(base_url=server.url, timeout=timeout) as client,
        client.stream("GET", "/api/v1/events", headers=sent) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventReader(response)


def call(server: Server, method: str, path: str, headers: dict[str, str], **kw: Any) -> Any:
    response = httpx.request(
        method, f"{server.url}/api/v1{path}", headers=headers, timeout=10, **kw
    )
    assert response.status_code < 300, response.text
    return response.json() if response.content else None
