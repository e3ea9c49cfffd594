from __future__ import annotations

from django import forms

from huddle.records.models import (
    REASON_MAX,
    RETENTION_YEARS_MAX,
    RETENTION_YEARS_MIN,
    HoldScope,
)


class ReasonField(forms.CharField):
    def __init__(self, label: str, help_text: str) -> None:
        super().__init__(
            label=label,
            help_text=help_text,
            required=False,
            max_length=REASON_MAX + 1000,  # the action says what is too long
            widget=forms.Textarea(attrs={"rows": 3}),
        )


class ExportForm(forms.Form):
    reason = ReasonField(
        "Reason for the export",
        "Kept with the export and shown to the other Practice Admins (10 to 500 characters).",
    )


class RetentionForm(forms.Form):
    retention_years = forms.IntegerField(
        label="Keep records for (years after a thread's last activity)",
        min_value=RETENTION_YEARS_MIN,
        max_value=RETENTION_YEARS_MAX,
        widget=forms.NumberInput(attrs={"min": RETENTION_YEARS_MIN, "max": RETENTION_YEARS_MAX}),
    )
    purge_after_retention = forms.BooleanField(
        label="Remove threads once they are older than that (unless on legal hold)",
        required=False,
    )


class HoldForm(forms.Form):
    scope = forms.ChoiceField(label="Hold", choices=HoldScope.choices, widget=forms.RadioSelect)
    target_id = forms.IntegerField(
        label="Client or thread number (for a client or thread hold)",
        required=False,
        min_value=1,
        help_text="The number in the client's or thread's address; leave empty for the practice.",
    )
    reason = ReasonField("Reason for the hold", "10 to 500 characters.")


class EmergencyForm(forms.Form):
    reason = ReasonField(
        "Why do you need this client's threads now?",
        "Shown on each of the client's threads to its staff, and to the Practice Admins.",
    )


class ClientSearchForm(forms.Form):
    q = forms.CharField(label="Client's name", max_length=120, required=False)
