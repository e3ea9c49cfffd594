"""The production server stacks, started on loopback for the benchmark.

- `wsgi` (recommended): granian WSGI, 2 workers, for Django; a separate granian
  ASGI process serving only /api/v1/events (`huddle.asgi_events`); Redis carries
  events from the WSGI workers to the stream process. The client sends
  /api/v1/events to the stream process, as the reverse proxy would.
- `asgi`: granian ASGI (`asginl`), 2 workers, serving everything
  (`huddle.asgi`), Redis between the workers.

Production settings (HUDDLE_ENV=production); the client sends
`X-Forwarded-Proto: https` as the TLS-ending proxy does.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GRANIAN = Path(sys.executable).with_name("granian")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
WORKERS = 2
WSGI_THREADS = 1  # granian --blocking-threads per WSGI worker (PERFORMANCE.md)
STACKS = ("wsgi", "asgi")
# Sending-rate limits are raised so the benchmark measures the send path itself.
UNLIMITED = "1000000000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "HUDDLE_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "EVENTS_CHANNEL_PREFIX": f"bench-{secrets.token_hex(4)}",
        "LOG_LEVEL": "WARNING",
        # Raised, not off: the per-send check (a Redis round trip) stays measured.
        "RATE_LIMIT_MESSAGES_PER_MINUTE": UNLIMITED,
        "RATE_LIMIT_THREADS_PER_MINUTE": UNLIMITED,
        "PYTHONPATH": str(ROOT),
        # The attachments workload's files, apart from the development ones.
        "ATTACHMENT_ROOT": str(ROOT / "var" / "bench-attachments"),
    }
    env.pop("HUDDLE_IN_PROCESS_WORKER", None)
    env.update(extra or {})
    return env


@dataclass
class Process:
    name: str
    argv: list[str]
    popen: subprocess.Popen[bytes]
    log: Path

    def tree_rss_mib(self, field: str = "VmRSS") -> dict[str, float]:
        """RSS (or, with "VmHWM", the peak RSS so far) of the granian main process
        and each of its workers, in MiB."""
        found: dict[str, float] = {}
        for i, pid in enumerate([self.popen.pid, *_children(self.popen.pid)]):
            label = f"{self.name} main" if i == 0 else f"{self.name} worker {i}"
            found[label] = _rss_mib(pid, field)
        return found


@dataclass
class Stack:
    name: str
    api_url: str
    events_url: str
    processes: list[Process] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def rss_mib(self, field: str = "VmRSS") -> dict[str, float]:
        found: dict[str, float] = {}
        for p in self.processes:
            found.update(p.tree_rss_mib(field))
        return found

    def stop(self) -> None:
        for p in self.processes:
            p.popen.terminate()
        for p in self.processes:
            try:
                p.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.popen.kill()
                p.popen.wait(timeout=15)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(x) for x in path.read_text().split()]
    except OSError:
        return []


def _rss_mib(pid: int, field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def _granian(interface: str, app: str, port: int, workers: int, threads: int | None) -> list[str]:
    argv = [str(GRANIAN), "--interface", interface, "--workers", str(workers)]
    if threads is not None:
        argv += ["--blocking-threads", str(threads)]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    # As in production (README, docs/RELIABILITY.md): a crashed worker is started again.
    argv += ["--respawn-failed-workers", "--respawn-interval", "1"]
    argv += ["--no-ws", app]
    return argv


def _spawn(name: str, argv: list[str], env: dict[str, str], logs: Path) -> Process:
    log = logs / f"{name}.log"
    popen = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        argv, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    return Process(name=name, argv=argv, popen=popen, log=log)


def _wait_ready(process: Process, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited:\n{process.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(request, timeout=1):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError as refused:
            if refused.code == 401:  # the stream, without a token: it is up
                return
            raise RuntimeError(f"{process.name} answered {refused.code}") from None
        except OSError:
            time.sleep(0.05)  # the port is not open yet; bounded by the deadline
    raise RuntimeError(f"{process.name} did not start:\n{process.log.read_text()[-3000:]}")


def start(
    stack: str,
    database_url: str,
    logs: Path,
    *,
    workers: int = WORKERS,
    threads: int = WSGI_THREADS,
    env_extra: dict[str, str] | None = None,
) -> Stack:
    env = server_env(database_url, env_extra)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}"
    settings: dict[str, Any] = {"stack": stack, "workers": workers, "redis": True}
    if stack == "wsgi":
        main = _spawn(
            "wsgi", _granian("wsgi", "huddle.wsgi:application", port, workers, threads), env, logs
        )
        events_port = free_port()
        stream = _spawn(
            "events",
            _granian("asginl", "huddle.asgi_events:application", events_port, 1, None),
            env,
            logs,
        )
        result = Stack(stack, api_url, f"http://127.0.0.1:{events_port}", [main, stream])
        settings["wsgi_threads"] = threads
        settings["events_workers"] = 1
    elif stack == "asgi":
        main = _spawn(
            "asgi", _granian("asginl", "huddle.asgi:application", port, workers, None), env, logs
        )
        result = Stack(stack, api_url, api_url, [main])
    else:
        raise ValueError(f"unknown stack {stack!r}")
    try:
        for p in result.processes:
            url = result.api_url if p is main else result.events_url
            _wait_ready(p, f"{url}/healthz" if p is main else f"{url}/api/v1/events")
    except RuntimeError:
        result.stop()
        raise
    settings["commands"] = [
        " ".join(Path(a).name if i == 0 else a for i, a in enumerate(p.argv))
        for p in result.processes
    ]
    result.settings = settings
    return result
