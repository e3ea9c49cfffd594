"""One server process holds 1,000 open streams, and one event reaches them all."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from huddle.messaging.actions import start_thread
from tests.conftest import World
from tests.events.conftest import bearer
from tests.events.servers import Server, run_async

pytestmark = pytest.mark.django_db(transaction=True)

STREAMS = 1000
DELIVERY_SECONDS = 10


async def _hold_streams(
    second: Server, first: Server, tokens: list[dict[str, str]], send: dict[str, str], path: str
) -> tuple[int, float]:
    limits = httpx.Limits(max_connections=STREAMS + 10, max_keepalive_connections=0)
    timeout = httpx.Timeout(60, read=60)
    async with httpx.AsyncClient(base_url=second.url, limits=limits, timeout=timeout) as client:
        gate = asyncio.Semaphore(100)  # connect in waves, as a real crowd would

        async def open_one(headers: dict[str, str]) -> httpx.Response:
            async with gate:
                request = client.build_request("GET", "/api/v1/events", headers=headers)
                response = await client.send(request, stream=True)
                assert response.status_code == 200
                return response

        responses = await asyncio.gather(
            *(open_one(tokens[n % len(tokens)]) for n in range(STREAMS))
        )
        try:

            async def wait_for(response: httpx.Response, marker: str) -> None:
                async for line in response.aiter_lines():
                    if marker in line:
                        return
                raise AssertionError("stream ended")

            async with httpx.AsyncClient(base_url=first.url, timeout=timeout) as sender:
                started = time.monotonic()
                answer = await sender.post(path, headers=send, json={"body": "To everyone"})
                assert answer.status_code == 201
                marker = f'"id":"{answer.json()["id"]}"'
                async with asyncio.timeout(DELIVERY_SECONDS):
                    await asyncio.gather(*(wait_for(r, marker) for r in responses))
                return len(responses), time.monotonic() - started
        finally:
            await asyncio.gather(*(r.aclose() for r in responses))


def test_one_process_holds_a_thousand_streams_and_reaches_them_all(
    two_servers: tuple[Server, Server], world: World
) -> None:
    first, second = two_servers
    staff = [world.clinician, world.co_clinician, world.biller, world.scheduler]
    thread = start_thread(
        sender=world.admin, user_ids=[u.pk for u in staff], subject="All hands", body="Hi"
    )
    tokens = [bearer(user) for user in [world.admin, *staff]]
    held, seconds = run_async(
        _hold_streams(
            second, first, tokens, bearer(world.admin), f"/api/v1/threads/{thread.pk}/messages"
        )
    )
    assert held == STREAMS
    assert seconds < DELIVERY_SECONDS
    print(f"one event reached {held} streams in {seconds:.2f} s")
