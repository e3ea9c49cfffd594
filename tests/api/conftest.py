"""Reports how many cells of the insider/outsider/role access matrix were checked."""

from __future__ import annotations

from _pytest.terminal import TerminalReporter

from tests.api.helpers import MATRIX_CELLS


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if MATRIX_CELLS:
        terminalreporter.write_line(
            f"API access matrix: {len(MATRIX_CELLS)} cells checked "
            f"({len(set(MATRIX_CELLS))} distinct endpoint x persona pairs)."
        )
