"""The canonical record: :class:`Article` and the values it is made of.

Every format module reads text into these classes and writes them back out; the
renderer reads nothing else. The classes are small, typed and immutable
(``frozen`` dataclasses that compare and hash by value), and they follow the
CSL 1.0.2 data model: an :class:`Article` is a CSL item.

Text fields hold *CSL rich text*: plain Unicode that may carry the small markup
subset CSL processors understand (``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
``<span style="font-variant:small-caps;">`` and ``<span class="nocase">`` for
words whose case a style must not change).
"""

from __future__ import annotations

import re
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, Union
from urllib.parse import unquote

from citekit.errors import ValidationError

__all__ = [
    "CSL_TYPES",
    "DATE_VARIABLES",
    "NAME_VARIABLES",
    "Article",
    "Date",
    "DatePart",
    "FrozenMap",
    "JSONValue",
    "Name",
    "freeze",
    "normalize_doi",
    "thaw",
]

#: A JSON value as stored in :attr:`Article.extra` (lists become tuples and
#: objects become :class:`FrozenMap` so that the record stays immutable).
JSONValue = Union[str, int, float, bool, None, tuple["JSONValue", ...], "FrozenMap[str, Any]"]

#: The CSL 1.0.2 item types.
CSL_TYPES: frozenset[str] = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
    graphic hearing interview legal_case legislation manuscript map motion_picture musical_score
    pamphlet paper-conference patent performance periodical personal_communication post
    post-weblog regulation report review review-book software song speech standard thesis treaty
    webpage""".split()
)

#: The CSL 1.0.2 name variables (roles), in the order the specification lists them.
NAME_VARIABLES: tuple[str, ...] = tuple(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host
    illustrator interviewer narrator organizer original-author performer producer recipient
    reviewed-author script-writer series-creator translator""".split()
)

#: The CSL 1.0.2 date variables.
DATE_VARIABLES: tuple[str, ...] = (
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
)

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """An immutable, hashable mapping that keeps insertion order.

    Equality follows :class:`dict` (order does not matter); the hash is
    computed from the items, so every value must itself be hashable
    (use :func:`freeze` on JSON data).
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    # The dict's own views and lookups: the Mapping mixins would go through
    # __getitem__ key by key, in Python.
    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: K, default: Any = None) -> Any:
        return self._data.get(key, default)

    def keys(self) -> KeysView[K]:
        return self._data.keys()

    def items(self) -> ItemsView[K, V]:
        return self._data.items()

    def values(self) -> ValuesView[V]:
        return self._data.values()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        """Return a copy with ``key`` set to ``value``."""
        data = dict(self._data)
        data[key] = value
        return FrozenMap(data)

    def remove(self, *keys: K) -> FrozenMap[K, V]:
        """Return a copy without ``keys`` (missing keys are ignored)."""
        return FrozenMap((k, v) for k, v in self._data.items() if k not in keys)


def freeze(value: Any) -> Any:
    """Turn JSON data (lists, dicts, scalars) into its immutable form."""
    if type(value) is str:  # the common case, without the Mapping check
        return value
    if isinstance(value, Mapping):
        return FrozenMap((str(k), freeze(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Inverse of :func:`freeze`: plain lists and dicts, ready for :mod:`json`."""
    if type(value) is str:  # the common case, without the Mapping check
        return value
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


_DOI_PREFIX = re.compile(
    r"^\s*(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*|info:doi/|urn:doi:)", re.IGNORECASE
)


def normalize_doi(doi: str) -> str:
    """Return the bare DOI (``10.xxxx/...``) for any common way of writing one.

    Accepts ``https://doi.org/10.1/x``, ``http://dx.doi.org/10.1/x``, ``doi:10.1/x``,
    ``info:doi/10.1/x`` and ``urn:doi:10.1/x``; percent-escapes in the URL forms are
    decoded. The DOI's own case is kept (DOIs compare case-insensitively, but the
    registrant's spelling is what users expect to see).
    """
    text = doi.strip()
    match = _DOI_PREFIX.match(text)
    if match:
        rest = text[match.end() :]
        if "%" in rest:
            rest = unquote(rest)
        text = rest.strip()
    return text


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


#: The text parts of a :class:`Name`.
NAME_PARTS: tuple[str, ...] = ("family", "given", "dropping_particle", "non_dropping_particle",
                               "suffix", "literal")
_NAME_RESERVED = frozenset({"family", "given", "dropping-particle", "non-dropping-particle",
                            "suffix", "literal", "comma-suffix", "static-ordering",
                            "parse-names"})


