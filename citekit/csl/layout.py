"""Layout and display: ``cs:layout``, ``cs:group``, ``cs:text``, ``cs:macro``.

Rules implemented here (CSL 1.0.2 sections in brackets):

* [Group] a ``cs:group`` is suppressed when it calls at least one variable and
  every variable it calls is empty; a group holding only terms and text
  values renders. The bookkeeping follows the reference processor: a
  variable counts as *rendered* when the item has a value for it, a group that
  renders counts as a rendered variable for its parent, and a suppressed one
  passes its "attempted" flag up. A macro is not a group: its content counts
  for the enclosing group.
* [Text] ``cs:text`` renders a variable (``form="short"`` falls back to the
  long form), a macro, a term (plural and form honoured; a term that opens a
  bibliography entry or a note citation is capitalised) or a literal value.
  Backslashes in plain variables are dropped (they only escape).
* [Display] an element directly under ``cs:layout`` with ``display`` is
  wrapped in a ``csl-block``/``csl-left-margin``/``csl-right-inline``/
  ``csl-indent`` division; ``display`` on nested elements is ignored.
* [Whitespace] ``second-field-align``: the first rendering element of a
  bibliography entry goes in the left margin, the rest in the right-inline
  division.
* [Formatting, Affixes] formatting wraps the content, affixes go outside the
  formatting; ``strip-periods`` on a group or macro call strips its content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc import model as _model

from citekit.csl.element import Element, State, Token, register
from citekit.csl.richtext import Blob

__all__ = ["Group", "Layout", "Macro", "Text", "render_child", "render_macro"]

DISPLAYS = frozenset({"block", "left-margin", "right-inline", "indent"})


def render_child(child: Any, st: State, out: list[Blob]) -> None:
    """Render one rendering element, handling what depends on being at the top
    of the layout (display, second-field-align)."""
    if child.transparent:
        child.emit(st, out)
        return
    if st.substitute_done and st.substituting and len(st.groups) == st.substitute_base:
        # cs:substitute: something at this level already stood in for the names
        return
    top = st.top
    if top is None or st.nesting:
        st.nesting += 1
        try:
            child.emit(st, out)
        finally:
            st.nesting -= 1
        return
    buffer: list[Blob] = []
    st.nesting += 1
    try:
        child.emit(st, buffer)
    finally:
        st.nesting -= 1
    top.place(child, buffer, out)


def render_macro(macro: Any, st: State, out: list[Blob]) -> None:
    """Render the content of ``macro`` into ``out``. In a sort key, a macro that
    renders a date yields only its dates' sort keys (as the reference processor
    sorts by such macros)."""
    if st.sorting and macro.has_date:
        buffer: list[Blob] = []
        for child in macro.kids:
            render_child(child, st, buffer)
        for blob in buffer:
            out.extend(leaf for leaf in blob.leaves() if leaf.kind == "datekey")
        return
    for child in macro.kids:
        render_child(child, st, out)


class TopLevel:
    """Routes the output of the layout's top-level elements (display,
    second-field-align)."""

    def __init__(self, second_field_align: bool) -> None:
        self.second_field_align = second_field_align
        self.seen = False
        self.first = Blob([], decorations=[("@display", "left-margin")])
        self.rest = Blob([], decorations=[("@display", "right-inline")])

    def place(self, child: Any, buffer: list[Blob], out: list[Blob]) -> None:
        if self.second_field_align:
            target = self.rest if self.seen else self.first
            assert isinstance(target.blobs, list)
            target.blobs.extend(buffer)
            if not self.seen:
                self.seen = True
                out.append(self.first)
                out.append(self.rest)
            return
        display = child.token.display if hasattr(child, "token") else None
        if display in DISPLAYS:
            out.append(Blob(buffer, decorations=[("@display", display)]))
        else:
            out.extend(buffer)


class Container(Element):
    """An element whose children render in order."""

    kids: list[Any]

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.kids = self.children_elements()

    def emit_children(self, st: State, out: list[Blob]) -> None:
        for child in self.kids:
            render_child(child, st, out)


@register("layout")
class Layout(Container, _model.Layout):  # type: ignore[misc]
    """``cs:layout``: its children make one cite or one bibliography entry."""

    def render_item(self, st: State, second_field_align: bool = False) -> Blob:
        """The blob for one item: a level holding the children's output."""
        level = Blob([])
        assert isinstance(level.blobs, list)
        st.top = TopLevel(second_field_align)
        try:
            self.emit_children(st, level.blobs)
        finally:
            st.last_top = st.top
            st.top = None
        return level


