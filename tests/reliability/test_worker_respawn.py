"""`kill -9` of one server worker under the production recipe (deploy/systemd,
README step 3): the server keeps serving and starts the worker again (issue
#20, defect 1). Before `--respawn-failed-workers`, granian exited within a
second of losing a worker ("Unexpected exit from worker-1"), the events
process too.

The servers run exactly the granian options of the systemd units' ExecStart."""

from __future__ import annotations

import os
import shlex
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import World
from tests.events.conftest import bearer, stream
from tests.events.servers import ROOT, Server, random_prefix, start_server

pytestmark = pytest.mark.django_db(transaction=True)

UNITS = ROOT / "deploy" / "systemd"
RECOVERY_SECONDS = 20  # a worker start is 1-5 s on this shared machine


def unit_command(unit: str) -> tuple[str, int, list[str], str]:
    """The interface, workers, other options and app of a unit's granian command
    (its host and port left out: the test picks a free port)."""
    [line] = [
        line for line in (UNITS / unit).read_text().splitlines() if line.startswith("ExecStart=")
    ]
    argv = shlex.split(line.removeprefix("ExecStart="))
    assert argv[0].endswith("/granian")
    options, app = argv[1:-1], argv[-1]
    interface = workers = None
    rest: list[str] = []
    it = iter(options)
    for option in it:
        if option in ("--interface", "--workers", "--host", "--port"):
            value = next(it)
            interface = value if option == "--interface" else interface
            workers = int(value) if option == "--workers" else workers
        else:
            rest.append(option)
    assert interface is not None and workers is not None
    return interface, workers, rest, app


def start_unit(tmp: Path, unit: str, prefix: str) -> Server:
    interface, workers, rest, app = unit_command(unit)
    return start_server(
        tmp,
        redis_prefix=prefix,
        name=unit,
        workers=workers,
        app=app,
        interface=interface,
        server_args=rest,
    )


def workers_of(server: Server) -> set[int]:
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(child) for child in children}


def wait_for_workers(server: Server, count: int, without: int) -> set[int]:
    """The worker pids once there are `count` again and `without` is gone."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while time.monotonic() < deadline:
        found = workers_of(server)
        if len(found) == count and without not in found:
            return found
        time.sleep(0.05)  # polling the process table, bounded by the deadline
    raise AssertionError(f"the worker was not started again: {workers_of(server)}")


def test_the_web_server_keeps_serving_through_a_worker_kill(tmp_path: Path) -> None:
    server = start_unit(tmp_path, "huddle-web.service", random_prefix())
    try:
        before = workers_of(server)
        assert len(before) == 2
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        answers = []
        # The other worker answers meanwhile; the server starts a new one.
        while len(workers_of(server)) < 2 or victim in workers_of(server):
            answers.append(httpx.get(f"{server.url}/healthz", timeout=5).status_code)
            assert time.monotonic() - killed_at < RECOVERY_SECONDS, workers_of(server)
        after = wait_for_workers(server, 2, victim)
        recovered = time.monotonic() - killed_at
        assert server.process.poll() is None, server.log.read_text()
        assert set(answers) <= {200}, answers
        assert len(after - before) == 1
        # The new worker serves too: enough requests reach both.
        assert {httpx.get(f"{server.url}/healthz", timeout=5).status_code for _ in range(20)} == {
            200
        }
        print(
            f"\nweb worker kill: {len(answers)} answers meanwhile, new worker in {recovered:.1f} s"
        )
    finally:
        server.stop()


def test_the_events_process_starts_its_worker_again_and_streams_resume(
    world: World, tmp_path: Path
) -> None:
    server = start_unit(tmp_path, "huddle-events.service", random_prefix())
    try:
        assert httpx.get(f"{server.url}/healthz", timeout=5).json()["event_bus"] == "ok"
        [victim] = workers_of(server)
        headers = bearer(world.clinician)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        wait_for_workers(server, 1, victim)
        # One worker: its socket went with it, and connections are refused until
        # the new worker listens (browsers reconnect after `retry: 3000`).
        refused = 0
        while True:
            try:
                health = httpx.get(f"{server.url}/healthz", timeout=5)
                break
            except httpx.ConnectError:
                refused += 1
                assert time.monotonic() - killed_at < RECOVERY_SECONDS
                time.sleep(0.05)  # polling a port that is not open yet, bounded
        recovered = time.monotonic() - killed_at
        assert health.status_code == 200, health.text
        assert server.process.poll() is None, server.log.read_text()
        with stream(server, headers) as reader:
            [first] = reader.until(lambda e: e.event == "unread")
            assert first.data == {"practice": 0, "clients": 0}
        print(f"\nevents worker kill: serving again in {recovered:.1f} s ({refused} refused)")
    finally:
        server.stop()
