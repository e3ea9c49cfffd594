from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from huddle.accounts.models import ApiToken, Kind, Role, User, with_roles
from huddle.core import sql
from huddle.core.errors import NotFound
from huddle.core.pagination import Page, by_name
from huddle.practices.models import Practice


def _staff(practice: Practice) -> QuerySet[User]:
    return User.objects.filter(practice=practice, kind=Kind.STAFF).prefetch_related(
        with_roles(), "locations"
    )


def list_staff(
    practice: Practice, *, cursor: str | None = None, limit: int | None = None
) -> Page[User]:
    return by_name(_staff(practice), cursor=cursor, limit=limit)


def get_staff(practice: Practice, staff_id: int) -> User:
    try:
        return _staff(practice).get(pk=staff_id)
    except User.DoesNotExist:
        raise NotFound from None


def active_clinicians(practice: Practice) -> list[User]:
    return list(
        User.objects.filter(
            practice=practice, kind=Kind.STAFF, is_active=True, roles__role=Role.CLINICIAN
        ).order_by("name", "pk")
    )


# Column names come from the model; every value is a parameter.
_TOKEN_USER = (
    "SELECT t.id, t.created_at, t.expires_at, "  # noqa: S608
    + sql.columns(User, "u")
    + ", "
    + sql.columns(Practice, "p")
    + " FROM accounts_apitoken t"
    " JOIN accounts_user u ON u.id = t.user_id"
    " JOIN practices_practice p ON p.id = u.practice_id"
    " WHERE t.token_hash = %s AND t.expires_at > %s AND u.is_active"
)
_USER_FIELDS = len(User._meta.concrete_fields)


def token_user(token_hash: str, now: datetime) -> tuple[ApiToken, User] | None:
    """The unexpired token with this hash, its active user and the practice, in one
    statement (every API request with a bearer token asks it; plain SQL, see core.sql)."""
    row = sql.fetch_one(_TOKEN_USER, (token_hash, sql.db_time(now)))
    if row is None:
        return None
    user = sql.model_from_row(User, row[3 : 3 + _USER_FIELDS])
    user.practice = sql.model_from_row(Practice, row[3 + _USER_FIELDS :])
    token = ApiToken(
        id=row[0],
        user=user,
        token_hash=token_hash,
        created_at=sql.aware(row[1]),
        expires_at=sql.aware(row[2]),
    )
    return sql.mark_stored(token), user
