"""The JSON API at /api/v1/: one NinjaAPI, its auth and its error format (API.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from huddle.accounts.models import User, hash_token
from huddle.accounts.queries import token_user
from huddle.attachments.upload import stream_uploads
from huddle.core.errors import ActionError, RateLimited


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_user(hash_token(token), timezone.now())
        if found is None:
            return None
        request.api_token, user = found  # type: ignore[attr-defined]
        return user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF guards a signed-in session. Without one the caller is simply not
        # signed in: 401 as API.md says, not a 403 about a token it never needed.
        if not isinstance(request.user, User):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if isinstance(user, User) else None


class UploadTokenAuth(TokenAuth):
    """The bearer token, on the upload (POST /attachments): its body streams to
    disk (attachments.upload) whoever reads it first."""

    def __call__(self, request: HttpRequest) -> Any:
        stream_uploads(request)
        return super().__call__(request)


class UploadSessionAuth(BrowserSessionAuth):
    """The session's CSRF check reads the form: the streaming handler comes first."""

    def __call__(self, request: HttpRequest) -> Any:
        stream_uploads(request)
        return super().__call__(request)


api = NinjaAPI(
    title="Huddle API",
    version="1",
    description="Secure messaging for therapy practices. See API.md for the conventions.",
    urls_namespace="api",
    auth=[TokenAuth(), BrowserSessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return api.create_response(request, {"error": body}, status=status)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "This field is required."
    if kind == "extra_forbidden":
        return "This field is not allowed."
    message = str(error.get("msg", "This value is not valid."))
    message = message.removeprefix("Value error, ")
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), _message(error))
    names = ", ".join(sorted(fields))
    return error_response(request, 400, "invalid", f"Check these fields: {names}.", fields)


@api.exception_handler(ActionError)
def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    response = error_response(request, exc.status, exc.code, exc.message, exc.fields)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "not_authenticated", "Sign in to use this.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        message = "The request body is not valid JSON."
        return error_response(request, 400, "malformed_json", message, {"body": message})
    if exc.status_code == 403 and "CSRF" in str(exc):
        message = "The CSRF token is missing or wrong; reload the page and try again."
        return error_response(request, 403, "csrf_failed", message)
    return error_response(request, exc.status_code, "error", str(exc))


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "forbidden", "You may not do this.")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, "too_large", "The request body is too large.")


api.add_router("/", "huddle.signin.api.router")
api.add_router("/", "huddle.accounts.api.router")
api.add_router("/", "huddle.administration.api.router")
api.add_router("/", "huddle.clients.api.router")
api.add_router("/", "huddle.messaging.api.router")
api.add_router("/", "huddle.messaging.conversation_api.router")  # conversation
api.add_router("/", "huddle.notifications.api.router")
api.add_router("/", "huddle.administration.audit_api.router")
api.add_router("/", "huddle.availability.api.router")
# The upload authenticates as the API does, once its body streams (upload.py).
api.add_router("/", "huddle.attachments.api.router", auth=[UploadTokenAuth(), UploadSessionAuth()])
api.add_router("/", "huddle.messaging.attachment_api.router")  # downloads
api.add_router("/", "huddle.records.api.router")
api.add_router("/", "huddle.search.api.router")
