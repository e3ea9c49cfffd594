"""The workloads of issue #7, driven over HTTP against a running stack.

Each returns a JSON-able dict of figures and of what it checked (statuses,
messages delivered), never asserting times: the tests run them tiny.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp

from bench.client import ADMIN_PASSWORD, PROXY_HEADERS, TIMEOUT, Person, Stream, ms, read_stream
from bench.servers import Stack
from bench.sizes import Sizes

DELIVERY_WAIT = 10.0  # seconds a message may take to reach a stream before it counts as lost

Say = Callable[[str], None]


def say_stderr(line: str) -> None:
    print(f"\r  {line:<72}", end="", file=sys.stderr, flush=True)


@contextlib.asynccontextmanager
async def listening(stack: Stack, token: str) -> AsyncIterator[Stream]:
    stream = Stream()
    task = asyncio.get_running_loop().create_task(read_stream(stack.events_url, token, stream))
    try:
        async with asyncio.timeout(30):
            waiter = asyncio.ensure_future(stream.ready.wait())
            await asyncio.wait([waiter, task], return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # raises why the stream failed
        yield stream
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def group_send(
    stack: Stack, world: dict[str, Any], tokens: dict[str, Any], sizes: Sizes, say: Say
) -> dict[str, Any]:
    """Workload 1 (and 2 under load): `senders` people post `messages` replies to
    the group thread as fast as they can; a member's stream notes each arrival."""
    thread = world["group_thread"]
    path = f"/api/v1/threads/{thread}/messages"
    people = [Person(stack.api_url, t) for t in tokens["senders"]]
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    bad: dict[str, int] = {}
    counter = iter(range(sizes.messages))
    done = 0

    async def sender(n: int, person: Person) -> None:
        nonlocal done
        for i in counter:
            body = f"bench load {n}-{i}"
            started = time.perf_counter()
            sent_at[body] = started
            status, _, took = await person.call("POST", path, {"body": body})
            latencies.append(took)
            if status != 201:
                bad[str(status)] = bad.get(str(status), 0) + 1
            done += 1
            if done % 100 == 0:
                say(f"{stack.name}: group send {done}/{sizes.messages}")

    try:
        async with listening(stack, tokens["listener"]) as stream:
            await asyncio.gather(*(p.call("GET", "/api/v1/me") for p in people))  # warm
            started = time.perf_counter()
            await asyncio.gather(*(sender(n, p) for n, p in enumerate(people)))
            wall = time.perf_counter() - started
            deadline = time.perf_counter() + DELIVERY_WAIT
            while len(stream.arrived) < len(sent_at) and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)  # the last deliveries, bounded by the deadline
            delivered = [stream.arrived[b] - sent_at[b] for b in sent_at if b in stream.arrived]
    finally:
        await asyncio.gather(*(p.close() for p in people))
    return {
        "messages": sizes.messages,
        "senders": len(people),
        "seconds": round(wall, 3),
        "messages_per_second": round(sizes.messages / wall, 1),
        "latency_ms": ms(latencies),
        "errors": bad,
        "delivered": len(delivered),
        "delivery_under_load_ms": ms(delivered),
    }


async def quiet_delivery(
    stack: Stack, tokens: dict[str, Any], world: dict[str, Any], sizes: Sizes, say: Say
) -> dict[str, Any]:
    """Workload 2, quiet: one message at a time, from the send request to the
    moment another member's stream yields it."""
    sender = Person(stack.api_url, tokens["senders"][0])
    path = f"/api/v1/threads/{world['group_thread']}/messages"
    took: list[float] = []
    lost = 0
    try:
        async with listening(stack, tokens["listener"]) as stream:
            await sender.call("GET", "/api/v1/me")
            for i in range(sizes.quiet_deliveries):
                body = f"bench quiet {i}"
                arrival = stream.expect(body)
                started = time.perf_counter()
                status, _, _ = await sender.call("POST", path, {"body": body})
                if status != 201:
                    raise RuntimeError(f"a quiet send answered {status}")
                try:
                    async with asyncio.timeout(DELIVERY_WAIT):
                        took.append(await arrival - started)
                except TimeoutError:
                    lost += 1
                await asyncio.sleep(0.01)  # quiet: let the servers settle between messages
            say(f"{stack.name}: quiet delivery {sizes.quiet_deliveries} messages")
    finally:
        await sender.close()
    return {"sent": sizes.quiet_deliveries, "lost": lost, "delivery_ms": ms(took)}


