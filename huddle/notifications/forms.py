from __future__ import annotations

from django import forms


class StaffPreferencesForm(forms.Form):
    internal_messages = forms.BooleanField(label="Internal Messages", required=False)
    client_messages = forms.BooleanField(label="Client Messages", required=False)


class ClientPreferencesForm(forms.Form):
    client_messages = forms.BooleanField(label="Email me when I have a new message", required=False)
