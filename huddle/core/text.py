"""Checks for the one-line texts people type: names, subjects, location names."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from huddle.core.errors import InvalidInput


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively: they are stored lower-cased."""
    return email.strip().lower()


def clean_line(value: str, *, field: str, max_length: int, empty: str) -> str:
    """`value` with its runs of white space made single spaces and its invisible
    characters (zero-width, bidi controls) dropped; refused when empty or longer
    than `max_length`, naming `field`."""
    value = " ".join(strip_invisible(value).split())
    if not value:
        raise InvalidInput.field(field, empty)
    if len(value) > max_length:
        raise InvalidInput.field(field, f"Use at most {max_length} characters.")
    return value


# security: what a link may hold so that a person reads it truthfully (issue 19,
# finding 8). Bidi controls reorder what is shown; zero-width characters hide
# inside hosts and paths. They are dropped from links.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def strip_invisible(value: str) -> str:
    return "".join(ch for ch in value if ch not in INVISIBLE)


@dataclass(frozen=True)
class Link:
    href: str  # what the link opens, ASCII only
    shown: str  # what the page shows: the same address, host in punycode
    host: str  # the host it opens, ASCII (punycode for an international name)


def safe_link(url: str) -> Link | None:
    """The link to show for `url` as typed, or None to show it as plain text.

    Not linked: an address with userinfo (`https://bank.example@evil.example/`
    opens evil.example), without a host, or whose host is not a valid name. A
    host with any non-ASCII character is shown and opened in its punycode form
    (`xn--...`), so a Cyrillic letter in a Latin name cannot pass for the real
    one; invisible characters are dropped from the whole address."""
    cleaned = strip_invisible(url)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return None
    host = parts.hostname or ""
    if not host:
        return None
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
        port = parts.port
    except (UnicodeError, ValueError):
        return None
    if not all(ch.isalnum() or ch in "-._[]:" for ch in ascii_host):
        return None
    if host.isascii():
        shown = cleaned  # as typed (its case too), less the invisible characters
    else:
        netloc = ascii_host if port is None else f"{ascii_host}:{port}"
        scheme = cleaned.split(":", 1)[0]
        shown = urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
    href = quote(shown, safe=":/?#[]@!$&'()*+,;=%~")
    return Link(href=href, shown=shown, host=ascii_host)
