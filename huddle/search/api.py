"""POST /api/v1/search (API.md, "Search and filters"): a POST, so the text,
which can name a client, never travels in a URL that servers and proxies log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from django.http import HttpRequest
from ninja import Router

from huddle.accounts.api import caller
from huddle.core.apitypes import Error
from huddle.core.errors import InvalidInput
from huddle.messaging.filters import parse_filters
from huddle.messaging.schemas import Person
from huddle.search import actions, queries
from huddle.search.schemas import Kind, SearchIn, SearchResultOut, SearchResults, ThreadRef

router = Router(tags=["search"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error}


def _utc(name: str, value: datetime | None) -> datetime | None:
    """A time as UTC (a time without an offset is taken as UTC); one the
    database cannot hold is bad input, never a 500."""
    if value is None:
        return None
    try:
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InvalidInput.field(name, "Use a time between the years 1 and 9999.") from None
    if not 1 < value.year < 9999:
        raise InvalidInput.field(name, "Use a time between the years 1 and 9999.")
    return value


def _out(result: queries.Result) -> SearchResultOut:
    return SearchResultOut(
        thread=ThreadRef(
            id=result.thread_id, subject=result.thread_subject, view=result.thread_view
        ),
        entry_id=result.entry_id,
        kind=cast(Kind, result.kind),
        snippet=result.snippet,
        highlights=result.highlights,
        author=Person(id=result.author.id, name=result.author.name),
        sent_at=result.sent_at,
    )


@router.post("/search", response={200: SearchResults, **ERRORS})
def search(request: HttpRequest, payload: SearchIn) -> SearchResults:
    """Messages, subjects and attachment names the caller may see now, best first."""
    user = caller(request)
    filters = parse_filters(
        user, {"client_id": payload.client_id, "participant_id": payload.participant_id}
    )
    scope = queries.Scope(
        view=payload.view,
        folder=payload.folder,
        since=_utc("since", payload.since),
        until=_utc("until", payload.until),
        filters=filters,
    )
    page = queries.search(user, payload.q, scope=scope, cursor=payload.cursor, limit=payload.limit)
    actions.record_search(user=user, page=page)
    return SearchResults(items=[_out(r) for r in page.items], next_cursor=page.next_cursor)
