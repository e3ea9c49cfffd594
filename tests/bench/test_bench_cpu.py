"""The bench's CPU accounting (bench/cpu.py) never loses a process that exits
during a workload: its time moves to its parent's count of reaped children."""

from __future__ import annotations

import os
import subprocess
import sys

from bench import cpu

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"


def test_an_exited_child_s_cpu_still_counts_for_its_parent() -> None:
    me = os.getpid()
    before, own_before = cpu.process_seconds(me, reaped=True), cpu.process_seconds(me)
    subprocess.run([sys.executable, "-c", BURN], check=True)  # runs, exits, is waited for
    after, own_after = cpu.process_seconds(me, reaped=True), cpu.process_seconds(me)

    assert after - before >= 0.25
    # The parent itself only waited: without its reaped children the time is lost.
    assert own_after - own_before < 0.25
