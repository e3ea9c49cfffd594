from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from django import forms

from huddle.accounts.models import Kind, User
from huddle.administration.audit_queries import Filters
from huddle.audit.models import Action
from huddle.core.apitypes import ID_MAX


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    """The filters of Settings > Audit log. Dates are whole days in UTC."""

    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    thread = forms.IntegerField(label="Thread id", required=False, min_value=1, max_value=ID_MAX)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )
    since = forms.DateField(label="From (UTC)", required=False, widget=DateInput)
    until = forms.DateField(label="Until (UTC)", required=False, widget=DateInput)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["person"])
        field.choices = [("", "Anyone")] + [
            (u.pk, f"{u.name} (client)" if u.kind == Kind.CLIENT else u.name) for u in people
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "Choose a day on or after the first day.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            user_id=data.get("person"),
            thread_id=data.get("thread"),
            action=data.get("action") or None,
            since=_start_of(data.get("since")),
            until=_start_of(data["until"] + timedelta(days=1)) if data.get("until") else None,
        )


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None
