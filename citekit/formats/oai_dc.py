"""OAI-PMH ``oai_dc`` records: simple Dublin Core as repositories expose it to
harvesters (DSpace, EPrints, Open Journal Systems, Zenodo...).

Reading accepts a single ``<oai_dc:dc>`` record, an OAI-PMH ``GetRecord`` or
``ListRecords`` response (each ``<record>``'s header identifier becomes the
Article id; deleted records are skipped; a ``resumptionToken`` is reported, not
followed), or any XML document holding ``oai_dc:dc`` elements. An OAI-PMH
``<error>`` response is a :class:`~citekit.errors.ParseError` (``noRecordsMatch``
is an empty result). XML is parsed safely (no external entities, no DTD, no
network; entity bombs fail fast).

Writing produces a ``ListRecords`` response (``envelope="list"``, the default)
or a bare ``<oai_dc:dc>`` record (``envelope="record"``, one article). The field
mapping is the simple Dublin Core table shared with the ``dc`` RDF profile
(:data:`citekit.formats._dublincore.DC_ELEMENTS`); element order is kept, so
creators and subjects come back in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, unquote

from lxml import etree

from citekit.errors import OptionError, ParseError, ValidationError, warn
from citekit.formats import Format
from citekit.formats._dublincore import DC_NAMESPACE, from_dc, to_dc
from citekit.formats._safexml import decode_xml, first_element, parse_xml
from citekit.model import Article

__all__ = ["FORMATS", "OAI_DC_NAMESPACE", "OAI_PMH_NAMESPACE", "dump", "parse", "sniff"]

OAI_PMH_NAMESPACE = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_PMH_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
_ID_PREFIX = "oai:citekit:"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


# -- reading -------------------------------------------------------------------------------


def _record_id(dc: etree._Element) -> str | None:
    """The OAI identifier of the record a ``oai_dc:dc`` element belongs to."""
    node = dc.getparent()
    while node is not None and node.tag != _q(OAI_PMH_NAMESPACE, "record"):
        node = node.getparent()
    if node is None:
        return None
    identifier: str | None = node.findtext(f"{_q(OAI_PMH_NAMESPACE, 'header')}/"
                               f"{_q(OAI_PMH_NAMESPACE, 'identifier')}")
    if not identifier:
        return None
    identifier = identifier.strip()
    if identifier.startswith(_ID_PREFIX):
        return unquote(identifier[len(_ID_PREFIX):])
    return identifier


def parse(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
    """Read ``oai_dc`` records (a record, or an OAI-PMH response) into Articles."""
    if options:
        raise OptionError(f"oai_dc reading takes no option {', '.join(options)}")
    root = parse_xml(text, source=source, what="OAI-PMH XML")
    error = root.find(_q(OAI_PMH_NAMESPACE, "error"))
    if error is not None:
        code = error.get("code", "")
        if code == "noRecordsMatch":
            return []
        raise ParseError(f"the OAI-PMH response is an error ({code}): "
                         f"{(error.text or '').strip()}", source=source,
                         line=error.sourceline)
    records = list(root.iter(_q(OAI_DC_NAMESPACE, "dc")))
    if root.tag == _q(OAI_DC_NAMESPACE, "dc"):
        records = [root]
    if not records and root.find(f".//{_q(OAI_PMH_NAMESPACE, 'record')}") is None:
        raise ParseError("no oai_dc:dc record in the document (expected the namespace "
                         f"{OAI_DC_NAMESPACE})", source=source, line=root.sourceline)
    token = root.find(f".//{_q(OAI_PMH_NAMESPACE, 'resumptionToken')}")
    if token is not None and (token.text or "").strip():
        warn(f"the response is one page of a longer list (resumptionToken "
             f"{token.text.strip()!r}); citekit does not fetch the rest", source=source)
    articles: list[Article] = []
    for index, dc in enumerate(records):
        pairs = []
        for child in dc:
            if not isinstance(child.tag, str):
                continue
            namespace, _, name = child.tag[1:].partition("}")
            if namespace == DC_NAMESPACE:
                pairs.append((name, "".join(child.itertext())))
            else:
                warn(f"element {child.tag} is not a Dublin Core element; ignored",
                     source=source, line=child.sourceline)
        try:
            article, unknown = from_dc(pairs, id=_record_id(dc) or f"item-{index + 1}")
        except ValidationError as exc:
            raise ParseError(f"record {index + 1}: {exc}", source=source,
                             line=dc.sourceline) from None
        if unknown:
            warn("elements outside DCMES 1.1 kept in extra: " + ", ".join(unknown),
                 source=source, line=dc.sourceline, entry=article.id)
        articles.append(article)
    return articles


# -- writing -------------------------------------------------------------------------------


def _dc_element(article: Article) -> etree._Element:
    dc = etree.Element(_q(OAI_DC_NAMESPACE, "dc"),
                       nsmap={"oai_dc": OAI_DC_NAMESPACE, "dc": DC_NAMESPACE, "xsi": XSI})
    dc.set(_q(XSI, "schemaLocation"), f"{OAI_DC_NAMESPACE} {OAI_DC_SCHEMA}")
    for element, value in to_dc(article):
        child = etree.SubElement(dc, _q(DC_NAMESPACE, element))
        child.text = value
    return dc


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters; they are dropped."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def dump(articles: Sequence[Article], *, envelope: str = "list", date: str | None = None,
         **options: Any) -> str:
    """Write ``articles`` as an OAI-PMH ``ListRecords`` response (``envelope="list"``)
    or one bare ``oai_dc:dc`` record (``envelope="record"``). ``date`` is the
    response and datestamp date (``YYYY-MM-DD``; today by default)."""
    if options:
        raise OptionError(f"oai_dc writing takes the options envelope and date, not "
                          f"{', '.join(options)}")
    if envelope == "record":
        if len(articles) != 1:
            raise OptionError(f"envelope=record writes exactly one article, got "
                              f"{len(articles)}; use envelope=list")
        root = _dc_element(articles[0])
    elif envelope == "list":
        now = datetime.now(timezone.utc)
        stamp = date or now.strftime("%Y-%m-%d")
        root = etree.Element(_q(OAI_PMH_NAMESPACE, "OAI-PMH"),
                             nsmap={None: OAI_PMH_NAMESPACE, "xsi": XSI})
        root.set(_q(XSI, "schemaLocation"), f"{OAI_PMH_NAMESPACE} {OAI_PMH_SCHEMA}")
        etree.SubElement(root, _q(OAI_PMH_NAMESPACE, "responseDate")).text = \
            (date + "T00:00:00Z") if date else now.strftime("%Y-%m-%dT%H:%M:%SZ")
        request = etree.SubElement(root, _q(OAI_PMH_NAMESPACE, "request"),
                                   verb="ListRecords", metadataPrefix="oai_dc")
        request.text = "https://citekit.invalid/oai"
        listing = etree.SubElement(root, _q(OAI_PMH_NAMESPACE, "ListRecords"))
        for article in articles:
            record = etree.SubElement(listing, _q(OAI_PMH_NAMESPACE, "record"))
            header = etree.SubElement(record, _q(OAI_PMH_NAMESPACE, "header"))
            etree.SubElement(header, _q(OAI_PMH_NAMESPACE, "identifier")).text = \
                _ID_PREFIX + quote(article.id, safe="/:;@&=+$,-_.!~*'()")
            etree.SubElement(header, _q(OAI_PMH_NAMESPACE, "datestamp")).text = stamp
            metadata = etree.SubElement(record, _q(OAI_PMH_NAMESPACE, "metadata"))
            metadata.append(_dc_element(article))
    else:
        raise OptionError(f"envelope must be 'list' or 'record', not {envelope!r}")
    for node in root.iter():
        if node.text:
            node.text = _clean(node.text)
    body: str = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def sniff(text: str) -> bool:
    """XML whose root is an OAI-PMH response or an ``oai_dc:dc`` record."""
    root = first_element(text)
    if root is None:
        return False
    local = root.split(":")[-1]
    if local == "OAI-PMH":
        return OAI_PMH_NAMESPACE in text
    return local == "dc" and OAI_DC_NAMESPACE in text


FORMATS = (
    Format(
        name="oai-dc",
        aliases=("oai_dc", "oaidc", "oai-pmh"),
        extensions=("oai.xml",),
        media_type="text/xml",
        parse=parse,
        dump=dump,
        sniff=sniff,
        decode=decode_xml,
        description="OAI-PMH oai_dc records (simple Dublin Core), one or a ListRecords "
                    "response",
        keeps=frozenset({"title", "abstract", "publisher", "DOI", "ISBN", "language",
                         "license", "keyword"}),
    ),
)
