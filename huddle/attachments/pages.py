"""What the page views need from this app: the files a form was sent with."""

from __future__ import annotations

from django.http import HttpRequest

from huddle.core.errors import InvalidInput

FIELD = "attachment_ids"  # the picker's hidden inputs (templates/attachments/_picker.html)


def picked_ids(request: HttpRequest) -> list[int]:
    """The ids of the files the picker uploaded for this form; the action checks
    that they are the sender's and unsent."""
    raw = request.POST.getlist(FIELD)
    if not all(value.isdigit() and len(value) < 19 for value in raw):
        raise InvalidInput.field(FIELD, "Attach files you uploaded that are not sent yet.")
    return [int(value) for value in raw]
