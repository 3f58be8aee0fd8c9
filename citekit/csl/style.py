"""Loading a CSL style safely, with citekit's own element lookup.

citeproc-py maps each CSL element name to one of its classes through an lxml
``ElementNamespaceClassLookup``. :class:`Style` parses with a lookup of its own
(:func:`element_classes`): for every element citekit renders, a citekit subclass
of the citeproc-py class (registered by the concern modules into
:data:`~citekit.csl.element.OVERRIDES`); citeproc-py's class otherwise. The
lookup belongs to the parser citekit creates, so nothing changes for a style
loaded through citeproc-py directly: importing citekit leaves citeproc-py as it
was for any other code in the process.

After parsing, the style is compiled once: every element's attributes are read
into Python attributes (:meth:`~citekit.csl.element.Element.prepare`), macros
go into a table, the locale is merged (:mod:`citekit.csl.locale`), and parsed
number values and localized date formats are cached. The lxml proxies are
kept alive for the life of the style, so what was compiled stays attached.

The parser never resolves entities, never loads a DTD and never touches the
network; a style with a DOCTYPE is refused.
"""

from __future__ import annotations

import os
from typing import Any

from citeproc import frontend as _frontend
from citeproc import model as _model
from lxml import etree

# the concern modules register their element classes on import
from citekit.csl import (  # noqa: F401
    bibliography,
    citation,
    conditions,
    dates,
    layout,
    names,
    numbers,
    sorting,
    substitute,
)
from citekit.csl.element import OVERRIDES, Element, register
from citekit.csl.locale import Locale, load_locale
from citekit.errors import UnknownStyleError

__all__ = ["CSL_NS", "Style", "element_classes"]

CSL_NS = "http://purl.org/net/xbiblio/csl"

#: Options of cs:style, cs:citation and cs:bibliography that cs:name and cs:names inherit.
INHERITABLE = ("and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min",
               "et-al-use-first", "et-al-use-last", "et-al-subsequent-min",
               "et-al-subsequent-use-first", "initialize", "initialize-with",
               "name-as-sort-order", "sort-separator", "name-form", "name-delimiter",
               "names-delimiter")


@register("style")
class StyleElement(Element, _model.Style):  # type: ignore[misc]
    """The root ``cs:style`` element."""

    macros: dict[str, Any]


def element_classes() -> dict[str, type]:
    """CSL element name -> class used to build citekit's style trees."""
    classes: dict[str, type] = {
        cls.__name__.replace("_", "-").lower(): cls
        for cls in _model.CitationStylesElement.__subclasses__()
    }
    classes.update(OVERRIDES)
    return classes


def _parser() -> etree.XMLParser:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = _model.CitationStylesElement
    namespace.update(element_classes())
    parser = etree.XMLParser(remove_comments=True, no_network=True, resolve_entities=False,
                             load_dtd=False, huge_tree=False)
    parser.set_element_class_lookup(lookup)
    return parser


