"""The events process refuses to start in production without REDIS_URL: two
processes without it lose every live event silently (issue #18, item 5)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.events.servers import ROOT


def start_events_app(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "DEBUG")
    }
    env.update(
        HUDDLE_ENV="production",
        SECRET_KEY="a-long-random-secret-key-for-this-test-only-0123456789",
        ALLOWED_HOSTS="huddle.example.org",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-c", "import huddle.asgi_events"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_events_process_refuses_production_without_redis() -> None:
    refused = start_events_app()
    assert refused.returncode != 0
    assert "REDIS_URL must be set in production" in refused.stderr

    started = start_events_app(REDIS_URL="redis://127.0.0.1:6379/0")
    assert started.returncode == 0, started.stderr
