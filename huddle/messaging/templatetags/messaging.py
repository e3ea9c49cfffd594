"""Plain text, safely shown: bodies keep their line breaks, web addresses become
links that cannot reach back into Huddle's window, and everything else is text."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from huddle.core.text import safe_link

register = template.Library()

# http(s) addresses only; trailing punctuation stays outside the link.
URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""


def _link(url: str, *, show_host: bool) -> str:
    """A link only where a person can read it truthfully (core.text.safe_link)."""
    link = safe_link(url)
    if link is None:
        return escape(url)
    anchor = (
        f'<a href="{escape(link.href)}" rel="noopener noreferrer" target="_blank">'
        f"{escape(link.shown)}</a>"
    )
    if show_host:
        anchor += f' <span class="link-host">({escape(link.host)})</span>'
    return anchor


def render_plain_text(text: str, *, show_hosts: bool = False) -> str:
    parts: list[str] = []
    position = 0
    for match in URL.finditer(text):
        url = match.group(0)
        cut = len(url.rstrip(TRAILING))
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(url[:cut], show_host=show_hosts))
        position = match.start() + cut
    parts.append(escape(text[position:]))
    return "".join(parts).replace("\n", "<br>\n")


@register.filter
def plain_text(value: str, author_kind: str = "") -> SafeString:
    """`{{ body|plain_text:author.kind }}`: a client's message shows each link's
    real host beside it."""
    text = render_plain_text(str(value), show_hosts=author_kind == "client")
    return mark_safe(text)  # noqa: S308 - every piece is escaped above
