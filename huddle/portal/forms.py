from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget

from huddle.messaging.forms import NewThreadForm
from huddle.messaging.models import Audience

AUDIENCE_HELP = {
    Audience.CLINICAL: "Your clinician and the clinical team: sessions, how you are doing.",
    Audience.BILLING: "Statements, payments and insurance.",
    Audience.ADMINISTRATIVE: "Appointments, forms and everything else.",
}


class PortalComposeForm(NewThreadForm):
    audience = forms.ChoiceField(
        label="Who is this for?",
        choices=[(a.value, a.label) for a in Audience],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who your message is for."},
    )
    field_order = ["audience"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Words for a client, who may not know what a "field" is.
        self.fields["subject"].error_messages["required"] = "Add a short subject."
        self.fields["body"].error_messages["required"] = "Write your message."

    def audience_options(self) -> list[tuple[BoundWidget, str]]:
        """Each "Who is this for?" radio with the sentence that explains it."""
        return [(radio, AUDIENCE_HELP[Audience(radio.data["value"])]) for radio in self["audience"]]
