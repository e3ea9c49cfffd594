"""Real ASGI server processes (granian) on the test database, and an SSE reader.

The servers share the test database with the test process: in a
`django_db(transaction=True)` test what the test writes is committed, and the
servers see it. With Redis, their channel names carry a random prefix, so
concurrent test runs never hear each other.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GRANIAN = Path(sys.executable).with_name("granian")
T = TypeVar("T")

REDIS_URL = "redis://127.0.0.1:6379/0"
KEEPALIVE_SECONDS = 1
AUTH_CHECK_SECONDS = 1


def test_database_url() -> str:
    """The test database, as a DATABASE_URL for the server processes."""
    db = connection.settings_dict
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def kill_hard(self) -> None:
        """`kill -9` of the server and its workers at once, as a crash would
        (only for a server started with `own_group=True`)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def start_server(
    tmp: Path,
    *,
    redis_prefix: str | None,
    name: str,
    workers: int = 1,
    extra_env: Mapping[str, str] | None = None,
    own_group: bool = False,
    redis_url: str = REDIS_URL,
    app: str = "huddle.asgi:application",
    interface: str = "asginl",
    server_args: Sequence[str] = (),
) -> Server:
    """A granian server on the test database, ready once `/healthz` answers 200.

    `workers` server processes share its port; `extra_env` adds settings;
    `own_group` puts it in a process group of its own, for `kill_hard`;
    `app`, `interface` and `server_args` choose another entry point or options
    (the reliability tests run the production stack's).
    """
    port = free_port()
    env = {
        **os.environ,
        "HUDDLE_ENV": "test",
        "DATABASE_URL": test_database_url(),
        "EVENTS_KEEPALIVE_SECONDS": str(KEEPALIVE_SECONDS),
        "EVENTS_AUTH_CHECK_SECONDS": str(AUTH_CHECK_SECONDS),
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    env.pop("REDIS_URL", None)
    if redis_prefix is not None:
        env["REDIS_URL"] = redis_url
        env["EVENTS_CHANNEL_PREFIX"] = redis_prefix
    log = tmp / f"{name}.log"
    process = subprocess.Popen(
        [
            str(GRANIAN),
            "--interface",
            interface,
            "--workers",
            str(workers),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            *server_args,
            app,
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=own_group,
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.05)  # polling a port that is not open yet, bounded by the deadline
    server.stop()
    raise RuntimeError(f"{name} did not start:\n{log.read_text()}")


def random_prefix() -> str:
    return f"test-{secrets.token_hex(6)}"


@dataclass
class Event:
    event: str
    data: Any
    id: str | None


class EventReader:
    """Reads a text/event-stream; every read is bounded by the client's read
    timeout, every wait by a deadline."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines: Iterator[str] = response.iter_lines()

    def item(self) -> Event | str | None:
        """The next event, or comment line (a str), or None at the end."""
        fields: dict[str, str] = {}
        data: list[str] = []
        for line in self.lines:
            if line == "":
                if data or fields.get("event"):
                    return Event(
                        event=fields.get("event", "message"),
                        data=json.loads("\n".join(data)) if data else None,
                        id=fields.get("id"),
                    )
                fields.clear()
                continue
            if line.startswith(":"):
                return line
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                data.append(value)
            else:
                fields[name] = value
        return None

    def until(self, want: Any, timeout: float = 10) -> list[Event]:
        """Events up to and including the first for which `want(event)` is true."""
        seen: list[Event] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            item = self.item()
            if item is None:
                raise AssertionError(f"the stream ended; saw {seen}")
            if isinstance(item, Event):
                seen.append(item)
                if want(item):
                    return seen
        raise AssertionError(f"not seen within {timeout} s; saw {seen}")

    def until_keepalive(self, timeout: float = 10) -> list[Event]:
        """Every event before the next keep-alive comment: all that was pending."""
        seen: list[Event] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            item = self.item()
            if item is None:
                raise AssertionError(f"the stream ended; saw {seen}")
            if isinstance(item, Event):
                seen.append(item)
            elif item == ": keep-alive":
                return seen
        raise AssertionError(f"no keep-alive within {timeout} s")

    def until_end(self, timeout: float = 10) -> list[Event]:
        """Every event until the server ends the stream."""
        seen: list[Event] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            item = self.item()
            if item is None:
                return seen
            if isinstance(item, Event):
                seen.append(item)
        raise AssertionError(f"the stream did not end within {timeout} s")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own: the browser tests' Playwright may
    keep an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=300)
