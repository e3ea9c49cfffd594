from __future__ import annotations

from typing import cast

from django import forms

from huddle.accounts.models import Role
from huddle.core import limits
from huddle.practices.models import Location


class SignInForm(forms.Form):
    email = forms.CharField(label="Email", max_length=limits.EMAIL_MAX)
    password = forms.CharField(
        label="Password", max_length=limits.PASSWORD_MAX, widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["email"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["email"].widget.input_type = "email"
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class StaffForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=limits.NAME_MAX, error_messages={"required": "Enter a name."}
    )
    email = forms.EmailField(
        label="Email",
        max_length=limits.EMAIL_MAX,
        error_messages={"required": "Enter an email address."},
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role."},
    )
    locations = forms.ModelMultipleChoiceField(
        label="Locations",
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: object, practice_id: int, new: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = cast(forms.ModelMultipleChoiceField, self.fields["locations"])  # type: ignore[type-arg]
        field.queryset = Location.objects.filter(practice_id=practice_id).order_by("name")
