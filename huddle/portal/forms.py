from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundWidget

from huddle.core import limits
from huddle.messaging.models import Audience

AUDIENCE_HELP = {
    Audience.CLINICAL: "Your clinician and the clinical team: sessions, how you are doing.",
    Audience.BILLING: "Statements, payments and insurance.",
    Audience.ADMINISTRATIVE: "Appointments, forms and everything else.",
}


class PortalComposeForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who is this for?",
        choices=[(a.value, a.label) for a in Audience],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who your message is for."},
    )
    subject = forms.CharField(
        label="Subject",
        max_length=limits.SUBJECT_MAX,
        error_messages={"required": "Add a short subject."},
    )
    body = forms.CharField(
        label="Message",
        max_length=limits.BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write your message."},
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def audience_options(self) -> list[tuple[BoundWidget, str]]:
        """Each "Who is this for?" radio with the sentence that explains it."""
        return [(radio, AUDIENCE_HELP[Audience(radio.data["value"])]) for radio in self["audience"]]
