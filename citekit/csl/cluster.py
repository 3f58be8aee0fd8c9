"""A citation cluster: its cites grouped, collapsed and joined (CSL 1.0.2,
"Citation-specific options": cite grouping, cite collapsing; "Layout").

The cites of a cluster, each rendered by the citation's ``cs:layout`` with its
own prefix and suffix, are put together in this order:

* **Cite grouping** (when the citation sets ``collapse`` or
  ``cite-group-delimiter``): cites whose names (the output of the first
  ``cs:names`` that renders, substitutes included) read the same are moved
  next to the first of them, keeping their relative order.
* **Collapsing** (``collapse``):

  - ``citation-number``: three or more cites with consecutive numbers and no
    locator or affixes become a range, ``[1]–[3]``;
  - ``year``: a cite with the same names as the cite before it drops them
    (``Doe 2000, 2001``);
  - ``year-suffix``: a cite that also has the same year as the one before
    shows only its year-suffix (``Doe 2000a, b``);
  - ``year-suffix-ranged``: three or more consecutive year-suffixes become a
    range (``Doe 2000a–c``).

* **Delimiters**: between cites, the layout's delimiter; inside a group of
  cites with the same names, ``cite-group-delimiter`` (``", "`` by default in
  in-text styles that collapse); between year-suffixes,
  ``year-suffix-delimiter`` (else the cite-group delimiter the style sets,
  else the layout's delimiter); after a collapsed group (and after a
  collapsed cite with a locator), ``after-collapse-delimiter``. A delimiter
  after a cite suffix that ends in ``.`` or ``,``, or before a prefix that
  starts with one, loses its punctuation.
* **Layout affixes and formatting** go around the whole cluster: the prefix
  before the first cite and the suffix after the last (so that punctuation
  merges with theirs), the formatting around everything. A cite that renders
  nothing prints ``[CSL STYLE ERROR: reference with no printed form.]``, as in
  the reference processor. A cluster of an ``author-only`` cite prints the
  names alone, without the layout's affixes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from citekit.csl.punctuation import normalise, purge_empty
from citekit.csl.richtext import Blob

__all__ = ["NO_PRINTED_FORM", "RenderedCite", "assemble", "group_cites", "grouping"]

NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
RANGE_DASH = "\u2013"


@dataclass
class RenderedCite:
    """One cite of a cluster, rendered."""

    id: str
    cite: Any
    #: the cite's blob (layout output with the cite's prefix and suffix)
    blob: Blob
    #: the blobs the cite's first names output
    names: list[Blob] = field(default_factory=list)
    number: int | None = None
    year_suffix: int | None = None
    #: the text of ``names`` (kept: collapsing empties the names blobs)
    names_text: str = ""

    def __post_init__(self) -> None:
        if not self.names_text:
            self.names_text = "".join(b.text() for b in self.names)

    def get(self, key: str) -> Any:
        return self.cite.get(key) if self.cite is not None else None

    @property
    def plain(self) -> bool:
        """No locator, no affixes, no author flags."""
        return not any(self.get(k) for k in ("locator", "prefix", "suffix", "suppress-author",
                                            "author-only"))


@dataclass
class _Unit:
    blob: Blob
    delimiter: str = ""
    #: the cite continues a collapsed group (names dropped or number range)
    collapsed: bool = False
    cite: RenderedCite | None = None


def _number_leaf(rc: RenderedCite) -> Blob | None:
    if rc.number is None:
        return None
    for leaf in rc.blob.leaves():
        if leaf.num == rc.number and leaf.blobs == str(rc.number):
            return leaf
    return None


def _suffix_leaf(rc: RenderedCite) -> Blob | None:
    if rc.year_suffix is None:
        return None
    from citekit.csl.variables import suffix_letters

    letters = suffix_letters(rc.year_suffix)
    for leaf in rc.blob.leaves():
        if leaf.num == rc.year_suffix + 1 and leaf.blobs == letters:
            return leaf
    return None


def _text_without(blob: Blob, skip: set[int]) -> str:
    """The plain text of ``blob`` leaving out the blobs whose ids are in ``skip``."""
    if id(blob) in skip:
        return ""
    if isinstance(blob.blobs, str):
        body = blob.blobs
    else:
        body = blob.delimiter.join(t for t in (_text_without(b, skip) for b in blob.blobs) if t)
    if not body:
        return ""
    return blob.prefix + body + blob.suffix


def _drop(blob: Blob, drop: list[Blob]) -> None:
    for target in drop:
        target.blobs = []
        target.prefix = target.suffix = ""
    purge_empty(blob)


def grouping(citation: Any) -> bool:
    """Whether the citation groups cites (``collapse`` by year, or
    ``cite-group-delimiter``)."""
    return citation.collapse in ("year", "year-suffix", "year-suffix-ranged") \
        or citation.cite_group_delimiter is not None


def group_cites(cites: list[RenderedCite]) -> list[RenderedCite]:
    """Cite grouping: cites with the same names move next to the first of them."""
    order: dict[str, list[RenderedCite]] = {}
    singles: list[list[RenderedCite]] = []
    out: list[list[RenderedCite]] = []
    for rc in cites:
        key = rc.names_text
        if not key:
            singles.append([rc])
            out.append(singles[-1])
            continue
        if key not in order:
            order[key] = []
            out.append(order[key])
        order[key].append(rc)
    return [rc for chunk in out for rc in chunk]


def assemble(cites: Sequence[RenderedCite], citation: Any, layout_token: Any, *,
             in_text: bool, punctuation_in_quote: bool, group: bool = True) -> Blob:
    """The cluster blob for ``cites`` (in their final order but for grouping)."""
    collapse = citation.collapse or ""
    layout_delimiter = layout_token.delimiter or ""
    group_delimiter_set = citation.cite_group_delimiter is not None
    items = list(cites)
    if group and grouping(citation):
        items = group_cites(items)
    author_only = any(rc.get("author-only") for rc in items)

    units: list[_Unit] = []
    if author_only:
        for rc in items:
            blob = Blob([Blob(list(rc.names))]) if rc.names else Blob([])
            units.append(_Unit(blob, layout_delimiter, cite=rc))
    else:
        for rc in items:
            if rc.get("suppress-author") and rc.names:
                _drop(rc.blob, rc.names)
        if collapse == "citation-number":
            units = _number_units(items, layout_delimiter, citation.after_collapse_delimiter)
        else:
            units = _name_units(items, citation, collapse, layout_delimiter, in_text,
                                group_delimiter_set)
    for unit in units:
        purge_empty(unit.blob)
        if not unit.blob.blobs:
            owner = unit.cite
            if unit.collapsed or (owner is not None
                                  and (owner.get("suppress-author") or author_only)):
                continue
            unit.blob = Blob(NO_PRINTED_FORM)
    units = [u for u in units if u.blob.blobs]
    if not units:
        return Blob([])
    if not author_only:
        if layout_token.prefix:
            units[0].blob = Blob([units[0].blob], prefix=layout_token.prefix)
        if layout_token.suffix:
            units[-1].blob = Blob([units[-1].blob], suffix=layout_token.suffix)
    children: list[Blob] = []
    previous: _Unit | None = None
    for unit in units:
        normalise(unit.blob, punctuation_in_quote)
        if previous is not None:
            delimiter = _adjust_delimiter(unit.delimiter, previous, unit)
            if delimiter:
                children.append(Blob(delimiter))
        children.append(unit.blob)
        previous = unit
    decorations = [] if author_only else [d for d in layout_token.decorations
                                          if d[1] != "normal"]
    cluster = Blob(children, decorations=decorations)
    if not in_text:
        NestedBraces().walk(cluster)
    return cluster


class NestedBraces:
    """In the citations of note styles, parentheses that the style's affixes
    open inside other parentheses become square brackets (as the reference
    processor does: "(... (Oxford, 2002))" reads "(... [Oxford, 2002])")."""

    def __init__(self) -> None:
        self.depth = 0

    def update(self, text: str) -> str:
        if "(" not in text and ")" not in text:
            return text
        out = []
        for char in text:
            if char == "(":
                if self.depth % 2 == 1:
                    char = "["
                self.depth += 1
            elif char == ")":
                self.depth -= 1
                if self.depth % 2 == 1:
                    char = "]"
            out.append(char)
        return "".join(out)

    def walk(self, blob: Blob) -> None:
        blob.prefix = self.update(blob.prefix)
        if isinstance(blob.blobs, list):
            for child in blob.blobs:
                self.walk(child)
        blob.suffix = self.update(blob.suffix)


def _adjust_delimiter(delimiter: str, previous: _Unit, unit: _Unit) -> str:
    """A delimiter after a cite suffix ending in "." or ",", or before a cite
    prefix starting with one, keeps only its space (or nothing)."""
    before = str(previous.cite.get("suffix") or "") if previous.cite is not None else ""
    after = str(unit.cite.get("prefix") or "") if unit.cite is not None else ""
    ends = before.rstrip()[-1:] in (".", ",") and bool(before.strip())
    starts = not before and after[:1] in (".", ",") and bool(after)
    if ends or starts:
        space = delimiter.find(" ")
        if space > -1 and not starts:
            return delimiter[space:]
        return ""
    return delimiter


# -- collapsing ---------------------------------------------------------------------------

def _number_units(items: list[RenderedCite], delimiter: str, after_collapse: str | None
                  ) -> list[_Unit]:
    units: list[_Unit] = []
    i = 0
    while i < len(items):
        j = i
        if items[i].plain and _number_leaf(items[i]) is not None:
            while j + 1 < len(items) and items[j + 1].plain \
                    and _number_leaf(items[j + 1]) is not None \
                    and items[j + 1].number == (items[j].number or 0) + 1:
                j += 1
        if j - i >= 2:
            blob = Blob([items[i].blob, items[j].blob], delimiter=RANGE_DASH)
            units.append(_Unit(blob, delimiter, collapsed=True, cite=items[j]))
            i = j + 1
            continue
        units.append(_Unit(items[i].blob, delimiter, cite=items[i]))
        i += 1
    if after_collapse is not None:
        for before, unit in itertools.pairwise(units):
            if before.collapsed:
                unit.delimiter = after_collapse
    return units


def _name_units(items: list[RenderedCite], citation: Any, collapse: str, layout: str,
                in_text: bool, group_delimiter_set: bool) -> list[_Unit]:
    after_collapse = citation.after_collapse_delimiter
    if after_collapse is None:
        after_collapse = layout
    if group_delimiter_set:
        group_delimiter = citation.cite_group_delimiter
    elif collapse and in_text:
        group_delimiter = ", "
    else:
        group_delimiter = layout
    suffix_delimiter = citation.year_suffix_delimiter
    if suffix_delimiter is None:
        suffix_delimiter = citation.cite_group_delimiter if group_delimiter_set else layout
    collapsing = collapse in ("year", "year-suffix", "year-suffix-ranged")
    by_suffix = collapse in ("year-suffix", "year-suffix-ranged")

    units: list[_Unit] = []
    previous: RenderedCite | None = None
    previous_unit: _Unit | None = None
    run_key: str | None = None
    # as in the reference processor, a cite "has collapsed" when it is the first
    # of the cluster or has the names of the cite before it; a cite that breaks
    # the run of such cites comes after the after-collapse delimiter
    have_collapsed = False
    for rc in items:
        names = rc.names_text
        same_names = previous is not None and names == previous.names_text \
            and not rc.get("suppress-author") and not previous.get("suppress-author")
        if same_names and (collapsing or group_delimiter_set):
            delimiter = group_delimiter
            collapsed = False
            if collapsing:
                collapsed = True
                if previous is not None and previous.get("locator"):
                    delimiter = after_collapse
                suffix = _suffix_leaf(rc)
                skip = {id(b) for b in rc.names}
                key = None
                if suffix is not None:
                    skip.add(id(suffix))
                    key = _text_without(rc.blob, skip)
                if by_suffix and suffix is not None and key == run_key \
                        and previous_unit is not None and rc.plain:
                    blob = Blob(suffix.blobs, decorations=[d for d in suffix.decorations
                                                           if d[1] != "normal"])
                    blob.num = suffix.num
                    blob.kind = "year-suffix"
                    unit = _Unit(blob, suffix_delimiter, collapsed=True, cite=rc)
                    units.append(unit)
                    previous, previous_unit, have_collapsed = rc, unit, True
                    continue
                _drop(rc.blob, rc.names)
                run_key = key
            unit = _Unit(rc.blob, delimiter, collapsed=collapsed, cite=rc)
            have_collapsed = True
        else:
            delimiter = layout
            if collapsing and have_collapsed and previous is not None:
                delimiter = after_collapse
            unit = _Unit(rc.blob, delimiter, cite=rc)
            have_collapsed = collapsing and previous is None
            run_key = None
            if by_suffix:
                suffix = _suffix_leaf(rc)
                if suffix is not None:
                    skip = {id(b) for b in rc.names} | {id(suffix)}
                    run_key = _text_without(rc.blob, skip)
        units.append(unit)
        previous, previous_unit = rc, unit
    if collapse == "year-suffix-ranged":
        units = _suffix_ranges(units)
    return units


def _suffix_ranges(units: list[_Unit]) -> list[_Unit]:
    """Three or more consecutive year-suffixes of one year become a range."""
    out: list[_Unit] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1].blob.kind == "year-suffix" \
                and _suffix_num(units[j + 1]) == (_suffix_num(units[j]) or -9) + 1:
            j += 1
        if j - i >= 2:
            last = units[j]
            blob = Blob([units[i].blob, last.blob], delimiter=RANGE_DASH)
            merged = _Unit(blob, units[i].delimiter, collapsed=True, cite=last.cite)
            out.append(merged)
            i = j + 1
            continue
        out.append(units[i])
        i += 1
    return out


def _suffix_num(unit: _Unit) -> int | None:
    if unit.blob.kind == "year-suffix":
        return unit.blob.num
    rc = unit.cite
    if rc is None:
        return None
    return rc.year_suffix + 1 if rc.year_suffix is not None else None
