"""The benchmark's databases: where they are, the cached built copy, their size,
and the raw commit rate (the database's floor).

The built data is cached: SQLite as `var/bench/base-<key>.sqlite3`, PostgreSQL
as the database `<name>_base_<key>`; each run works on a fresh copy (a file copy,
or CREATE DATABASE ... TEMPLATE). The key hashes the migrations, the sizes and
`bench.sizes.BUILD_VERSION`, so a change to any of them builds anew.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
from psycopg import sql

from bench.servers import ROOT
from bench.sizes import BUILD_VERSION, Sizes

VAR = ROOT / "var" / "bench"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/huddle_bench"


def cache_key(sizes: Sizes) -> str:
    digest = hashlib.sha256(f"{BUILD_VERSION} {sizes}".encode())
    for path in sorted(ROOT.glob("huddle/*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _with_name(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _admin(url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(_with_name(url, "postgres"), autocommit=True, connect_timeout=3)


def postgres_reachable(url: str) -> bool:
    try:
        with _admin(url):
            return True
    except psycopg.Error:
        return False


def _pg_exists(url: str, name: str) -> bool:
    with _admin(url) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        return found is not None


def _pg_recreate(url: str, name: str, template: str | None = None) -> None:
    with _admin(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(create)


def base_url(run_url: str, key: str) -> str:
    """Where the built data is cached for `run_url`'s kind of database."""
    if is_sqlite(run_url):
        return f"sqlite:///{sqlite_path(run_url).with_name(f'base-{key}.sqlite3')}"
    name = urlparse(run_url).path.lstrip("/")
    return _with_name(run_url, f"{name}_base_{key}")


def base_exists(url: str) -> bool:
    if is_sqlite(url):
        return sqlite_path(url).exists()
    return _pg_exists(url, urlparse(url).path.lstrip("/"))


def drop_stale_bases(run_url: str, keep: set[str]) -> None:
    """Remove cached builds whose key is none of `keep` (older migrations or sizes)."""
    if is_sqlite(run_url):
        folder = sqlite_path(run_url).parent
        for path in folder.glob("base-*.sqlite3*"):
            if path.name.split(".")[0].removeprefix("base-") not in keep:
                path.unlink(missing_ok=True)
        return
    prefix = f"{urlparse(run_url).path.lstrip('/')}_base_"
    with _admin(run_url) as conn:
        names = [
            str(row[0])
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix]
            )
        ]
        for name in names:
            if name.removeprefix(prefix) not in keep:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def fresh_base(url: str) -> None:
    """An empty database to build into (dropping a half-built one)."""
    if is_sqlite(url):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for p in (path, *_sidecars(path)):
            p.unlink(missing_ok=True)
    else:
        _pg_recreate(url, urlparse(url).path.lstrip("/"))


def analyze(url: str) -> None:
    """PostgreSQL's planner statistics for the freshly built data, as autovacuum
    would gather them on a live database (a copy made from a template keeps them)."""
    if not is_sqlite(url):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


def copy_base(base: str, run: str) -> None:
    """The run's own copy of the built data."""
    if is_sqlite(run):
        checkpoint(base)
        target = sqlite_path(run)
        for p in (target, *_sidecars(target)):
            p.unlink(missing_ok=True)
        shutil.copyfile(sqlite_path(base), target)
    else:
        _pg_recreate(run, urlparse(run).path.lstrip("/"), urlparse(base).path.lstrip("/"))


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def checkpoint(url: str) -> None:
    """Fold SQLite's write-ahead log into the file, so its size is the data's."""
    if is_sqlite(url):
        with sqlite3.connect(sqlite_path(url)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def size_bytes(url: str) -> int:
    if is_sqlite(url):
        checkpoint(url)
        path = sqlite_path(url)
        return sum(p.stat().st_size for p in (path, *_sidecars(path)) if p.exists())
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0


def server_version(url: str) -> str:
    if is_sqlite(url):
        return f"SQLite {sqlite3.sqlite_version}"
    with _admin(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return f"PostgreSQL {row[0] if row else '?'}"


def commit_rate(url: str, seconds: float) -> dict[str, float]:
    """The database's floor: one small INSERT per transaction, one writer, as the
    app's settings open it (SQLite: WAL, synchronous=NORMAL; PostgreSQL: over TCP)."""
    count, elapsed = (_sqlite_commits if is_sqlite(url) else _postgres_commits)(url, seconds)
    return {"commits_per_second": round(count / elapsed, 1), "seconds": round(elapsed, 2)}


def _sqlite_commits(url: str, seconds: float) -> tuple[int, float]:
    scratch = sqlite_path(url).with_name("floor.sqlite3")
    for p in (scratch, *_sidecars(scratch)):
        p.unlink(missing_ok=True)
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE floor (id INTEGER PRIMARY KEY, at REAL, body TEXT)")
    count, started, elapsed = 0, time.perf_counter(), 0.0
    while elapsed < seconds:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO floor (at, body) VALUES (?, ?)", (elapsed, "x" * 40))
        conn.execute("COMMIT")
        count += 1
        elapsed = time.perf_counter() - started
    conn.close()
    for p in (scratch, *_sidecars(scratch)):
        p.unlink(missing_ok=True)
    return count, elapsed


def _postgres_commits(url: str, seconds: float) -> tuple[int, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor")
        conn.execute("CREATE TABLE bench_floor (id bigserial PRIMARY KEY, at float, body text)")
        count, started, elapsed = 0, time.perf_counter(), 0.0
        while elapsed < seconds:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO bench_floor (at, body) VALUES (%s, %s)", (elapsed, "x" * 40)
                )
            count += 1
            elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_floor")
    return count, elapsed
