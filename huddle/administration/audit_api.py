"""GET /api/v1/audit: the practice's audit log, for Practice Admins."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from huddle.accounts.access import require_practice_admin
from huddle.accounts.api import caller
from huddle.administration import audit_queries as queries
from huddle.administration.audit_schemas import AuditFilters, AuditList, event_out
from huddle.core.apitypes import Error

router = Router(tags=["audit"])
# The operationId it was published with in huddle/audit/api.py (see administration/api.py).
OPERATION = "huddle_audit_api_"


@router.get(
    "/audit",
    operation_id=f"{OPERATION}list_events",
    response={200: AuditList, 400: Error, 401: Error, 403: Error},
)
def list_events(request: HttpRequest, query: Query[AuditFilters]) -> AuditList:
    """Newest first. `since` and `until` are ISO 8601 times with a UTC offset
    (`since` included, `until` excluded); `user_id` is the person who acted."""
    user = caller(request)
    require_practice_admin(user)
    filters = queries.Filters(
        user_id=int(query.user_id) if query.user_id else None,
        thread_id=int(query.thread_id) if query.thread_id else None,
        action=query.action.value if query.action else None,
        since=queries.to_utc("since", query.since),
        until=queries.to_utc("until", query.until),
    )
    page = queries.events(user.practice_id, filters, cursor=query.cursor, limit=query.limit)
    return AuditList(items=[event_out(e) for e in page.items], next_cursor=page.next_cursor)