@register("macro")
class Macro(Container, _model.Macro):  # type: ignore[misc]
    """``cs:macro``."""

    #: True when the macro renders a ``cs:date`` (outside nested macro calls)
    has_date = False

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.has_date = any(el.tag.endswith("}date") for el in self.iter()
                            if isinstance(el.tag, str))


def render_grouped(st: State, token: Token, render: Callable[[], None]) -> bool:
    """Run ``render`` as the inside of a ``cs:group`` (or a macro call, which is one)
    with ``token``'s formatting in force; whether its output is kept (CSL 1.0.2
    "Group": suppressed when it calls variables and none of them rendered)."""
    predecessor = st.term_predecessor
    st.groups.append(type(st.tip)())
    if token.strip_periods:
        st.strip_periods += 1
    outer_decorations = st.enter_decorations(token.decorations)
    try:
        render()
    finally:
        if token.strip_periods:
            st.strip_periods -= 1
        st.layout_decorations = outer_decorations
        flags = st.groups.pop()
    if flags.variable_success or (flags.term_intended and not flags.variable_attempt):
        st.tip.variable_success = True
        return True
    st.term_predecessor = predecessor
    st.tip.variable_attempt = flags.variable_attempt
    return False


@register("group")
class Group(Container, _model.Group):  # type: ignore[misc]
    """``cs:group`` and its implicit conditional."""

    def emit(self, st: State, out: list[Blob]) -> None:
        token = self.token
        blob = Blob([], prefix=token.prefix, suffix=token.suffix, delimiter=token.delimiter,
                     decorations=token.decorations, kind="group")
        children = blob.blobs
        assert isinstance(children, list)
        if render_grouped(st, token, lambda: self.emit_children(st, children)):
            out.append(blob)


@register("text")
class Text(Element, _model.Text):  # type: ignore[misc]
    """``cs:text``."""

    mode: str
    macro: Any
    variable: str
    form: str

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.form = self.get("form", "long")
        self.plural = self.get("plural") == "true"
        if "variable" in self.attrib:
            self.mode = "variable"
            self.variable = self.get("variable", "").split()[0] if self.get("variable") \
                else ""
        elif "macro" in self.attrib:
            self.mode = "macro"
            self.macro = style.macros.get(self.get("macro"))
        elif "term" in self.attrib:
            self.mode = "term"
            self.variable = self.get("term", "")
        elif "value" in self.attrib:
            self.mode = "value"
            self.variable = self.get("value", "")
        else:
            self.mode = "none"

    def emit(self, st: State, out: list[Blob]) -> None:
        mode = self.mode
        if mode == "variable":
            from citekit.csl.variables import emit_variable

            emit_variable(self, st, out)
        elif mode == "macro":
            self.emit_macro(st, out)
        elif mode == "term":
            self.emit_term(st, out)
        elif mode == "value":
            st.tip.term_intended = True
            blob = st.text_blob(self.variable, self.token)
            if blob is not None:
                out.append(blob)
                if st.substituting:
                    st.substitute_done = True

    def emit_macro(self, st: State, out: list[Blob]) -> None:
        if self.macro is None:
            raise KeyError(f"the style calls an undefined macro {self.get('macro')!r}")
        token = self.token
        blob = Blob([], prefix=token.prefix, suffix=token.suffix, delimiter=token.delimiter,
                    decorations=token.decorations, kind="macro")
        assert isinstance(blob.blobs, list)
        # the macro's content is a group of its own, with a group's implicit
        # conditional; the call's affixes and formatting wrap it
        inner = Blob([], kind="macro-group")
        content = inner.blobs
        assert isinstance(content, list)
        macro = self.macro
        if render_grouped(st, token, lambda: render_macro(macro, st, content)):
            blob.blobs.append(inner)
        if token.text_case:
            from citekit.csl.variables import case_leaves

            case_leaves(st, blob, token.text_case)
        out.append(blob)

    def emit_term(self, st: State, out: list[Blob]) -> None:
        text = st.term(self.variable, self.form, self.plural)
        if not text:
            if st.substituting:
                # a term ends the substitution even when it is empty, and the
                # names it stands for count as printed
                st.substitute_done = True
                st.tip.variable_success = True
            return
        st.tip.term_intended = True
        if not st.term_predecessor and not (st.style.is_in_text and st.area == "citation"):
            from citekit.csl.textcase import apply_text_case

            text = apply_text_case(text, "capitalize-first")
        if st.strip_periods or self.token.strip_periods:
            text = text.replace(".", "")
        blob = st.text_blob(text, self.token)
        if blob is not None:
            out.append(blob)
            if st.substituting:
                st.substitute_done = True


def token_of(element: Any) -> Token:
    """The compiled formatting of ``element``."""
    token: Token = element.token
    return token
