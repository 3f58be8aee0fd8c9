"""The CSL processor test suite through citekit's public API (see tests/csl_suite.py).

Every fixture runs; a fixture listed in ``csl-suite-expected-failures.txt`` must
fail (an unexpected pass fails the run: take it off the list), any other must
pass, and none may crash. The per-category table is printed at the end of the
run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import shared_path
from .csl_suite import (
    EXPECTED_FAILURES,
    SUITE,
    Outcome,
    expected_failures,
    fixtures,
    parse_fixture,
    render_fixture,
)

EXPECTED = expected_failures()
PATHS = fixtures() if SUITE.exists() else []
#: outcomes of this run, for the per-category table (tests/conftest.py prints it)
OUTCOMES: list[Outcome] = []


def test_suite_is_present() -> None:
    suite = shared_path("csl-test-suite", "humans")
    assert len(list(suite.glob("*.txt"))) == 845


def test_expected_failures_name_real_fixtures() -> None:
    shared_path("csl-test-suite", "humans")
    names = {p.stem for p in PATHS}
    unknown = sorted(EXPECTED - names)
    assert not unknown, f"{EXPECTED_FAILURES.name} names no such fixture: {unknown}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    fixture = parse_fixture(path)
    try:
        got = render_fixture(fixture)
    except Exception as exc:  # a crash fails even an expected failure
        OUTCOMES.append(Outcome(fixture.name, fixture.category, False, True,
                                fixture.result, repr(exc)))
        pytest.fail(f"{fixture.name} crashed: {type(exc).__name__}: {exc}")
    passed = got.strip() == fixture.result.strip()
    OUTCOMES.append(Outcome(fixture.name, fixture.category, passed, False, fixture.result, got))
    if fixture.name in EXPECTED:
        if passed:
            pytest.fail(f"{fixture.name} passes now: remove it from {EXPECTED_FAILURES.name}")
        pytest.xfail("listed as an expected failure")
    assert got.strip() == fixture.result.strip()
