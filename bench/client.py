"""The benchmark's HTTP client: aiohttp, one keep-alive connection per person,
and a reader of the live event stream that notes when each message arrives."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

# The benchmark practices' admins sign in with this (bench/build.py makes them).
ADMIN_PASSWORD = "bench password that is long enough"  # noqa: S105 - a throwaway practice
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # what the TLS-ending proxy adds
TIMEOUT = aiohttp.ClientTimeout(total=60)


class Person:
    """One signed-in API caller on one keep-alive connection."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.headers = {**PROXY_HEADERS, "Authorization": f"Bearer {token}"}
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1), timeout=TIMEOUT, headers=self.headers
        )

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
        """Status, JSON answer and seconds taken."""
        started = time.perf_counter()
        async with self.session.request(method, f"{self.base_url}{path}", json=body) as answer:
            raw = await answer.read()
        took = time.perf_counter() - started
        return answer.status, (json.loads(raw) if raw else None), took

    async def close(self) -> None:
        await self.session.close()


@dataclass
class Stream:
    """An open /api/v1/events stream: arrival times of messages by body, and
    futures that complete when a given body arrives."""

    arrived: dict[str, float] = field(default_factory=dict)
    waiting: dict[str, asyncio.Future[float]] = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    events: int = 0

    def expect(self, body: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[body] = future
        return future

    def _message(self, data: dict[str, Any]) -> None:
        at = time.perf_counter()
        body = data["message"]["body"]
        self.arrived[body] = at
        future = self.waiting.pop(body, None)
        if future is not None and not future.done():
            future.set_result(at)


async def read_stream(url: str, token: str, stream: Stream) -> None:
    """Read events until cancelled; `stream.ready` is set at the first `unread`."""
    headers = {**PROXY_HEADERS, "Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(f"{url}/api/v1/events", headers=headers) as answer,
    ):
        if answer.status != 200:
            raise RuntimeError(f"the event stream answered {answer.status}")
        event = ""
        async for raw in answer.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                stream.events += 1
                if event == "message":
                    stream._message(json.loads(line[6:]))
                elif event == "unread":
                    stream.ready.set()
            elif not line:
                event = ""


def ms(seconds: list[float]) -> dict[str, float | int]:
    """p50/p95/p99 (and count, mean) of durations, in milliseconds."""
    if not seconds:
        return {"n": 0}
    values = sorted(s * 1000 for s in seconds)

    def pct(p: float) -> float:
        return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 2)

    return {
        "n": len(values),
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "mean": round(statistics.fmean(values), 2),
        "max": round(values[-1], 2),
    }
