"""Reports how many cells of the messaging access matrix were checked."""

from __future__ import annotations

from _pytest.terminal import TerminalReporter

from tests.messaging.helpers import ACCESS_CELLS


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if ACCESS_CELLS:
        terminalreporter.write_line(
            f"Messaging access matrix: {len(ACCESS_CELLS)} cells checked "
            f"({len(set(ACCESS_CELLS))} distinct endpoint x persona pairs)."
        )
