"""Rendering a variable through ``cs:text`` (CSL 1.0.2, "Text", "Appendix IV:
Variables").

* ``form="short"`` uses ``title-short``, ``container-title-short`` (and any
  ``<variable>-short``) when the item has it, else the long form.
* Number variables (``page``, ``volume``, ``issue``, ``edition``...) and the
  cite's ``locator`` render through :mod:`citekit.csl.numbers` (ranges, page
  range format).
* ``citation-number``, ``year-suffix`` and ``citation-label`` come from the
  document being rendered (numbering, disambiguation).
* ``URL`` and ``DOI`` keep their periods under ``strip-periods``; the short
  form of a URL is its host.
* A variable rendered inside ``cs:substitute`` is not rendered again in the
  same cite (see :mod:`citekit.csl.substitute`).
"""

from __future__ import annotations

import re
from typing import Any

from citekit.csl.element import State
from citekit.csl.numbers import NUMBER_VARIABLES, emit_number
from citekit.csl.richtext import Blob

__all__ = ["case_leaves", "emit_variable", "has_value", "suffix_letters"]

_CITE_FIELDS = frozenset({"locator", "locator-extra", "first-reference-note-number",
                          "first-container-reference-note-number"})


#: Variables the reference processor (citeproc-js 2.4.63) title-cases whatever the
#: item's language, where CSL 1.0.2 keeps title case to English items (its issue
#: 251, fixed after that release; the test-suite fixture
#: ``textcase_TitleCaseWithVolumeTitle`` follows the fix, citekit the release).
TITLE_CASE_ANY_LANGUAGE = frozenset({"event-title", "original-title", "part-title",
                                     "reviewed-title", "volume-title"})


def suffix_letters(index: int) -> str:
    """The year-suffix for ``index`` (0 -> a, 25 -> z, 26 -> aa)."""
    number = index + 1
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def has_value(st: State, variable: str) -> bool:
    """Whether ``variable`` counts as rendered for group suppression."""
    if variable in ("year-suffix", "citation-number", "citation-label"):
        return True
    if variable in _CITE_FIELDS:
        cite = st.cite
        return bool(cite is not None and cite.get(variable))
    item = st.item
    if variable in item.vars:
        return True
    date = item.dates.get(variable)
    if date is not None:
        return bool(date.start or date.literal)
    return False


def emit_variable(node: Any, st: State, out: list[Blob]) -> None:
    """Render ``node`` (a ``cs:text variable=...``) into ``out``."""
    variable: str = node.variable
    form: str = node.form
    if not st.claim(variable):
        return
    check = variable
    if form == "short" and variable not in st.item.vars:
        check = {"title": "title-short", "container-title": "container-title-short"}.get(
            variable, variable)
    if not has_value(st, check):
        st.tip.variable_attempt = True
        return
    st.tip.variable_success = True
    if st.substituting:
        st.substitute_done = True
    token = node.token
    if variable == "citation-number":
        number = getattr(st, "citation_number", None)
        if number is None:
            return
        blob = Blob(str(number), prefix=token.prefix, suffix=token.suffix,
                    decorations=token.decorations)
        blob.num = number
        out.append(blob)
        st.term_predecessor = True
        return
    if variable == "year-suffix":
        index = getattr(st, "year_suffix", None)
        if index is None:
            return
        blob = Blob(suffix_letters(index), prefix=token.prefix, suffix=token.suffix,
                    decorations=token.decorations)
        blob.num = index + 1
        out.append(blob)
        return
    if variable == "citation-label":
        label = st.item.vars.get("citation-label") or citation_label(st)
        index = getattr(st, "year_suffix", None)
        if index is not None:
            label += suffix_letters(index)
        new = st.text_blob(label, token)
        if new is not None:
            out.append(new)
        return
    if variable in NUMBER_VARIABLES:
        emit_number(node, st, out, variable)
        if variable in ("locator", "locator-extra"):
            st.done_vars.append(variable)
        return
    if variable in _CITE_FIELDS:
        value = st.cite.get(variable) if st.cite is not None else None
        if value:
            cite_blob = st.text_blob(str(value), token)
            if cite_blob is not None:
                out.append(cite_blob)
        return
    value = variable_text(st, variable, form)
    if not value:
        return
    if variable in ("URL", "DOI"):
        if variable == "URL" and form == "short":
            value = re.sub(r"(.*\.[^/]+)/.*", r"\1", value)
            if "//www." in value:
                value = re.sub(r"https?://", "", value)
        text = st.text_blob(value, token, no_strip_periods=True)
    else:
        text = st.text_blob(value, token, field=variable not in TITLE_CASE_ANY_LANGUAGE)
    if text is not None:
        out.append(text)


def variable_text(st: State, variable: str, form: str = "long") -> str | None:
    """The string value of ``variable`` in ``form``."""
    item = st.item
    if form == "short":
        short = item.vars.get(variable + "-short")
        if short:
            return short
    return item.vars.get(variable)


def citation_label(st: State) -> str:
    """A trigraph label (``Doe99``) when the item has no ``citation-label``."""
    item = st.item
    names = next((item.names[v] for v in ("author", "editor", "translator")
                  if item.names.get(v)), [])
    year = ""
    date = item.dates.get("issued")
    if date and date.start:
        year = str(date.start[0])[-2:]
    if not names:
        return year
    families = [(n.family or n.literal or "") for n in names]
    if len(families) == 1:
        head = families[0][:4]
    elif len(families) <= 3:
        head = "".join(f[:2] for f in families)
    else:
        head = "".join(f[:1] for f in families[:4])
    return head + year


def case_leaves(st: State, blob: Blob, case: str) -> None:
    """Apply ``text-case`` to the text leaves under ``blob``."""
    leaves = [leaf for leaf in blob.leaves() if isinstance(leaf.blobs, str)]
    if case == "capitalize-first":
        leaves = leaves[:1]
    for leaf in leaves:
        assert isinstance(leaf.blobs, str)
        leaf.blobs = st.case(leaf.blobs, case)
