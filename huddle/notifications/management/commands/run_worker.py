"""`manage.py run_worker`: send notification emails as they fall due, until stopped."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huddle.notifications import worker


class Command(BaseCommand):
    help = "Send queued email notifications as they fall due (runs until stopped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit.")
        parser.add_argument("--limit", type=int, default=worker.BATCH, help="Emails per batch.")
        parser.add_argument(
            "--idle-seconds",
            type=float,
            default=worker.IDLE_SECONDS,
            help="How long to wait when nothing is due.",
        )
        parser.add_argument(
            "--claim-seconds",
            type=int,
            default=worker.CLAIM_SECONDS,
            help="How long a worker holds an email it is sending before another may take it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit: int = options["limit"]
        claim: int = options["claim_seconds"]
        if options["once"]:
            total = 0
            while handled := worker.send_due(limit=limit, claim_seconds=claim):
                total += handled
            from huddle.messaging import worker_steps

            while steps := worker_steps.run_due():
                total += steps
            self.stdout.write(f"Handled {total} notifications.")
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.stdout.write("The notification worker is running.")
        self.stdout.flush()
        # Exports, expiry and purges (huddle/records/worker.py) run beside it.
        from huddle.records import worker as records_worker

        # A daemon thread: an export cut short is built again by the next worker.
        records_worker.start_in_process(stop)
        worker.run(stop, limit=limit, idle_seconds=options["idle_seconds"], claim_seconds=claim)
        self.stdout.write("The notification worker stopped.")
