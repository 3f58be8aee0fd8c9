"""Citations: ``cs:citation`` and the assembly of a citation cluster (CSL 1.0.2,
"Citation-specific options").

A cluster is the layout's output for each cited item (sorted by the
citation's ``cs:sort`` when it has one), each with the cite's own prefix and
suffix, joined by the layout's delimiter and wrapped in its affixes and
formatting. A cite prefix that ends in a letter or punctuation is followed by a
space; a cite suffix that starts with a letter or a bracket is preceded by one.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model as _model

from citekit.csl.element import Element, register

__all__ = ["Citation", "cite_prefix", "cite_suffix"]

_ENDS_ROMANESQUE = re.compile(
    "[.;:&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
    "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a"
    "\u021b\u202a-\u202e]$")
_STARTS_ROMANESQUE = re.compile(
    "^[&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
    "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a"
    "\u021b\u202a-\u202e]")


@register("citation")
class Citation(Element, _model.Citation):  # type: ignore[misc]
    """``cs:citation``."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        ns = "{http://purl.org/net/xbiblio/csl}"
        self.layout = self.find(ns + "layout")
        self.sort_el = self.find(ns + "sort")
        get = self.get
        self.add_names = get("disambiguate-add-names") == "true"
        self.add_givenname = get("disambiguate-add-givenname") == "true"
        self.add_year_suffix = get("disambiguate-add-year-suffix") == "true"
        self.givenname_rule = get("givenname-disambiguation-rule", "by-cite")
        self.collapse = get("collapse")
        self.year_suffix_delimiter = get("year-suffix-delimiter")
        self.after_collapse_delimiter = get("after-collapse-delimiter")
        self.cite_group_delimiter = get("cite-group-delimiter")
        self.near_note_distance = int(get("near-note-distance", "5") or 5)


def cite_prefix(prefix: str) -> str:
    """A cite's prefix as printed: a space after it when it ends in a letter, in
    punctuation, a digit or a closing bracket; runs of spaces collapsed."""
    if not prefix:
        return ""
    test = re.sub(r"<[^>]+>", "", prefix)
    test = re.sub("[\"'\u201d\u2019\u00bb\u202f\u00a0 ]+$", "", test)
    last = test[-1:]
    space = ""
    if _ENDS_ROMANESQUE.search(test) or last in (":", ".", ";", "!", "?") \
            or re.match(r"[\)\],0-9]", last):
        space = " "
    return re.sub(r"\s+", " ", prefix + space)


def cite_suffix(suffix: str) -> str:
    """A cite's suffix as printed: a space before it when it starts with a letter
    or a bracket."""
    if not suffix:
        return ""
    if _STARTS_ROMANESQUE.match(suffix) or suffix[:1] in ("[", "("):
        return " " + suffix
    return suffix
