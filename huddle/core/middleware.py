from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string


def too_large(request: HttpRequest, limit: int | None = None) -> HttpResponse:
    limit = limit or settings.MAX_REQUEST_BYTES
    message = f"The request is larger than the limit of {limit // 1024} KiB."
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "too_large", "message": message}}, status=413)
    html = render_to_string("core/error.html", {"title": "Too large", "message": message})
    return HttpResponse(html, status=413)


class BodySizeLimitMiddleware:
    """Answer 413 for a declared body over MAX_REQUEST_BYTES before reading it.

    Bodies without a length (chunked) are capped by DATA_UPLOAD_MAX_MEMORY_SIZE,
    which the API's error handler also turns into 413. The paths of
    LARGE_BODY_PATHS (file uploads) have their own limit, and their views count
    what they read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = 0
        limit = settings.LARGE_BODY_PATHS.get(request.path, settings.MAX_REQUEST_BYTES)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)


class ApiMethodNotAllowedMiddleware:
    """The API answers a method a path does not support in its JSON error format."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and request.path.startswith("/api/"):
            allowed = response.get("Allow", "")
            message = f"{request.method} is not allowed here."
            if allowed:
                message += f" Use {allowed}."
            json = JsonResponse(
                {"error": {"code": "method_not_allowed", "message": message}}, status=405
            )
            if allowed:
                json["Allow"] = allowed
            return json
        return response


class HeadAsGetMiddleware:
    """HEAD answers as GET does, without the body (RFC 9110 9.3.2): the API's
    routes, which django-ninja registers for GET only, would say 405. The event
    stream keeps refusing anything but GET (a HEAD would open an endless stream)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD" or request.path.startswith("/api/v1/events"):
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


# Answers that carry no messages or personal data, and may be cached.
CACHEABLE_PATHS = ("/healthz",)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page and API answer: they carry messages
    and personal data, which no browser or proxy cache may keep. Static files and
    /healthz are left to cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path
        if path.startswith(settings.STATIC_URL) or path in CACHEABLE_PATHS:
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response


# What a view or a template can set to change or skip the policy (django-csp).
_CSP_OVERRIDES = tuple(
    f"_csp_{what}{ro}" for what in ("config", "update", "replace", "exempt") for ro in ("", "_ro")
)


def _excludes_paths() -> bool:
    names = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    return any((getattr(settings, n, None) or {}).get("EXCLUDE_URL_PREFIXES") for n in names)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the header text built once per process.

    Huddle sets no nonce and no per-view policy, so every answer carries the same
    header; building it anew was the costliest middleware of an API call
    (docs/PERFORMANCE.md). An answer with a nonce or a view's own policy goes
    through django-csp unchanged."""

    _policy: tuple[str, str] | None = None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        custom = (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_OVERRIDES)
            or _excludes_paths()
        )
        if custom or (settings.DEBUG and response.status_code in (404, 500)):
            return super().process_response(request, response)
        if self._policy is None:
            parts = asdict(self.get_policy_parts(request=request, response=response))
            parts_ro = asdict(self.get_policy_parts(request, response, report_only=True))
            self._policy = (build_policy(**parts), build_policy(**parts_ro, report_only=True))
        enforced, report_only = self._policy
        if enforced and HEADER not in response:
            response[HEADER] = enforced
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


# security: Fetch Metadata resource isolation (docs/SECURITY.md). The pages a link
# from another site (an email, a chat) may open as they are: they change nothing.
ENTRY_PATHS = frozenset(
    {"/", "/signin", "/portal/signin", "/signin/forgot", "/portal/signin/forgot"}
)
ENTRY_PREFIXES = ("/account/link", "/account/password", "/.well-known/")
SAFE_SITES = frozenset({"same-origin", "none"})
CROSS_SITE = "Requests from other sites cannot reach this page or the API."


class FetchMetadataMiddleware:
    """Requests that a browser says come from another site (`Sec-Fetch-Site:
    cross-site` or `same-site`) never change state and never reach the API with
    the browser's session: the API answers 403 (a bearer token, which no other
    site can make a browser send, still works); a page answers 403 to anything but
    a top-level GET navigation; such a navigation opens the sign-in and link
    pages as they are, and any other page as a "Continue to Huddle" step whose
    click is same-origin. Without the header (older browsers, API clients) the
    request goes on: CSRF and SameSite cookies still hold."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        site = request.META.get("HTTP_SEC_FETCH_SITE")
        if site is None or site in SAFE_SITES:
            return self.get_response(request)
        path = request.path
        if path.startswith(settings.STATIC_URL) or path in CACHEABLE_PATHS:
            return self.get_response(request)
        if path.startswith("/api/"):
            if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
                return self.get_response(request)
            body = {"error": {"code": "cross_site", "message": CROSS_SITE}}
            return JsonResponse(body, status=403)
        navigating = (
            request.method in ("GET", "HEAD")
            and request.META.get("HTTP_SEC_FETCH_MODE", "navigate") == "navigate"
            and request.META.get("HTTP_SEC_FETCH_DEST", "document") == "document"
        )
        if not navigating:
            html = render_to_string(
                "core/error.html", {"title": "Not allowed", "message": CROSS_SITE}
            )
            return HttpResponse(html, status=403)
        if path in ENTRY_PATHS or path.startswith(ENTRY_PREFIXES):
            return self.get_response(request)
        html = render_to_string("core/continue.html", {"target": request.get_full_path()})
        return HttpResponse(html)


class UpperCaseMethodMiddleware:
    """Method names are case-sensitive (RFC 9110): `get` is not `GET`. Django
    upper-cases what it is sent; this answers 501 for a method not sent in
    upper case, as for any method the server does not implement."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = str(request.META.get("REQUEST_METHOD", "") or "")
        if sent and sent != sent.upper():
            return method_not_upper_case(request.path)
        return self.get_response(request)


def method_not_upper_case(path: str) -> HttpResponse:
    message = "Methods are upper case, such as GET or POST."
    if path.startswith("/api/"):
        body = {"error": {"code": "not_implemented", "message": message}}
        return JsonResponse(body, status=501)
    html = render_to_string("core/error.html", {"title": "Not implemented", "message": message})
    return HttpResponse(html, status=501)
