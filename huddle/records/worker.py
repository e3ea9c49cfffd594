"""The records worker: small steps that tests call directly (STYLE.md 14).

`step()` builds one waiting export (whole), removes expired export files and
purges one bounded batch of threads past retention, and answers whether it found
work. `run()` calls it in a loop; it runs beside the notification worker in
`manage.py run_worker`, or as a daemon thread of the web process
(HUDDLE_IN_PROCESS_WORKER=1, as `make run` does)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections
from django.utils import timezone

from huddle.records import exports, retention

logger = logging.getLogger("huddle.records")

IDLE_SECONDS = 2.0


def step(claim_seconds: int = exports.CLAIM_SECONDS) -> bool:
    now = timezone.now()
    export = exports.claim(now, claim_seconds)
    if export is not None:
        exports.build(export, claim_seconds)
    expired = exports.expire(now)
    purged = retention.purge_step(now)
    return export is not None or bool(expired) or bool(purged)


def run(stop: threading.Event, *, idle_seconds: float = IDLE_SECONDS) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            busy = step()
        except Exception:
            logger.exception("the records worker's step failed; trying again")
            busy = False
        finally:
            close_old_connections()
        if not busy:
            stop.wait(idle_seconds)


def start_in_process(stop: threading.Event | None = None) -> threading.Thread:
    thread = threading.Thread(
        target=run, args=(stop or threading.Event(),), name="records-worker", daemon=True
    )
    thread.start()
    return thread
