"""SQLite writers queue on a file lock held from BEGIN to COMMIT or ROLLBACK, so a
waiting writer is woken when the lock comes free instead of sleeping in SQLite's
busy handler (huddle/core/sqlite/base.py, docs/PERFORMANCE.md).

These open their own SQLite file through Huddle's backend, whichever database the
rest of the suite runs on."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker: Any) -> Iterator[None]:
    """These tests open their own SQLite files, not the test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "writers.sqlite3"


def open_connection(path: Path) -> BaseDatabaseWrapper:
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "huddle.core.sqlite",
                "NAME": str(path),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            }
        }
    )
    return handler["default"]


def begin(conn: BaseDatabaseWrapper) -> None:
    """What `transaction.atomic` does on entering its outermost block."""
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(conn: BaseDatabaseWrapper, *, commit: bool) -> None:
    conn.commit() if commit else conn.rollback()
    conn.set_autocommit(True)


@pytest.fixture
def outsider(database: Path) -> Iterator[int]:
    """Another open file on the lock, as another process's connection has."""
    fd = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    yield fd
    os.close(fd)


def lock_is_free(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


@pytest.mark.parametrize("commit", [True, False], ids=["commit", "rollback"])
def test_a_write_transaction_holds_the_writer_lock_until_it_ends(
    database: Path, outsider: int, commit: bool
) -> None:
    conn = open_connection(database)
    try:
        conn.cursor().execute("CREATE TABLE notes (body TEXT)")
        assert lock_is_free(outsider)  # a statement outside a transaction takes none
        begin(conn)
        conn.cursor().execute("INSERT INTO notes VALUES ('kept')")
        assert not lock_is_free(outsider)
        end(conn, commit=commit)
        assert lock_is_free(outsider)
        rows = conn.cursor().execute("SELECT count(*) FROM notes").fetchone()
        assert rows[0] == (1 if commit else 0)
    finally:
        conn.close()


def test_closing_a_connection_mid_transaction_frees_the_lock(database: Path, outsider: int) -> None:
    conn = open_connection(database)
    begin(conn)
    conn.cursor().execute("CREATE TABLE notes (body TEXT)")
    assert not lock_is_free(outsider)
    conn.close()
    assert lock_is_free(outsider)


def test_a_second_writer_waits_for_the_first_and_then_goes_on(database: Path) -> None:
    first = open_connection(database)
    first.cursor().execute("CREATE TABLE notes (body TEXT)")
    begin(first)
    first.cursor().execute("INSERT INTO notes VALUES ('first')")
    started = threading.Event()
    done = threading.Event()

    def second_writer() -> None:
        conn = open_connection(database)
        started.set()
        begin(conn)  # blocks on the lock until `first` commits
        conn.cursor().execute("INSERT INTO notes VALUES ('second')")
        end(conn, commit=True)
        conn.close()
        done.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert started.wait(10)
    assert not done.wait(0.2)  # still queued behind the open transaction
    end(first, commit=True)
    assert done.wait(10)
    thread.join(10)
    bodies = [r[0] for r in first.cursor().execute("SELECT body FROM notes ORDER BY rowid")]
    assert bodies == ["first", "second"]
    first.close()


def test_an_in_memory_database_has_no_lock_file() -> None:
    conn = open_connection(Path(":memory:"))
    begin(conn)
    conn.cursor().execute("CREATE TABLE notes (body TEXT)")
    end(conn, commit=True)
    conn.close()
    assert not Path(":memory:-writer.lock").exists()
