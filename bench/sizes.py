"""How big each workload is: the full run of the issue, `--quick`, and the tiny
run of the tests (tests/bench). One shape, three scales."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Bump when what `bench.build` makes changes: the cached databases are then built anew.
BUILD_VERSION = 3  # 3: the admin's password hashed at Argon2id 7 MiB, t=5 (2026-12-04)


@dataclass(frozen=True)
class Sizes:
    name: str
    staff: int  # the fan-out practice's staff, its admin included
    group_members: int  # people on the group thread, its starter included
    senders: int  # concurrent senders of workload 1
    messages: int  # messages sent in workload 1
    quiet_deliveries: int  # one-at-a-time sends of workload 2
    inbox_threads: tuple[int, ...]  # the inbox users' thread counts (workload 3)
    inbox_requests: int  # timed requests per inbox size (and per badge size)
    fanouts: int  # new threads to All Staff (workload 4)
    floor_requests: int  # trivial requests of workload 6
    floor_seconds: float  # how long the raw commit loop runs

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FULL = Sizes(
    name="full",
    staff=500,
    group_members=50,
    senders=8,
    messages=2000,
    quiet_deliveries=100,
    inbox_threads=(200, 10_000, 100_000),
    inbox_requests=200,
    fanouts=60,
    floor_requests=4000,
    floor_seconds=2.0,
)

QUICK = Sizes(
    name="quick",
    staff=500,
    group_members=50,
    senders=8,
    messages=500,
    quiet_deliveries=30,
    inbox_threads=(200, 10_000),
    inbox_requests=60,
    fanouts=20,
    floor_requests=1000,
    floor_seconds=0.5,
)

TINY = Sizes(
    name="tiny",
    staff=12,
    group_members=6,
    senders=3,
    messages=20,
    quiet_deliveries=3,
    inbox_threads=(5, 30),
    inbox_requests=3,
    fanouts=2,
    floor_requests=10,
    floor_seconds=0.05,
)

BY_NAME = {s.name: s for s in (FULL, QUICK, TINY)}
