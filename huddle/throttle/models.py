from __future__ import annotations

from django.db import models


class FailedSignIn(models.Model):
    """One failed sign-in (a wrong password or authentication code), kept for the
    throttle's window. The email typed is stored only as a keyed hash."""

    account_key = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["account_key", "at"]),
            models.Index(fields=["address", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"failed sign-in at {self.at:%Y-%m-%d %H:%M:%S}"
