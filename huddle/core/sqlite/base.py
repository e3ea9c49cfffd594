"""Django's SQLite backend, told the real variable limit of SQLite >= 3.32.

Django assumes 999 variables per statement (SQLite before 3.32) and splits a
bulk insert into batches of 999 // columns rows, so a message to a large group
would cost more statements the larger the group. SQLite 3.32 and newer allow
32,766, which keeps a send to 1,000 people in one INSERT.

And its writers queue on a file lock rather than in SQLite's sleeping busy
handler (`WriterLock`).
"""

from __future__ import annotations

import fcntl
import functools
import os
import sqlite3

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3 import base, features

if sqlite3.sqlite_version_info < (3, 32):
    raise ImproperlyConfigured("Huddle needs SQLite 3.32 or newer.")


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = 32766


@functools.lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    return str(base.FORMAT_QMARK_REGEX.sub("?", query)).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's, remembering each statement's `%s` → `?` rewrite: the same few
    hundred statements run over and over, and the regular expression was a few
    per cent of a send's CPU (docs/PERFORMANCE.md)."""

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))  # type: ignore[misc]


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def create_cursor(self, name: str | None = None) -> CursorWrapper:
        return self.connection.cursor(factory=CursorWrapper)  # type: ignore[no-any-return]

    # Writers queue on an OS file lock before SQLite's own (see `WriterLock`).
    writer_lock: WriterLock | None = None

    def _start_transaction_under_autocommit(self) -> None:
        if self.writer_lock is None:
            self.writer_lock = WriterLock.for_database(str(self.settings_dict["NAME"]))
        self.writer_lock.acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self.writer_lock.release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _release_writer_lock(self) -> None:
        if self.writer_lock is not None:
            self.writer_lock.release()


class WriterLock:
    """An exclusive `flock` on `<database>-writer.lock`, held from `BEGIN IMMEDIATE`
    to `COMMIT`/`ROLLBACK`.

    SQLite lets one writer in at a time; a writer that finds the lock taken waits in
    SQLite's busy handler, which sleeps in steps of 1, 2, 5, 10 … 100 ms and looks
    again, so under concurrent sends most of the waiting was sleeping past the
    moment the lock came free (docs/PERFORMANCE.md). Waiting on a file lock
    instead, the kernel wakes the next writer as the last one finishes. Every
    connection (each thread's, each process's) holds its own file, so threads and
    processes queue alike; the kernel drops the lock if a process dies. An
    in-memory database has no file and no other process: no lock.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.fd: int | None = None
        self.held = False

    @classmethod
    def for_database(cls, name: str) -> WriterLock:
        memory = name == ":memory:" or name.startswith("file:") or not name
        return cls(None if memory else f"{name}-writer.lock")

    def acquire(self) -> None:
        if self.path is None or self.held:
            return
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        self.held = True

    def release(self) -> None:
        if self.held and self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.held = False
