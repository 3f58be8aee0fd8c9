"""Loading a CSL style safely, with citekit's own element lookup.

citeproc-py maps each CSL element name to one of its classes through an lxml
``ElementNamespaceClassLookup``. :class:`Style` parses with a lookup of its own
(:func:`element_classes`): citeproc-py's classes, except where citekit supplies
a subclass. The lookup belongs to the parser citekit creates, so nothing
changes for a style loaded through citeproc-py directly.

The parser never resolves entities, never loads a DTD and never touches the
network; a style with a DOCTYPE is refused.
"""

from __future__ import annotations

import os
from typing import Any

from citeproc import frontend as _frontend
from citeproc import model as _model
from lxml import etree

from citekit.errors import UnknownStyleError

__all__ = ["CSL_NS", "Style", "element_classes"]

CSL_NS = "http://purl.org/net/xbiblio/csl"

#: citekit subclasses that replace citeproc-py's, by CSL element name.
OVERRIDES: dict[str, type] = {}


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
    """A parsed CSL style with its locale chain, ready to render.

    ``source`` is a path or the bytes of a ``.csl`` file; ``locale`` a CSL
    locale tag (None: the style's ``default-locale``, else en-US).
    """

    def __init__(self, source: str | os.PathLike[str] | bytes, locale: str | None = None,
                 *, name: str | None = None) -> None:
        label = name or (os.fspath(source) if not isinstance(source, bytes) else "style")
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
        if self.root.tag != f"{{{CSL_NS}}}style":
            raise UnknownStyleError(label, (), "the root element is not a CSL <style>")
        if locale is None:
            locale = self.root.get("default-locale") or "en-US"
        self.locale = locale
        self.root.set_locale_list(locale, validate=False)

    @property
    def is_note_style(self) -> bool:
        """True for styles whose citations are footnotes (``class="note"``)."""
        return bool(self.root.get("class") == "note")
