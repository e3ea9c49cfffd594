from __future__ import annotations

from django import forms

from huddle.core import limits


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Authentication code",
        max_length=32,
        error_messages={"required": "Enter the code."},
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", autofocus=True, spellcheck="false"
        )


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=32,
        error_messages={"required": "Enter the 6-digit code the app shows."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")


class TurnOffForm(forms.Form):
    code = forms.CharField(label="Current code from the app", max_length=32, required=False)
    password = forms.CharField(
        label="or your password",
        max_length=limits.PASSWORD_MAX,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
