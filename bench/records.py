"""Records benchmark (docs/PERFORMANCE.md, "Records"): a practice export of N
messages — messages per second and the export worker's peak RSS — and the p95 of
a thread PDF of 200 messages.

    DATABASE_URL=... python -m bench.records --messages 100000

It migrates the database named by DATABASE_URL (use a scratch one), builds a
practice with bulk inserts, runs the export in a child process (so its peak RSS is
the worker's own, its VmHWM), and prints and saves JSON under
bench/results/."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import django

MESSAGES_PER_THREAD = 50
PASSWORD = "bench-records-password-2026"  # noqa: S105 - a throwaway benchmark account


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddle.settings")
    django.setup()


def build(messages: int, tag: str) -> tuple[int, int, int]:
    """A practice with `messages` messages in threads of 50, and one thread of 200
    messages; answers (admin id, clinician id, id of the 200-message thread)."""
    from django.utils import timezone

    from huddle.accounts.actions import create_staff
    from huddle.accounts.links import first_password
    from huddle.administration.actions import create_practice, update_messaging_settings
    from huddle.messaging.models import Entry, EntryKind, Participant, Thread, View

    practice, admin = create_practice(
        name=f"Bench Records {tag}",
        admin_name="Bench Admin",
        admin_email=f"admin-{tag}@bench.example",
        admin_password=PASSWORD,
    )
    update_messaging_settings(
        actor=admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    clinician = first_password(
        user=create_staff(
            actor=admin,
            name="Bench Clinician",
            email=f"clinician-{tag}@bench.example",
            roles=["clinician"],
            invite=False,
        ),
        password=PASSWORD,
    )
    start = timezone.now() - timedelta(days=30)
    body = "A message of ordinary length, about an appointment and a form. " * 3

    def threads_of(count: int, per: int) -> list[int]:
        made = Thread.objects.bulk_create(
            [
                Thread(
                    practice=practice,
                    view=View.PRACTICE,
                    subject=f"Bench thread {n}",
                    created_by=clinician,
                    created_at=start,
                    last_message_at=start,
                )
                for n in range(count)
            ],
            batch_size=1000,
        )
        ids = [t.pk for t in made]
        Participant.objects.bulk_create(
            [
                Participant(thread_id=pk, user_id=u, view=View.PRACTICE, activity_at=start)
                for pk in ids
                for u in (admin.pk, clinician.pk)
            ],
            batch_size=2000,
        )
        batch: list[Entry] = []
        for pk in ids:
            for n in range(per):
                batch.append(
                    Entry(
                        thread_id=pk,
                        kind=EntryKind.MESSAGE,
                        author_id=clinician.pk if n % 2 else admin.pk,
                        body=f"{n}: {body}",
                        created_at=start + timedelta(seconds=n),
                    )
                )
                if len(batch) >= 5000:
                    Entry.objects.bulk_create(batch)
                    batch = []
        Entry.objects.bulk_create(batch)
        return ids

    threads_of(max(1, messages // MESSAGES_PER_THREAD), MESSAGES_PER_THREAD)
    (long_thread,) = threads_of(1, 200)
    return admin.pk, clinician.pk, long_thread


def export_in_child(admin_id: int) -> dict[str, Any]:
    """Run one export in a child process; its time, counts and peak RSS."""
    from huddle.accounts.models import User
    from huddle.records import exports

    export = exports.request_export(
        user=User.objects.get(pk=admin_id), reason="Benchmark of the practice export"
    )
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "bench.records", "--worker"],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_kib = json.loads(child.stdout.strip().splitlines()[-1])["peak_rss_kib"]
    export.refresh_from_db()
    return {
        "status": export.status,
        "counts": export.counts,
        "size_bytes": export.size,
        "seconds": round(seconds, 2),
        "messages_per_second": round(export.counts.get("messages", 0) / seconds),
        "worker_peak_rss_mib": round(peak_kib / 1024, 1),
    }


def peak_rss_kib() -> int:
    """This process's own high-water mark (VmHWM: since its exec, unlike getrusage,
    whose figure for a child includes the parent's memory at the fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker_once() -> None:
    from huddle.records import worker

    while worker.step():
        pass
    print(json.dumps({"peak_rss_kib": peak_rss_kib()}))


def pdf_p95(clinician_id: int, thread_id: int, runs: int) -> dict[str, Any]:
    from huddle.accounts.models import User
    from huddle.records.thread_export import export_thread

    user = User.objects.select_related("practice").get(pk=clinician_id)
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        file = export_thread(user=user, thread_id=thread_id, format="pdf")
        times.append((time.perf_counter() - started) * 1000)
        size = len(file.content)
    times.sort()
    return {
        "runs": runs,
        "messages": 200,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "bytes": size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--pdf-runs", type=int, default=20)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    _setup()
    if args.worker:
        worker_once()
        return 0
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    tag = str(int(time.time()))
    started = time.perf_counter()
    admin_id, clinician_id, long_thread = build(args.messages, tag)
    result = {
        "database": connection.vendor,
        "messages": args.messages,
        "build_seconds": round(time.perf_counter() - started, 1),
        "export": export_in_child(admin_id),
        "thread_pdf": pdf_p95(clinician_id, long_thread, args.pdf_runs),
        "export_dir": str(settings.RECORDS_EXPORT_DIR),
    }
    print(json.dumps(result, indent=2))
    if not args.no_save:
        out = (
            Path(__file__).parent / "results" / f"records-{connection.vendor}-{args.messages}.json"
        )
        out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