@dataclass(frozen=True)
class Name:
    """A personal or institutional name, as CSL models it.

    A person has ``family`` and ``given`` parts with optional particles
    (``dropping_particle`` such as the "de" of "Jean de La Fontaine" when sorted
    under "La Fontaine"; ``non_dropping_particle`` such as the "van" of
    "Vincent van Gogh" which stays with the family name) and a ``suffix``
    ("Jr.", "III"). An organisation, or any name that must not be split, is a
    ``literal``. ``extra`` keeps name properties citekit does not model
    (Crossref's ``affiliation`` or ``ORCID``, for example).
    """

    family: str | None = None
    given: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None
    literal: str | None = None
    comma_suffix: bool = False
    static_ordering: bool = False
    parse_names: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        has_part = False
        for f in NAME_PARTS:
            value = getattr(self, f)
            if value is None:
                continue
            if value == "":
                object.__setattr__(self, f, None)
            elif not isinstance(value, str):
                raise ValidationError(f"name.{f}", f"expected a string, got {value!r}")
            else:
                has_part = True
        if not has_part:
            raise ValidationError("name", "a name needs at least one part "
                                  "(family, given, a particle, a suffix or a literal)")
        if not isinstance(self.extra, FrozenMap):
            object.__setattr__(self, "extra", freeze(self.extra))
        if self.extra and not _NAME_RESERVED.isdisjoint(self.extra):
            clash = set(self.extra) & _NAME_RESERVED
            raise ValidationError("name.extra", f"{', '.join(sorted(clash))} must be given "
                                  "as name parts, not in extra")

    @property
    def is_literal(self) -> bool:
        """True for a name that is a single unsplittable string (an organisation)."""
        return self.literal is not None

    def __str__(self) -> str:
        if self.literal is not None:
            return self.literal
        family = " ".join(p for p in (self.non_dropping_particle, self.family) if p)
        given = " ".join(p for p in (self.given, self.dropping_particle) if p)
        text = " ".join(p for p in (given, family) if p)
        if self.suffix:
            text += (", " if self.comma_suffix else " ") + self.suffix
        return text


@dataclass(frozen=True, order=True)
class DatePart:
    """One point in time: a year with an optional month and day.

    ``month`` may also carry a season code as CSL processors use them
    (13-16, or 21-24 in EDTF); ``year`` may be zero or negative (1 BC is 0).
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        for f in ("year", "month", "day"):
            value = getattr(self, f)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValidationError(f"date.{f}", f"expected an integer, got {value!r}")
        if self.day is not None and self.month is None:
            raise ValidationError("date.day", "a day needs a month")
        if self.month is not None and not (1 <= self.month <= 16 or 21 <= self.month <= 24):
            raise ValidationError("date.month", "expected 1-12 (or a season: 13-16, 21-24), "
                                  f"got {self.month}")
        if self.day is not None:
            assert self.month is not None
            if self.month > 12:
                raise ValidationError("date.day", "a season has no day")
            last = _days_in_month(self.year, self.month)
            if not 1 <= self.day <= last:
                raise ValidationError("date.day", f"expected 1-{last}, got {self.day}")

    def as_tuple(self) -> tuple[int, ...]:
        """The CSL ``date-parts`` array for this point: ``(year[, month[, day]])``."""
        return tuple(p for p in (self.year, self.month, self.day) if p is not None)

    def isoformat(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (EDTF level 0; negative years signed)."""
        year = f"-{-self.year:04d}" if self.year < 0 else f"{self.year:04d}"
        parts = [year]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


_EDTF_POINT = re.compile(r"^(-?\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%]?)$")
_ISO_DATETIME = re.compile(r"^(-?\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                           r"(Z|[+-]\d{2}:?\d{2})?$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}