class Style(_frontend.CitationStylesStyle):  # type: ignore[misc]
    """A parsed CSL style with its locale, compiled and ready to render.

    ``source`` is a path or the bytes of a ``.csl`` file; ``locale`` a CSL
    locale tag (None: the style's ``default-locale``, else en-US).
    """

    def __init__(self, source: str | os.PathLike[str] | bytes, locale: str | None = None,
                 *, name: str | None = None) -> None:
        label = name or (os.fspath(source) if not isinstance(source, bytes) else "style")
        self.name = label
        try:
            if isinstance(source, bytes):
                self.xml = etree.ElementTree(etree.fromstring(source, _parser()))
            else:
                self.xml = etree.parse(os.fspath(source), _parser())
        except (etree.XMLSyntaxError, OSError) as exc:
            raise UnknownStyleError(label, (), f"not a readable CSL file ({exc})") from None
        if self.xml.docinfo.doctype:
            raise UnknownStyleError(label, (), "CSL styles with a DOCTYPE are refused "
                                    "(entities and DTDs are never loaded)")
        self.root: Any = self.xml.getroot()
        if self.root.tag != f"{{{CSL_NS}}}style" or not isinstance(self.root, StyleElement):
            raise UnknownStyleError(label, (), "the root element is not a CSL <style>")
        self.default_locale = self.root.get("default-locale") or "en-US"
        if locale is None:
            locale = self.default_locale
        self.locale = locale
        self._compile()

    # -- compilation --------------------------------------------------------------------

    def _compile(self) -> None:
        root = self.root
        # keep every proxy alive: compiled attributes live on them
        self._elements = list(root.iter())
        self.macros: dict[str, Any] = {}
        for child in root:
            if isinstance(child.tag, str) and child.tag == f"{{{CSL_NS}}}macro":
                name = child.get("name")
                if name and name not in self.macros:
                    self.macros[name] = child
        root.macros = self.macros
        style_locales = [c for c in root if isinstance(c.tag, str)
                         and c.tag == f"{{{CSL_NS}}}locale"]
        self.locale_data: Locale = load_locale(self.locale, style_locales)
        self.is_note = root.get("class") == "note"
        self.is_in_text = not self.is_note
        self.demote_non_dropping_particle = root.get("demote-non-dropping-particle",
                                                     "display-and-sort")
        self.initialize_with_hyphen = root.get("initialize-with-hyphen", "true") != "false"
        self.page_range_format = root.get("page-range-format")
        self.sort_sep = "|"
        self.citation_el: Any = root.find(f"{{{CSL_NS}}}citation")
        self.bibliography_el: Any = root.find(f"{{{CSL_NS}}}bibliography")
        self._inherited: dict[str, dict[str, str]] = {}
        for area, element in (("citation", self.citation_el),
                              ("bibliography", self.bibliography_el)):
            options = {k: v for k, v in root.attrib.items() if k in INHERITABLE}
            if element is not None:
                options.update({k: v for k, v in element.attrib.items() if k in INHERITABLE})
            self._inherited[area] = options
        self._layout_context: dict[str, dict[str, str]] = {}
        for area, element in (("citation", self.citation_el),
                              ("bibliography", self.bibliography_el)):
            context: dict[str, str] = {}
            layout_el = element.find(f"{{{CSL_NS}}}layout") if element is not None else None
            if layout_el is not None:
                for attr in ("font-style", "font-variant", "font-weight", "text-decoration",
                             "vertical-align"):
                    if layout_el.get(attr):
                        context["@" + attr] = layout_el.get(attr)
            self._layout_context[area] = context
        self.renders_year_suffix = any(
            el.get("variable") in ("year-suffix", "citation-label")
            for el in self._elements if isinstance(el.tag, str)
            and el.tag == f"{{{CSL_NS}}}text")
        #: whether any cs:if/cs:else-if tests disambiguate="true" (disambiguation step 3)
        self.uses_disambiguate_condition = any(
            el.get("disambiguate") == "true" for el in self._elements
            if isinstance(el.tag, str))
        self.citation_renders_number = self.citation_el is not None and any(
            el.get("variable") == "citation-number" for el in self.citation_el.iter()
            if isinstance(el.tag, str) and el.tag == f"{{{CSL_NS}}}text")
        self.date_cache: dict[Any, Any] = {}
        self._numbers: dict[Any, Any] = {}
        for element in self._elements:
            if isinstance(element, Element):
                element.prepare(self)

    # -- look-ups used while rendering ---------------------------------------------------

    def macro(self, name: str | None) -> Any:
        """The ``cs:macro`` called ``name`` (a :class:`KeyError` names it when missing)."""
        if name is None or name not in self.macros:
            raise KeyError(f"the style calls an undefined macro {name!r}")
        return self.macros[name]

    def inherited(self, area: str) -> dict[str, str]:
        """The inheritable name options set on cs:style and cs:citation/cs:bibliography."""
        return self._inherited.get(area, {})

    def layout_context(self, area: str) -> dict[str, str]:
        """The decorations of the area's cs:layout (for flip-flop of markup)."""
        return self._layout_context.get(area, {})

    def number_cache(self, variable: str, real: str, raw: str, label_hint: str | None) -> Any:
        """The parsed value of a number variable (cached)."""
        key = (variable, real, raw, label_hint)
        hit = self._numbers.get(key)
        if hit is None:
            from citekit.csl.numbers import parse_number_for

            hit = parse_number_for(self, variable, real, raw, label_hint)
            self._numbers[key] = hit
        return hit

    @property
    def is_note_style(self) -> bool:
        """True for styles whose citations are footnotes (``class="note"``)."""
        return bool(self.is_note)

    def has_bibliography(self) -> bool:
        return self.bibliography_el is not None
