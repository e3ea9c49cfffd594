"""The forms of Settings > Practice hours and Profile > Away."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms

from huddle.accounts.models import Kind, User
from huddle.availability import hours as clock
from huddle.core import limits

RANGES_HELP = "For example 08:00-12:00, 13:00-17:00. Leave empty when closed all day."


def _day_field(day: str) -> forms.CharField:
    return forms.CharField(
        label=clock.DAY_NAMES[day], required=False, max_length=200, help_text=RANGES_HELP
    )


def day_field_name(day: str) -> str:
    return f"weekly_{day}"


class HoursForm(forms.Form):
    timezone = forms.ChoiceField(label="Timezone", choices=())
    weekly_mon = _day_field("mon")
    weekly_tue = _day_field("tue")
    weekly_wed = _day_field("wed")
    weekly_thu = _day_field("thu")
    weekly_fri = _day_field("fri")
    weekly_sat = _day_field("sat")
    weekly_sun = _day_field("sun")
    closed_dates = forms.CharField(
        label="Closed dates",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Holidays and other days closed all day: one date a line, as YYYY-MM-DD.",
    )
    after_hours_reply = forms.CharField(
        label="After-hours reply",
        max_length=limits.AFTER_HOURS_REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Added to a client's thread once when they write while the practice is closed.",
        error_messages={"required": "Write the after-hours reply."},
    )
    portal_guidance = forms.CharField(
        label="Portal guidance",
        required=False,
        max_length=limits.PORTAL_GUIDANCE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to clients above their messages: what to use messaging for.",
    )
    crisis_notice = forms.CharField(
        label="Crisis notice",
        max_length=limits.CRISIS_NOTICE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to clients wherever they write.",
        error_messages={"required": "Write the crisis notice."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones())
        self.fields["timezone"].choices = [(z, z.replace("_", " ")) for z in zones]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in clock.DAYS:
            name = day_field_name(day)
            text = data.get(name) or ""
            ranges: list[list[str]] = []
            for part in text.replace("\u2013", "-").split(","):
                part = part.strip()
                if not part:
                    continue
                pieces = [p.strip() for p in part.split("-")]
                if len(pieces) != 2:
                    self.add_error(name, "Write each range as 08:00-17:00, separated by commas.")
                    break
                ranges.append(pieces)
            data[name] = ranges
        data["closed_dates"] = [
            line.strip() for line in (data.get("closed_dates") or "").splitlines() if line.strip()
        ]
        return data

    def weekly(self) -> dict[str, list[list[str]]]:
        return {day: self.cleaned_data[day_field_name(day)] for day in clock.DAYS}


def ranges_text(ranges: list[list[str]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in ranges)


class CoveringChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class AwayForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="From",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        error_messages={"required": "Choose when you leave.", "invalid": "Choose a date and time."},
    )
    ends_at = forms.DateTimeField(
        label="Until",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="When you are back.",
        error_messages={
            "required": "Choose when you are back.",
            "invalid": "Choose a date and time.",
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=limits.AWAY_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown once in each thread someone writes to you in. Leave empty for "
        "a plain sentence with your return date and who is covering.",
    )
    covering = CoveringChoice(
        label="Covering colleague",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="While you are away, they also see your clients' clinical threads.",
    )

    def __init__(self, *args: Any, user: User, zone: zoneinfo.ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        field = self.fields["covering"]
        field.queryset = (  # type: ignore[attr-defined]
            User.objects.filter(practice_id=user.practice_id, kind=Kind.STAFF, is_active=True)
            .exclude(pk=user.pk)
            .order_by("name", "pk")
        )

    def local(self, name: str) -> datetime:
        """The field's wall-clock time in the practice's timezone, made aware."""
        value: datetime = self.cleaned_data[name]
        return value.replace(tzinfo=self.zone)