async def inbox(
    stack: Stack, tokens: dict[str, Any], world: dict[str, Any], sizes: Sizes, say: Say
) -> dict[str, Any]:
    """Workload 3: the first inbox page (50 threads, with unread counts) and the
    header badge, for readers on each number of threads."""
    results: dict[str, Any] = {}
    for size, token in tokens["readers"].items():
        reader = Person(stack.api_url, token)
        try:
            page_times, badge_times = [], []
            items = badge = None
            for _ in range(2):  # warm the connection and the caches
                await reader.call("GET", "/api/v1/threads?view=practice")
            for _ in range(sizes.inbox_requests):
                status, page, took = await reader.call("GET", "/api/v1/threads?view=practice")
                if status != 200:
                    raise RuntimeError(f"the inbox answered {status}")
                page_times.append(took)
                items = len(page["items"])
            for _ in range(sizes.inbox_requests):
                # The badge's numbers: `unread` of GET /me (what a client shows).
                status, me, took = await reader.call("GET", "/api/v1/me")
                if status != 200:
                    raise RuntimeError(f"the badge count answered {status}")
                badge_times.append(took)
                badge = me["unread"]
        finally:
            await reader.close()
        results[size] = {
            "threads": int(size),
            "page_items": items,
            "badge": badge,
            "first_page_ms": ms(page_times),
            "badge_ms": ms(badge_times),
        }
        say(f"{stack.name}: inbox of {int(size):,} threads")
    return results


async def fan_out(
    stack: Stack, tokens: dict[str, Any], world: dict[str, Any], sizes: Sizes, say: Say
) -> dict[str, Any]:
    """Workload 4: new threads to All Staff of the `staff`-person practice."""
    sender = Person(stack.api_url, tokens["fanout"])
    took: list[float] = []
    participants = 0
    try:
        await sender.call("GET", "/api/v1/me")
        for i in range(sizes.fanouts):
            body = {
                "recipients": {"users": [], "groups": ["all_staff"]},
                "subject": f"Bench fan-out {i}",
                "body": "To everyone.",
            }
            status, answer, seconds = await sender.call("POST", "/api/v1/threads", body)
            if status != 201:
                raise RuntimeError(f"a fan-out answered {status}: {answer}")
            participants = len(answer["participants"])
            took.append(seconds)
        say(f"{stack.name}: fan-out {sizes.fanouts} threads")
    finally:
        await sender.close()
    return {"threads": sizes.fanouts, "participants": participants, "latency_ms": ms(took)}


async def trivial(stack: Stack, tokens: dict[str, Any], sizes: Sizes, say: Say) -> dict[str, Any]:
    """Workload 6, the server's floor: `/healthz` (one `SELECT 1`), from as many
    connections as there are senders."""
    people = [Person(stack.api_url, t) for t in tokens["senders"]]
    counter = iter(range(sizes.floor_requests))
    took: list[float] = []
    bad = 0

    async def caller(person: Person) -> None:
        nonlocal bad
        for _ in counter:
            status, _, seconds = await person.call("GET", "/healthz")
            took.append(seconds)
            bad += status != 200

    try:
        await asyncio.gather(*(p.call("GET", "/healthz") for p in people))
        started = time.perf_counter()
        await asyncio.gather(*(caller(p) for p in people))
        wall = time.perf_counter() - started
    finally:
        await asyncio.gather(*(p.close() for p in people))
    say(f"{stack.name}: trivial endpoint {sizes.floor_requests} requests")
    return {
        "requests": sizes.floor_requests,
        "errors": bad,
        "requests_per_second": round(sizes.floor_requests / wall, 1),
        "latency_ms": ms(took),
    }


SIGNIN_BURST = 40  # sign-ins, SIGNIN_CALLERS at a time: each hashes with Argon2
SIGNIN_CALLERS = 4


async def signin_burst(stack: Stack, say: Say) -> dict[str, Any]:
    """Workload 5's memory part: a burst of password sign-ins (POST /auth/token),
    so that the peak RSS (VmHWM) read afterwards includes Argon2's memory."""
    body = {"email": "admin@staff.bench.example", "password": ADMIN_PASSWORD}
    statuses: dict[str, int] = {}
    counter = iter(range(SIGNIN_BURST))
    started = time.perf_counter()

    async def caller() -> None:
        async with aiohttp.ClientSession(timeout=TIMEOUT, headers=PROXY_HEADERS) as session:
            for _ in counter:
                url = f"{stack.api_url}/api/v1/auth/token"
                async with session.post(url, json=body) as answer:
                    await answer.read()
                    statuses[str(answer.status)] = statuses.get(str(answer.status), 0) + 1

    await asyncio.gather(*(caller() for _ in range(SIGNIN_CALLERS)))
    say(f"{stack.name}: sign-in burst done")
    return {
        "sign_ins": SIGNIN_BURST,
        "concurrency": SIGNIN_CALLERS,
        "statuses": statuses,
        "seconds": round(time.perf_counter() - started, 2),
    }
