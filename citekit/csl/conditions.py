"""Conditions: ``cs:choose``, ``cs:if``, ``cs:else-if``, ``cs:else`` (CSL 1.0.2,
"Choose").

``cs:choose`` is transparent: the children of the first branch whose test
passes render into the parent, inside the parent's delimiter. Each attribute
of a branch yields one test per value, and ``match`` (``all``, the default,
``any``, ``none``) combines *all* of them. As in the reference processor, the
values of ``type`` always combine with "any" among themselves. Supported
tests: ``type``, ``variable``, ``is-numeric``, ``is-uncertain-date``,
``locator``, ``position``, ``disambiguate``, and the CSL-M extensions
``has-year-only``, ``has-day``, ``has-to-month-or-season``, ``is-plural``,
``is-multiple``, ``context``.

* ``variable``: true when the item (or, for ``locator`` and
  ``first-reference-note-number``, the cite) has a non-empty value.
* ``is-numeric``: for number variables, the value parses as numbers (``12``,
  ``12-15``, ``2nd``, ``iv``: see :mod:`citekit.csl.numbers`); for ``title`` and
  ``version``, the value ends in a digit.
* ``position``: only in citations; ``subsequent`` also holds for ``ibid`` and
  ``ibid-with-locator``, ``ibid`` also for ``ibid-with-locator``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from citeproc import model as _model

from citekit.csl.element import Element, State, register
from citekit.csl.layout import render_child
from citekit.csl.richtext import Blob

__all__ = ["Choose", "Else", "ElseIf", "If"]

Test = Callable[[State], bool]

POSITIONS = {"first": 0, "container-subsequent": 1, "subsequent": 2, "ibid": 3,
             "ibid-with-locator": 4}
_CITE_VARIABLES = frozenset({"locator", "locator-extra", "first-reference-note-number",
                             "first-container-reference-note-number", "locator-date"})
#: the variables ``is-numeric`` parses as numbers (the reference processor's list)
_NUMERIC_VARIABLES = frozenset({
    "call-number", "chapter-number", "collection-number", "division", "edition", "page",
    "issue", "locator", "locator-extra", "number", "number-of-pages", "number-of-volumes",
    "part-number", "printing-number", "section", "supplement-number", "version", "volume",
    "supplement", "citation-number", "page-first"})
_MULTIPLE = re.compile(
    r"(?:,\s|\s(?:tot\sen\smet|līdz|oraz|and|bis|έως|και|och|až|do|en|et|in|ir|ja|og|sa|to"
    r"|un|und|és|și|i|u|y|à|e|a|и|-|–)\s|—|&)")


def has_variable(st: State, variable: str) -> bool:
    """True when ``variable`` has a non-empty value for the item being rendered."""
    if variable in _CITE_VARIABLES:
        cite = st.cite
        return bool(cite is not None and cite.get(variable))
    item = st.item
    if variable in item.vars:
        return True
    if variable in item.names:
        return bool(item.names[variable])
    if variable in item.dates:
        date = item.dates[variable]
        return bool(date.start or date.literal or date.season)
    return False


def _type_test(values: list[str]) -> Test:
    wanted = frozenset(values)
    return lambda st: st.item.type in wanted


def _variable_test(variable: str) -> Test:
    return lambda st: has_variable(st, variable)


def _numeric_test(variable: str) -> Test:
    def test(st: State) -> bool:
        from citekit.csl.numbers import number_value, parse_number

        value = number_value(st, variable)
        if not value:
            return False
        if variable in _NUMERIC_VARIABLES:
            return parse_number(st, variable, value).numeric
        if variable == "title":
            return value[-1:].isdigit()
        return False
    return test


def _uncertain_test(variable: str) -> Test:
    def test(st: State) -> bool:
        date = st.item.dates.get(variable)
        return bool(date and date.circa)
    return test


def _locator_test(label: str) -> Test:
    label = "sub-verbo" if label == "sub verbo" else label

    def test(st: State) -> bool:
        cite = st.cite
        if cite is None or not cite.get("locator"):
            return False
        return bool((cite.get("label") or "page") == label)
    return test


def _position_test(position: str) -> Test:
    def test(st: State) -> bool:
        if st.area != "citation" or st.cite is None:
            return False
        current = st.cite.get("position") or 0
        if position == "near-note":
            return current >= POSITIONS["subsequent"] and bool(st.cite.get("near-note"))
        if position == "far-note":
            return current == POSITIONS["subsequent"] and not st.cite.get("near-note")
        wanted = POSITIONS.get(position)
        if wanted is None:
            return False
        if wanted == 0:
            return bool(current == 0)
        return bool(current >= wanted)
    return test


def _disambiguate_test(st: State) -> bool:
    if st.disambig is None:
        return False
    return bool(st.disambig.condition(st))


def _date_test(kind: str, variable: str) -> Test:
    def test(st: State) -> bool:
        date = st.item.dates.get(variable)
        if date is None or not date.start:
            return False
        _year, month, day = date.start
        if kind == "has-year-only":
            return not month and not date.season
        if kind == "has-day":
            return bool(day)
        return bool((month or date.season) and not day)
    return test


def _plural_test(variable: str) -> Test:
    def test(st: State) -> bool:
        names = st.item.names.get(variable) or []
        return len(names) > 1
    return test


def _multiple_test(variable: str) -> Test:
    def test(st: State) -> bool:
        value = st.item.vars.get(variable, "")
        return len(_MULTIPLE.split(value)) > 1
    return test


def _context_test(area: str) -> Test:
    return lambda st: st.area == area


class Branch(Element):
    """A branch of ``cs:choose`` (``cs:if``, ``cs:else-if``, ``cs:else``)."""

    tests: list[Test]
    match: str
    kids: list[Any]

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.kids = self.children_elements()
        self.match = self.get("match", "all")
        tests: list[Test] = []
        get = self.get
        if get("disambiguate") == "true":
            tests.append(_disambiguate_test)
        for attr, factory in (("variable", _variable_test), ("is-numeric", _numeric_test),
                              ("is-uncertain-date", _uncertain_test),
                              ("locator", _locator_test), ("position", _position_test),
                              ("is-plural", _plural_test), ("is-multiple", _multiple_test),
                              ("context", _context_test)):
            value = get(attr)
            if value:
                tests.extend(factory(v) for v in value.split())
        if get("type"):
            tests.append(_type_test(get("type", "").split()))
        for kind in ("has-year-only", "has-day", "has-to-month-or-season"):
            value = get(kind)
            if value:
                tests.extend(_date_test(kind, v) for v in value.split())
        self.tests = tests

    def passes(self, st: State) -> bool:
        tests = self.tests
        if not tests:
            return True
        match = self.match
        if match == "any":
            return any(t(st) for t in tests)
        if match == "none":
            return not any(t(st) for t in tests)
        return all(t(st) for t in tests)

    def emit(self, st: State, out: list[Blob]) -> None:
        for child in self.kids:
            render_child(child, st, out)


@register("if")
class If(Branch, _model.If):  # type: ignore[misc]
    """``cs:if``."""


@register("else-if")
class ElseIf(Branch, _model.Else_If):  # type: ignore[misc]
    """``cs:else-if``."""


@register("else")
class Else(Branch, _model.Else):  # type: ignore[misc]
    """``cs:else``."""

    def passes(self, st: State) -> bool:
        return True


@register("choose")
class Choose(Element, _model.Choose):  # type: ignore[misc]
    """``cs:choose``: transparent; the first passing branch renders."""

    transparent = True
    branches: list[Branch]

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.branches = [c for c in self if isinstance(c, Branch)]

    def emit(self, st: State, out: list[Blob]) -> None:
        for branch in self.branches:
            if branch.passes(st):
                branch.emit(st, out)
                return