@dataclass(frozen=True)
class Date:
    """A CSL date: a single point or a range, possibly approximate, or a literal.

    * ``start`` and ``end``: the parts (``end`` only for ranges);
    * ``season``: a season given apart from the parts (a number 1-4 or a word);
    * ``circa``: the date is approximate;
    * ``literal``: text to print as-is when the date has no structure
      ("Spring 1997 (est.)");
    * ``raw``: the unparsed string a source gave, kept so it can be written back.
    """

    start: DatePart | None = None
    end: DatePart | None = None
    season: int | str | None = None
    circa: bool = False
    literal: str | None = None
    raw: str | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.start is None:
            raise ValidationError("date.end", "a date range needs a start")
        if self.start is None and self.literal is None and self.raw is None:
            raise ValidationError("date", "a date needs parts, a literal or a raw string")

    @property
    def year(self) -> int | None:
        """The (first) year, or None for a literal date."""
        return self.start.year if self.start else None

    @property
    def is_range(self) -> bool:
        """True when the date has an end."""
        return self.end is not None

    @classmethod
    def from_parts(cls, *parts: int, circa: bool = False) -> Date:
        """``Date.from_parts(2019, 3, 14)``: a single date from its numbers."""
        if not 1 <= len(parts) <= 3:
            raise ValidationError("date", "expected year[, month[, day]]")
        return cls(start=DatePart(*parts), circa=circa)

    @classmethod
    def from_edtf(cls, text: str) -> Date | None:
        """Parse an EDTF string (level 0 and the common level-1 forms).

        ``1994``, ``2019-03``, ``2019-03-14``, ranges ``2019-03/2019-05``, and the
        qualifiers ``~`` (approximate: ``circa``), ``?`` and ``%`` (uncertain,
        read as ``circa`` too, as citeproc-js does). Open ranges (``2019/..``)
        keep their start. Returns None when the text is not EDTF.
        """
        text = text.strip()
        if not text:
            return None
        pieces = text.split("/")
        if len(pieces) > 2:
            return None
        points: list[DatePart | None] = []
        circa = False
        for piece in pieces:
            if piece in ("", ".."):
                points.append(None)
                continue
            match = _EDTF_POINT.match(piece)
            if not match:
                return None
            year, month, day, qualifier = match.groups()
            if month and 13 <= int(month) <= 20:
                return None  # not a month, nor an EDTF season (21-24)
            try:
                points.append(DatePart(int(year), int(month) if month else None,
                                       int(day) if day else None))
            except ValidationError:
                return None
            circa = circa or bool(qualifier)
        start = points[0]
        end = points[1] if len(points) == 2 else None
        if start is None:
            return None
        return cls(start=start, end=end, circa=circa)

    @classmethod
    def from_text(cls, text: str) -> Date | None:
        """Read a date written as text, as metadata sources write them.

        EDTF (``2019-03-14``, ``2019-03/2019-05``, ``1994~``), an ISO 8601
        date-time (its date kept), ``14 March 2019``, ``March 14, 2019``,
        ``March 2019``, ``Mar. 2019`` and ``2019/3/14`` (Highwire's form). Returns
        None when the text is none of those, or names an impossible date.
        """
        text = text.strip()
        slashed = re.fullmatch(r"(\d{4})/(\d{1,2})(?:/(\d{1,2}))?", text)
        if slashed:  # 2019/3 is March 2019, not an EDTF interval ending in the year 3
            if int(slashed.group(2)) > 12:
                return None
            try:
                return cls(start=DatePart(*(int(p) for p in slashed.groups() if p)))
            except ValidationError:
                return None
        match = _ISO_DATETIME.match(text)
        edtf = cls.from_edtf(match.group(1) if match else text)
        if edtf is not None:
            return edtf
        year = month = day = None
        for token in re.sub(r"[.,]", " ", text.lower()).split():
            if token[:3] in _MONTHS and token.isalpha():
                month = _MONTHS[token[:3]]
            elif re.fullmatch(r"\d{3,4}", token):
                year = int(token)
            elif re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", token):
                day = int(re.sub(r"\D", "", token))
            elif re.fullmatch(r"\d{4}/\d{1,2}(/\d{1,2})?", token):
                numbers = [int(n) for n in token.split("/")]
                year, month = numbers[0], numbers[1]
                day = numbers[2] if len(numbers) > 2 else None
            else:
                return None
        if year is None or (day is not None and month is None):
            return None
        try:
            return cls(start=DatePart(year, month, day))
        except ValidationError:
            return None

    def to_edtf(self) -> str | None:
        """The EDTF form of a structured date, or None for a literal date."""
        if self.start is None:
            return None
        mark = "~" if self.circa else ""
        text = self.start.isoformat() + mark
        if self.end is not None:
            text += "/" + self.end.isoformat() + mark
        return text

    def __str__(self) -> str:
        return self.to_edtf() or self.literal or self.raw or ""


_NAME_ROLES = frozenset(NAME_VARIABLES)
_DATE_NAMES = frozenset(DATE_VARIABLES)


def _check_names(value: FrozenMap[str, Any]) -> None:
    """What :func:`_freeze_names` checks, for names that are frozen already."""
    for role, names in value.items():
        if role not in _NAME_ROLES or not all(isinstance(n, Name) for n in names):
            _freeze_names({role: names})  # raises the error


