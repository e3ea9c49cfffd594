"""A real SMTP server on loopback (aiosmtpd) that keeps every email it accepts.

It can refuse emails (to test retries), or hold one email's DATA until the test
lets it go (to kill the worker in the middle of a batch)."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Inbox:
    """The aiosmtpd handler: what arrived, and how to misbehave."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.recipients: list[list[str]] = []
        self.refuse = False  # answer 451 to every email
        self.hold_call: int | None = None  # hold this DATA (1-based) until released
        self.held = threading.Event()
        self.release = threading.Event()
        self.calls = 0
        self._changed = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.calls += 1
        if self.refuse:
            return "451 4.3.0 Try again later"
        if self.calls == self.hold_call:
            self.held.set()
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.release.wait, 120)
            # The sender is gone by now: the email was never accepted.
            return "451 4.3.0 Aborted"
        content = envelope.original_content or envelope.content
        with self._changed:
            self.raw.append(bytes(content))
            self.recipients.append(list(envelope.rcpt_tos))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        """Wait (bounded) until `count` emails have arrived."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.raw) >= count, timeout=timeout)

    @property
    def messages(self) -> list[Message]:
        return [email.message_from_bytes(raw) for raw in self.raw]


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.inbox.release.set()
        self.controller.stop()
