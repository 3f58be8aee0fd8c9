"""Disambiguation: year-suffixes (CSL 1.0.2, "Disambiguation").

Two cites are *ambiguous* when they render the same (as a first cite, without
locator). With ``disambiguate-add-year-suffix``, the items of each ambiguous
group get the year-suffixes ``a``, ``b``, ``c``... in the order of the
bibliography; the suffix follows the year wherever a date renders it (or
where the style renders ``year-suffix`` itself), in citations and in the
bibliography alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["assign_year_suffixes"]


def assign_year_suffixes(items: Sequence[Any], ambiguity_key: Callable[[Any], str]
                         ) -> dict[str, int]:
    """item id -> year-suffix index, for the items (in bibliography order) whose
    ``ambiguity_key`` is shared with another item."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(ambiguity_key(item), []).append(item)
    suffixes: dict[str, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        for index, item in enumerate(members):
            suffixes[item.id] = index
    return suffixes
