from __future__ import annotations

from django import forms

from huddle.core import limits
from huddle.messaging.models import Audience

AUDIENCE_HELP = {
    Audience.CLINICAL: "Your clinician and the clinical team",
    Audience.BILLING: "Billing and insurance questions",
    Audience.ADMINISTRATIVE: "Appointments, forms and everything else",
}


class PortalComposeForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who is this for?",
        choices=[(a.value, f"{a.label} — {AUDIENCE_HELP[a]}") for a in Audience],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who your message is for."},
    )
    subject = forms.CharField(label="Subject", max_length=limits.SUBJECT_MAX)
    body = forms.CharField(
        label="Message",
        max_length=limits.BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)
