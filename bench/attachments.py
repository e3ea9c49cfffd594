"""The attachments workload (issue #13): upload and download throughput of a
10 MiB file on loopback, and what a reply with 3 attachments costs next to a
plain reply (server CPU per reply, and latency). Figures only; the tests run it
tiny and check what it stored."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import aiohttp

from bench import cpu
from bench.client import Person, ms
from bench.servers import Stack
from bench.sizes import Sizes

MIB = 1024 * 1024
# By run size: the file's size, how many uploads and downloads, how many replies.
FILE_BYTES = {"full": 10 * MIB, "quick": 10 * MIB, "tiny": MIB // 4}
TRANSFERS = {"full": 20, "quick": 5, "tiny": 2}
REPLIES = {"full": 100, "quick": 30, "tiny": 3}
SMALL = b"%PDF-1.4\n" + b"small attachment for a reply\n" * 100


def _file(size: int) -> bytes:
    block = b"0123456789abcdef" * 4096
    body = b"%PDF-1.4\n" + block * (size // len(block) + 1)
    return body[:size]


async def _upload(person: Person, content: bytes, name: str) -> tuple[int, dict[str, Any], float]:
    form = aiohttp.FormData()
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    started = time.perf_counter()
    async with person.session.post(f"{person.base_url}/api/v1/attachments", data=form) as answer:
        body = await answer.json() if answer.status < 500 else {}
    return answer.status, body, time.perf_counter() - started


async def _download(person: Person, attachment_id: str) -> tuple[int, str, int, float]:
    digest = hashlib.sha256()
    size = 0
    started = time.perf_counter()
    async with person.session.get(f"{person.base_url}/api/v1/attachments/{attachment_id}") as r:
        async for chunk in r.content.iter_chunked(256 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return r.status, digest.hexdigest(), size, time.perf_counter() - started


async def attachments(
    stack: Stack, tokens: dict[str, Any], world: dict[str, Any], sizes: Sizes, say: Any
) -> dict[str, Any]:
    person = Person(stack.api_url, tokens["senders"][0])
    content = _file(FILE_BYTES[sizes.name])
    expected = hashlib.sha256(content).hexdigest()
    thread = world["group_thread"]
    errors: dict[str, int] = {}

    def bad(what: str) -> None:
        errors[what] = errors.get(what, 0) + 1

    try:
        await person.call("GET", "/api/v1/me")  # warm the connection
        up: list[float] = []
        ids: list[str] = []
        for n in range(TRANSFERS[sizes.name]):
            status, body, took = await _upload(person, content, f"bench-{n}.pdf")
            if status != 201 or body.get("sha256") != expected:
                bad(f"upload {status}")
                continue
            up.append(took)
            ids.append(body["id"])
            say(f"{stack.name}: attachments upload {n + 1}")
        # Sent, so the downloads go through the thread's access check.
        status, _, _ = await person.call(
            "POST", f"/api/v1/threads/{thread}/messages", {"body": "", "attachment_ids": ids[:10]}
        )
        if status != 201:
            bad(f"send {status}")
        down: list[float] = []
        for attachment_id in ids:
            status, digest, size, took = await _download(person, attachment_id)
            if status != 200 or digest != expected or size != len(content):
                bad(f"download {status}")
                continue
            down.append(took)
        say(f"{stack.name}: attachments downloads done")

        path = f"/api/v1/threads/{thread}/messages"
        replies = REPLIES[sizes.name]
        plain: list[float] = []
        before = cpu.snapshot(stack)
        for n in range(replies):
            status, _, took = await person.call("POST", path, {"body": f"bench plain {n}"})
            plain.append(took)
            if status != 201:
                bad(f"plain reply {status}")
        plain_cpu = cpu.per_item(before, cpu.snapshot(stack), replies)
        files: list[list[str]] = []
        for n in range(replies):
            trio = [await _upload(person, SMALL, f"small-{n}-{k}.pdf") for k in range(3)]
            files.append([body["id"] for status, body, _ in trio if status == 201])
        with_files: list[float] = []
        before = cpu.snapshot(stack)
        for n, trio_ids in enumerate(files):
            body = {"body": f"bench files {n}", "attachment_ids": trio_ids}
            status, answer, took = await person.call("POST", path, body)
            with_files.append(took)
            if status != 201 or len(answer["attachments"]) != 3:
                bad(f"reply with files {status}")
        files_cpu = cpu.per_item(before, cpu.snapshot(stack), replies)
    finally:
        await person.close()

    def mib_s(times: list[float]) -> float:
        return round(len(content) / MIB / (sum(times) / len(times)), 1) if times else 0.0

    server = {"wsgi", "events", "asgi"}
    plain_ms = sum(v for k, v in plain_cpu.items() if k in server)
    files_ms = sum(v for k, v in files_cpu.items() if k in server)
    return {
        "file_mib": round(len(content) / MIB, 2),
        "uploads": len(up),
        "downloads": len(down),
        "upload_mib_per_s": mib_s(up),
        "download_mib_per_s": mib_s(down),
        "upload_ms": ms(up),
        "download_ms": ms(down),
        "plain_reply_ms": ms(plain),
        "reply_with_3_files_ms": ms(with_files),
        "plain_reply_cpu_ms": plain_cpu,
        "reply_with_3_files_cpu_ms": files_cpu,
        "server_cpu_ratio_3_files_to_plain": round(files_ms / plain_ms, 2) if plain_ms else None,
        "errors": errors,
    }


def main() -> None:
    """`python -m bench.attachments`: this workload alone at the quick size (10 MiB
    files) on the recommended stack and SQLite, over the tiny practice's data."""
    import json
    import tempfile
    from pathlib import Path

    import uvloop

    from bench import dbs, run, servers
    from bench.sizes import QUICK, TINY
    from bench.workloads import say_stderr

    url = f"sqlite:///{dbs.VAR / 'attachments.sqlite3'}"
    prepared = run.prepare(url, TINY)
    with tempfile.TemporaryDirectory(prefix="huddle-bench-") as logs:
        stack = servers.start(run.RECOMMENDED, url, Path(logs))
        try:
            result = uvloop.run(
                attachments(stack, prepared.tokens, prepared.world, QUICK, say_stderr)
            )
        finally:
            stack.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
