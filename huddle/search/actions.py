"""The one write a search makes: its audit row (who, when, how many results)."""

from __future__ import annotations

from django.db import transaction

from huddle import audit
from huddle.accounts.models import User
from huddle.search.queries import ResultPage


@transaction.atomic
def record_search(*, user: User, page: ResultPage) -> None:
    """Never the text searched for, which can name a client (PHI): the number of
    results on the page, and whether there were more."""
    detail = f"{len(page.items)} results" + (", more" if page.next_cursor else "")
    audit.record(audit.Action.SEARCHED, actor=user, detail=detail)
