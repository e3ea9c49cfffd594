"""Production settings refuse unsafe configurations; development never needs a
secret in the repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "huddle.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_with_debug_on() -> None:
    result = load_settings(
        HUDDLE_ENV="production", DEBUG="true", SECRET_KEY="x" * 60, ALLOWED_HOSTS="h.example"
    )
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_production_refuses_to_start_without_secret_key() -> None:
    result = load_settings(HUDDLE_ENV="production", ALLOWED_HOSTS="h.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = load_settings(HUDDLE_ENV="production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in production" in result.stderr


def test_production_starts_when_configured() -> None:
    result = load_settings(HUDDLE_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="h.example")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_a_wrong_boolean_is_refused_loudly() -> None:
    result = load_settings(HUDDLE_ENV="development", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_development_secret_key_is_generated_into_a_git_ignored_file() -> None:
    result = load_settings(HUDDLE_ENV="development")
    assert result.returncode == 0, result.stderr
    key_file = ROOT / "var" / "secret_key"
    assert len(key_file.read_text().strip()) >= 50
    ignored = subprocess.run(["git", "check-ignore", "-q", str(key_file)], cwd=ROOT, check=False)
    assert ignored.returncode == 0, "var/secret_key must be git-ignored"


def test_postgresql_connections_run_without_jit() -> None:
    """JIT compiling cost ~18 ms on a 1 ms query whose estimate passed its
    threshold (docs/PERFORMANCE.md); every connection Huddle opens turns it off,
    keeping options given in the URL."""
    show = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('SHOW jit'); print(c.fetchone()[0]);"
        "c.execute('SHOW work_mem'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="huddle.settings",
        HUDDLE_ENV="development",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres?options=-c%20work_mem%3D5MB",
    )
    result = subprocess.run(
        [sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["off", "5MB"]


@pytest.mark.parametrize(("setting", "binding"), [(None, "server"), ("false", "client")])
def test_postgresql_statements_are_prepared_unless_turned_off(
    setting: str | None, binding: str
) -> None:
    """A statement run 5 times on a connection is prepared and not planned again
    (docs/PERFORMANCE.md); `DATABASE_PREPARED_STATEMENTS=false` is for a pooler
    that cannot keep prepared statements. The 6th run of one statement shows which."""
    show = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "[c.execute('SELECT %s::int', [n]) for n in range(6)];"
        "print(connection.connection.cursor().__class__.__name__);"
        "c.execute('SELECT count(*) FROM pg_prepared_statements'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.pop("DATABASE_PREPARED_STATEMENTS", None)
    env.update(
        DJANGO_SETTINGS_MODULE="huddle.settings",
        HUDDLE_ENV="development",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    if setting is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = setting
    result = subprocess.run(
        [sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    cursor_class, prepared = result.stdout.split()
    if binding == "server":
        assert cursor_class == "ServerBindingCursor"
        assert int(prepared) >= 1
    else:
        assert cursor_class == "Cursor"
        assert int(prepared) == 0
