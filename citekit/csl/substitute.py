"""Substitution: ``cs:substitute`` and ``subsequent-author-substitute`` (CSL
1.0.2, "Substitute", "Reference Grouping").

* When a ``cs:names`` finds none of its names, the children of its
  ``cs:substitute`` are tried in order; the first that renders anything is
  used. Elements inside a ``cs:choose`` in there count one by one: once one
  rendered, the next ones are skipped (as the reference processor wraps every
  element at the top of a substitute, branches included). A ``cs:names`` in
  there without children borrows the ``cs:name``, ``cs:et-al`` and
  ``cs:label`` of the original. Every variable a substitute
  renders (or tries) is *suppressed* in the rest of the cite or entry: a title
  that stands in for the author is not printed again as the title.
* ``subsequent-author-substitute`` replaces the names that open a
  bibliography entry when they are the same as the previous entry's:
  ``complete-all`` (the default) replaces the whole list once,
  ``complete-each`` each name, ``partial-each`` the names that match from the
  start, ``partial-first`` only the first name.
"""

from __future__ import annotations

from typing import Any

from citekit.csl.element import State
from citekit.csl.richtext import Blob

__all__ = ["SubstituteTracker", "emit_substitute"]


def emit_substitute(substitute: Any, st: State, out: list[Blob], names: Any) -> None:
    """Render the first child of ``substitute`` that produces output."""
    from citekit.csl.layout import render_child

    saved_parent = st.names_parent
    saved_done = st.substitute_done
    saved_base = st.substitute_base
    st.substitute_base = len(st.groups)
    st.names_parent = names
    # whether a substituted text may stand for the names that subsequent-author-
    # substitute compares (nothing printed before the names element)
    may_record = st.area == "bibliography" and not st.term_predecessor and not st.sorting
    st.substituting += 1
    try:
        for child in substitute.kids:
            st.substitute_done = False
            buffer: list[Blob] = []
            render_child(child, st, buffer)
            if st.substitute_done:
                if may_record and st.names_record is None and buffer and \
                        not child.tag.endswith("}names"):
                    # a substituted text (or macro) is compared and replaced as
                    # the names would be
                    level = Blob(list(buffer))
                    st.names_record = (level, buffer[:1], level.text(), None)
                out.extend(buffer)
                break
    finally:
        st.substituting -= 1
        st.names_parent = saved_parent
        st.substitute_done = saved_done
        st.substitute_base = saved_base


class SubstituteTracker:
    """Applies ``subsequent-author-substitute`` across the entries of a bibliography."""

    def __init__(self, text: str, rule: str) -> None:
        self.text = text
        self.rule = rule or "complete-all"
        self.last: Any = None

    def apply(self, record: Any) -> None:
        """``record`` is what the entry's first names rendered: (level blob,
        per-name blobs, names string, label blob); None or False when the entry
        did not print names first."""
        if not record:
            # nothing compared: the names of the last entry that had some stay
            # the ones to compare with
            return
        level, per_name, rendered, label_blob = record
        rule = self.rule
        if rule in ("partial-each", "partial-first"):
            names = rendered.split(",") if rendered else []
            last = self.last if isinstance(self.last, list) else []
            substituting = True
            for i, blob in enumerate(per_name):
                if substituting and i < len(names) and i < len(last) and names[i] == last[i]:
                    blob.blobs = [Blob(self.text)]
                    blob.prefix = blob.suffix = ""
                    if rule == "partial-first":
                        substituting = False
                else:
                    substituting = False
            self.last = names
            return
        if not rendered:
            return
        if rendered == self.last:
            if rule == "complete-each":
                for blob in per_name:
                    blob.blobs = [Blob(self.text)]
            else:
                if label_blob is not None:
                    label = label_blob.blobs[-1] if isinstance(label_blob.blobs, list) else None
                    level.blobs = [Blob(self.text)] + ([label] if label is not None else [])
                elif isinstance(level.blobs, list) and level.blobs:
                    level.blobs[0].blobs = [Blob(self.text)]
                else:
                    level.blobs = [Blob(self.text)]
        self.last = rendered
