"""`make bench`: every workload on SQLite and on PostgreSQL, a table, and JSON in
`bench/results/<date>-<db>.json`. See docs/PERFORMANCE.md.

    python -m bench [--quick] [--db sqlite|postgres|both] [--stacks wsgi,asgi]

BENCH_DB=sqlite|postgres picks one database as --db does; BENCH_POSTGRES_URL
overrides where PostgreSQL is (default postgres://postgres@127.0.0.1:5432/huddle_bench).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvloop

from bench import attachments, cpu, dbs, report, servers, workloads
from bench.sizes import BY_NAME, FULL, QUICK, Sizes

RESULTS = servers.ROOT / "bench" / "results"
RECOMMENDED = "wsgi"


@dataclass
class Prepared:
    url: str
    world: dict[str, Any]
    tokens: dict[str, Any]
    build_seconds: float | None  # None: the cached build was used


def _builder_env(url: str) -> dict[str, str]:
    env = servers.server_env(url)
    env.pop("REDIS_URL")  # nothing listens while building: events are not built
    env["RATE_LIMIT_MESSAGES_PER_MINUTE"] = "0"
    env["RATE_LIMIT_THREADS_PER_MINUTE"] = "0"
    return env


def _python(args: list[str], url: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.build_cli", *args],
        cwd=servers.ROOT,
        env=_builder_env(url),
        check=True,
        stdout=subprocess.PIPE,
    )
    return done.stdout.decode()


def prepare(run_url: str, sizes: Sizes) -> Prepared:
    """The run's database: a copy of the cached build (built first if missing)."""
    key = dbs.cache_key(sizes)
    base = dbs.base_url(run_url, key)
    world_file = dbs.VAR / f"world-{'sqlite' if dbs.is_sqlite(run_url) else 'postgres'}-{key}.json"
    took = None
    if not (dbs.base_exists(base) and world_file.exists()):
        print(f"  building the data ({sizes.name}); cached for later runs", file=sys.stderr)
        started = time.perf_counter()
        dbs.drop_stale_bases(run_url, {dbs.cache_key(s) for s in BY_NAME.values()})
        dbs.fresh_base(base)
        world_file.parent.mkdir(parents=True, exist_ok=True)
        _python(["build", sizes.name, str(world_file)], base)
        dbs.analyze(base)
        took = round(time.perf_counter() - started, 1)
    dbs.copy_base(base, run_url)
    world = json.loads(world_file.read_text())
    tokens = json.loads(_python(["tokens", str(world_file)], run_url))
    return Prepared(url=run_url, world=world, tokens=tokens, build_seconds=took)


async def run_stack(
    stack: servers.Stack,
    prepared: Prepared,
    sizes: Sizes,
    *,
    everything: bool,
    say: workloads.Say = workloads.say_stderr,
) -> dict[str, Any]:
    """The workloads on one running stack: the floor and group send always, the
    rest (`everything`) on the recommended stack."""
    world, tokens = prepared.world, prepared.tokens
    out: dict[str, Any] = {"settings": stack.settings}
    out["trivial"] = await workloads.trivial(stack, tokens, sizes, say)
    before = dbs.size_bytes(prepared.url)
    cpu_before = cpu.snapshot(stack)
    out["group_send"] = await workloads.group_send(stack, world, tokens, sizes, say)
    out["group_send"]["cpu_ms_per_message"] = cpu.per_item(
        cpu_before, cpu.snapshot(stack), sizes.messages
    )
    grown = dbs.size_bytes(prepared.url) - before
    out["size_per_100k_group_messages_mib"] = round(grown / sizes.messages * 1e5 / 2**20, 1)
    if everything:
        out["quiet_delivery"] = await workloads.quiet_delivery(stack, tokens, world, sizes, say)
        out["inbox"] = await workloads.inbox(stack, tokens, world, sizes, say)
        out["fan_out"] = await workloads.fan_out(stack, tokens, world, sizes, say)
        out["attachments"] = await attachments.attachments(stack, tokens, world, sizes, say)
    out["rss_mib"] = stack.rss_mib()
    out["signin_burst"] = await workloads.signin_burst(stack, say)
    # The peak of each process over the whole run, the sign-in burst included.
    out["peak_rss_mib"] = stack.rss_mib("VmHWM")
    return out


def run_database(kind: str, url: str, sizes: Sizes, stacks: list[str]) -> dict[str, Any]:
    print(f"\n== {kind}: {dbs.server_version(url)}", file=sys.stderr)
    prepared = prepare(url, sizes)
    result: dict[str, Any] = {
        "database": kind,
        "database_version": dbs.server_version(url),
        "build_seconds": prepared.build_seconds,
        "loadavg_before": os.getloadavg(),
        "commit_floor": dbs.commit_rate(url, sizes.floor_seconds),
        "stacks": {},
    }
    result["size_after_build_mib"] = round(dbs.size_bytes(url) / 2**20, 1)
    with tempfile.TemporaryDirectory(prefix="huddle-bench-") as logs:
        # The recommended stack last: it runs every workload on a database that
        # has seen the other stack's group send too.
        for name in sorted(stacks, key=lambda s: s == RECOMMENDED):
            stack = servers.start(name, url, Path(logs))
            try:
                # uvloop: the client shares the machine's cores with the servers,
                # so its own CPU per request counts against every figure.
                result["stacks"][name] = uvloop.run(
                    run_stack(stack, prepared, sizes, everything=name == RECOMMENDED)
                )
            finally:
                stack.stop()
            print(file=sys.stderr)
    result["loadavg_after"] = os.getloadavg()
    return result


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    names = ("Django", "django-ninja", "pydantic", "granian", "psycopg", "redis", "aiohttp")
    found = {name: version(name) for name in names}
    found["python"] = platform.python_version()
    return found


def _machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kib = 0
    return {
        "platform": platform.platform(),
        "cpu": model,
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kib / 2**20, 1),
        "client": "aiohttp on the same machine, one keep-alive connection per person",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller workloads (~2 min)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"))
    parser.add_argument("--stacks", default=",".join(servers.STACKS))
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    which = args.db or os.environ.get("BENCH_DB") or "both"
    stacks = [s for s in args.stacks.split(",") if s]
    wanted: list[tuple[str, str]] = []
    if which in ("sqlite", "both"):
        wanted.append(("sqlite", f"sqlite:///{dbs.VAR / 'run.sqlite3'}"))
    if which in ("postgres", "both"):
        pg = os.environ.get("BENCH_POSTGRES_URL", dbs.POSTGRES_URL)
        if dbs.postgres_reachable(pg):
            wanted.append(("postgres", pg))
        else:
            print(f"PostgreSQL is not reachable at {pg}: skipped", file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    for kind, url in wanted:
        result = run_database(kind, url, sizes, stacks)
        document = {
            "date": started.isoformat(timespec="seconds"),
            "sizes": sizes.as_dict(),
            "machine": _machine(),
            "versions": _versions(),
            "recommended_stack": RECOMMENDED,
            **result,
        }
        suffix = "" if sizes is FULL else f"-{sizes.name}"
        path = RESULTS / f"{started:%Y-%m-%d}-{kind}{suffix}.json"
        path.write_text(json.dumps(document, indent=2) + "\n")
        print(report.table(document))
        print(f"written: {path.relative_to(servers.ROOT)}\n")
    return 0
