"""Errors that actions raise; the pages and the API turn them into answers."""

from __future__ import annotations


class ActionError(Exception):
    """Base class: a request that cannot be carried out as asked."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(ActionError):
    """A field's value breaks a rule (400, naming the field)."""

    @classmethod
    def field(cls, name: str, message: str) -> InvalidInput:
        return cls(message, fields={name: message})


class Conflict(ActionError):
    """The change collides with what is stored, such as an email already in use (409)."""

    status = 409
    code = "conflict"


class Forbidden(ActionError):
    """Signed in, but the role may not or the feature is off (403)."""

    status = 403
    code = "forbidden"


class NotFound(ActionError):
    """Does not exist, or the caller may not see it: never say which (404)."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class RateLimited(ActionError):
    """Too many sends in a short time; try again after `retry_after` seconds (429)."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
