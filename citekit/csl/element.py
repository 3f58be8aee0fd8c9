"""The base of citekit's CSL element classes, and the state of one rendering.

Every element of a style citekit loads is an instance of a citekit subclass of
the citeproc-py class for that element name (:func:`register`): the tree is
citeproc-py's, built through citekit's own lxml element lookup
(:mod:`citekit.csl.style`), and rendering dispatches through it. After parsing,
:meth:`Element.prepare` compiles each element's attributes once (formatting,
affixes, the macro a ``cs:text`` calls...), so rendering never searches the XML:
the macro look-up citeproc-py does by XPath on every call is done once here.

An element renders with :meth:`Element.emit`, appending :class:`Blob` objects
to its parent's list. :class:`State` carries what one cite or bibliography
entry needs while it renders: the item, the cite, the locale, the group flags
that implement CSL 1.0.2's group suppression, the substitution state and the
variables already rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from citekit.csl.richtext import Blob, parse_markup
from citekit.csl.textcase import apply_text_case

if TYPE_CHECKING:
    from citekit.csl.item import Item
    from citekit.csl.locale import Locale
    from citekit.csl.style import Style

__all__ = ["OVERRIDES", "Element", "State", "Token", "register"]

NS = "{http://purl.org/net/xbiblio/csl}"

#: CSL element name -> citekit class, filled by :func:`register`.
OVERRIDES: dict[str, type] = {}


def register(name: str) -> Callable[[type], type]:
    """Class decorator: use the class for CSL elements called ``name``."""
    def decorate(cls: type) -> type:
        OVERRIDES[name] = cls
        return cls
    return decorate


#: The formatting attributes, in the order their decorations nest (first innermost).
FORMATTING = ("font-style", "font-variant", "font-weight", "text-decoration",
              "vertical-align")


@dataclass
class Token:
    """The compiled formatting of an element: affixes, delimiter, decorations."""

    prefix: str = ""
    suffix: str = ""
    delimiter: str = ""
    decorations: list[tuple[str, str]] = field(default_factory=list)
    text_case: str | None = None
    strip_periods: bool = False
    display: str | None = None

    @classmethod
    def of(cls, element: Any, *, quotes: bool = True) -> Token:
        get = element.get
        decorations = [("@" + a, get(a)) for a in FORMATTING if get(a) is not None]
        if quotes and get("quotes") == "true":
            decorations.append(("@quotes", "true"))
        return cls(get("prefix", ""), get("suffix", ""), get("delimiter", ""), decorations,
                   get("text-case"), get("strip-periods") == "true", get("display"))


@dataclass
class GroupFlags:
    """What a ``cs:group`` has seen so far (CSL 1.0.2, "Group")."""

    term_intended: bool = False
    variable_attempt: bool = False
    variable_success: bool = False


ROMANESQUE = re.compile(
    "[-0-9a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
    "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a"
    "\u021b\u202a-\u202e]")
_SPACE_BEFORE_PUNCT = re.compile(" ([:;?!\u00bb])")
_SPACE_QUOTE = re.compile(r"\s+'")
_STRIP_PERIODS = re.compile(r"\.([^a-z]|$)")


class State:
    """The state of rendering one item once (one cite or one bibliography entry)."""

    def __init__(self, style: Style, item: Item, area: str, cite: Any = None,
                 sorting: bool = False) -> None:
        self.style = style
        self.locale: Locale = style.locale_data
        self.item = item
        self.cite = cite
        #: "citation" or "bibliography"
        self.area = area
        #: True while rendering a sort key
        self.sorting = sorting
        self.groups = [GroupFlags()]
        self.done_vars: list[str] = []
        self.term_predecessor = False
        self.strip_periods = 0
        #: > 0 inside cs:substitute (variables rendered there are suppressed later)
        self.substituting = 0
        #: name options forced by a sort key (name-as-sort-order, et-al...)
        self.name_options: dict[str, str] | None = None
        #: disambiguation settings for this cite
        self.disambig: Any = None
        #: called with what the first cs:names that renders produced (citations)
        self.names_hook: Any = None
        #: True while rendering a cite to compare it for disambiguation
        self.ambiguity = False
        #: the formatting in force where rendering is (the layout's, then enclosing
        #: groups' and macro calls'): rich text in values flips against it
        self.layout_decorations: dict[str, str] = style.layout_context(area)
        #: how deep in rendering elements we are (0: directly under cs:layout)
        self.nesting = 0
        #: the router of top-level output (set by the layout)
        self.top: Any = None
        #: set when something rendered inside cs:substitute
        self.substitute_done = False
        #: how many groups (and macro calls) were open where the cs:substitute
        #: being rendered began: its elements at that depth (also inside
        #: cs:choose) are skipped once one of them rendered something
        self.substitute_base = -1
        #: the cs:names whose cs:substitute is being rendered
        self.names_parent: Any = None
        #: what the entry's first names rendered (subsequent-author-substitute)
        self.names_record: Any = None
        #: the layout's top-level router after rendering (second-field-align)
        self.last_top: Any = None
        #: numbering and disambiguation for this item
        self.citation_number: int | None = None
        self.year_suffix: int | None = None
        self.year_suffix_done = False

    @property
    def tip(self) -> GroupFlags:
        return self.groups[-1]

    def claim(self, variable: str) -> bool:
        """Whether ``variable`` may render here: not when a substitute already
        rendered it (CSL 1.0.2 "Substitute": it is suppressed in the rest of the
        output; the attempt still counts for the enclosing group). Inside a
        substitute, the variable is claimed for the rest of the output."""
        if variable in self.done_vars:
            self.tip.variable_attempt = True
            return False
        if self.substituting:
            self.done_vars.append(variable)
        return True

    # -- text output --------------------------------------------------------------------

    def text_blob(self, text: str, token: Token | None = None, *, not_serious: bool = False,
                  ignore_predecessor: bool = False, no_strip_periods: bool = False,
                  markup: bool = True, field: bool = False) -> Blob | None:
        """A leaf for ``text`` formatted by ``token``, as the reference processor
        appends a string: narrow no-break space before ``: ; ? ! »`` after a
        space, a leading punctuation mark moved into the prefix, text-case,
        strip-periods, italics dropped for text without Latin-like letters, and
        markup in the value parsed into blobs (:func:`parse_markup`)."""
        if not text:
            return None
        if token is None:
            token = _EMPTY
        if " " in text or "\u00ab" in text:
            text = _SPACE_BEFORE_PUNCT.sub("\u202f\\1", text).replace("\u00ab ", "\u00ab\u202f")
        if not ignore_predecessor:
            self.term_predecessor = True
        if "'" in text:
            text = _SPACE_QUOTE.sub(" '", text)
            if not not_serious and text.startswith("'"):
                text = " " + text
        prefix = token.prefix
        content = text
        if content[0] != " ":
            # leading terminal punctuation joins the prefix, so the punctuation
            # passes can merge it, unless nothing would be left
            rest = content.lstrip(":.;!? ")
            if rest and rest != content:
                prefix += content[:len(content) - len(rest)]
                content = rest
        if token.text_case:
            content = self.case(text, token.text_case, field)
        if (self.strip_periods or token.strip_periods) and not no_strip_periods:
            content = _STRIP_PERIODS.sub(r"\1", content)
        decorations = list(token.decorations)
        if decorations and not ROMANESQUE.search(content):
            decorations = [d for d in decorations if d[0] != "@font-style"]
        blob = Blob(content, prefix=prefix, suffix=token.suffix, decorations=decorations)
        if markup:
            context = dict(self.layout_decorations)
            context.update(decorations)
            parsed = parse_markup(content, self.locale.quotes, context)
            if not isinstance(parsed, str) or parsed != content:
                blob.blobs = parsed
        return blob

    def enter_decorations(self, decorations: list[tuple[str, str]]) -> dict[str, str]:
        """Note the formatting of an element whose children render next (rich text in
        them flips against it: quotes in a quoted macro become inner quotes);
        returns the formatting in force before, to restore afterwards."""
        outer = self.layout_decorations
        if decorations:
            merged = dict(outer)
            merged.update(decorations)
            self.layout_decorations = merged
        return outer

    def case(self, text: str, case: str, field: bool = True) -> str:
        """``text`` in ``text-case`` ``case``. Title case applies to a field of
        the item (``field``) only if the item's language is English (CSL 1.0.2
        "Text-case": "title" case is for English-language items); terms and
        labels are title-cased whatever the item's language."""
        if case == "title" and field and not self.is_english():
            return text
        if case in ("uppercase", "lowercase"):
            language = (self.item.vars.get("language") or "").strip()[:2].lower()
            if language in ("tr", "az"):
                # Turkish dotted and dotless i keep their dot through case changes
                if case == "uppercase":
                    text = text.replace("i", "\u0130")
                else:
                    text = text.replace("I", "\u0131").replace("\u0130", "i")
        return apply_text_case(text, case)

    def is_english(self) -> bool:
        """Whether the item's language (its first two letters, as the reference
        processor reads it) is English; for an item without one, whether the
        locale the document is rendered in is (the style's default locale
        unless another was asked for: APA rendered in de-DE does not title-case
        language-less items, as the reference processor with a forced locale)."""
        language = self.item.vars.get("language")
        if language:
            return language.strip()[:2].lower() == "en"
        return str(self.style.locale or self.style.default_locale).lower().startswith("en")

    def term(self, name: str, form: str = "long", plural: bool = False,
             gender: str | None = None) -> str:
        value = self.locale.term(name, form, plural, gender)
        return value or ""


