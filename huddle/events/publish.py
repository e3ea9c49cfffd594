"""Carrying live events to every server process's streams, once their change
has committed. What the events say and who they go to is decided by the app
that publishes them (messaging's `live` and `publishing`, records' `notify`);
this is transport only.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings

from huddle.core import redis as core_redis
from huddle.events.broker import HUB, channel_name
from huddle.events.sealing import seal
from huddle.events.sse import Delivery, encode

logger = logging.getLogger(__name__)


def publish(deliveries: list[Delivery]) -> None:
    """Hand deliveries to every server process: through Redis when REDIS_URL is
    set, else to this process's own streams."""
    if not deliveries:
        return
    raw = encode(deliveries)
    if settings.REDIS_URL:
        if not core_redis.usable():
            return  # Redis failed a moment ago; streams catch up from the database
        try:
            channel = channel_name()
            core_redis.client(settings.REDIS_URL).publish(channel, seal(raw, channel))
        except redis.RedisError as exc:
            # The change is committed; the streams' sweep (broker.Hub) finds it.
            core_redis.failed("publishing live events", exc)
    else:
        HUB.publish_local(raw)


def listened_to() -> bool:
    """Whether a published event can reach anyone: always through Redis; without
    it, only while this process serves streams (not in a management command or
    the worker, where building the events would be wasted statements)."""
    return bool(settings.REDIS_URL) or HUB.serving()
