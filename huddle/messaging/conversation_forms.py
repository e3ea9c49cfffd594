"""The composer's and reply box's conversation options (F18, F20, F21): urgent,
and send later with quick choices in the practice's time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone

from huddle.accounts.models import User
from huddle.messaging.forms import ClientComposeForm, ComposeForm, ReplyForm
from huddle.practices.models import Practice

SEND_LATER = [
    ("", "Send now"),
    ("tomorrow", "Tomorrow at 8:00"),
    ("monday", "Monday at 8:00"),
    ("custom", "At a time I choose"),
]
MORNING = time(8, 0)


def practice_zone(practice: Practice) -> ZoneInfo:
    """The practice's time zone (its opening hours' when it has them), else the server's."""
    name = getattr(practice, "timezone", "") or settings.TIME_ZONE
    return ZoneInfo(str(name))


def quick_time(choice: str, practice: Practice, now: datetime | None = None) -> datetime | None:
    """Tomorrow 8:00 or the next Monday 8:00, in the practice's time zone."""
    zone = practice_zone(practice)
    today = (now or timezone.now()).astimezone(zone).date()
    if choice == "tomorrow":
        day = today + timedelta(days=1)
    elif choice == "monday":
        day = today + timedelta(days=(7 - today.weekday()) or 7)
    else:
        return None
    return datetime.combine(day, MORNING, tzinfo=zone)


class ConversationFields(forms.Form):
    urgent = forms.BooleanField(
        label="Urgent",
        required=False,
        help_text="Recipients are asked to acknowledge it, and are emailed at once.",
    )
    send_later = forms.ChoiceField(label="When", choices=SEND_LATER, required=False)
    send_at_custom = forms.DateTimeField(
        label="Send at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def send_at(self, user: User) -> datetime | None:
        """When to send: None for now. A chosen time is read in the practice's zone."""
        choice = self.cleaned_data.get("send_later") or ""
        if choice == "custom":
            chosen = self.cleaned_data.get("send_at_custom")
            if chosen is None:
                self.add_error("send_at_custom", "Choose the day and time to send it.")
                return None
            zone = practice_zone(user.practice)
            if timezone.is_aware(chosen):
                chosen = timezone.make_naive(chosen, zone)
            return chosen.replace(tzinfo=zone)
        return quick_time(choice, user.practice)


class ConversationReplyForm(ConversationFields, ReplyForm):
    field_order = ["body", "urgent", "send_later", "send_at_custom"]


class ConversationComposeForm(ConversationFields, ComposeForm):
    draft_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field_order = ["recipients", "subject", "body", "urgent", "send_later", "send_at_custom"]


class ConversationClientComposeForm(ConversationFields, ClientComposeForm):
    field_order = [
        "client",
        "audience",
        "subject",
        "body",
        "urgent",
        "send_later",
        "send_at_custom",
    ]
