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
import sys
import time
from collections import deque
from collections.abc import Iterable

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from redis.exceptions import RedisError

from huddle.events import auth, sealing, sweep
from huddle.events.sse import decode

logger = logging.getLogger(__name__)

# A stream this far behind (a client not reading) is ended; it resumes by Last-Event-ID.
MAX_PENDING = 1000
# Entry ids a stream remembers having had, so the sweep never sends one twice.
REMEMBERED = 5000
# Entries that arrived out of id order are replayed to a resume from a later id
# for this long (a client may have left before they came).
LATE_SECONDS = 60.0


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
        # Entries up to this id are the opening's business (its replay, or the page
        # the client already shows): the sweep sends only later ones. Nothing until
        # the opening is read.
        self.start_id = sys.maxsize
        # The entries this stream has had (live, replayed or swept), newest last.
        self.delivered: set[int] = set()
        self._order: deque[int] = deque()

    def had(self, entry_ids: Iterable[int]) -> None:
        for entry_id in entry_ids:
            if entry_id not in self.delivered:
                self.delivered.add(entry_id)
                self._order.append(entry_id)
        while len(self._order) > REMEMBERED:
            self.delivered.discard(self._order.popleft())

    def wants(self, entry_id: int) -> bool:
        """Whether the sweep should hand this stream `entry_id`."""
        return not self.ended and entry_id > self.start_id and entry_id not in self.delivered

    def offer(self, event_id: int | None, event_body: bytes) -> None:
        if self.ended:
            return
        if event_id is not None:
            if event_id in self.delivered:
                return  # live and swept, or replayed: once
            self.had((event_id,))
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
        self.newest_seen = 0  # the newest entry id that reached this process
        self.arrivals: dict[int, float] = {}  # entry id -> when it reached this process
        self.late: deque[tuple[float, int]] = deque()  # (when, entry id) out of order
        self.marks: deque[tuple[float, int]] = deque()  # (when, newest id) per sweep

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
            if event_id is not None:
                self.arrived(event_id)
            event_body = b""
            for user_id in users:
                for sub in by_user.get(user_id, ()):
                    event_body = event_body or event_text.encode()
                    sub.offer(event_id, event_body)

    def dispatch_sealed(self, sealed: bytes, channel: str) -> None:
        """A message from Redis: opened (events.sealing), then fanned out."""
        try:
            raw = sealing.open_sealed(sealed, channel)
        except sealing.Unreadable:
            logger.warning("live events: ignored a message not sealed with our keys")
            return
        self.dispatch(raw)

    def arrived(self, entry_id: int) -> None:
        """Note an entry reaching this process, and whether it came out of order."""
        now = time.monotonic()
        if entry_id < self.newest_seen:
            self.late.append((now, entry_id))
        self.newest_seen = max(self.newest_seen, entry_id)
        self.arrivals[entry_id] = now
        while self.late and self.late[0][0] < now - LATE_SECONDS:
            self.late.popleft()

    def late_ids(self, before: int | None) -> list[int]:
        """Entries at or below `before` that arrived out of order lately: a stream
        resuming from `before` may have left before they came."""
        if before is None:
            return []
        return sorted({entry_id for _, entry_id in self.late if entry_id <= before})

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
        self.tasks = [
            loop.create_task(self._check_credentials()),
            loop.create_task(self._sweep()),
        ]
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
                        self.dispatch_sealed(message["data"], channel)
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

    async def _sweep(self) -> None:
        """Every EVENTS_SWEEP_SECONDS, hand each stream the recent entries of its
        threads that it has not had: a publish that never came (events.sweep)."""
        while True:
            await asyncio.sleep(settings.EVENTS_SWEEP_SECONDS)
            try:
                await self.sweep_once()
            except Exception:
                logger.exception("live events: the sweep failed; trying again")

    async def sweep_once(self) -> int:
        """One sweep; answers how many events it handed to streams."""
        newest = await sync_to_async(sweep.newest_entry_id)()
        now = time.monotonic()
        # Entries up to the previous sweep's newest have had a whole sweep interval
        # for their publish to arrive; newer ones may still be on their way.
        if not self.marks:
            # The first sweep of this process: back to where its streams started.
            starts = [sub.start_id for subs in self.by_user.values() for sub in subs]
            self.marks.append((now - sweep.LOOKBACK_SECONDS, min([newest, *starts])))
        upto = self.marks[-1][1]
        self.marks.append((now, newest))
        # The newest id seen at least LOOKBACK_SECONDS ago (or the oldest kept).
        while len(self.marks) > 1 and self.marks[1][0] <= now - sweep.LOOKBACK_SECONDS:
            self.marks.popleft()
        after = self.marks[0][1]
        # Forget arrivals older than any sweep still looks at (dicts keep their order).
        keep_after = now - 3 * sweep.LOOKBACK_SECONDS
        for entry_id, when in list(self.arrivals.items()):
            if when >= keep_after:
                break
            del self.arrivals[entry_id]
        users = [user_id for user_id, subs in self.by_user.items() if subs]
        if not users or upto <= after:
            return 0
        ids = await sync_to_async(sweep.entry_ids_after)(after)
        never_came = [i for i in ids if i <= upto and i not in self.arrivals]
        if not never_came:
            return 0
        looked = never_came[: auth.CHUNK]  # more missed at once: the next sweep has the rest
        pairs = await sync_to_async(sweep.pairs_of)(looked, users)
        handled_at = time.monotonic()
        for entry_id in looked:
            self.late.append((handled_at, entry_id))
            self.arrivals[entry_id] = handled_at
            self.newest_seen = max(self.newest_seen, entry_id)
        missing: dict[int, set[int]] = {}
        for entry_id, user_id in pairs:
            if any(s.wants(entry_id) for s in self.by_user.get(user_id, ())):
                missing.setdefault(user_id, set()).add(entry_id)
        if not missing:
            return 0
        found, unread = await sync_to_async(sweep.missed_events)(missing)
        handed = 0
        for user_id, entry_id, event_body in found:
            for sub in list(self.by_user.get(user_id, ())):
                if sub.wants(entry_id):
                    sub.offer(entry_id, event_body)
                    handed += 1
        for user_id, event_body in unread:
            for sub in list(self.by_user.get(user_id, ())):
                sub.offer(None, event_body)
        if handed:
            logger.warning("live events: the sweep delivered %s missed events", handed)
        return handed


HUB = Hub()
