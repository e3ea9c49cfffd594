"""The conversation worker's scans (F20, F21): how long a round takes to find and
send due scheduled messages and to escalate due urgent messages, with a large
backlog of items not yet due (the partial indexes keep the scans to the due rows).

    DATABASE_URL=... python -m bench.conversation --backlog 5000 --due 200

Builds its own practice in the database it is given (use a throwaway one: it
migrates it), through the app's actions. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import timedelta
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backlog", type=int, default=5000, help="items not yet due")
    parser.add_argument("--due", type=int, default=200, help="items due now")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddle.settings")
    os.environ.setdefault("RATE_LIMIT_MESSAGES_PER_MINUTE", "0")
    os.environ.setdefault("RATE_LIMIT_THREADS_PER_MINUTE", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.build import _practice, _staff
    from huddle.messaging import actions, scheduled, sending, worker_steps
    from huddle.messaging.access import get_participation
    from huddle.messaging.models import Entry, ScheduledMessage

    call_command("migrate", verbosity=0)
    stamp = str(int(time.time()))
    admin = _practice(f"Conversation bench {stamp}", f"conv{stamp}.example")
    sender, reader = _staff(admin, 2, f"conv{stamp}.example", lambda line: None)
    thread = actions.start_thread(
        sender=sender, user_ids=[reader.pk], subject="Bench", body="First"
    )
    mine = get_participation(sender, thread.pk)
    now = timezone.now()
    with transaction.atomic():
        for i in range(args.backlog + args.due):
            scheduled.schedule_reply(
                author=sender,
                participation=mine,
                body=f"Later {i}",
                send_at=now + timedelta(days=1),
            )
            sending.send_reply(
                author=sender, participation=mine, body=f"Urgent {i}", is_urgent=True
            )
    due_ids = list(
        ScheduledMessage.objects.filter(author=sender).order_by("pk").values_list("pk", flat=True)
    )[: args.due]
    ScheduledMessage.objects.filter(pk__in=due_ids).update(send_at=now - timedelta(minutes=1))
    urgent_ids = list(
        Entry.objects.filter(thread=thread, urgent=True).order_by("pk").values_list("pk", flat=True)
    )
    Entry.objects.filter(pk__in=urgent_ids[args.due :]).update(
        escalation_due_at=now + timedelta(days=1)
    )
    Entry.objects.filter(pk__in=urgent_ids[: args.due]).update(
        escalation_due_at=now - timedelta(minutes=1)
    )

    def timed(step: Any) -> tuple[float, int]:
        started = time.perf_counter()
        handled = 0
        while done := step(timezone.now(), limit=50):
            handled += done
        return time.perf_counter() - started, handled

    empty_started = time.perf_counter()
    for _ in range(100):
        worker_steps.escalate_due(now - timedelta(hours=1))
        scheduled.due_ids(now - timedelta(hours=1), 50)
    idle_round_ms = (time.perf_counter() - empty_started) / 100 * 1000
    sched_s, sent = timed(worker_steps.send_scheduled)
    esc_s, escalated = timed(worker_steps.escalate_due)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "backlog": args.backlog,
                "due": args.due,
                "idle_scan_ms": round(idle_round_ms, 3),
                "scheduled_sent": sent,
                "scheduled_per_s": round(sent / sched_s, 1) if sched_s else None,
                "escalated": escalated,
                "escalations_per_s": round(escalated / esc_s, 1) if esc_s else None,
            }
        )
    )


if __name__ == "__main__":
    main()
