"""The address a request came from, for the audit rows the request writes.

`REMOTE_ADDR` is the peer that connected to the server process: behind a
reverse proxy, the proxy itself. `X-Forwarded-For` is trusted only when the
setting AUDIT_TRUST_X_FORWARDED_FOR is on (the servers are reachable only
through a proxy that sets it), and then only its last address: the one the proxy
in front of Huddle wrote. See docs/AUDIT.md.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def current_ip() -> str | None:
    """The address of the request being served, or None outside a request."""
    return _client_ip.get()


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            found = _valid(forwarded.split(",")[-1])
            if found:
                return found
    return _valid(str(request.META.get("REMOTE_ADDR") or ""))


class ClientAddressMiddleware:
    """Keeps the request's address in a context variable while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
