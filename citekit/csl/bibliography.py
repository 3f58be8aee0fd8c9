"""The bibliography: ``cs:bibliography`` and the assembly of each entry (CSL
1.0.2, "Bibliography-specific options", "Whitespace", "Reference Grouping").

An entry is the layout's output for one item, with the layout's prefix on its
first part and its suffix on its last (without doubling a period), formatting
from ``cs:layout``, punctuation normalised (:mod:`citekit.csl.punctuation`) and
``subsequent-author-substitute`` applied (:mod:`citekit.csl.substitute`). With
``second-field-align`` the first rendering element goes in the left margin.
An entry that renders nothing is left out (a numbered style shows its number).
"""

from __future__ import annotations

from typing import Any

from citeproc import model as _model

from citekit.csl.element import Element, register
from citekit.csl.punctuation import normalise, purge_empty
from citekit.csl.richtext import Blob

__all__ = ["Bibliography", "apply_layout_affixes"]


@register("bibliography")
class Bibliography(Element, _model.Bibliography):  # type: ignore[misc]
    """``cs:bibliography``."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        ns = "{http://purl.org/net/xbiblio/csl}"
        self.layout = self.find(ns + "layout")
        self.sort_el = self.find(ns + "sort")
        self.second_field_align = self.get("second-field-align") in ("flush", "margin")
        self.subsequent_author_substitute = self.get("subsequent-author-substitute")
        self.subsequent_author_substitute_rule = self.get(
            "subsequent-author-substitute-rule", "complete-all")

    def finish_entry(self, level: Blob, top: Any, punctuation_in_quote: bool) -> Blob:
        """Wrap the layout's output for one item into an entry blob."""
        layout = self.layout
        token = layout.token
        suffix_target = level
        if self.second_field_align and top is not None and top.seen:
            suffix_target = top.rest
        apply_layout_affixes(level, suffix_target, token.prefix, token.suffix)
        entry = Blob([level], decorations=list(token.decorations), kind="entry")
        purge_empty(entry)
        normalise(entry, punctuation_in_quote)
        return entry


def apply_layout_affixes(level: Blob, suffix_target: Blob, prefix: str, suffix: str) -> None:
    """The layout prefix opens the first part of an entry, the suffix closes the
    last part that is not empty (dropping a duplicated first character, as in
    "2000.." -> "2000.")."""
    if prefix and isinstance(level.blobs, list) and level.blobs:
        first = level.blobs[0]
        first.prefix = prefix + first.prefix
    kids = suffix_target.blobs
    if suffix and isinstance(kids, list):
        for last in reversed(kids):
            if not last.blobs:
                continue
            if last.suffix[-1:] == suffix[:1]:
                last.suffix = last.suffix[:-1]
            last.suffix += suffix
            break