def _check_dates(value: FrozenMap[str, Any]) -> None:
    """What :func:`_freeze_dates` checks, for dates that are frozen already."""
    for var, date in value.items():
        if var not in _DATE_NAMES or not isinstance(date, Date):
            _freeze_dates({var: date})  # raises the error


def _freeze_names(value: Any) -> FrozenMap[str, tuple[Name, ...]]:
    result = {}
    for role, names in dict(value).items():
        if role not in _NAME_ROLES:
            raise ValidationError(f"names.{role}", "not a CSL name variable "
                                  f"(expected one of {', '.join(NAME_VARIABLES)})")
        names = tuple(names)
        for name in names:
            if not isinstance(name, Name):
                raise ValidationError(role, f"expected Name objects, got {name!r}")
        if names:
            result[role] = names
    return FrozenMap(result)


def _freeze_dates(value: Any) -> FrozenMap[str, Date]:
    result = {}
    for var, date in dict(value).items():
        if var not in _DATE_NAMES:
            raise ValidationError(f"dates.{var}", "not a CSL date variable "
                                  f"(expected one of {', '.join(DATE_VARIABLES)})")
        if not isinstance(date, Date):
            raise ValidationError(var, f"expected a Date, got {date!r}")
        result[var] = date
    return FrozenMap(result)


@dataclass(frozen=True, kw_only=True)
class Article:
    """One bibliographic record: a CSL 1.0.2 item.

    Names live in :attr:`names` (CSL role -> tuple of :class:`Name`) and dates in
    :attr:`dates` (CSL date variable -> :class:`Date`); ``article.author``,
    ``article.editor``, ``article.translator``, ``article.issued`` and
    ``article.accessed`` are shortcuts into them. Every CSL variable without a
    field of its own, and every field a source format has that CSL lacks, is
    kept in :attr:`extra`: standard CSL variables under their CSL name
    (``"edition"``, ``"event-place"``), format-specific fields under
    ``"<format>:<field>"`` (``"bibtex:eprinttype"``, ``"ris:M3"``).

    ``doi`` is normalised to the bare DOI whatever form it is given in.
    """

    id: str = ""
    type: str = "article-journal"
    title: str | None = None
    title_short: str | None = None
    original_title: str | None = None
    container_title: str | None = None
    container_title_short: str | None = None
    collection_title: str | None = None
    collection_number: str | None = None
    names: Mapping[str, Sequence[Name]] = field(default_factory=FrozenMap)
    dates: Mapping[str, Date] = field(default_factory=FrozenMap)
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    number: str | None = None
    edition: str | None = None
    doi: str | None = None
    url: str | None = None
    issn: str | None = None
    isbn: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    abstract: str | None = None
    keywords: Sequence[str] = ()
    language: str | None = None
    license: str | None = None
    note: str | None = None
    extra: Mapping[str, Any] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            object.__setattr__(self, "id", str(self.id))
        if self.type not in CSL_TYPES:
            raise ValidationError("type", f"{self.type!r} is not a CSL item type "
                                  "(for example article-journal, book, chapter, webpage)")
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if value == "":
                object.__setattr__(self, name, None)
            elif not isinstance(value, str):
                raise ValidationError(FIELD_VARIABLES[name],
                                      f"expected a string, got {type(value).__name__} {value!r}")
        if self.doi is not None:
            object.__setattr__(self, "doi", normalize_doi(self.doi) or None)
        if not isinstance(self.keywords, tuple):
            object.__setattr__(self, "keywords", tuple(self.keywords))
        for kw in self.keywords:
            if not isinstance(kw, str):
                raise ValidationError("keywords", f"expected strings, got {kw!r}")
        if not isinstance(self.names, FrozenMap) or any(
            not isinstance(v, tuple) for v in self.names.values()
        ):
            object.__setattr__(self, "names", _freeze_names(self.names))
        else:
            _check_names(self.names)  # validates roles and members
        if not isinstance(self.dates, FrozenMap):
            object.__setattr__(self, "dates", _freeze_dates(self.dates))
        else:
            _check_dates(self.dates)
        if not isinstance(self.extra, FrozenMap):
            object.__setattr__(self, "extra", freeze(self.extra))
        if not RESERVED_EXTRA_KEYS.isdisjoint(self.extra):
            clash = set(self.extra) & RESERVED_EXTRA_KEYS
            raise ValidationError("extra", f"{', '.join(sorted(clash))} "
                                  f"{'is' if len(clash) == 1 else 'are'} modelled as fields; "
                                  "extra holds only what no field holds")

    @classmethod
    def _from_checked(cls, values: Mapping[str, Any]) -> Article:
        """An Article from ``values`` (field name -> value) that are in the shapes the
        constructor stores already: text fields non-empty ``str``, ``keywords`` a tuple
        of ``str``, ``names`` a :class:`FrozenMap` of tuples of :class:`Name`, ``dates``
        a :class:`FrozenMap` of :class:`Date`, ``extra`` a :class:`FrozenMap` of frozen
        values. For format readers that build exactly these (their tests compare the
        result with the constructor's): the shapes are not checked again; the type,
        the DOI and the ``extra`` keys are, as by the constructor."""
        article = object.__new__(cls)
        data = article.__dict__
        data.update(_DEFAULTS)
        data.update(values)
        if data["type"] not in CSL_TYPES:
            raise ValidationError("type", f"{data['type']!r} is not a CSL item type "
                                  "(for example article-journal, book, chapter, webpage)")
        if data["doi"] is not None:
            data["doi"] = normalize_doi(data["doi"]) or None
        if not RESERVED_EXTRA_KEYS.isdisjoint(data["extra"]):
            article.__post_init__()  # raises the constructor's error
        return article

    # -- shortcuts -----------------------------------------------------------------------

    @property
    def author(self) -> tuple[Name, ...]:
        """The authors (``names["author"]``), empty when there are none."""
        return tuple(self.names.get("author", ()))

    @property
    def editor(self) -> tuple[Name, ...]:
        """The editors (``names["editor"]``)."""
        return tuple(self.names.get("editor", ()))

    @property
    def translator(self) -> tuple[Name, ...]:
        """The translators (``names["translator"]``)."""
        return tuple(self.names.get("translator", ()))

    @property
    def issued(self) -> Date | None:
        """The publication date (``dates["issued"]``)."""
        return self.dates.get("issued")

    @property
    def accessed(self) -> Date | None:
        """The date the resource was accessed (``dates["accessed"]``)."""
        return self.dates.get("accessed")

    def get(self, variable: str) -> Any:
        """Look a value up by its CSL variable name (``"container-title"``, ``"DOI"``,
        ``"author"``, ``"issued"``, ``"edition"``...), whether it is a field, a name or
        date variable, or kept in :attr:`extra`. Returns None when absent."""
        attr = VARIABLE_FIELDS.get(variable)
        if attr is not None:
            value = getattr(self, attr)
            return value if value not in ((), None) else None
        if variable in NAME_VARIABLES:
            return self.names.get(variable)
        if variable in DATE_VARIABLES:
            return self.dates.get(variable)
        return self.extra.get(variable)


