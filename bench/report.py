"""The printed table: each figure beside its target and the machine's floor."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str, str]


def _fmt(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:,.1f} {unit}"


def _check(value: float | None, target: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "-"
    ok = value >= target if higher_is_better else value <= target
    return "ok" if ok else "MISSED"


def rows(doc: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    floor = doc["commit_floor"]["commits_per_second"]
    out.append(("database commit floor (1 writer)", _fmt(floor, "commits/s"), "", ""))
    for name, stack in doc["stacks"].items():
        trivial = stack["trivial"]
        rps = trivial["requests_per_second"]
        out.append((f"[{name}] trivial endpoint", _fmt(rps, "req/s"), "", "floor"))
        send = stack["group_send"]
        mps = send["messages_per_second"]
        share = f"{mps / rps:.0%} of trivial" if rps else ""
        out.append(
            (f"[{name}] 1. group send", _fmt(mps, "msg/s"), ">= 700", _check(mps, 700, True))
        )
        out.append(("     share of the floors", share, f"{mps / floor:.0%} of commits", ""))
        lat = send["latency_ms"]
        out.append(
            (
                "     latency p50/p95/p99",
                f"{lat.get('p50')}/{lat.get('p95')}/{lat.get('p99')} ms",
                "p99 <= 35",
                _check(lat.get("p99"), 35),
            )
        )
        spent = send.get("cpu_ms_per_message")
        if spent:
            where = " · ".join(f"{k} {v:.2f}" for k, v in spent.items() if k != "machine")
            out.append(("     CPU ms per message", f"{spent['machine']:.2f} in all", where, ""))
        load = send["delivery_under_load_ms"]
        out.append(
            (
                "  2. delivery under load p50/p95",
                f"{load.get('p50')}/{load.get('p95')} ms",
                "p95 <= 50",
                _check(load.get("p95"), 50),
            )
        )
        if "quiet_delivery" in stack:
            quiet = stack["quiet_delivery"]["delivery_ms"]
            out.append(
                (
                    "  2. delivery quiet p50/p95",
                    f"{quiet.get('p50')}/{quiet.get('p95')} ms",
                    "p50 <= 5",
                    _check(quiet.get("p50"), 5),
                )
            )
        for size, inbox in stack.get("inbox", {}).items():
            page, badge = inbox["first_page_ms"], inbox["badge_ms"]
            out.append(
                (
                    f"  3. inbox, {int(size):,} threads p50/p95",
                    f"{page.get('p50')}/{page.get('p95')} ms",
                    "p95 <= 10",
                    _check(page.get("p95"), 10),
                )
            )
            out.append(
                (
                    "     badge count p50/p95",
                    f"{badge.get('p50')}/{badge.get('p95')} ms",
                    "p95 <= 5",
                    _check(badge.get("p95"), 5),
                )
            )
        if "fan_out" in stack:
            fan = stack["fan_out"]
            lat = fan["latency_ms"]
            out.append(
                (
                    f"  4. fan-out to {fan['participants']} p50/p95",
                    f"{lat.get('p50')}/{lat.get('p95')} ms",
                    "p95 <= 50",
                    _check(lat.get("p95"), 50),
                )
            )
        if "attachments" in stack:
            files = stack["attachments"]
            for what in ("upload", "download"):
                rate = files[f"{what}_mib_per_s"]
                out.append(
                    (
                        f"  8. {what} of {files['file_mib']} MiB",
                        _fmt(rate, "MiB/s"),
                        ">= 200",
                        _check(rate, 200, higher_is_better=True),
                    )
                )
            ratio = files["server_cpu_ratio_3_files_to_plain"]
            out.append(
                ("  8. reply with 3 files / plain, CPU", f"{ratio}x", "<= 2", _check(ratio, 2))
            )
        for process, mib in stack["rss_mib"].items():
            out.append((f"  5. RSS {process}", _fmt(mib, "MiB"), "<= 120", _check(mib, 120)))
        for process, mib in stack.get("peak_rss_mib", {}).items():
            out.append(
                (f"  5. peak RSS (VmHWM) {process}", _fmt(mib, "MiB"), "<= 120", _check(mib, 120))
            )
        size = stack["size_per_100k_group_messages_mib"]
        out.append(("  5. size per 100k group messages", _fmt(size, "MiB"), "", ""))
    return out


def table(doc: dict[str, Any]) -> str:
    load = ", ".join(f"{x:.2f}" for x in doc["loadavg_before"])
    head = (
        f"\nHuddle benchmark, {doc['database_version']}, {doc['date']}, "
        f"{doc['machine']['cpus']} CPUs, load {load} before"
    )
    lines = [head, f"{'workload':<38} {'figure':<22} {'target':<18} check"]
    lines += [f"{a:<38} {b:<22} {c:<18} {d}" for a, b, c, d in rows(doc)]
    return "\n".join(lines)
