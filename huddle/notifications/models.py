"""Email notification preferences, and the outbox of notification emails (F8).

An outbox row is written in the same transaction as the message that causes
it, so a message that is rolled back never notifies anyone and one that is
committed always does, even across a crash or restart of the worker.
"""

from __future__ import annotations

from django.db import models

from huddle.accounts.models import Kind, User


class Preference(models.Model):
    """What a person wants to be emailed about. No row means the defaults: staff
    get no emails until they opt in; clients are emailed about their messages."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    internal_messages = models.BooleanField(default=False)
    client_messages = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"notification preferences of user {self.user_id}"

    @classmethod
    def defaults_for(cls, user: User) -> Preference:
        return cls(user=user, client_messages=user.kind == Kind.CLIENT)


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"  # read in time, or no longer for this person
    FAILED = "failed", "Failed"  # gave up after the last retry


class Notification(models.Model):
    """One email telling `user` that a secure message is waiting.

    At most one is pending per user: messages arriving while one is pending are
    covered by it. A pending row with `claimed_until` in the future is being
    sent by a worker; past that moment another worker may take it over.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The class of the last sending error; never its text, which may name people.
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="notification_one_pending_per_user",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status="pending"),
                name="notification_due",
            ),
        ]

    def __str__(self) -> str:
        return f"notification {self.pk} for user {self.user_id}"
