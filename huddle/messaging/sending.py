"""Sending with the conversation options (F20): `urgent`. Pages, the API and
the scheduled-send worker call these; they call `actions.reply` / `start_thread`
/ `start_client_thread`, which also remove the draft that was sent (F18) inside
the send's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext

from django.db import transaction

from huddle.accounts.models import User
from huddle.clients.models import Client
from huddle.messaging import actions, urgent
from huddle.messaging.models import Entry, Participant, Thread


def send_reply(
    *,
    author: User,
    participation: Participant,
    body: str,
    is_urgent: bool = False,
    attachment_ids: Sequence[int] = (),
) -> Entry:
    urgent.check_sender(author, is_urgent)
    with _together(is_urgent):
        entry = actions.reply(
            author=author, participation=participation, body=body, attachment_ids=attachment_ids
        )
        if is_urgent:
            urgent.mark(entry, practice_minutes=author.practice.urgent_escalation_minutes)
    return entry


def _together(is_urgent: bool) -> AbstractContextManager[object]:
    """An urgent message and its urgency in one transaction; an ordinary send keeps
    its checks outside its own (on SQLite a transaction holds the write lock)."""
    return transaction.atomic() if is_urgent else nullcontext()


def _finish(sender: User, thread: Thread, is_urgent: bool) -> None:
    if is_urgent:
        entry = thread.last_message
        if entry is None:  # start_thread always sets it
            return
        entry.thread = thread
        urgent.mark(entry, practice_minutes=sender.practice.urgent_escalation_minutes)


def send_thread(
    *,
    sender: User,
    user_ids: Iterable[int] = (),
    group_keys: Iterable[str] = (),
    subject: str,
    body: str,
    is_urgent: bool = False,
    draft_id: int | None = None,
    attachment_ids: Sequence[int] = (),
) -> Thread:
    urgent.check_sender(sender, is_urgent)
    with _together(is_urgent):
        thread = actions.start_thread(
            sender=sender,
            user_ids=user_ids,
            group_keys=group_keys,
            subject=subject,
            body=body,
            attachment_ids=attachment_ids,
            draft_id=draft_id,
        )
        _finish(sender, thread, is_urgent)
    return thread


def send_client_thread(
    *,
    sender: User,
    client: Client,
    audience: str | None,
    subject: str,
    body: str,
    is_urgent: bool = False,
    draft_id: int | None = None,
    attachment_ids: Sequence[int] = (),
) -> Thread:
    urgent.check_sender(sender, is_urgent)
    with _together(is_urgent):
        thread = actions.start_client_thread(
            sender=sender,
            client=client,
            audience=audience,
            subject=subject,
            body=body,
            attachment_ids=attachment_ids,
            draft_id=draft_id,
        )
        _finish(sender, thread, is_urgent)
    return thread
