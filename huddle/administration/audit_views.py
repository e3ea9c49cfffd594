from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huddle.accounts.models import User
from huddle.accounts.pages import admin_page
from huddle.administration import audit_queries as queries
from huddle.administration.audit_forms import AuditFilterForm
from huddle.core.errors import InvalidInput


@admin_page
def audit_log(request: HttpRequest, user: User) -> HttpResponse:
    """Settings > Audit log: the practice's events, newest first, filtered."""
    form = AuditFilterForm(request.GET or None, people=queries.people(user.practice_id))
    page = queries.EventPage(items=[], next_cursor=None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else queries.Filters()
        try:
            page = queries.events(user.practice_id, filters, cursor=request.GET.get("cursor"))
        except InvalidInput as exc:
            form.add_error(None, exc.message)
            status = 400
    more = request.GET.copy()
    more["cursor"] = page.next_cursor or ""
    context = {
        "form": form,
        "events": page.items,
        "next_query": more.urlencode() if page.next_cursor else "",
        "openable": queries.openable_threads(user, page.items),
        "filtered": any(v for k, v in request.GET.items() if k != "cursor"),
        "section": "audit",
    }
    return render(request, "audit/audit_log.html", context, status=status)
