"""The metadata an article's landing page publishes: Highwire ``citation_*`` meta tags
(read by Google Scholar and Zotero) and the ``DC.*`` set Open Journal Systems emits.

Writing produces the ``<meta>`` block for a page's ``<head>``: one
``citation_author`` per author in order, ``citation_publication_date``,
``citation_journal_title``, volume, issue, pages, DOI, keywords, abstract,
language, and the Dublin Core twins (``DC.Title``, ``DC.Creator.PersonalName``,
``DC.Date.issued``, ``DC.Identifier.DOI``, ``DC.Source``...). Every value is
escaped: text from any source (a title with ``"><script>`` in it) is data in the
``content`` attribute, never markup.

Reading parses an HTML page with lxml.html (no network, no external entities)
and prefers ``citation_*`` tags, then ``DC.*``/``DCTERMS.*`` tags, then a COinS
span (OpenURL ContextObject), then a schema.org JSON-LD script. Tags of those
families that the mapping does not know are kept in
``extra["html-meta:<name>"]`` and written back.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

from lxml import etree
from lxml import html as lxml_html

from citekit.errors import OptionError, ParseError, ValidationError, warn
from citekit.formats import Format, decode_text
from citekit.formats._dublincore import name_from_text, name_to_text, parse_date_text
from citekit.model import Article, Date, Name, normalize_doi

__all__ = ["CITATION_TAGS", "DC_TAGS", "FORMATS", "dump", "parse", "sniff"]


@dataclass(frozen=True)
class Tag:
    """One meta tag: its name, the variable it carries, and when it is written."""

    name: str
    variable: str
    #: written only for these CSL types (empty: for every type)
    types: tuple[str, ...] = ()
    #: written (False: read only)
    written: bool = True


_JOURNAL_TYPES = ("article-journal", "article-magazine", "article-newspaper", "article",
                  "review", "review-book", "periodical")
_BOOK_PART_TYPES = ("chapter", "entry", "entry-dictionary", "entry-encyclopedia")

#: Highwire Press tags, in the order they are written (the documented table).
CITATION_TAGS: tuple[Tag, ...] = (
    Tag("citation_title", "title"),
    Tag("citation_author", "author"),
    Tag("citation_author_institution", "author-institution"),
    Tag("citation_author_orcid", "author-orcid"),
    Tag("citation_editor", "editor"),
    Tag("citation_publication_date", "issued"),
    Tag("citation_date", "issued", written=False),
    Tag("citation_online_date", "available-date"),
    Tag("citation_journal_title", "container-title", _JOURNAL_TYPES),
    Tag("citation_conference_title", "container-title", ("paper-conference",)),
    Tag("citation_inbook_title", "container-title", _BOOK_PART_TYPES),
    Tag("citation_book_title", "container-title", written=False),
    Tag("citation_journal_abbrev", "container-title-short"),
    Tag("citation_series_title", "collection-title"),
    Tag("citation_issn", "ISSN"),
    Tag("citation_eissn", "ISSN", written=False),
    Tag("citation_isbn", "ISBN"),
    Tag("citation_volume", "volume"),
    Tag("citation_issue", "issue"),
    Tag("citation_firstpage", "page"),
    Tag("citation_lastpage", "page"),
    Tag("citation_doi", "DOI"),
    Tag("citation_pmid", "PMID"),
    Tag("citation_technical_report_number", "number", ("report",)),
    Tag("citation_publisher", "publisher"),
    Tag("citation_dissertation_institution", "publisher", ("thesis",)),
    Tag("citation_technical_report_institution", "publisher", ("report",)),
    Tag("citation_keywords", "keyword"),
    Tag("citation_abstract", "abstract"),
    Tag("citation_language", "language"),
    Tag("citation_abstract_html_url", "URL"),
    Tag("citation_fulltext_html_url", "URL", written=False),
    Tag("citation_public_url", "URL", written=False),
    Tag("citation_pdf_url", "extra"),
)

#: Dublin Core tags (the set Open Journal Systems writes), in writing order; names
#: are matched without regard to case, and ``DCTERMS.x`` is read like ``DC.x``.
DC_TAGS: tuple[Tag, ...] = (
    Tag("DC.Title", "title"),
    Tag("DC.Title.Alternative", "title-short"),
    Tag("DC.Creator.PersonalName", "author"),
    Tag("DC.Creator", "author", written=False),
    Tag("DC.Contributor", "contributor", written=False),
    Tag("DC.Date.issued", "issued"),
    Tag("DC.Date", "issued", written=False),
    Tag("DC.Date.dateSubmitted", "submitted"),
    Tag("DC.Date.created", "issued", written=False),
    Tag("DC.Description", "abstract"),
    Tag("DC.Abstract", "abstract", written=False),
    Tag("DC.Identifier", "id"),
    Tag("DC.Identifier.DOI", "DOI"),
    Tag("DC.Identifier.URI", "URL"),
    Tag("DC.Identifier.pageNumber", "page"),
    Tag("DC.Language", "language"),
    Tag("DC.Publisher", "publisher"),
    Tag("DC.Rights", "license"),
    Tag("DC.Source", "container-title"),
    Tag("DC.Source.ISSN", "ISSN"),
    Tag("DC.Source.Volume", "volume"),
    Tag("DC.Source.Issue", "issue"),
    Tag("DC.Subject", "keyword"),
    Tag("DC.Type", "type"),
    Tag("DC.Issued", "issued", written=False),
)

_TEXT_ATTRS = {"title": "title", "title-short": "title_short",
               "container-title": "container_title",
               "container-title-short": "container_title_short",
               "collection-title": "collection_title", "ISSN": "issn", "ISBN": "isbn",
               "volume": "volume", "issue": "issue", "DOI": "doi", "PMID": "pmid",
               "number": "number", "publisher": "publisher", "abstract": "abstract",
               "language": "language", "URL": "url", "license": "license"}
_NAME_ROLES = {"author", "editor", "contributor"}
_DATE_VARS = {"issued", "available-date", "submitted"}
_DC_TYPE_JOURNAL = "Text.Serial.Journal"
_DC_TYPES = {"text.serial.journal": "article-journal", "text.book": "book",
             "text.thesis.doctoral": "thesis", "text.serial.conference": "paper-conference"}
_PDF = "html-meta:citation_pdf_url"
_KNOWN_CITATION = {t.name for t in CITATION_TAGS}
_KNOWN_DC = {t.name.lower() for t in DC_TAGS}
_MARKER = "citekit: article"


# -- writing -------------------------------------------------------------------------------


def _attr(value: str) -> str:
    """``value`` escaped for a double-quoted HTML attribute (line breaks kept as
    character references, so that no parser folds them)."""
    text = html.escape(value, quote=True)
    return text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def _split_pages(page: str) -> tuple[str, str | None] | None:
    match = re.fullmatch(r"([^\s,;-]+)(?:-([^\s,;-]+))?", page)
    return (match.group(1), match.group(2)) if match else None


def _highwire_date(date: Date) -> str | None:
    if date.start is None or (date.start.month or 0) > 12 or date.start.year < 1:
        return None
    return "/".join(f"{p:02d}" if i else f"{p:04d}"
                    for i, p in enumerate(date.start.as_tuple()))


def _iso_date(date: Date) -> str | None:
    return date.to_edtf() or date.literal or date.raw


def _values(article: Article, tag: Tag, family: str) -> list[str]:
    """What ``tag`` says about ``article`` (empty when nothing)."""
    variable = tag.variable
    if tag.types and article.type not in tag.types:
        return []
    if variable in _NAME_ROLES:
        return [name_to_text(n) for n in article.names.get(variable, ())]
    if variable in ("author-institution", "author-orcid"):
        return []  # written after the author they belong to
    if variable in _DATE_VARS:
        date = article.dates.get(variable)
        if date is None:
            return []
        text = _highwire_date(date) if family == "citation" else _iso_date(date)
        return [text] if text else []
    if variable == "keyword":
        return list(article.keywords)
    if variable == "page":
        if article.page is None:
            return []
        if family == "dc":
            return [article.page]
        split = _split_pages(article.page)
        if split is None or "-".join(p for p in split if p) != article.page:
            return []
        first, last = split
        if tag.name == "citation_firstpage":
            return [first]
        return [last] if last else []
    if variable == "extra":
        value = article.extra.get(_PDF)
        return [value] if isinstance(value, str) else []
    if variable == "id":
        return [article.id] if article.id and article.id != article.doi else []
    if variable == "type":
        return [_DC_TYPE_JOURNAL] if article.type == "article-journal" else []
    if variable == "container-title" and family == "citation" and not tag.types:
        return []
    value = getattr(article, _TEXT_ATTRS[variable])
    return [value] if value else []


def _affiliations(name: Name) -> list[str]:
    """A name's affiliations: strings, or Crossref's ``{"name": ...}`` objects."""
    value = name.extra.get("affiliation")
    items = value if isinstance(value, tuple) else (value,) if value is not None else ()
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
            out.append(item["name"])
    return out


def meta_block(article: Article) -> str:
    """The ``<meta>`` tags of one article, one per line."""
    lines: list[str] = []
    for family, tags in (("citation", CITATION_TAGS), ("dc", DC_TAGS)):
        for tag in tags:
            if not tag.written:
                continue
            if tag.name == "citation_author":
                for name in article.names.get("author", ()):
                    lines.append(f'<meta name="citation_author" '
                                 f'content="{_attr(name_to_text(name))}">')
                    lines.extend(f'<meta name="citation_author_institution" '
                                 f'content="{_attr(place)}">' for place in _affiliations(name))
                    orcid = name.extra.get("ORCID")
                    if isinstance(orcid, str):
                        lines.append(f'<meta name="citation_author_orcid" '
                                     f'content="{_attr(orcid)}">')
                continue
            for value in _values(article, tag, family):
                lines.append(f'<meta name="{tag.name}" content="{_attr(value)}">')
    for key, value in article.extra.items():
        if key.startswith("html-meta:") and key != _PDF:
            tag_name = key[len("html-meta:"):]
            values = value if isinstance(value, tuple) else (value,)
            if re.fullmatch(r"[A-Za-z][\w.:-]*", tag_name):
                lines.extend(f'<meta name="{tag_name}" content="{_attr(v)}">'
                             for v in values if isinstance(v, str))
    return "\n".join(lines) + "\n"


def dump(articles: Sequence[Article], *, page: bool = False, **options: Any) -> str:
    """The ``<meta>`` block of each article; several are separated by a
    ``<!-- citekit: article N -->`` comment. ``page=True`` wraps each in a minimal
    HTML document."""
    if options:
        raise OptionError(f"html-meta writing takes the option page, not {', '.join(options)}")
    blocks = []
    for index, article in enumerate(articles):
        block = meta_block(article)
        if len(articles) > 1:
            block = f"<!-- {_MARKER} {index + 1} -->\n" + block
        if page:
            lang = f' lang="{_attr(article.language)}"' if article.language else ""
            title = f"<title>{html.escape(article.title)}</title>\n" if article.title else ""
            block = (f"<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset=\"utf-8\">\n"
                     f"{title}{block}</head>\n<body></body>\n</html>\n")
        blocks.append(block)
    return "".join(blocks)


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Fields:
    """What one source (a tag family, COinS, JSON-LD) says, before merging."""

    values: dict[str, Any]
    names: dict[str, list[Name]]
    dates: dict[str, Date]
    keywords: list[str]


def _empty() -> _Fields:
    return _Fields({}, {}, {}, [])


def _read_tags(pairs: Sequence[tuple[str, str]], tags: Sequence[Tag],
               key: Callable[[str], str]) -> _Fields:
    by_name = {key(t.name): t for t in tags}
    got = _empty()
    first_page = last_page = None
    for name, content in pairs:
        tag = by_name.get(key(name))
        if tag is None or not content.strip():
            continue
        variable = tag.variable
        if variable in _NAME_ROLES:
            parsed = name_from_text(content)
            if parsed is not None:
                got.names.setdefault(variable, []).append(parsed)
        elif variable in ("author-institution", "author-orcid"):
            authors = got.names.get("author")
            if authors:  # belongs to the author tag before it
                extra = dict(authors[-1].extra)
                if variable == "author-orcid":
                    extra.setdefault("ORCID", content)
                else:
                    extra["affiliation"] = (*_affiliations(authors[-1]), content)
                authors[-1] = replace(authors[-1], extra=extra)
        elif variable in _DATE_VARS:
            date = parse_date_text(content)
            if date is not None and variable not in got.dates:
                got.dates[variable] = date
        elif variable == "keyword":
            got.keywords.append(content)
        elif tag.name == "citation_firstpage":
            first_page = first_page or content.strip()
        elif tag.name == "citation_lastpage":
            last_page = last_page or content.strip()
        elif variable == "page":
            got.values.setdefault("page", content)
        elif variable == "extra":
            got.values.setdefault("extra:" + _PDF, content)
        elif variable == "id":
            if re.match(r"^(https?://(dx\.)?doi\.org/|doi:|10\.\d{4,}/)", content, re.I):
                got.values.setdefault("doi", normalize_doi(content))
            elif re.match(r"^https?://", content):
                got.values.setdefault("url", content)
            else:
                got.values.setdefault("id", content)
        elif variable == "type":
            csl = _DC_TYPES.get(content.strip().lower())
            if csl:
                got.values.setdefault("type", csl)
        elif variable == "DOI":
            got.values.setdefault("doi", normalize_doi(content))
        else:
            got.values.setdefault(_TEXT_ATTRS[variable], content)
        if tag.name == "citation_journal_title":
            got.values.setdefault("type", "article-journal")
        elif tag.name == "citation_conference_title":
            got.values.setdefault("type", "paper-conference")
        elif tag.name in ("citation_inbook_title", "citation_book_title"):
            got.values.setdefault("type", "chapter")
        elif tag.name == "citation_dissertation_institution":
            got.values.setdefault("type", "thesis")
        elif tag.name in ("citation_technical_report_institution",
                          "citation_technical_report_number"):
            got.values.setdefault("type", "report")
    if first_page and last_page:
        got.values["page"] = f"{first_page}-{last_page}"
    elif first_page:
        got.values["page"] = first_page
    return got


def _dc_key(name: str) -> str:
    lower = name.strip().lower()
    if lower.startswith("dcterms."):
        lower = "dc." + lower[len("dcterms."):]
    return {"dc.abstract": "dc.description", "dc.issued": "dc.date.issued",
            "dc.created": "dc.date.created"}.get(lower, lower)


_COINS_TYPES = {"article": "article-journal", "journal": "article-journal",
                "book": "book", "bookitem": "chapter", "proceeding": "paper-conference",
                "conference": "paper-conference", "report": "report",
                "blogpost": "post-weblog", "webpage": "webpage", "thesis": "thesis"}


def _read_coins(title: str) -> _Fields:
    """An OpenURL ContextObject in a COinS span (``class="Z3988"``)."""
    got = _empty()
    pairs = parse_qsl(title.replace("&amp;", "&"), keep_blank_values=False)
    first = last = None
    for key, value in pairs:
        field = key[4:] if key.startswith("rft.") else key
        if key == "rft_id":
            if value.lower().startswith(("info:doi/", "https://doi.org/", "http://dx.doi.org/")):
                got.values.setdefault("doi", normalize_doi(value))
            elif value.startswith(("http://", "https://")):
                got.values.setdefault("url", value)
        elif field in ("atitle", "title", "btitle") and "title" not in got.values:
            got.values["title"] = value
        elif field in ("jtitle", "stitle") and key.startswith("rft."):
            got.values.setdefault("container_title" if field == "jtitle"
                                  else "container_title_short", value)
        elif field == "au":
            parsed = name_from_text(value)
            if parsed is not None:
                got.names.setdefault("author", []).append(parsed)
        elif field == "aulast":
            last = value
        elif field == "aufirst":
            first = value
        elif field == "date":
            date = parse_date_text(value)
            if date is not None:
                got.dates["issued"] = date
        elif field in ("volume", "issue", "issn", "isbn", "pages", "language", "publisher"):
            attr = {"pages": "page"}.get(field, field)
            got.values.setdefault(attr, value)
        elif field == "identifier" and value.startswith(("http://", "https://")):
            got.values.setdefault("url", value)
        elif field in ("genre", "type"):
            csl = _COINS_TYPES.get(value.lower())
            if csl:
                got.values.setdefault("type", csl)
        elif field == "subject":
            got.keywords.append(value)
    if "author" not in got.names and last:
        got.names["author"] = [Name(family=last, given=first)]
    return got


_SCHEMA_TYPES = {"scholarlyarticle": "article-journal", "article": "article",
                 "newsarticle": "article-newspaper", "blogposting": "post-weblog",
                 "book": "book", "chapter": "chapter", "dataset": "dataset",
                 "softwaresourcecode": "software", "thesis": "thesis", "report": "report",
                 "webpage": "webpage", "creativework": "document"}


def _schema_name(value: Any) -> Name | None:
    if isinstance(value, str):
        return name_from_text(value)
    if isinstance(value, dict):
        family, given = value.get("familyName"), value.get("givenName")
        if isinstance(family, str) or isinstance(given, str):
            return Name(family=family if isinstance(family, str) else None,
                        given=given if isinstance(given, str) else None)
        if isinstance(value.get("name"), str):
            kind = str(value.get("@type", "")).lower()
            return Name(literal=value["name"]) if kind == "organization" \
                else name_from_text(value["name"])
    return None


def _read_jsonld(text: str) -> _Fields:
    """A schema.org description in a ``<script type="application/ld+json">``
    (the page's ``mainEntity`` when it has one)."""
    got = _empty()
    try:
        data = json.loads(text)
    except ValueError:
        return got
    if isinstance(data, list):
        data = next((d for d in data if isinstance(d, dict)), {})
    if not isinstance(data, dict):
        return got
    if isinstance(data.get("mainEntity"), dict):
        data = data["mainEntity"]
    kind = data.get("@type")
    if isinstance(kind, str) and kind.lower() in _SCHEMA_TYPES:
        got.values["type"] = _SCHEMA_TYPES[kind.lower()]
    for key, attr in (("name", "title"), ("headline", "title"), ("isbn", "isbn"),
                      ("description", "abstract"), ("url", "url"),
                      ("inLanguage", "language"), ("license", "license")):
        if isinstance(data.get(key), str) and data[key].strip():
            got.values.setdefault(attr, data[key])
    publisher = data.get("publisher")
    if isinstance(publisher, dict):
        publisher = publisher.get("name")
    if isinstance(publisher, str):
        got.values["publisher"] = publisher
    authors = data.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        name = _schema_name(author)
        if name is not None:
            got.names.setdefault("author", []).append(name)
    if isinstance(data.get("datePublished"), str):
        date = parse_date_text(data["datePublished"])
        if date is not None:
            got.dates["issued"] = date
    keywords = data.get("keywords")
    if isinstance(keywords, str):
        got.keywords = [k.strip() for k in keywords.split(",") if k.strip()]
    elif isinstance(keywords, list):
        got.keywords = [k for k in keywords if isinstance(k, str)]
    return got


def _merge(sources: Sequence[_Fields], *, id: str) -> Article:
    values: dict[str, Any] = {}
    names: dict[str, list[Name]] = {}
    dates: dict[str, Date] = {}
    keywords: list[str] = []
    extra: dict[str, Any] = {}
    for got in sources:
        for key, value in got.values.items():
            if key.startswith("extra:"):
                extra.setdefault(key[len("extra:"):], value)
            else:
                values.setdefault(key, value)
        for role, role_names in got.names.items():
            names.setdefault(role, role_names)
        for variable, date in got.dates.items():
            dates.setdefault(variable, date)
        keywords = keywords or got.keywords
    if len(keywords) == 1 and ";" in keywords[0] and \
            sum(1 for got in sources if got.keywords) == 1:
        keywords = [k.strip() for k in keywords[0].split(";") if k.strip()]
    values.setdefault("id", values.get("doi") or id)
    values.setdefault("type", "webpage" if "container_title" not in values else
                      "article-journal")
    return Article(**values, names={k: tuple(v) for k, v in names.items()}, dates=dates,
                   keywords=tuple(keywords), extra=extra)


def _records(root: etree._Element) -> list[list[etree._Element]]:
    """The page's meta elements, split at citekit's article markers."""
    records: list[list[etree._Element]] = [[]]
    for node in root.iter(etree.Comment, "meta", "span", "script"):
        if isinstance(node, etree._Comment):
            if (node.text or "").strip().startswith(_MARKER) and records[-1]:
                records.append([])
            continue
        records[-1].append(node)
    return records


def _read_record(nodes: Sequence[etree._Element], root: etree._Element, index: int,
                 source: str | None) -> Article | None:
    citation: list[tuple[str, str]] = []
    dublin: list[tuple[str, str]] = []
    unknown: dict[str, list[str]] = {}
    coins = jsonld = None
    for node in nodes:
        if node.tag == "meta":
            name = (node.get("name") or node.get("property") or "").strip()
            content = node.get("content")
            if not name or content is None:
                continue
            lower = name.lower()
            if lower.startswith("citation_"):
                citation.append((lower, content))
                if lower not in _KNOWN_CITATION:
                    unknown.setdefault(f"html-meta:{name}", []).append(content)
            elif lower.startswith(("dc.", "dcterms.")):
                dublin.append((name, content))
                if _dc_key(name) not in _KNOWN_DC:
                    unknown.setdefault(f"html-meta:{name}", []).append(content)
        elif node.tag == "span" and "Z3988" in (node.get("class") or "").split():
            coins = coins or node.get("title")
        elif node.tag == "script" and (node.get("type") or "").strip().lower() == \
                "application/ld+json":
            jsonld = jsonld or (node.text or "")
    sources = [_read_tags(citation, CITATION_TAGS, str.lower),
               _read_tags(dublin, DC_TAGS, _dc_key)]
    if coins:
        sources.append(_read_coins(coins))
    if jsonld:
        sources.append(_read_jsonld(jsonld))
    if not any(s.values or s.names or s.dates or s.keywords for s in sources):
        page_title = root.findtext(".//title")
        if not page_title or not page_title.strip():
            return None
        warn("the page has no citation_*, DC.*, COinS or JSON-LD metadata; read its "
             "<title> only", source=source)
        sources.append(_Fields({"title": " ".join(page_title.split())}, {}, {}, []))
    article = _merge(sources, id=f"item-{index + 1}")
    if unknown:
        extra = dict(article.extra)
        for key, found in unknown.items():
            extra.setdefault(key, found[0] if len(found) == 1 else tuple(found))
        article = replace(article, extra=extra)
    return article


def parse(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
    """Read an HTML page (or a bare ``<meta>`` block) into Articles."""
    if options:
        raise OptionError(f"html-meta reading takes no option {', '.join(options)}")
    if not text.strip():
        raise ParseError("empty HTML document", source=source, line=1)
    parser = lxml_html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=False,
                                  remove_pis=True, default_doctype=False)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"not an HTML document: {exc}", source=source) from None
    articles = []
    for index, nodes in enumerate(_records(root)):
        try:
            article = _read_record(nodes, root, index, source)
        except ValidationError as exc:
            raise ParseError(f"article {index + 1}: {exc}", source=source) from None
        if article is not None:
            articles.append(article)
    if not articles:
        raise ParseError("the page has no bibliographic metadata (no citation_* or DC.* "
                         "meta tags, COinS span, JSON-LD or title)", source=source)
    return articles


