"""Records tests: exports written under a temporary directory; a real SMTP server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.notifications.conftest import smtp, smtp_server

__all__ = ["smtp", "smtp_server"]


@pytest.fixture(autouse=True)
def export_dir(settings: Any, tmp_path: Path) -> Path:
    settings.RECORDS_EXPORT_DIR = tmp_path / "exports"
    return tmp_path / "exports"
