"""Safe XML parsing for the XML-based formats (RDF/XML, OAI-PMH ``oai_dc``).

Not a format module: a helper the XML readers share. The parser

* never resolves an external entity, never loads a DTD and never touches the
  network (lxml with ``resolve_entities="internal"``, ``load_dtd=False``,
  ``no_network=True``); a document that *declares* an external entity is
  refused with a clear :class:`~citekit.errors.ParseError` before parsing;
* expands internal entities (RDF/XML written by ontology editors uses them for
  namespace IRIs) under libxml2's amplification limit, so a "billion laughs"
  document fails at once with a :class:`~citekit.errors.ParseError` instead of
  exhausting memory.
"""

from __future__ import annotations

import re

from lxml import etree

from citekit.errors import ParseError
from citekit.formats import decode_text

__all__ = ["decode_xml", "first_element", "parse_xml"]

_EXTERNAL_ENTITY = re.compile(
    r"<!ENTITY\s+(%\s*)?([^\s>]+)\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE
)
_XML_DECL_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?)\sencoding\s*=\s*(['\"])[^'\"]*\2")
_START_TAG = re.compile(r"<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s/>]")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities="internal",
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(text: str, *, source: str | None = None, what: str = "XML") -> etree._Element:
    """Parse ``text`` safely and return the root element.

    Raises :class:`~citekit.errors.ParseError` (with line and column) for text
    that is not well-formed, declares an external entity, or expands entities
    beyond the parser's limit.
    """
    match = _EXTERNAL_ENTITY.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        kind = "parameter entity" if match.group(1) else "entity"
        raise ParseError(
            f"the document declares an external {kind} {match.group(2)!r} "
            f"({match.group(3)}); citekit never loads external entities or DTDs",
            source=source, line=line)
    data = _XML_DECL_ENCODING.sub(r"\1", text, count=1).encode("utf-8")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg) if getattr(exc, "msg", None) else str(exc)
        if "amplification" in message or "entity reference loop" in message \
                or "Detected an entity" in message:
            raise ParseError(
                "entity expansion exceeds the safety limit (a 'billion laughs' "
                f"document?): {message}", source=source, line=exc.lineno) from None
        position = exc.position or (None, None)
        raise ParseError(f"not well-formed {what}: {message}", source=source,
                         line=position[0], column=position[1]) from None
    if root is None:
        raise ParseError(f"empty {what} document", source=source, line=1)
    for node in root.iter(etree.Entity):
        raise ParseError(f"unresolved entity reference {node.text!r}; citekit never loads "
                         "external entities", source=source, line=node.sourceline)
    return root


_DECLARED = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*['\"]([A-Za-z0-9._:-]+)['\"]")


def decode_xml(data: bytes, source: str | None = None) -> str:
    """The text of an XML file: UTF-8 (or UTF-16 with a byte-order mark), else the
    encoding its XML declaration names; a :class:`~citekit.errors.ParseError` saying
    where the first undecodable byte is otherwise."""
    declared = _DECLARED.match(data)
    return decode_text(data, source, declared=declared.group(1).decode("ascii") if declared
                       else "")


def first_element(text: str) -> str | None:
    """The qualified name of the first element of an XML text (for sniffing), or None.

    Skips the XML declaration, comments, processing instructions and the DOCTYPE.
    """
    pos = 0
    length = len(text)
    while pos < length:
        start = text.find("<", pos)
        if start < 0:
            return None
        if text.startswith("<?", start):
            end = text.find("?>", start)
        elif text.startswith("<!--", start):
            end = text.find("-->", start)
        elif text.startswith("<!", start):
            bracket = text.find("[", start)
            close = text.find(">", start)
            if 0 <= bracket < close:
                end = text.find("]", bracket)
                end = text.find(">", end) if end >= 0 else -1
            else:
                end = close
        else:
            match = _START_TAG.match(text, start)
            return match.group(1) if match else None
        if end < 0:
            return None
        pos = end + 1
    return None
