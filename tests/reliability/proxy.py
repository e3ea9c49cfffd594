"""A TCP proxy between a server process and Redis or PostgreSQL, for faults:
`down()` drops every connection and refuses new ones (an outage), `freeze()`
holds every byte (a hung server: connections open, no answers), `heal()`
passes traffic again."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.events.servers import free_port


class TcpProxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.mode = "pass"
        self.flowing = asyncio.Event()
        self.transports: set[asyncio.WriteTransport] = set()
        self.connections = 0  # accepted so far
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        assert ready.wait(10), "the proxy did not start"

    @property
    def url_host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)

        async def main() -> None:
            self.flowing.set()
            self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
            ready.set()

        self.loop.run_until_complete(main())
        self.loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self.mode == "down":
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.transports |= {writer.transport, up_writer.transport}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self.flowing.wait()  # frozen: hold the bytes
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self.transports.discard(writer.transport)
            writer.transport.abort()

    def _set(self, mode: str) -> None:
        def change() -> None:
            self.mode = mode
            if mode == "freeze":
                self.flowing.clear()
            else:
                self.flowing.set()
            if mode == "down":
                for transport in list(self.transports):
                    transport.abort()
                self.transports.clear()

        done = asyncio.run_coroutine_threadsafe(self._call(change), self.loop)
        done.result(timeout=10)

    async def _call(self, change: object) -> None:
        assert callable(change)
        change()

    def down(self) -> None:
        self._set("down")

    def freeze(self) -> None:
        self._set("freeze")

    def heal(self) -> None:
        self._set("pass")

    def close(self) -> None:
        self._set("down")

        async def stop() -> None:
            self.server.close()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@contextmanager
def tcp_proxy(host: str, port: int) -> Iterator[TcpProxy]:
    proxy = TcpProxy(host, port)
    try:
        yield proxy
    finally:
        proxy.close()
