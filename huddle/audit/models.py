"""The audit log: who did what to which object, when, from where (F11).

A row holds ids, an action and an IP address, never message text, subjects or
names. Rows are only ever added: the model refuses to change or delete one.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from huddle.practices.models import Practice

READ_ONLY = "Audit events are never changed or deleted."


class ImmutableAuditEvent(Exception):
    """Raised on any attempt to change or delete an audit event."""


class Action(models.TextChoices):
    THREAD_VIEWED = "thread_viewed", "Viewed a thread"
    MESSAGE_SENT = "message_sent", "Sent a message"
    HEADER_EDITED = "header_edited", "Edited a thread's header"
    THREAD_ARCHIVED = "thread_archived", "Archived a thread"
    THREAD_UNARCHIVED = "thread_unarchived", "Moved a thread back to the Inbox"
    THREAD_DELETED = "thread_deleted", "Deleted a thread from their folders"
    SETTINGS_CHANGED = "settings_changed", "Changed the practice's settings"
    STAFF_ADDED = "staff_added", "Added a staff member"
    STAFF_EDITED = "staff_edited", "Edited a staff member"
    STAFF_ROLES_CHANGED = "staff_roles_changed", "Changed a staff member's roles"
    STAFF_DEACTIVATED = "staff_deactivated", "Deactivated a staff member"
    STAFF_REACTIVATED = "staff_reactivated", "Reactivated a staff member"
    CLIENT_ADDED = "client_added", "Added a client"
    CLIENT_EDITED = "client_edited", "Edited a client"
    CLIENT_CLINICIANS_CHANGED = "client_clinicians_changed", "Changed a client's clinicians"
    LOCATION_ADDED = "location_added", "Added a location"
    LOCATION_RENAMED = "location_renamed", "Renamed a location"
    SIGN_IN_SUCCEEDED = "sign_in_succeeded", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    TOKEN_ISSUED = "token_issued", "Signed in to the API (token issued)"
    TOKEN_REVOKED = "token_revoked", "Revoked an API token"
    SIGNED_OUT = "signed_out", "Signed out"
    NOTIFICATIONS_CHANGED = "notifications_changed", "Changed their email notifications"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
    TWO_FACTOR_ENABLED = "two_factor_enabled", "Turned two-factor sign-in on"
    TWO_FACTOR_DISABLED = "two_factor_disabled", "Turned two-factor sign-in off"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "Made new recovery codes"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset a person's two-factor sign-in"
    # reliability
    HISTORY_REPLAYED = "history_replayed", "Received a thread's messages again (live events)"
    # conversation
    MESSAGE_EDITED = "message_edited", "Edited a message"
    MESSAGE_REMOVED = "message_removed", "Removed a message"
    URGENT_ACKNOWLEDGED = "urgent_acknowledged", "Acknowledged an urgent message"
    URGENT_ESCALATED = "urgent_escalated", "An urgent message was escalated"
    MESSAGE_SCHEDULED = "message_scheduled", "Scheduled a message"
    SCHEDULED_CANCELLED = "scheduled_cancelled", "Cancelled a scheduled message"
    # availability
    HOURS_CHANGED = "hours_changed", "Changed the practice's hours and texts"
    AWAY_SET = "away_set", "Set an away period"
    AWAY_ENDED = "away_ended", "Ended an away period"
    COVERAGE_STARTED = "coverage_started", "Started covering an absent colleague's client threads"
    COVERAGE_ENDED = "coverage_ended", "Stopped covering an absent colleague's client threads"
    # attachments
    ATTACHMENT_UPLOADED = "attachment_uploaded", "Uploaded an attachment"
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", "Downloaded an attachment"
    # records
    THREAD_EXPORTED = "thread_exported", "Exported a thread"
    EXPORT_REQUESTED = "export_requested", "Started an export of the practice"
    EXPORT_DOWNLOADED = "export_downloaded", "Downloaded an export of the practice"
    RETENTION_CHANGED = "retention_changed", "Changed the retention settings"
    RECORDS_PURGED = "records_purged", "Purged threads past retention"
    LEGAL_HOLD_PLACED = "legal_hold_placed", "Placed a legal hold"
    LEGAL_HOLD_RELEASED = "legal_hold_released", "Released a legal hold"
    EMERGENCY_ACCESS = "emergency_access", "Opened a client's threads (emergency access)"
    # security
    INVITATION_SENT = "invitation_sent", "Sent a sign-in link"
    INVITATION_ACCEPTED = "invitation_accepted", "Accepted an invitation (chose a password)"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Asked for a password reset"
    PASSWORD_RESET = "password_reset", "Reset their password with a link"
    EMAIL_CONFIRMED = "email_confirmed", "Confirmed a new email address"
    # search
    SEARCHED = "searched", "Searched messages"


class ObjectType(models.TextChoices):
    THREAD = "thread", "Thread"
    USER = "user", "Person"
    CLIENT = "client", "Client"
    LOCATION = "location", "Location"
    PRACTICE = "practice", "Practice"
    TOKEN = "token", "API token"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads only: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEvent(READ_ONLY)

    def delete(self) -> NoReturn:
        raise ImmutableAuditEvent(READ_ONLY)


class AuditEvent(models.Model):
    """One thing a person did (or tried to do, for a failed sign-in).

    `practice` is empty only for a failed sign-in with an email that belongs to
    no account: such a row is for the operator and shows in no practice's log.
    """

    practice = models.ForeignKey(
        Practice, null=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # By name: audit sits below accounts and imports nothing of it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    object_type = models.CharField(max_length=20, choices=ObjectType.choices, blank=True)
    object_id = models.BigIntegerField(null=True)
    # Names of fields or a kind ("new thread", "reply"): never values a person typed.
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["practice", "at", "id"], name="audit_practice_at"),
            models.Index(fields=["practice", "actor", "at"], name="audit_practice_actor"),
            models.Index(
                fields=["practice", "object_type", "object_id", "at"], name="audit_practice_object"
            ),
            models.Index(fields=["practice", "action", "at"], name="audit_practice_action"),
        ]

    def __str__(self) -> str:
        return f"audit event {self.pk}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableAuditEvent(READ_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEvent(READ_ONLY)
