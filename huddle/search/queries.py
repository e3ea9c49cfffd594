"""Searching what the caller may see now (F13), in one statement.

The visibility rule is part of the query itself (messaging.rules.VISIBLE_TO:
the caller's participation, not deleted, in their practice, in a view that is
on), so an unassignment, a deactivation or a delete for oneself holds from the
very next search, and nothing of anyone else's threads is ever read: no count,
snippet or time of theirs can leak through a filter applied afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from huddle.accounts.models import User
from huddle.core import sql
from huddle.core.errors import Forbidden, InvalidInput
from huddle.core.pagination import check_limit
from huddle.core.switches import SECURE_MESSAGING_OFF
from huddle.messaging.access import require_view_enabled, visible_views
from huddle.messaging.filters import Filters
from huddle.messaging.models import View
from huddle.messaging.queries import FOLDERS, IN_FOLDER, Name, archive_cutoff
from huddle.messaging.rules import VISIBLE_TO
from huddle.search import cursor as cursors
from huddle.search.engines import page_statement
from huddle.search.snippets import mark_prefix, read_marks
from huddle.search.terms import parse

DEFAULT_LIMIT = 20


@dataclass(frozen=True, slots=True)
class Result:
    document_id: int
    thread_id: int
    thread_subject: str
    thread_view: str
    entry_id: int
    kind: str
    snippet: str
    highlights: list[tuple[int, int]]
    author: Name
    sent_at: datetime


@dataclass
class ResultPage:
    items: list[Result]
    next_cursor: str | None


@dataclass(frozen=True)
class Scope:
    """What a search is narrowed to, beyond what the caller may see."""

    view: str | None = None
    folder: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    filters: Filters = field(default_factory=Filters)


def _where(user: User, scope: Scope) -> tuple[str, list[object]]:
    views = visible_views(user)
    if scope.view is not None:
        if scope.view not in View.values:
            raise InvalidInput.field("view", "Choose the practice or clients view.")
        require_view_enabled(user, scope.view)
        views = [v for v in views if v == scope.view]
    if not views:
        return "1 = 0", []
    where = f"{VISIBLE_TO} AND p.view IN ({sql.placeholders(len(views))})"
    params: list[object] = [user.pk, user.practice_id, *(str(v) for v in views)]
    if scope.folder is not None:
        if scope.folder not in FOLDERS:
            raise InvalidInput.field("folder", "Choose the inbox or archived folder.")
        where += IN_FOLDER[scope.folder]
        params.append(sql.db_time(archive_cutoff(user)))
    if scope.since is not None:
        where += " AND d.created_at >= %s"
        params.append(sql.db_time(scope.since))
    if scope.until is not None:
        where += " AND d.created_at < %s"
        params.append(sql.db_time(scope.until))
    more, more_params = scope.filters.sql()
    return where + more, params + more_params


def _result(row: tuple[Any, ...], prefix: str) -> Result:
    (pk, _, kind, entry_id, thread_id, subject, view, author_id, author_name, at, marked) = row
    snippet, highlights = read_marks(marked or "")
    highlights = mark_prefix(snippet, highlights, prefix)
    return Result(
        document_id=pk,
        thread_id=thread_id,
        thread_subject=subject,
        thread_view=view,
        entry_id=entry_id,
        kind=kind,
        snippet=snippet,
        highlights=highlights,
        author=Name(author_id, author_name),
        sent_at=sql.aware(at),
    )


def search(
    user: User,
    q: str,
    *,
    scope: Scope | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> ResultPage:
    """One page of the messages, subjects and attachment names matching `q` that
    `user` may see now, best first (relevance, then the newest): 1 statement."""
    if not user.practice.secure_messaging_enabled:
        raise Forbidden(SECURE_MESSAGING_OFF)
    terms = parse(q)
    size = check_limit(DEFAULT_LIMIT if limit is None else limit)
    where, params = _where(user, scope or Scope())
    after = ""
    after_params: list[object] = []
    if cursor:
        rank, pk = cursors.decode(cursor)
        after = " AND (rank < %s OR (rank = %s AND id < %s))"
        after_params = [rank, rank, pk]
    statement, all_params = page_statement(terms, where, params, after, after_params, size + 1)
    rows = sql.fetch_all(statement, all_params)
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = cursors.encode(float(rows[-1][1]), int(rows[-1][0]))
    return ResultPage(items=[_result(r, terms.prefix) for r in rows], next_cursor=next_cursor)