def decode(data: bytes, source: str | None = None) -> str:
    """UTF-8, else the charset the page declares, else Windows-1252 (what browsers
    assume), with a warning."""
    match = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", data[:4096], re.IGNORECASE)
    return decode_text(data, source, declared=match.group(1).decode("ascii") if match else None,
                       legacy=("cp1252", "latin-1"))


def sniff(text: str) -> bool:
    """HTML, or a bare meta block, with ``citation_*`` or ``DC.*`` meta tags or COinS."""
    head = text.lstrip()[:8192]
    if not head.startswith("<") or "rdf:RDF" in head[:2000]:
        return False
    return bool(re.search(r"<meta\s[^>]*name\s*=\s*[\"']?(citation_|dc\.|dcterms\.)", head,
                          re.IGNORECASE)) or "Z3988" in head or bool(
        re.match(r"(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>])", head,
                 re.IGNORECASE | re.DOTALL))


FORMATS = (
    Format(
        name="html-meta",
        aliases=("html", "highwire", "citation-meta"),
        extensions=("html", "htm"),
        media_type="text/html",
        parse=parse,
        dump=dump,
        sniff=sniff,
        decode=decode,
        description="Article page <meta> tags: Highwire citation_* and Dublin Core DC.*",
        keeps=frozenset({"title", "title-short", "container-title", "container-title-short",
                         "collection-title", "volume", "issue", "page", "DOI", "URL",
                         "ISSN", "ISBN", "PMID", "publisher", "abstract", "keyword",
                         "language", "license"}),
    ),
)