#: Article attribute -> CSL variable, for the fields modelled directly.
FIELD_VARIABLES: dict[str, str] = {
    "id": "id",
    "type": "type",
    "title": "title",
    "title_short": "title-short",
    "original_title": "original-title",
    "container_title": "container-title",
    "container_title_short": "container-title-short",
    "collection_title": "collection-title",
    "collection_number": "collection-number",
    "volume": "volume",
    "issue": "issue",
    "page": "page",
    "number": "number",
    "edition": "edition",
    "doi": "DOI",
    "url": "URL",
    "issn": "ISSN",
    "isbn": "ISBN",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "publisher": "publisher",
    "publisher_place": "publisher-place",
    "abstract": "abstract",
    "keywords": "keyword",
    "language": "language",
    "license": "license",
    "note": "note",
}

#: CSL variable -> Article attribute (inverse of :data:`FIELD_VARIABLES`).
VARIABLE_FIELDS: dict[str, str] = {v: k for k, v in FIELD_VARIABLES.items()}

#: Keys :attr:`Article.extra` may not use: the modelled variables, the name and date
#: variables, and the keys CSL-JSON's ``custom`` object reserves for modelled fields.
RESERVED_EXTRA_KEYS: frozenset[str] = frozenset(
    {*FIELD_VARIABLES.values(), *NAME_VARIABLES, *DATE_VARIABLES, "custom", "keywords",
     "name-extra", "raw-dates"}
)

_TEXT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(Article)
    if f.name not in ("id", "type", "names", "dates", "keywords", "extra")
)

_EMPTY_MAP: FrozenMap[Any, Any] = FrozenMap()
#: Every field's default (the empty FrozenMaps shared: they are immutable).
_DEFAULTS: dict[str, Any] = {
    f.name: _EMPTY_MAP if f.name in ("names", "dates", "extra") else f.default
    for f in fields(Article)
}

