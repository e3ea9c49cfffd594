from __future__ import annotations

from typing import cast

from django import forms

from huddle.accounts.models import Kind, Role, User
from huddle.clients.models import Messaging
from huddle.core import limits


class ClinicianChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class ClientForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=limits.NAME_MAX, error_messages={"required": "Enter a name."}
    )
    email = forms.EmailField(
        label="Email",
        max_length=limits.EMAIL_MAX,
        error_messages={"required": "Enter an email address."},
    )
    clinicians = ClinicianChoice(
        label="Assigned clinicians",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    portal_enabled = forms.BooleanField(label="Client portal access", required=False)

    messaging = forms.ChoiceField(
        label="Messaging",
        choices=Messaging.choices,
        initial=Messaging.ON,
        required=False,  # left out: unchanged
        widget=forms.RadioSelect,
        help_text="Staff can always start threads with reply-only clients. The portal "
        "explains the setting to the client.",
    )

    def __init__(
        self, *args: object, practice_id: int, new: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if new:
            del self.fields["messaging"]  # a new client starts with messaging on
        field = cast(ClinicianChoice, self.fields["clinicians"])
        field.queryset = (
            User.objects.filter(
                practice_id=practice_id, kind=Kind.STAFF, roles__role=Role.CLINICIAN
            )
            .distinct()
            .order_by("name")
        )