_EMPTY = Token()


class Element:
    """Mixin for every citekit element class (listed first in the bases, before
    the citeproc-py element class it refines). It is not itself a
    citeproc-py element class, so citeproc-py's own element lookup, built from
    the direct subclasses of ``CitationStylesElement``, never sees it."""

    #: compiled formatting
    token: Token
    #: True for elements that render their children in their parent's place (cs:choose)
    transparent = False

    def prepare(self, style: Style) -> None:
        """Compile this element's attributes (called once, after parsing)."""
        self.token = Token.of(self)

    def emit(self, st: State, out: list[Blob]) -> None:
        """Render into ``out`` (the parent's list of blobs)."""

    def children_elements(self) -> list[Element]:
        return [c for c in self if isinstance(c, Element)]

    # citeproc-py looks macros up by XPath on every call; the style keeps a table.
    def get_macro(self, name: str) -> Any:
        return self.getroottree().getroot().macros[name]  # type: ignore[attr-defined]

    if TYPE_CHECKING:  # provided by the lxml element class the mixin is combined with
        attrib: Any

        def get(self, key: str, default: Any = None) -> Any: ...

        def __iter__(self) -> Any: ...

        def iter(self) -> Any: ...

        def find(self, path: str) -> Any: ...


def emit_children(element: Any, st: State, out: list[Blob]) -> None:
    """Render the children of ``element`` into ``out``."""
    for child in element.kids:
        child.emit(st, out)
