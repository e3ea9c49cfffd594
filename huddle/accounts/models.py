from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from huddle.core import limits, sql
from huddle.core.text import normalize_email
from huddle.practices.models import Location, Practice

_ROLES = "SELECT role FROM accounts_userrole WHERE user_id = %s"
# The attribute a user's roles are kept in when a list loads them (`with_roles()`).
LOADED_ROLES = "loaded_roles"


def with_roles() -> models.Prefetch[Any]:
    """For `prefetch_related`: each user's roles, read by `User.role_set`."""
    return models.Prefetch("roles", to_attr=LOADED_ROLES)


class Role(models.TextChoices):
    SCHEDULER = "scheduler", "Scheduler"
    BILLER = "biller", "Biller"
    PRACTICE_ADMIN = "practice_admin", "Practice Admin"
    SUPERVISOR = "supervisor", "Supervisor"
    CLINICIAN = "clinician", "Clinician"
    CLINICAL_ADMIN = "clinical_admin", "Clinical Admin"


class Kind(models.TextChoices):
    STAFF = "staff", "Staff"
    CLIENT = "client", "Client"


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email(username or ""))


class User(AbstractBaseUser):
    """A person who signs in: a staff member or a client, of exactly one practice.

    `is_active` is what lets an account sign in: false for a deactivated staff
    member, and for a client whose portal access is off.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="users")
    email = models.EmailField(max_length=limits.EMAIL_MAX, unique=True)
    name = models.CharField(max_length=limits.NAME_MAX)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    is_active = models.BooleanField(default=True)
    locations = models.ManyToManyField(Location, blank=True, related_name="staff")
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by "Sign out everywhere": every session signed in before no longer
    # matches the user's session hash (`_get_session_auth_hash`).
    session_generation = models.PositiveIntegerField(default=0)
    # The address a Practice Admin entered, until its owner confirms it through an
    # emailed link (huddle/accounts/links.py); until then `email` is a placeholder
    # no one can sign in with.
    pending_email = models.CharField(max_length=limits.EMAIL_MAX, blank=True, default="")

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="user_email_lowercase"
            ),
        ]
        indexes = [models.Index(fields=["practice", "kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's HMAC of the password hash, plus the session generation: a
        password change or "Sign out everywhere" ends every session at once."""
        salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password
        if self.session_generation:
            value = f"{value}|{self.session_generation}"
        return salted_hmac(salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_staff_member(self) -> bool:
        return self.kind == Kind.STAFF

    def role_set(self) -> set[str]:
        """The user's roles; those loaded with it (`with_roles()`) when present,
        else one plain statement (access checks read it on most requests: core/sql.py)."""
        loaded: list[UserRole] | None = getattr(self, LOADED_ROLES, None)
        if loaded is not None:
            return {row.role for row in loaded}
        return {str(role) for (role,) in sql.fetch_all(_ROLES, [self.pk])}

    def forget_roles(self) -> None:
        """Drop the roles loaded with this user, after they changed."""
        if hasattr(self, LOADED_ROLES):
            delattr(self, LOADED_ROLES)

    @property
    def shown_email(self) -> str:
        """The address to show: the one awaiting confirmation, else the account's."""
        return self.pending_email or self.email

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_set()

    @property
    def is_practice_admin(self) -> bool:
        return self.is_staff_member and self.has_role(Role.PRACTICE_ADMIN)


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint("user", "role", name="user_role_unique")]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self) -> str:
        return self.role


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"token {self.pk} of user {self.user_id}"


class LinkPurpose(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    RESET = "reset", "Password reset"
    CONFIRM_EMAIL = "confirm_email", "Address confirmation"


class PasswordLink(models.Model):
    """A single-use link, emailed to the account's address, with which the person
    chooses their own password: an invitation for a new account, or a reset.
    Only the SHA-256 of its token is stored (huddle/accounts/links.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_links")
    purpose = models.CharField(max_length=20, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} link {self.pk} of user {self.user_id}"
