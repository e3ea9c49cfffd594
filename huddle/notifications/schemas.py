from __future__ import annotations

from ninja import Schema
from pydantic import StrictBool

from huddle.core.apitypes import Input
from huddle.notifications.models import Preference


class PreferencesOut(Schema):
    internal_messages: bool
    client_messages: bool


class PreferencesPatch(Input):
    internal_messages: StrictBool | None = None
    client_messages: StrictBool | None = None


def preferences_out(prefs: Preference) -> PreferencesOut:
    return PreferencesOut(
        internal_messages=prefs.internal_messages, client_messages=prefs.client_messages
    )
