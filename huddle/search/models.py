"""What search finds: one document per message, subject or attachment name.

The text is kept here as it was written (snippets are cut from it); the engine's
index lives beside it, outside Django's models (migrations 0001): on SQLite an
FTS5 table `search_fts` over this table's rows, on PostgreSQL a generated
`tsvector` column `vector` of this table with a GIN index. Rows are written by
`search.index` inside the transaction of the change they index.
"""

from __future__ import annotations

from django.db import models


class DocumentKind(models.TextChoices):
    MESSAGE = "message", "Message"
    SUBJECT = "subject", "Subject"
    ATTACHMENT = "attachment", "Attachment"


class Document(models.Model):
    """A piece of a thread one can search: a message's body, a subject the thread
    had (its first, and each header change), or an attachment's name.

    `entry` is the timeline entry a result opens at: the message (for its body
    and its attachments), the first message (for the first subject), the header
    change (for a later subject)."""

    thread = models.ForeignKey("messaging.Thread", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        "messaging.Entry", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["entry"], name="search_document_entry")]

    def __str__(self) -> str:
        return f"{self.kind} document {self.pk}"
