"""Plain SQL for the few paths every request and every message takes.

The ORM builds each statement anew on every call; on the send, inbox, badge and
token paths that building cost more than the database's work (docs/PERFORMANCE.md,
"What was changed for speed"). Those paths write their statements here once, as
text with `%s` parameters, the same on SQLite and PostgreSQL. Everything else
keeps the ORM.

Times go in through `db_time` and come out through `aware`, as the ORM does it:
SQLite keeps naive UTC text, PostgreSQL `timestamptz`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils.dateparse import parse_datetime

Params = Sequence[Any]
M = TypeVar("M", bound=models.Model)


def fetch_all(sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def fetch_one(sql: str, params: Params = ()) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return tuple(row) if row is not None else None


def execute(sql: str, params: Params = ()) -> int:
    """Run a write; the number of rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def insert(sql: str, params: Params = ()) -> int:
    """Run an `INSERT … RETURNING id` (SQLite 3.35+ and PostgreSQL); the new id."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return int(row[0])


def mark_stored(instance: M) -> M:
    """`instance`, whose row a plain-SQL INSERT has just written or a plain-SQL
    SELECT has just read (its pk set), marked as in the database, as `Model.save()`
    and the ORM's loading mark it (`Model._state`, documented in Django's "Model
    instance reference"): a later save() updates the row instead of inserting."""
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def db_time(value: datetime) -> Any:
    """A time as the database stores it: on SQLite naive UTC text, the very text
    Django's `adapt_datetimefield_value` writes (written out here: a send passes
    several times)."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


def aware(value: Any) -> datetime:
    """A time read back: an aware datetime whatever the backend returned."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError("not a time")
        value = parsed
    if not isinstance(value, datetime):
        raise TypeError("not a time")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def placeholders(count: int) -> str:
    """`%s, %s, …` for an `IN (…)` of `count` values."""
    return ", ".join(["%s"] * count)


def columns(model: type[models.Model], alias: str) -> str:
    """`alias.col, …` for every stored field of `model`, in `model_from_row`'s order."""
    return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)


def from_db(field: models.Field[Any, Any], value: Any) -> Any:
    """A value read by plain SQL, converted as the ORM converts it for `field`
    (aware times, JSON decoded, booleans)."""
    if value is None:
        return value
    if isinstance(field, models.DateTimeField):
        return aware(value)
    if isinstance(field, models.JSONField):
        return field.from_db_value(value, None, connection)  # type: ignore[arg-type]
    if isinstance(field, models.BooleanField):
        return bool(value)
    return value


def model_from_row(model: type[M], values: Sequence[Any]) -> M:
    """A model instance from the values `columns(model, …)` selected, converted as
    the ORM converts them."""
    fields = model._meta.concrete_fields
    converted = [from_db(field, value) for field, value in zip(fields, values, strict=True)]
    return model.from_db("default", [f.attname for f in fields], converted)
