"""Records (F12, F15, F16): retention settings, practice exports, legal holds and
emergency access. Reasons typed by people live here, never in the audit log."""

from __future__ import annotations

from django.db import models

from huddle.accounts.models import User
from huddle.clients.models import Client
from huddle.messaging.models import Thread
from huddle.practices.models import Practice

RETENTION_YEARS_MIN = 6
RETENTION_YEARS_MAX = 30
RETENTION_YEARS_DEFAULT = 7
REASON_MIN = 10
REASON_MAX = 500
EXPORT_DAYS = 7


class RetentionSettings(models.Model):
    """One row per practice; no row means the defaults (7 years, no purge)."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, primary_key=True, related_name="retention"
    )
    retention_years = models.PositiveSmallIntegerField(default=RETENTION_YEARS_DEFAULT)
    purge_after_retention = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    retention_years__gte=RETENTION_YEARS_MIN,
                    retention_years__lte=RETENTION_YEARS_MAX,
                ),
                name="retention_years_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"retention of practice {self.practice_id}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class PracticeExport(models.Model):
    """The whole messaging record of a practice as one ZIP, built by the worker.

    At most one is queued or running per practice (a partial unique constraint);
    a worker holds it while `claimed_until` is ahead and pushes it on as it goes,
    so a crashed worker's export is taken over and built again from the start."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    status = models.CharField(max_length=10, choices=ExportStatus.choices)
    progress = models.FloatField(default=0.0)
    counts = models.JSONField(default=dict, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The class of the error that failed it; never its text.
    error = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_export_per_practice",
            )
        ]
        indexes = [models.Index(fields=["practice", "-created_at"], name="export_practice")]

    def __str__(self) -> str:
        return f"export {self.pk} of practice {self.practice_id}"

    @property
    def file_name(self) -> str:
        return f"export-{self.pk}.zip"


class HoldScope(models.TextChoices):
    PRACTICE = "practice", "The whole practice"
    CLIENT = "client", "A client"
    THREAD = "thread", "A thread"


class LegalHold(models.Model):
    """While not released, nothing it covers is purged, whatever the settings."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=10, choices=HoldScope.choices)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, null=True, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, null=True, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    released_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="practice", client__isnull=True, thread__isnull=True)
                    | models.Q(scope="client", client__isnull=False, thread__isnull=True)
                    | models.Q(scope="thread", client__isnull=True, thread__isnull=False)
                ),
                name="legal_hold_scope_matches",
            )
        ]
        indexes = [models.Index(fields=["practice", "released_at"], name="hold_practice")]

    def __str__(self) -> str:
        return f"legal hold {self.pk} ({self.scope})"


class EmergencyAccess(models.Model):
    """Break the glass: `user` sees and may answer all of `client`'s threads until
    `expires_at`. Each of those threads shows it to its staff."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="emergency_accesses")
    reason = models.TextField(max_length=REASON_MAX)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "client", "expires_at"], name="emergency_user_client"),
            models.Index(fields=["client", "created_at"], name="emergency_client"),
        ]
        verbose_name_plural = "emergency accesses"

    def __str__(self) -> str:
        return f"emergency access {self.pk} of user {self.user_id}"
