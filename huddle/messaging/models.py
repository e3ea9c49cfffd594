from __future__ import annotations

from django.db import models

from huddle.accounts.models import User
from huddle.core import limits
from huddle.practices.models import Practice


class View(models.TextChoices):
    """The two views of the one inbox."""

    PRACTICE = "practice", "Practice"
    CLIENTS = "clients", "Clients"


class Audience(models.TextChoices):
    """Whom a client thread is for (F10)."""

    CLINICAL = "clinical", "Clinical"
    BILLING = "billing", "Billing"
    ADMINISTRATIVE = "administrative", "Administrative"


class Thread(models.Model):
    """A conversation.

    A practice thread's participants are fixed when it is sent (F3). A client
    thread (view "clients") belongs to one client and an audience; its staff
    follow the practice's records (roles, assignments) at every change.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="threads")
    view = models.CharField(max_length=10, choices=View.choices, default=View.PRACTICE)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    audience = models.CharField(max_length=16, choices=Audience.choices, blank=True)
    subject = models.CharField(max_length=limits.SUBJECT_MAX)
    # Names of the staff groups it was addressed to, as they were called then.
    group_names = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    last_message = models.ForeignKey(
        "Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_message_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["practice", "view", "audience", "client"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(view="practice", client__isnull=True, audience="")
                    | models.Q(view="clients", client__isnull=False) & ~models.Q(audience="")
                ),
                name="client_thread_has_client_and_audience",
            ),
        ]

    def __str__(self) -> str:
        return f"thread {self.pk}"


class EntryKind(models.TextChoices):
    MESSAGE = "message", "Message"
    HEADER_CHANGED = "header_changed", "Header changed"
    # An automatic notice (after-hours reply, away): from nobody, never unread.
    AUTO_REPLY = "auto_reply", "Automatic notice"


class Entry(models.Model):
    """One item of a thread's timeline: a message, or a change of its header.

    Header changes are kept in the timeline but never count as unread.
    """

    # Indexed by (thread, id) below, which also serves lookups by thread alone.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True)
    old_subject = models.CharField(max_length=limits.SUBJECT_MAX, blank=True)
    new_subject = models.CharField(max_length=limits.SUBJECT_MAX, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["thread", "id"])]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Participant(models.Model):
    """One person's place on a thread, and their own state of it.

    `activity_at` orders the inbox and drives auto-archive: the time of the last
    message, or of the person moving the thread back to the Inbox, whichever is later.
    """

    # Indexed by the unique (thread, user) below: one index fewer to write per row.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participations")
    view = models.CharField(max_length=10, choices=View.choices)
    unread_count = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    activity_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint("thread", "user", name="participant_unique"),
        ]
        indexes = [
            models.Index(
                fields=["user", "view", "-activity_at", "-id"],
                name="participant_inbox",
                condition=models.Q(deleted=False),
            ),
            # The badge's sum reads this index alone (unread_count is in it).
            models.Index(
                fields=["user", "view", "unread_count"],
                name="participant_unread",
                condition=models.Q(unread_count__gt=0, deleted=False),
            ),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} on thread {self.thread_id}"


class IdempotencyKey(models.Model):
    """The first answer to a request sent with `Idempotency-Key`, replayed to repeats."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("user", "key", name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"idempotency key of user {self.user_id}"
