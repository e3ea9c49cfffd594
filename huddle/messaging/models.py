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
    # conversation (F19, F20): set by huddle/messaging/edits.py and urgent.py.
    urgent = models.BooleanField(default=False, db_default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # When the worker looks for recipients still awaiting an urgent message;
    # cleared once escalated or acknowledged by everyone.
    escalation_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "id"]),
            models.Index(
                fields=["escalation_due_at"],
                name="entry_escalation_due",
                condition=models.Q(escalation_due_at__isnull=False),
            ),
        ]
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
    # conversation (F17): the last message this person has read, and when.
    read_up_to = models.BigIntegerField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # conversation (F20): urgent messages here this person has not acknowledged.
    awaiting_ack = models.PositiveIntegerField(default=0, db_default=0)

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


# conversation (F17-F21) -------------------------------------------------------


class EntryVersion(models.Model):
    """An earlier text of an edited or removed message: the practice's record
    keeps every version (F19). `replaced_at` is when this text stopped being
    the message's current one."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField()
    replaced_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["entry", "id"], name="entry_version_by_entry")]

    def __str__(self) -> str:
        return f"version {self.pk} of entry {self.entry_id}"


class Acknowledgement(models.Model):
    """A recipient pressed Acknowledge on an urgent message (F20)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint("entry", "user", name="acknowledgement_unique")]

    def __str__(self) -> str:
        return f"user {self.user_id} acknowledged entry {self.entry_id}"


class UrgentAlert(models.Model):
    """A PHI-free email about an urgent message, sent by the worker: "urgent" to a
    recipient at once, "escalation" to the sender and supervisors (F20)."""

    class Kind(models.TextChoices):
        URGENT = "urgent", "Urgent message"
        ESCALATION = "escalation", "Not acknowledged"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("entry", "user", "kind", name="urgent_alert_unique")]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="urgent_alert_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert {self.pk}"


class Draft(models.Model):
    """A half-written reply (`thread` set) or new thread, its writer's alone (F18)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=limits.SUBJECT_MAX, blank=True)
    body = models.TextField(blank=True)
    # New-thread drafts: whom it is for, as the composer had it.
    recipients = models.JSONField(default=dict, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=16, blank=True)
    attachment_ids = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "user",
                "thread",
                name="draft_one_reply_per_thread",
                condition=models.Q(thread__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["user", "-updated_at"], name="draft_by_user"),
            models.Index(fields=["updated_at"], name="draft_expiry"),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk}"


class ScheduleStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ScheduledMessage(models.Model):
    """A reply (`thread` set) or a new thread to send at `send_at` as its author (F21)."""

    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=limits.SUBJECT_MAX, blank=True)
    body = models.TextField()
    recipients = models.JSONField(default=dict, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=16, blank=True)
    urgent = models.BooleanField(default=False)
    send_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.SCHEDULED
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["send_at"],
                name="scheduled_due",
                condition=models.Q(status="scheduled"),
            ),
            models.Index(fields=["author", "send_at"], name="scheduled_by_author"),
        ]

    def __str__(self) -> str:
        return f"scheduled message {self.pk}"
