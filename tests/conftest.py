"""Shared fixtures: the reference data beside the project (``../shared``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))

settings.register_profile("ci", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def shared_path(*parts: str) -> Path:
    """A path under the shared reference data; skips the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not available: {path} (clone the project beside "
                    "its 'shared' folder, or set CITEKIT_SHARED)")
    return path


@pytest.fixture
def shared() -> Path:
    return shared_path()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the CSL test-suite table when the suite ran (tests/test_csl_suite.py)."""
    import sys

    module = sys.modules.get("tests.test_csl_suite")
    outcomes = getattr(module, "OUTCOMES", None)
    if not outcomes:
        return
    from .csl_suite import category_table

    write = terminalreporter.write_line
    write("")
    write("CSL test suite, per category:")
    for line in category_table(outcomes).splitlines():
        write(line)
