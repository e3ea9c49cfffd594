"""The search pages: results for staff (/search) and for clients (/portal/search).

The search text travels only in POST bodies (the header's box, "More results"),
never in a URL; a result links to its thread at the message, `#entry-<id>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huddle.accounts.models import User
from huddle.core.errors import InvalidInput
from huddle.messaging.models import View
from huddle.messaging.pages import PORTAL, STAFF, Surface, page_for
from huddle.search import actions, queries
from huddle.search.terms import Q_MAX


@dataclass(frozen=True)
class Shown:
    """One result as the page draws it: its snippet cut into plain and marked parts."""

    result: queries.Result
    parts: list[tuple[str, bool]]
    kind_label: str


KIND_LABELS = {"message": "Message", "subject": "Subject", "attachment": "Attachment"}


def _parts(snippet: str, highlights: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    at = 0
    for start, end in highlights:
        if start > at:
            parts.append((snippet[at:start], False))
        parts.append((snippet[start:end], True))
        at = end
    if at < len(snippet):
        parts.append((snippet[at:], False))
    return parts


def _page(surface: Surface) -> Callable[[HttpRequest], HttpResponse]:
    @page_for(surface)
    def show(request: HttpRequest, user: User) -> HttpResponse:
        q = request.POST.get("q", "") if request.method == "POST" else ""
        context: dict[str, object] = {
            "base_template": surface.base_template,
            "section": "messages",
            "q": q,
            "q_max": Q_MAX,
            "thread_route": surface.name("thread"),
            "searched": False,
        }
        status = 200
        if request.method == "POST":
            try:
                page = queries.search(user, q, cursor=request.POST.get("cursor") or None)
            except InvalidInput as exc:
                context["error"] = next(iter(exc.fields.values()), exc.message)
                status = 400
            else:
                actions.record_search(user=user, page=page)
                context.update(
                    searched=True,
                    results=[
                        Shown(r, _parts(r.snippet, r.highlights), KIND_LABELS[r.kind])
                        for r in page.items
                    ],
                    next_cursor=page.next_cursor,
                    more=bool(request.POST.get("cursor")),
                    clients_view=View.CLIENTS,
                )
        return render(request, "search/results.html", context, status=status)

    return show


staff_search = _page(STAFF)
portal_search = _page(PORTAL)
