"""Files on messages (F14). The bytes live in `STORAGES["attachments"]` under a
random key; the row holds what is shown (name, size, type) and where the file is.

An upload starts unattached (`entry` empty), visible to its uploader only; a
send attaches it to its message, after which the thread's people may see it.
Unattached uploads older than a day are removed by the worker (cleanup.py),
with their bytes.
"""

from __future__ import annotations

from django.db import models

from huddle.accounts.models import User
from huddle.practices.models import Practice

NAME_MAX = 200


class Attachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # "messaging.Entry" by name: messaging calls into this app, never the reverse
    # at import time.
    entry = models.ForeignKey(
        "messaging.Entry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    key = models.CharField(max_length=100, unique=True)
    thumbnail_key = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=NAME_MAX)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    # False until the bytes are in storage: the row is made first, so a crash
    # while storing leaves a row the cleanup finds, never bytes nobody knows of.
    stored = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]  # the order they were uploaded in
        indexes = [
            # The cleanup's scan: unattached uploads by age.
            models.Index(
                fields=["created_at"],
                name="attachment_unsent",
                condition=models.Q(entry__isnull=True),
            ),
            models.Index(fields=["practice", "entry"], name="attachment_practice"),
        ]

    def __str__(self) -> str:
        return f"attachment {self.pk}"

    @property
    def is_image(self) -> bool:
        return bool(self.thumbnail_key)
