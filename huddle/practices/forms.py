from __future__ import annotations

from django import forms

from huddle.core import limits
from huddle.practices.models import AutoArchive


class MessagingSettingsForm(forms.Form):
    secure_messaging_enabled = forms.BooleanField(label="Enable Secure Messaging", required=False)
    practice_messaging_enabled = forms.BooleanField(
        label="Enable Practice Messaging",
        required=False,
        help_text="Messages between staff. Needs Secure Messaging on.",
    )
    auto_archive_days = forms.TypedChoiceField(
        label="Auto-archive threads after",
        choices=AutoArchive.choices,
        coerce=int,
        help_text="A thread with no new message for this long moves to Archived.",
    )
    session_idle_minutes = forms.IntegerField(
        label="Sign out after this many idle minutes",
        min_value=limits.SESSION_IDLE_MIN,
        max_value=limits.SESSION_IDLE_MAX,
    )
    # conversation (F17, F20)
    client_read_receipts = forms.BooleanField(
        label="Client read receipts",
        required=False,
        help_text="Clients see “Read by the practice” once staff have read their message.",
    )
    urgent_escalation_minutes = forms.IntegerField(
        label="Escalate unacknowledged urgent messages after (minutes)",
        min_value=limits.URGENT_ESCALATION_MIN,
        max_value=limits.URGENT_ESCALATION_MAX,
        required=False,  # left empty: unchanged
        help_text="The sender and the recipients' supervisors are then alerted.",
    )


class LocationForm(forms.Form):
    name = forms.CharField(
        label="Location name",
        max_length=limits.LOCATION_NAME_MAX,
        error_messages={"required": "Enter the location's name."},
    )
