"""Where a workload's CPU went: each server process group, the client, the
database server and Redis, read from /proc (Linux), so the report can say what
bounds a figure on a machine whose cores they all share."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.servers import Stack, _children

TICKS = os.sysconf("SC_CLK_TCK")
Snapshot = dict[str, float]


def process_seconds(pid: int, reaped: bool = False) -> float:
    """User + system CPU seconds of one process (0 if it is gone); `reaped` adds
    those of its children that have exited and been waited for."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICKS


def _named(names: set[str]) -> float:
    """CPU seconds of every process of these names, with their exited children's:
    a PostgreSQL backend that closes during a workload moves its time into the
    postmaster's count, so the total never goes back (it did, by 30 ms a message)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm in names:
            total += process_seconds(int(entry.name), reaped=True)
    return total


def _machine_busy() -> float:
    """Seconds all cores spent on anything but idle and iowait."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICKS


def snapshot(stack: Stack) -> Snapshot:
    out: Snapshot = {}
    for process in stack.processes:
        pids = [process.popen.pid, *_children(process.popen.pid)]
        out[process.name] = sum(process_seconds(pid) for pid in pids)
    out["client"] = time.process_time()
    out["postgres"] = _named({"postgres"})
    out["redis"] = _named({"redis-server"})
    out["machine"] = _machine_busy()
    return out


def per_item(before: Snapshot, after: Snapshot, items: int) -> dict[str, float]:
    """Milliseconds of CPU per item, by where it was spent."""
    return {k: round((after[k] - before[k]) / items * 1000, 3) for k in before}
