from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from huddle.accounts.models import User
from huddle.core import limits
from huddle.core.errors import InvalidInput


def check_password_strength(password: str, *, user: User | None, field: str = "password") -> None:
    """Django's validators: at least 12 characters, not common, not like the name or email."""
    if len(password) > limits.PASSWORD_MAX:
        raise InvalidInput.field(field, f"Use at most {limits.PASSWORD_MAX} characters.")
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput.field(field, " ".join(exc.messages)) from None
