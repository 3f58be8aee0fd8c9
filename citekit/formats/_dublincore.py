"""Simple (unqualified) Dublin Core: the 15 DCMES 1.1 elements, shared by the
flat ``dc`` RDF profile and OAI-PMH ``oai_dc``.

Not a format module: the one mapping table (:data:`DC_ELEMENTS`) between an
:class:`~citekit.model.Article` and a sequence of ``(element, text)`` pairs,
plus the text helpers the Dublin Core readers share (dates and names written
as text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from citekit.model import Article, Date, Name, normalize_doi

__all__ = [
    "DC_ELEMENTS",
    "DC_NAMESPACE",
    "from_dc",
    "name_from_text",
    "name_to_text",
    "parse_date_text",
    "source_text",
    "to_dc",
]

DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"

#: element -> what it carries, in both directions (the documented table).
DC_ELEMENTS: dict[str, str] = {
    "title": "title",
    "creator": "author (one element per name, in order, as 'Family, Given')",
    "subject": "keyword (one element per keyword)",
    "description": "abstract",
    "publisher": "publisher",
    "contributor": "editor, translator and every other name role (role not kept)",
    "date": "issued (ISO 8601 / EDTF)",
    "type": "type (DCMI Type and info:eu-repo/semantics term)",
    "format": "read into extra['dc:format']",
    "identifier": "DOI (https://doi.org/...), URL, ISBN (urn:isbn:...)",
    "source": "container-title; Vol. volume No. issue (year); page -- and ISSN (urn:ISSN:...)",
    "language": "language",
    "relation": "read into extra['dc:relation']",
    "coverage": "read into extra['dc:coverage']",
    "rights": "license",
}

#: CSL type -> (DCMI Type, info:eu-repo/semantics term).
TYPE_TERMS: dict[str, tuple[str, str]] = {
    "article": ("Text", "preprint"),
    "article-journal": ("Text", "article"),
    "article-magazine": ("Text", "contributionToPeriodical"),
    "article-newspaper": ("Text", "contributionToPeriodical"),
    "book": ("Text", "book"),
    "chapter": ("Text", "bookPart"),
    "paper-conference": ("Text", "conferenceObject"),
    "thesis": ("Text", "doctoralThesis"),
    "report": ("Text", "report"),
    "patent": ("Text", "patent"),
    "review": ("Text", "review"),
    "review-book": ("Text", "review"),
    "speech": ("Text", "lecture"),
    "dataset": ("Dataset", "other"),
    "software": ("Software", "other"),
    "graphic": ("StillImage", "other"),
    "figure": ("StillImage", "other"),
    "map": ("Image", "other"),
    "motion_picture": ("MovingImage", "other"),
    "broadcast": ("MovingImage", "other"),
    "song": ("Sound", "other"),
    "event": ("Event", "other"),
    "webpage": ("InteractiveResource", "other"),
}
EU_REPO = "info:eu-repo/semantics/"

#: Words found in dc:type (lower case) -> CSL type; the eu-repo terms first.
TYPE_WORDS: dict[str, str] = {
    "article": "article-journal",
    "journal article": "article-journal",
    "journalarticle": "article-journal",
    "peer-reviewed article": "article-journal",
    "preprint": "article",
    "contributiontoperiodical": "article-magazine",
    "book": "book",
    "bookpart": "chapter",
    "book chapter": "chapter",
    "chapter": "chapter",
    "conferenceobject": "paper-conference",
    "conference paper": "paper-conference",
    "doctoralthesis": "thesis",
    "masterthesis": "thesis",
    "bachelorthesis": "thesis",
    "thesis": "thesis",
    "report": "report",
    "workingpaper": "report",
    "technical report": "report",
    "patent": "patent",
    "review": "review",
    "lecture": "speech",
    "dataset": "dataset",
    "software": "software",
    "stillimage": "graphic",
    "image": "graphic",
    "movingimage": "motion_picture",
    "sound": "song",
    "event": "event",
    "interactiveresource": "webpage",
    "text": "document",
}

_SUFFIX = re.compile(r"^(Jr|Sr|Jnr|Snr|I{1,3}|IV|VI{0,3}|IX|X)\.?$", re.IGNORECASE)
_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")
_SOURCE = re.compile(
    r"^(?P<title>.*?)"
    r"(?:; Vol\. (?P<volume>[^;]*?))?"
    r"(?:;? No\. (?P<issue>[^;]*?))?"
    r"(?: \((?P<year>-?\d{1,4})\))?"
    r"(?:; (?P<page>[^;]*))?$"
)


def parse_date_text(text: str) -> Date | None:
    """A date written as text (see ``Date.from_text``; Highwire's ``2019/03/14`` too).
    Returns ``Date(raw=text)`` for other text, None for blank text."""
    text = text.strip()
    if not text:
        return None
    return Date.from_text(text) or Date(raw=text)


def date_to_text(date: Date) -> str:
    """The ISO 8601 / EDTF text of a date (its literal or raw text when it has no parts)."""
    return date.to_edtf() or date.literal or date.raw or ""


def name_to_text(name: Name) -> str:
    """``Family, Given`` (particles with their parts, suffix after a comma); a literal as is."""
    if name.literal is not None:
        return name.literal
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    if not family:
        return " ".join(p for p in (given, name.suffix) if p)
    text = f"{family}, {given}" if given else family
    if name.suffix:
        text += f", {name.suffix}"
    return text


def name_from_text(text: str) -> Name | None:
    """Read a name written as text: ``Family, Given[, Suffix]``, or ``Given Family``
    (the last word is the family name), or a single word as a literal name."""
    text = " ".join(text.split())
    if not text:
        return None
    if "," in text:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) > 2 and not _SUFFIX.match(parts[2]) and " " in parts[0]:
            # "Given Family, Affiliation, ...": a name followed by where the person works
            name = name_from_text(parts[0])
            if name is not None:
                affiliation = [p for p in parts[1:] if p]
                return replace(name, extra={"affiliation": affiliation})
        family, given = parts[0], parts[1] if len(parts) > 1 else None
        suffix = ", ".join(p for p in parts[2:] if p) or None
        if family:
            return Name(family=family, given=given or None, suffix=suffix)
        return Name(literal=text)
    words = text.split(" ")
    if len(words) == 1:
        return Name(literal=text)
    return Name(family=words[-1], given=" ".join(words[:-1]))


def source_text(article: Article) -> str | None:
    """The ``dc:source`` citation of the container, in the form Open Journal Systems
    writes: ``Journal; Vol. 5 No. 20 (2019); 47-60``."""
    if article.container_title is None:
        return None
    text = article.container_title
    if article.volume:
        text += f"; Vol. {article.volume}"
    if article.issue:
        text += f"{'' if article.volume else ';'} No. {article.issue}"
    if article.issued is not None and article.issued.year is not None \
            and (article.volume or article.issue):
        text += f" ({article.issued.year})"
    if article.page:
        text += f"; {article.page}"
    return text


def to_dc(article: Article) -> list[tuple[str, str]]:
    """The ``(element, text)`` pairs of the simple Dublin Core record of ``article``."""
    out: list[tuple[str, str]] = []
    if article.title:
        out.append(("title", article.title))
    for name in article.names.get("author", ()):
        out.append(("creator", name_to_text(name)))
    for keyword in article.keywords:
        out.append(("subject", keyword))
    if article.abstract:
        out.append(("description", article.abstract))
    if article.publisher:
        out.append(("publisher", article.publisher))
    for role, names in article.names.items():
        if role != "author":
            out.extend(("contributor", name_to_text(n)) for n in names)
    if article.issued is not None and date_to_text(article.issued):
        out.append(("date", date_to_text(article.issued)))
    dcmi, eurepo = TYPE_TERMS.get(article.type, ("Text", "other"))
    out.append(("type", dcmi))
    out.append(("type", EU_REPO + eurepo))
    if article.doi:
        out.append(("identifier", "https://doi.org/" + article.doi))
    if article.url:
        out.append(("identifier", article.url))
    if article.isbn:
        out.append(("identifier", "urn:isbn:" + article.isbn))
    source = source_text(article)
    if source:
        out.append(("source", source))
    if article.issn:
        out.extend(("source", "urn:ISSN:" + issn.strip()) for issn in article.issn.split(",")
                   if issn.strip())
    if article.language:
        out.append(("language", article.language))
    if article.license:
        out.append(("rights", article.license))
    return out


def _csl_type(values: Sequence[str]) -> str:
    found: list[str] = []
    for value in values:
        word = value.strip()
        if word.lower().startswith(EU_REPO.lower()):
            word = word[len(EU_REPO):]
        key = word.lower()
        if key in TYPE_WORDS:
            found.append(TYPE_WORDS[key])
    specific = [t for t in found if t != "document"]
    if specific:
        return specific[0]
    return found[0] if found else "article-journal"


def from_dc(pairs: Iterable[tuple[str, str]], *, id: str = "") -> tuple[Article, list[str]]:
    """Build an Article from ``(element, text)`` pairs; also return the names of
    elements that were not DCMES 1.1 elements (kept in ``extra`` as ``dc:<name>``)."""
    values: dict[str, Any] = {"id": id}
    grouped: dict[str, list[str]] = {}
    unknown: list[str] = []
    for element, text in pairs:
        if not text.strip():
            continue
        if element not in DC_ELEMENTS and element not in unknown:
            unknown.append(element)
        grouped.setdefault(element, []).append(text)
    take = grouped.get
    if take("title"):
        values["title"] = take("title")[0]  # type: ignore[index]
    names: dict[str, list[Name]] = {}
    for role, element in (("author", "creator"), ("contributor", "contributor")):
        for text in grouped.get(element, []):
            name = name_from_text(text)
            if name is not None:
                names.setdefault(role, []).append(name)
    values["names"] = {k: tuple(v) for k, v in names.items()}
    values["keywords"] = tuple(grouped.get("subject", []))
    descriptions = grouped.get("description", [])
    if descriptions:
        values["abstract"] = descriptions[0]
    if take("publisher"):
        values["publisher"] = take("publisher")[0]  # type: ignore[index]
    dates = grouped.get("date", [])
    if dates:
        date = parse_date_text(dates[0])
        if date is not None:
            values["dates"] = {"issued": date}
    values["type"] = _csl_type(grouped.get("type", []))
    extra: dict[str, Any] = {}
    for text in grouped.get("identifier", []):
        lower = text.lower()
        if re.match(r"^(https?://(dx\.)?doi\.org/|doi:|info:doi/|10\.\d{4,}/)", lower):
            values.setdefault("doi", normalize_doi(text))
        elif lower.startswith("urn:isbn:"):
            values.setdefault("isbn", text[9:])
        elif re.match(r"^[a-z][a-z0-9+.-]*://", lower) and "url" not in values:
            values["url"] = text
        else:
            extra.setdefault("dc:identifier", []).append(text)
    issns: list[str] = []
    for text in grouped.get("source", []):
        bare = text[9:] if text.lower().startswith("urn:issn:") else text
        if _ISSN.match(bare):
            issns.append(bare)
        elif "container_title" not in values:
            match = _SOURCE.match(text)
            assert match is not None  # the pattern matches any text
            values["container_title"] = match.group("title") or text
            for group in ("volume", "issue", "page"):
                if match.group(group):
                    values[group] = match.group(group)
        else:
            extra.setdefault("dc:source", []).append(text)
    if issns:
        values["issn"] = ", ".join(issns)
    if take("language"):
        values["language"] = take("language")[0]  # type: ignore[index]
    if take("rights"):
        values["license"] = take("rights")[0]  # type: ignore[index]
    for element in ("format", "relation", "coverage", *unknown):
        if element in grouped:
            extra.setdefault(f"dc:{element}", []).extend(grouped[element])
    for element, label in (("description", "dc:description"), ("title", "dc:title"),
                           ("language", "dc:language"), ("rights", "dc:rights"),
                           ("publisher", "dc:publisher"), ("date", "dc:date")):
        rest = grouped.get(element, [])[1:]
        if rest:
            extra.setdefault(label, []).extend(rest)
    values["extra"] = {k: v[0] if len(v) == 1 else tuple(v) for k, v in extra.items()}
    return Article(**values), unknown
