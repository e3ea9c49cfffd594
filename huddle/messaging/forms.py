from __future__ import annotations

from django import forms

from huddle.core import limits
from huddle.messaging.models import Audience


class NewThreadForm(forms.Form):
    """What every composer asks after whom the thread is for: a subject, the first
    message, and the one-time token that makes a double submit start one thread.
    Subclasses add their "to" fields and put them first with `field_order`."""

    subject = forms.CharField(label="Subject", max_length=limits.SUBJECT_MAX)
    body = forms.CharField(
        label="Message",
        max_length=limits.BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)


class ComposeForm(NewThreadForm):
    recipients = forms.MultipleChoiceField(label="To", choices=[])
    field_order = ["recipients"]

    def __init__(self, *args: object, choices: list[tuple[str, object]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["recipients"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
        field.choices = choices
        field.error_messages["required"] = "Choose at least one recipient."

    def picked(self) -> tuple[list[int], list[str]]:
        users: list[int] = []
        groups: list[str] = []
        for value in self.cleaned_data["recipients"]:
            kind, _, ref = value.partition(":")
            if kind == "user":
                users.append(int(ref))
            else:
                groups.append(ref)
        return users, groups


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        max_length=limits.BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)


class HeaderForm(forms.Form):
    subject = forms.CharField(label="Thread header", max_length=limits.SUBJECT_MAX)


class ClientComposeForm(NewThreadForm):
    client = forms.TypedChoiceField(label="Client", coerce=int, choices=[])
    audience = forms.ChoiceField(
        label="Team",
        choices=Audience.choices,
        help_text="The client sees which team the thread is with.",
    )
    field_order = ["client", "audience"]

    def __init__(self, *args: object, clients: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["client"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [("", "Choose a client"), *clients]
