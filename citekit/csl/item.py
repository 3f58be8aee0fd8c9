"""The item a style renders: citekit's adapter from :class:`~citekit.model.Article`.

citeproc-py's own sources lower-case item ids and keep only the variables it
knows; CSL item ids are case-sensitive (CSL 1.0.2, "Data Model"), and a style
may test any variable. :class:`Item` keeps the id as given and exposes every
CSL variable of the article: string and number variables as their CSL
rich-text strings, names as :class:`NameData`, dates as :class:`DateValue`.

Input normalisation done here, as the reference processor does it:

* ``shortTitle`` and ``journalAbbreviation`` (Zotero's legacy keys) fill
  ``title-short`` and ``container-title-short`` when those are absent;
* ``page-first`` is derived from ``page``;
* personal names get their particles parsed out of the family and given
  parts when none are given explicitly (:func:`parse_particles`), a given name
  written ``"John, Jr."`` yields the suffix, and a family name written in
  double quotes is kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from citekit.model import Article, Date, Name

__all__ = ["DateValue", "Item", "NameData", "parse_particles"]


@dataclass
class NameData:
    """One name as the renderer sees it."""

    family: str | None = None
    given: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None
    literal: str | None = None
    comma_suffix: bool = False
    static_ordering: bool = False
    comma_dropping_particle: str = ""
    #: the name's parts as the item gave them, before particles were parsed out,
    #: joined (non-dropping particle, family, given, dropping particle, suffix,
    #: literal): what subsequent-author-substitute compares, as the reference
    #: processor does ("van Gogh, Vincent" is not "Gogh, Vincent, van")
    entered: str | None = None

    @property
    def is_institution(self) -> bool:
        return self.literal is not None

    def key(self) -> tuple[str | None, ...]:
        """Identity of the name (for comparing names across items)."""
        return (self.family, self.given, self.dropping_particle, self.non_dropping_particle,
                self.suffix, self.literal)


@dataclass
class DateValue:
    """A date variable: parts (start and optional end), or a literal."""

    #: (year, month, day) of the start; month 13-16 are the seasons; 0 = absent.
    start: tuple[int, int, int] | None = None
    end: tuple[int, int, int] | None = None
    season: str | None = None
    circa: bool = False
    literal: str | None = None

    @property
    def year(self) -> int:
        return self.start[0] if self.start else 0


_PARTICLE_WORD = re.compile(r"^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")
# (matched on the reversed given name: an apostrophe counts only with a space,
# "Shun'ichi" has no particle)
_GIVEN_PARTICLE_WORD = re.compile(r"^([^ ]+(?:\u02bb |\u2019 | |' ) *)(.+)$")
_PARTICLE_LEAD = re.compile(r"^[-'\u02bb\u2019\s]*(.).*$", re.S)


def _split_particles(value: str, given: bool) -> tuple[str, list[str]]:
    """Split lower-case particles off the start of a family name (``given`` False)
    or the end of a given name (``given`` True)."""
    original = value
    work = value[::-1] if given else value
    rex = _GIVEN_PARTICLE_WORD if given else _PARTICLE_WORD
    particles: list[str] = []
    match = rex.match(work)
    while match:
        piece = match.group(1)[::-1] if given else match.group(1)
        lead = _PARTICLE_LEAD.match(piece)
        first = lead.group(1) if lead else ""
        if not first or first.upper() == first:
            break
        if given:
            particles.append(original[-len(piece):])
            original = original[:-len(piece)]
        else:
            particles.append(original[:len(piece)])
            original = original[len(piece):]
        work = match.group(2)
        match = rex.match(work)
    if given:
        rest = work[::-1]
        particles.reverse()
        for i in range(1, len(particles)):
            if particles[i].startswith(" "):
                particles[i - 1] += " "
        particles = [p[1:] if p.startswith(" ") else p for p in particles]
        return original[:len(rest)], particles
    return original[len(original) - len(work):], particles


def _trim_last(text: str) -> str:
    last = text[-1:]
    text = text.strip()
    if last == " " and text[-1:] in ("'", "\u2019"):
        text += " "
    return text


def parse_particles(name: NameData) -> None:
    """Parse particles and a comma suffix out of a personal name, in place.

    Lower-case words before the family name become the non-dropping particle
    ("van" of "van Gogh"), lower-case words after the given name the dropping
    particle, and text after a comma in the given name the suffix ("Jr.");
    ``"John,! Jr."`` marks a suffix that keeps its comma.
    """
    if name.family:
        family, particles = _split_particles(name.family, given=False)
        name.family = family
        joined = _trim_last("".join(particles))
        if joined:
            name.non_dropping_particle = joined
    if not name.suffix and name.given:
        match = re.search(r"(\s*,!*\s*)", name.given)
        if match:
            index = match.start(1)
            possible = name.given[index + len(match.group(1)):]
            comma = re.sub(r"\s*", "", match.group(1))
            if possible.replace(".", "") == "et al" and not name.dropping_particle:
                name.dropping_particle = possible
                name.comma_dropping_particle = ","
            else:
                if len(comma) == 2:
                    name.comma_suffix = True
                name.suffix = possible
            name.given = name.given[:index]
    if name.given:
        given, particles = _split_particles(name.given, given=True)
        name.given = given
        joined = "".join(particles).strip()
        if joined:
            name.dropping_particle = joined


def _entered(data: NameData) -> str:
    return "".join(p for p in (data.non_dropping_particle, data.family, data.given,
                               data.dropping_particle, data.suffix, data.literal) if p)


def _name_data(name: Name) -> NameData:
    data = NameData(name.family, name.given, name.dropping_particle, name.non_dropping_particle,
                    name.suffix, name.literal, name.comma_suffix, name.static_ordering)
    data.entered = _entered(data)
    if data.literal is not None:
        return data
    if name.parse_names is False:
        return data
    family = data.family
    if family and len(family) > 1 and family.startswith('"') and family.endswith('"'):
        data.family = family[1:-1]
        return data
    if family and data.given and not data.non_dropping_particle:
        parse_particles(data)
    return data


def _date_value(date: Any) -> DateValue:
    value = DateValue(circa=bool(date.circa), literal=date.literal)
    if date.start is not None:
        s = date.start
        value.start = (s.year, s.month or 0, s.day or 0)
        if date.end is not None:
            e = date.end
            value.end = (e.year, e.month or 0, e.day or 0)
    elif date.literal is None and date.raw:
        value.literal = date.raw
    if date.season is not None:
        season = date.season
        if isinstance(season, int) or (isinstance(season, str) and season.isdigit()):
            number = int(season)
            if 1 <= number <= 4:
                number += 12
            elif 21 <= number <= 24:
                number -= 8
            if value.start and not value.start[1] and 13 <= number <= 16:
                value.start = (value.start[0], number, 0)
            else:
                value.season = str(season)
        else:
            value.season = str(season)
    if value.start and 21 <= value.start[1] <= 24:
        value.start = (value.start[0], value.start[1] - 8, 0)
    if value.end and 21 <= value.end[1] <= 24:
        value.end = (value.end[0], value.end[1] - 8, 0)
    return value


_FIELD_ATTRS = (
    ("title", "title"), ("title_short", "title-short"), ("original_title", "original-title"),
    ("container_title", "container-title"), ("container_title_short", "container-title-short"),
    ("collection_title", "collection-title"), ("collection_number", "collection-number"),
    ("volume", "volume"), ("issue", "issue"), ("page", "page"), ("number", "number"),
    ("edition", "edition"), ("doi", "DOI"), ("url", "URL"), ("issn", "ISSN"),
    ("isbn", "ISBN"), ("pmid", "PMID"), ("pmcid", "PMCID"), ("publisher", "publisher"),
    ("publisher_place", "publisher-place"), ("abstract", "abstract"), ("language", "language"),
    ("license", "license"), ("note", "note"),
)
_LEGACY = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}
_PAGE_SPLIT = re.compile(r"\s*(?:&|, |-|\u2013)\s*")


@dataclass
class Item:
    """A CSL item ready to render."""

    id: str
    type: str
    vars: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[NameData]] = field(default_factory=dict)
    dates: dict[str, DateValue] = field(default_factory=dict)
    article: Article | None = None

    @classmethod
    def from_article(cls, article: Article) -> Item:
        variables: dict[str, str] = {}
        for attr, var in _FIELD_ATTRS:
            value = getattr(article, attr)
            if value is not None:
                variables[var] = value
        if article.keywords:
            variables["keyword"] = ", ".join(article.keywords)
        for key, value in article.extra.items():
            if ":" in key or key in variables:
                continue
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, (str, int, float)):
                text = str(value)
                if isinstance(value, float) and value.is_integer():
                    text = str(int(value))
                if key in _LEGACY:
                    variables.setdefault(_LEGACY[key], text)
                else:
                    variables[key] = text
        for var in [k for k, v in variables.items() if v == ""]:
            del variables[var]
        page = variables.get("page")
        if page and "page-first" not in variables:
            first = _PAGE_SPLIT.split(page)[0]
            variables["page-first"] = page if first.endswith("\\") else first
        names = {role: [_name_data(n) for n in people]
                 for role, people in article.names.items() if people}
        dates = {var: _date_value(d) for var, d in article.dates.items()}
        item = cls(article.id, article.type, variables, names, dates, article)
        if "note" in variables:
            read_note_fields(item)
        return item

    def has(self, variable: str) -> bool:
        """True when the item has a non-empty value for ``variable``."""
        return variable in self.vars or variable in self.names or variable in self.dates


# -- fields written in the note ("note field hacks") ------------------------------------

DATE_VARIABLES = frozenset({
    "accessed", "available-date", "event-date", "issued", "original-date", "submitted",
    "container", "locator-date", "publication-date"})
NAME_VARIABLES = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "editor-translator",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
    "organizer", "original-author", "performer", "producer", "recipient", "reviewed-author",
    "script-writer", "series-creator", "translator"})
_NOTE_INLINE = re.compile(r"\{:(?:[-_a-z]+|[A-Z]+):[^}]+\}")
_NOTE_LINE = re.compile(r"^([-_a-z]+|[A-Z]+):\s*([^}]+)$")


def read_note_fields(item: Item) -> None:
    """Read CSL variables written in the item's note, in place, as CSL processors
    do: ``key: value`` lines at the start of the note (and ``{:key:value}``
    anywhere on those lines) fill variables the item lacks (dates are parsed,
    names are ``family || given`` or a literal, ``type`` replaces the type);
    the lines read leave the note."""

    lines = item.vars["note"].split("\n")
    for i, line in enumerate(lines):
        found = _NOTE_INLINE.findall(line)
        if not found:
            continue
        pieces = _NOTE_INLINE.split(line)
        out = [pieces[0]]
        for j, field_text in enumerate(found):
            before = pieces[j]
            if before.strip() and (i > 0 or j > 0) and not _NOTE_LINE.match(before):
                out.extend([field_text, pieces[j + 1]])
                continue
            out.extend(["\n" + field_text[2:-1].strip() + "\n", pieces[j + 1]])
        lines[i] = "".join(out)
    lines = "\n".join(lines).split("\n")
    names: dict[str, list[NameData]] = {}
    for i, line in enumerate(lines):
        match = _NOTE_LINE.match(line)
        if not line.strip():
            continue
        if not match:
            if i == 0:
                continue
            break
        key, value = match.group(1), match.group(2).strip()
        base = key[4:] if key.startswith("alt-") else key
        if key == "type":
            item.type = value
            lines[i] = ""
        elif base in DATE_VARIABLES:
            if key not in item.dates:
                date = Date.from_text(value)
                if date is not None:
                    item.dates[key] = _date_value(date)
                lines[i] = ""
        elif not item.has(key):
            if base in NAME_VARIABLES:
                parts = re.split(r"\s*\|\|\s*", value)
                if len(parts) == 1:
                    names.setdefault(key, []).append(NameData(None, None, literal=parts[0]))
                elif len(parts) == 2:
                    name = NameData(parts[0], parts[1])
                    name.entered = _entered(name)
                    parse_particles(name)
                    names.setdefault(key, []).append(name)
            else:
                item.vars[key] = value
            lines[i] = ""
    item.names.update(names)
    note = "\n".join(lines).strip()
    if note:
        item.vars["note"] = note
    else:
        del item.vars["note"]
