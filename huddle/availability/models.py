"""Availability (F22-F24): practice hours and their texts, staff away periods,
and the automatic notices they leave in threads."""

from __future__ import annotations

from django.db import models

from huddle.accounts.models import User
from huddle.core import limits
from huddle.practices.models import Practice

DEFAULT_TIMEZONE = "America/New_York"
DEFAULT_AFTER_HOURS_REPLY = (
    "Thank you for your message. The practice is closed right now; we will read it "
    "when we are open again. If this is an emergency, call 911, or call or text 988."
)
DEFAULT_PORTAL_GUIDANCE = (
    "Use secure messages for scheduling, billing and questions between sessions. "
    "We answer during opening hours."
)
DEFAULT_CRISIS_NOTICE = (
    "Secure messages are not read around the clock. In an emergency, call 911. "
    "In a mental-health crisis, call or text 988 (Suicide & Crisis Lifeline)."
)


class PracticeHours(models.Model):
    """A practice's timezone, weekly opening hours, closed dates and texts.

    No row: the practice has not set its hours, nobody gets an after-hours reply,
    and the portal shows the default texts. `weekly` maps "mon".."sun" to a list of
    ["HH:MM", "HH:MM"] ranges in the practice's timezone; a missing or empty day is
    closed. `closed_dates` lists "YYYY-MM-DD" days closed all day."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, primary_key=True, related_name="hours"
    )
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE)
    weekly = models.JSONField(default=dict)
    closed_dates = models.JSONField(default=list)
    after_hours_reply = models.TextField(max_length=limits.AFTER_HOURS_REPLY_MAX)
    portal_guidance = models.TextField(max_length=limits.PORTAL_GUIDANCE_MAX, blank=True)
    crisis_notice = models.TextField(max_length=limits.CRISIS_NOTICE_MAX)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "practice hours"

    def __str__(self) -> str:
        return f"hours of practice {self.practice_id}"


class Coverage(models.TextChoices):
    """Where an away period's coverage stands: the sweep moves it along."""

    PENDING = "pending", "Not started"
    ACTIVE = "active", "Covering"
    DONE = "done", "Over"


class AwayPeriod(models.Model):
    """A staff member's absence, with an optional covering colleague.

    While `starts_at <= now < ends_at` people writing to the person's threads get
    one notice per thread, and `covering` sees the person's client threads."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="away_periods")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.TextField(max_length=limits.AWAY_NOTE_MAX, blank=True)
    covering = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="coverings"
    )
    coverage = models.CharField(max_length=10, choices=Coverage.choices, default=Coverage.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "ends_at"], name="away_user_ends"),
            models.Index(fields=["covering", "ends_at"], name="away_covering_ends"),
            models.Index(fields=["coverage", "starts_at"], name="away_coverage_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="away_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(covering=models.F("user")), name="away_not_covered_by_self"
            ),
        ]

    def __str__(self) -> str:
        return f"away period {self.pk} of user {self.user_id}"


class NoticeReason(models.TextChoices):
    AFTER_HOURS = "after_hours", "After hours"
    AWAY = "away", "Away"


class Notice(models.Model):
    """What an automatic notice in a thread is about; its text and time are the
    timeline entry's (`messaging.Entry` of kind "auto_reply").

    `key` makes it once per thread: the start of the closed period
    ("after_hours:<UTC time>") or the absence ("away:<id>")."""

    entry = models.OneToOneField(
        "messaging.Entry", on_delete=models.CASCADE, primary_key=True, related_name="notice"
    )
    thread = models.ForeignKey("messaging.Thread", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    reason = models.CharField(max_length=16, choices=NoticeReason.choices)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("thread", "key", name="notice_once_per_thread")]

    def __str__(self) -> str:
        return f"{self.reason} notice {self.pk}"
