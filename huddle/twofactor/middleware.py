from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from huddle.accounts.models import User
from huddle.twofactor.devices import has_two_factor

SETUP_MESSAGE = "Your practice requires two-factor sign-in: set it up to continue."
# Pages a session held back for set-up may still open (besides static files).
OPEN_PAGES = (
    "profile_two_factor",
    "portal_two_factor",
    "signout",
    "portal_signout",
    "profile_sign_out_everywhere",
    "portal_sign_out_everywhere",
)


class TwoFactorRequiredMiddleware:
    """In a practice that requires two-factor sign-in, a session that did not pass
    it (signed in before the practice turned it on, or just after the password
    of a user without an authenticator app) reaches only the set-up page, the
    sign-outs and the static files. Install after OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths: set[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User) and user.practice.require_two_factor and not user.is_verified()  # type: ignore[attr-defined]
        ):
            held = self._hold(request, user)
            if held is not None:
                return held
        return self.get_response(request)

    def _hold(self, request: HttpRequest, user: User) -> HttpResponse | None:
        if has_two_factor(user):
            # A session from before the app was set up: the code was never given.
            logout(request)
            return None
        if self.open_paths is None:
            self.open_paths = {reverse(name) for name in OPEN_PAGES}
        if request.path in self.open_paths or request.path.startswith("/static/"):
            return None
        if request.path.startswith("/api/"):
            body = {"error": {"code": "two_factor_setup_required", "message": SETUP_MESSAGE}}
            return JsonResponse(body, status=403)
        return redirect("portal_two_factor" if user.kind == "client" else "profile_two_factor")
