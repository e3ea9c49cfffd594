"""Logging filters (settings.LOGGING)."""

from __future__ import annotations

import logging


class NoTraceback(logging.Filter):
    """Keep the one line, drop the traceback: an invalid Host header is a probe
    from outside, not a fault of Huddle's, and its traceback only fills logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
