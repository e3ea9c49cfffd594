"""What `GET /me` (and a new token's `user`) says is waiting for the person: the
unread counts kept by messaging, which hands its counter over when its app is
ready (`MessagingConfig.ready`), so accounts need not import messaging (STYLE.md,
"Layers without cycles")."""

from __future__ import annotations

from collections.abc import Callable

from huddle.accounts.models import User

Counter = Callable[[User], dict[str, int]]

_UNREAD: list[Counter] = []


def provide_unread(counter: Counter) -> None:
    """Set where the unread counts come from (once, at start-up)."""
    _UNREAD[:] = [counter]


def unread(user: User) -> dict[str, int]:
    """New messages per view, for the header badge and `GET /me` (1 statement)."""
    if not _UNREAD:
        raise RuntimeError("no unread counter: is huddle.messaging in INSTALLED_APPS?")
    return _UNREAD[0](user)
