from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

from huddle.core import limits


class AutoArchive(models.IntegerChoices):
    DAYS_14 = 14, "14 days"
    DAYS_30 = 30, "30 days"
    DAYS_60 = 60, "60 days"


class Practice(models.Model):
    """One tenant: a counselling practice. Nothing ever crosses practices."""

    name = models.CharField(max_length=limits.PRACTICE_NAME_MAX)
    secure_messaging_enabled = models.BooleanField(default=False)
    practice_messaging_enabled = models.BooleanField(default=False)
    auto_archive_days = models.PositiveSmallIntegerField(
        choices=AutoArchive.choices, default=AutoArchive.DAYS_30
    )
    session_idle_minutes = models.PositiveSmallIntegerField(default=30)
    require_two_factor = models.BooleanField(default=False)
    # conversation (F17, F20)
    client_read_receipts = models.BooleanField(default=False, db_default=False)
    urgent_escalation_minutes = models.PositiveSmallIntegerField(default=15, db_default=15)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practice_messaging_enabled=False)
                | models.Q(secure_messaging_enabled=True),
                name="practice_messaging_needs_secure_messaging",
            ),
            models.CheckConstraint(
                condition=models.Q(auto_archive_days__in=limits.AUTO_ARCHIVE_DAYS),
                name="auto_archive_days_allowed",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=limits.LOCATION_NAME_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "practice", Lower("name"), name="location_name_unique_in_practice"
            ),
        ]

    def __str__(self) -> str:
        return self.name
