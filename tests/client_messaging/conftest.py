"""Fixtures of the Client Messaging tests, and the access-matrix summary line."""

from __future__ import annotations

import pytest
from _pytest.terminal import TerminalReporter

from tests.client_messaging.helpers import CLIENT_CELLS, Cast, make_cast
from tests.conftest import World


@pytest.fixture
def cast(world: World) -> Cast:
    return make_cast(world)


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if CLIENT_CELLS:
        terminalreporter.write_line(
            f"Client access matrix: {len(CLIENT_CELLS)} cells checked "
            f"({len(set(CLIENT_CELLS))} distinct persona x audience x operation)."
        )
