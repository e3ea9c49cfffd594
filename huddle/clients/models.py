from __future__ import annotations

from django.db import models

from huddle.accounts.models import User
from huddle.practices.models import Practice


class Messaging(models.TextChoices):
    """What a client may do in Client Messaging (F24)."""

    ON = "on", "On: the client may start threads and reply"
    REPLY_ONLY = "reply_only", "Reply only: the client answers staff threads but starts none"
    OFF = "off", "Off: the client reads earlier threads only"


class Client(models.Model):
    """A client (patient) of the practice. Name and email live on the client's
    account (`user`, kind "client"); its `is_active` is the portal access."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="client"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="clients")
    clinicians = models.ManyToManyField(User, blank=True, related_name="assigned_clients")
    messaging = models.CharField(max_length=10, choices=Messaging.choices, default=Messaging.ON)

    def __str__(self) -> str:
        return f"client {self.pk}"
