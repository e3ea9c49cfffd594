from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

LAST_SEEN_KEY = "huddle_last_seen"
# Where Django keeps a session's fixed end, set at sign-in (huddle/twofactor/steps.py):
# the database row expires then, however busy the session (docs/AUTH.md).
EXPIRY_KEY = "_session_expiry"
# Refresh the stored time at most this often, so a busy user's requests do not
# all write to the session table.
REFRESH_SECONDS = 60


class IdleSessionMiddleware:
    """End a browser session idle for longer than its practice allows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            idle_limit = user.practice.session_idle_minutes * 60
            if now - float(last_seen) > idle_limit:
                logout(request)
            elif "X-Huddle-Live" in request.headers:
                pass  # a page re-read by live updates (live.js) is not the person's activity
            elif now - float(last_seen) >= REFRESH_SECONDS or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
            if request.user.is_authenticated and EXPIRY_KEY not in request.session:
                # A session signed in without the sign-in page (a test's force_login,
                # or one from before the absolute limit): its 12 hours start now.
                request.session.set_expiry(
                    timezone.now() + timedelta(hours=settings.SESSION_MAX_HOURS)
                )
        return self.get_response(request)
