"""Plain text, safely shown: bodies keep their line breaks, web addresses become
links that cannot reach back into Huddle's window, and everything else is text."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# http(s) addresses only; trailing punctuation stays outside the link.
URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""


def _link(url: str) -> str:
    shown = escape(url)
    return f'<a href="{shown}" rel="noopener noreferrer" target="_blank">{shown}</a>'


def render_plain_text(text: str) -> str:
    parts: list[str] = []
    position = 0
    for match in URL.finditer(text):
        url = match.group(0)
        cut = len(url.rstrip(TRAILING))
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(url[:cut]))
        position = match.start() + cut
    parts.append(escape(text[position:]))
    return "".join(parts).replace("\n", "<br>\n")


@register.filter
def plain_text(value: str) -> SafeString:
    return mark_safe(render_plain_text(str(value)))  # noqa: S308 - every piece is escaped above
