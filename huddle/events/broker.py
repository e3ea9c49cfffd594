"""This process's open streams, by user id, and how events reach them.

One `Hub` per server process, living on the server's event loop. With
REDIS_URL set it holds one Redis pub/sub connection (the `redis` asyncio
client) on one channel, and fans each published message out to the local
streams of the users it names; without Redis, publishers in this process hand
messages to it directly. A second task re-checks every stream's session or
token every EVENTS_AUTH_CHECK_SECONDS, in a few statements for all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from redis.exceptions import RedisError

from huddle.events import auth
from huddle.events.sse import decode

logger = logging.getLogger(__name__)

# A stream this far behind (a client not reading) is ended; it resumes by Last-Event-ID.
MAX_PENDING = 1000


def channel_name() -> str:
    return f"{settings.EVENTS_CHANNEL_PREFIX}:events"


class Subscription:
    """One open stream's mailbox: frames waiting to be written, and why it ends."""

    def __init__(self, user_id: int, credential: auth.Credential) -> None:
        self.user_id = user_id
        self.credential = credential
        self.pending: deque[tuple[int | None, bytes]] = deque()
        self.wake = asyncio.Event()
        self.ended: str | None = None
        self.checked_at = time.monotonic()

    def offer(self, event_id: int | None, event_body: bytes) -> None:
        if self.ended:
            return
        if len(self.pending) >= MAX_PENDING:
            self.end("too far behind")
            return
        self.pending.append((event_id, event_body))
        self.wake.set()

    def end(self, reason: str) -> None:
        if not self.ended:
            self.ended = reason
        self.wake.set()


class Hub:
    def __init__(self) -> None:
        self.by_user: dict[int, set[Subscription]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.ready = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    # --- streams -------------------------------------------------------------

    async def attach(self, sub: Subscription) -> bool:
        """Register a stream; False when the event bus is not reachable (503)."""
        self.start()
        self.by_user.setdefault(sub.user_id, set()).add(sub)
        if not self.ready.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    await self.ready.wait()
        if not self.ready.is_set():
            self.detach(sub)
            return False
        return True

    def detach(self, sub: Subscription) -> None:
        subs = self.by_user.get(sub.user_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self.by_user[sub.user_id]

    def count(self) -> int:
        return sum(len(s) for s in self.by_user.values())

    def end_all(self, reason: str) -> None:
        for subs in list(self.by_user.values()):
            for sub in list(subs):
                sub.end(reason)

    # --- events in -----------------------------------------------------------

    def dispatch(self, raw: bytes | str) -> None:
        """Fan one published message out to this process's streams."""
        by_user = self.by_user
        try:
            frames = decode(raw, serves=by_user.__contains__)
        except (ValueError, KeyError, TypeError, AttributeError):
            logger.warning("live events: ignored a malformed message")
            return
        for users, event_id, event_text in frames:
            event_body = b""
            for user_id in users:
                for sub in by_user.get(user_id, ()):
                    event_body = event_body or event_text.encode()
                    sub.offer(event_id, event_body)

    def serving(self) -> bool:
        """Whether this process has served streams (its loop is running)."""
        return self.loop is not None and not self.loop.is_closed()

    def publish_local(self, raw: bytes) -> None:
        """From any thread of this process, without Redis."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return  # nobody in this process is listening
        loop.call_soon_threadsafe(self.dispatch, raw)

    # --- background tasks ----------------------------------------------------

    def start(self) -> None:
        """Start this process's background tasks on the running loop (once)."""
        loop = asyncio.get_running_loop()
        if self.loop is loop and self.tasks:
            return
        self.loop = loop
        self.ready = asyncio.Event()
        self.tasks = [loop.create_task(self._check_credentials())]
        if settings.REDIS_URL:
            self.tasks.append(loop.create_task(self._listen(settings.REDIS_URL, channel_name())))
        else:
            self.ready.set()

    async def _listen(self, url: str, channel: str) -> None:
        """The one subscriber connection of this process, reconnecting forever."""
        backoff = 0.2
        while True:
            client = aioredis.Redis.from_url(url, socket_keepalive=True, health_check_interval=30)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(channel)
                self.ready.set()
                backoff = 0.2
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self.dispatch(message["data"])
            except (RedisError, OSError):
                logger.warning("live events: Redis subscription lost; reconnecting")
            except Exception:
                logger.exception("live events: Redis subscriber failed; reconnecting")
            finally:
                self.ready.clear()
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                    await client.aclose()
            # Events published meanwhile never reach us: let every stream reconnect
            # and replay from its Last-Event-ID.
            self.end_all("event bus interrupted")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _check_credentials(self) -> None:
        """Every few seconds, end the streams whose session or token has ended."""
        while True:
            await asyncio.sleep(settings.EVENTS_AUTH_CHECK_SECONDS)
            subs = [sub for group in self.by_user.values() for sub in group if not sub.ended]
            if not subs:
                continue
            try:
                valid = await sync_to_async(auth.still_valid)([s.credential for s in subs])
            except Exception:
                logger.exception("live events: could not re-check credentials")
                continue
            now = time.monotonic()
            for sub, ok in zip(subs, valid, strict=True):
                if ok:
                    sub.checked_at = now
                else:
                    sub.end("signed out")


HUB = Hub()
