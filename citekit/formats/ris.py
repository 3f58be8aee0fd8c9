"""RIS, the tagged format of reference managers (EndNote, Zotero, Mendeley, RefWorks)
and of the "Download citation" links of journal sites and databases.

rispy reads and writes the tag syntax (records from ``TY`` to ``ER``, one
``XX  - value`` line per tag, repeated tags). citekit adds what real files need
around it: line numbers for every record and value, a UTF-8 byte-order mark,
CRLF or CR line ends, one space before the dash (EndNote), untagged continuation
lines, records without ``ER`` or without a blank line between them, records
without ``TY``, and the vendor dialects of tag use (EndNote's type-dependent
meanings, ``JO``/``JF``/``JA``, ``Y1``/``N2``/``A1``/``ED`` of the older
specification, Web of Science's ``DA  - JAN 1``, Scopus's ``PY  - 0000``).

The mapping between tags and CSL variables is one table, :data:`TAGS`, and the
RIS type vocabulary is :data:`TYPES`; ``docs/formats/ris.md`` shows the same
tables. A tag value that the Article's fields do not take in (an unknown tag,
a second differing ``UR``, a deprecated ``Y1`` that disagrees with ``DA``...)
is kept in :attr:`Article.extra` as ``"ris:<TAG>"`` (a string, or a tuple of
strings for repeated tags) and written back, so RIS -> Article -> RIS keeps
every tag.

Reading is lenient (a :class:`~citekit.errors.CitekitWarning` says what was
bent); a record with nothing in it and text outside any record are reported as
problems of one :class:`~citekit.errors.ParseError` that carries the good
records. Writing follows the 2011 RIS specification as Zotero writes it;
what RIS has no tag for is reported in one warning per call.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import rispy

from citekit.errors import OptionError, ParseError, Problem, ValidationError, warn
from citekit.formats import Format, decode_text
from citekit.model import (
    NAME_VARIABLES,
    VARIABLE_FIELDS,
    Article,
    Date,
    DatePart,
    Name,
    normalize_doi,
)

__all__ = [
    "FORMATS",
    "TAGS",
    "TYPES",
    "TagRow",
    "TypeRow",
    "dump",
    "dump_iter",
    "mapping_tables_markdown",
    "parse",
    "sniff",
]

# -- the type vocabulary -------------------------------------------------------------------


@dataclass(frozen=True)
class TypeRow:
    """One RIS reference type: its CSL type, and whether citekit writes it for that type."""

    ris: str
    csl: str
    label: str
    writes: bool = False


def _types(rows: str) -> tuple[TypeRow, ...]:
    out = []
    for line in rows.strip().splitlines():
        ris, csl, writes, label = (part.strip() for part in line.split("|"))
        out.append(TypeRow(ris, csl, label, writes == "w"))
    return tuple(out)


#: Every RIS type citekit knows (the 2011 specification, plus ``WEB``, ``GRNT``,
#: ``UNPD`` and ``INTV`` that exporters write), with its CSL type. Rows marked
#: ``writes`` give the RIS type written for that CSL type.
TYPES: tuple[TypeRow, ...] = _types("""
JOUR    | article-journal        | w | Journal article
MGZN    | article-magazine       | w | Magazine article
NEWS    | article-newspaper      | w | Newspaper article
BILL    | bill                   | w | Bill
BOOK    | book                   | w | Whole book
CHAP    | chapter                | w | Book chapter
CLSWK   | classic                | w | Classical work
DATA    | dataset                | w | Data file
GEN     | document               | w | Generic
DICT    | entry-dictionary       | w | Dictionary
ENCYC   | entry-encyclopedia     | w | Encyclopedia
FIGURE  | figure                 | w | Figure
ART     | graphic                | w | Art work
HEAR    | hearing                | w | Hearing
CASE    | legal_case             | w | Case
STAT    | legislation            | w | Statute
MANSCPT | manuscript             | w | Manuscript
MAP     | map                    | w | Map
MPCT    | motion_picture         | w | Motion picture
MUSIC   | musical_score          | w | Music score
PAMP    | pamphlet               | w | Pamphlet
CPAPER  | paper-conference       | w | Conference paper
PAT     | patent                 | w | Patent
JFULL   | periodical             | w | Journal (full)
PCOMM   | personal_communication | w | Personal communication
ICOMM   | post                   | w | Internet communication
BLOG    | post-weblog            | w | Blog
LEGAL   | regulation             | w | Legal rule or regulation
RPRT    | report                 | w | Report
COMP    | software               | w | Computer program
SOUND   | song                   | w | Sound recording
SLIDE   | speech                 | w | Slide
STAND   | standard               | w | Standard
THES    | thesis                 | w | Thesis/dissertation
ELEC    | webpage                | w | Web page
ABST    | article-journal        | - | Abstract
ADVS    | motion_picture         | - | Audiovisual material
AGGR    | dataset                | - | Aggregated database
ANCIENT | classic                | - | Ancient text
CHART   | graphic                | - | Chart
CONF    | paper-conference       | - | Conference proceeding
CTLG    | book                   | - | Catalog
DBASE   | dataset                | - | Online database
EBOOK   | book                   | - | Electronic book
ECHAP   | chapter                | - | Electronic book section
EDBOOK  | book                   | - | Edited book
EJOUR   | article-journal        | - | Electronic article
EQUA    | document               | - | Equation
GOVDOC  | report                 | - | Government document
GRANT   | document               | - | Grant
GRNT    | document               | - | Grant (older spelling)
INPR    | article-journal        | - | In press
INTV    | interview              | - | Interview (not in the specification)
MULTI   | motion_picture         | - | Online multimedia
SER     | book                   | - | Serial publication
UNBILL  | bill                   | - | Unenacted bill
UNPB    | manuscript             | - | Unpublished work
UNPD    | manuscript             | - | Unpublished work (older spelling)
VIDEO   | motion_picture         | - | Video recording
WEB     | webpage                | - | Web page (EndNote)
""")

#: RIS type -> CSL type.
RIS_TO_CSL: dict[str, str] = {row.ris: row.csl for row in TYPES}
#: CSL type -> the RIS type written for it.
CSL_TO_RIS: dict[str, str] = {row.csl: row.ris for row in TYPES if row.writes}
#: CSL types RIS has no type for: the nearest RIS type is written, and the
#: CSL type does not come back.
NEAREST_TYPES: dict[str, str] = {
    "article": "GEN",
    "broadcast": "MPCT",
    "collection": "GEN",
    "entry": "GEN",
    "event": "GEN",
    "interview": "PCOMM",
    "performance": "GEN",
    "review": "JOUR",
    "review-book": "JOUR",
    "treaty": "GEN",
}
_DEFAULT_TYPE = "article-journal"  # a record without TY, as Zotero reads it
_UNKNOWN_TYPE = "document"  # a TY that is in no vocabulary

# -- the tag table ------------------------------------------------------------------------


@dataclass(frozen=True)
class TagRow:
    """One line of the mapping: a tag, the CSL variable it holds, and where it applies.

    ``types`` limits the row to those RIS types (empty: every type the tag has no
    specific row for). ``writes`` is False for tags that are read but never
    written (older or vendor spellings). Rows are in priority order: the writer
    uses the first writable row whose tag, read back in the record's type, gives
    the variable again.
    """

    tag: str
    variable: str
    types: tuple[str, ...] = ()
    writes: bool = True
    note: str = ""


_SERIES_T2 = ("BOOK", "CLSWK", "COMP", "CTLG", "EDBOOK", "MAP", "MPCT", "MULTI", "RPRT",
              "UNPB", "WEB")
_SERIES_A2 = ("BOOK", "CLSWK", "COMP", "EDBOOK", "MAP", "MULTI", "RPRT", "UNPB", "WEB")
_BOOKS = ("BOOK", "EBOOK", "EDBOOK", "MANSCPT")
_NUMBER_IN_SN = ("RPRT", "PAT", "STAND", "DBASE")
_ISSN_BY_DEFAULT = ("JOUR", "JFULL", "MGZN", "NEWS", "EJOUR", "ABST", "INPR", "DATA")

#: The tag <-> CSL variable table (both directions), in priority order.
TAGS: tuple[TagRow, ...] = (
    TagRow("TY", "type", note="see the type table"),
    TagRow("ID", "id", note="a key is made from the first author and year when absent"),
    TagRow("TI", "title"),
    TagRow("T1", "title", writes=False, note="older specification"),
    TagRow("CT", "title", writes=False, note="older specification"),
    TagRow("BT", "title", _BOOKS, writes=False, note="older specification"),
    TagRow("BT", "container-title", writes=False, note="older specification"),
    TagRow("ST", "title-short"),
    TagRow("OP", "original-title", note="original publication"),
    TagRow("T2", "collection-title", _SERIES_T2, note="EndNote: series title"),
    TagRow("T3", "container-title", _SERIES_T2, note="where T2 is the series"),
    TagRow("T2", "container-title", note="journal, book, website, conference..."),
    TagRow("JF", "container-title", writes=False, note="journal name (OJS, older spec)"),
    TagRow("JO", "container-title", writes=False,
           note="read as the abbreviation when T2 or JF names the journal"),
    TagRow("J2", "container-title-short"),
    TagRow("JA", "container-title-short", writes=False, note="OJS, older specification"),
    TagRow("J1", "container-title-short", writes=False, note="older specification"),
    TagRow("T3", "collection-title"),
    TagRow("SV", "collection-number", note="series volume"),
    TagRow("AU", "editor", ("EDBOOK",), note="EndNote's edited book"),
    TagRow("AU", "author"),
    TagRow("A1", "author", note="older specification; written where AU means another role"),
    TagRow("A2", "collection-editor", _SERIES_A2, note="EndNote: series editor"),
    TagRow("A2", "recipient", ("PCOMM",)),
    TagRow("A2", "editor"),
    TagRow("ED", "editor", note="older specification; written where A2 means another role"),
    TagRow("A3", "editor", ("BOOK",)),
    TagRow("A3", "producer", ("MPCT",)),
    TagRow("A3", "collection-editor"),
    TagRow("A4", "translator"),
    TagRow("PY", "issued", note="the year"),
    TagRow("DA", "issued", note="YYYY/MM/DD/other; EDTF for ranges and circa"),
    TagRow("Y1", "issued", writes=False, note="older specification (DA wins)"),
    TagRow("Y2", "accessed"),
    TagRow("VL", "volume"),
    TagRow("IS", "issue"),
    TagRow("SP", "page", note="first page (or the whole page field)"),
    TagRow("EP", "page", note="last page"),
    TagRow("M1", "number"),
    TagRow("C7", "number", ("JOUR", "EJOUR"), writes=False, note="EndNote: article number"),
    TagRow("SN", "number", _NUMBER_IN_SN, writes=False,
           note="report, patent or document number (not ISSN/ISBN-shaped)"),
    TagRow("ET", "edition"),
    TagRow("NV", "number-of-volumes"),
    TagRow("SE", "section"),
    TagRow("DO", "DOI"),
    TagRow("UR", "URL", note="the first; further ones stay ris:UR"),
    TagRow("SN", "ISSN", note="an ISSN-shaped value (or any, in journal types)"),
    TagRow("SN", "ISBN", note="an ISBN-shaped value (or any, in other types)"),
    TagRow("PB", "publisher"),
    TagRow("CY", "publisher-place"),
    TagRow("LA", "language"),
    TagRow("AB", "abstract"),
    TagRow("N2", "abstract", writes=False, note="older specification"),
    TagRow("KW", "keyword", note="one keyword a line; a single line is split at ; or ,"),
    TagRow("N1", "note", note="several N1 are joined by a blank line"),
    TagRow("M3", "genre", note="type of work"),
    TagRow("M3", "DOI", writes=False, note="when it holds a DOI (EndNote)"),
    TagRow("RI", "reviewed-title"),
    TagRow("CN", "call-number"),
    TagRow("DB", "archive"),
    TagRow("AN", "archive_location", note="accession number"),
    TagRow("AV", "archive_location", writes=False, note="RefMan availability"),
    TagRow("DP", "source", note="database provider"),
)

#: Tags whose continuation lines keep their line breaks (Zotero does the same).
_NEWLINE_TAGS = frozenset({"AB", "N1", "N2", "RN", "KW", "L1", "L2", "L3", "L4"})
#: Tags handled by code rather than as plain text.
_SPECIAL = frozenset({"type", "id", "issued", "accessed", "page", "keyword", "note", "DOI",
                      "ISSN", "ISBN", "URL", *NAME_VARIABLES})
#: Output order of the tags citekit writes (Zotero's order), then ID.
_ORDER = ("TY", "TI", "AU", "A1", "T2", "A2", "ED", "T3", "A3", "A4", "AB", "CY", "DA", "PY",
          "DO", "ET", "VL", "IS", "SP", "EP", "J2", "LA", "M1", "M3", "NV", "OP", "PB", "SE",
          "SN", "ST", "SV", "UR", "AN", "DB", "DP", "CN", "RI", "Y2", "N1", "KW", "ID")
_ORDER_INDEX = {tag: i for i, tag in enumerate(_ORDER)}

_ROWS_BY_TAG: dict[str, list[TagRow]] = {}
_SOURCE_ORDER: dict[str, dict[str, int]] = {}  # variable -> its tags, by priority
for _row in TAGS:
    _ROWS_BY_TAG.setdefault(_row.tag, []).append(_row)
    _SOURCE_ORDER.setdefault(_row.variable, {}).setdefault(_row.tag,
                                                           len(_SOURCE_ORDER[_row.variable]))


_READ_CACHE: dict[tuple[str, str], str | None] = {}


def _reading(tag: str, ris_type: str) -> str | None:
    """The CSL variable ``tag`` holds in a record of RIS type ``ris_type``."""
    key = (tag, ris_type)
    if key not in _READ_CACHE:
        _READ_CACHE[key] = _read_row(tag, ris_type)
    return _READ_CACHE[key]


def _read_row(tag: str, ris_type: str) -> str | None:
    rows = _ROWS_BY_TAG.get(tag)
    if not rows:
        return None
    for row in rows:
        if ris_type in row.types:
            return row.variable
    for row in rows:
        if not row.types:
            return row.variable
    return None


_WRITE_CACHE: dict[tuple[str, str], str | None] = {}


def _writing(variable: str, ris_type: str) -> str | None:
    """The tag that carries ``variable`` in a record of type ``ris_type`` (None: no tag)."""
    key = (variable, ris_type)
    if key not in _WRITE_CACHE:
        tag = None
        for row in TAGS:
            if (row.variable == variable and row.writes
                    and (not row.types or ris_type in row.types)
                    and _reading(row.tag, ris_type) == variable):
                tag = row.tag
                break
        _WRITE_CACHE[key] = tag
    return _WRITE_CACHE[key]


#: The CSL variables a RIS round trip keeps (see :attr:`Format.keeps`).
KEEPS: frozenset[str] = frozenset(
    {row.variable for row in TAGS if row.writes and row.variable != "type"}
)

# -- reading: the line layer ---------------------------------------------------------------

#: Every possible tag (a capital letter, then a capital letter or a digit).
_ALL_TAGS = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
             for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]
_TAG_NAMES = {tag: tag for tag in _ALL_TAGS}
_TAG_SET = frozenset(_ALL_TAGS)
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])( {1,2})-(?:[ \t](.*))?$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_SEPARATOR = re.compile("\\s?[\u2028\u2029]\\s?")  # Atypon breaks lines with these
_RECORD_NUMBER = re.compile(r"\d+\.?")  # "1." lines rispy's writer puts before records


@dataclass(slots=True)
class _RecordInfo:
    """Where a record and each of its tag values stand in the file."""

    line: int
    tags: list[tuple[str, int]] = field(default_factory=list)
    has_type: bool = True
    problems: list[str] = field(default_factory=list)


class _Framer:
    """Turns the lines of a file into the clean ``XX  - value`` lines rispy reads.

    It folds continuation lines into their tag, closes records that lack ``ER``,
    opens one for tags that come without ``TY``, drops empty values and records
    the line of every value; text outside records becomes a problem.
    """

    def __init__(self, text: str, source: str | None) -> None:
        self.text = text
        self.source = source
        self.records: list[_RecordInfo] = []
        self.problems: list[Problem] = []
        self.single_space_lines: list[int] = []

    def _warn(self, line: int, message: str) -> None:
        warn(message, source=self.source, line=line, stacklevel=4)

    def lines(self) -> Iterator[str]:
        record: _RecordInfo | None = None
        tag = ""  # the tag whose value is being read ("": none)
        parts: list[str] = []
        start = 0
        stray: list[tuple[int, str]] = []
        tags = _TAG_SET
        newline_tags = _NEWLINE_TAGS

        def report_stray() -> None:
            if stray:
                first, text = stray[0]
                more = f" (and {len(stray) - 1} more lines)" if len(stray) > 1 else ""
                self.problems.append(Problem(
                    f"text outside any record, ignored: {text[:60]!r}{more}; a record "
                    "starts with a 'TY  - ' line", source=self.source, line=first))
                stray.clear()

        lines = _LINE_BREAK.split(self.text)
        lines.append("ER  - ")  # a sentinel that closes the last value; not a file line
        last = len(lines)
        for number, line in enumerate(lines, start=1):
            if "\u2028" in line or "\u2029" in line:
                line = _LINE_SEPARATOR.sub(" ", line)
            if line[2:6] == "  - " and line[:2] in tags:  # the common, well-formed line
                new_tag, value = line[:2], line[6:].strip()
            else:
                match = _TAG_LINE.match(line) if line[:1].isupper() else None
                if match is None:
                    content = line.strip()
                    if tag:
                        parts.append(content)
                    elif record is not None:
                        if content:
                            record.problems.append(
                                f"line {number}: text that belongs to no tag, ignored: "
                                f"{content[:60]!r}")
                    elif content and not _RECORD_NUMBER.fullmatch(content):
                        stray.append((number, content))
                    continue
                new_tag, spaces, value = match.groups()
                if len(spaces) == 1:
                    self.single_space_lines.append(number)
                value = value.strip() if value else ""
            if tag:  # the value read so far is complete
                if tag in newline_tags:
                    text = "\n".join(parts).strip()
                elif len(parts) == 1:
                    text = parts[0]
                else:
                    text = " ".join(p for p in parts if p)
                if text:
                    assert record is not None
                    record.tags.append((tag, start))
                    yield f"{tag}  - {text}"
                tag = ""
            if number == last:
                break
            if new_tag == "TY":
                report_stray()
                if record is not None:
                    self._warn(record.line, "the record has no 'ER' line; it ends where the "
                               f"next record starts (line {number})")
                    yield "ER  - "
                record = _RecordInfo(number)
                self.records.append(record)
                yield f"TY  - {value}"
            elif new_tag == "ER":
                if record is not None:
                    yield "ER  - "
                    record = None
            else:
                if record is None:
                    report_stray()
                    record = _RecordInfo(number, has_type=False)
                    self.records.append(record)
                    yield "TY  - "
                tag, parts, start = new_tag, [value], number
        report_stray()
        if record is not None:
            self._warn(record.line, "the record has no 'ER' line; it ends with the file")
            yield "ER  - "


@dataclass(slots=True)
class _Entry:
    tag: str
    value: str
    line: int
    used: bool = False


def _records(text: str, source: str | None) -> tuple[list[tuple[_RecordInfo, str, list[_Entry]]],
                                                       _Framer]:
    """Split ``text`` into records: (position, TY value, tag values in file order)."""
    framer = _Framer(text, source)
    # Every tag keeps its name and may repeat; no value is split.
    parser = rispy.RisParser(mapping=_TAG_NAMES, list_tags=_TAG_SET, delimiter_tags_mapping={})
    try:
        parsed = parser.parse_lines(framer.lines())
    except Exception as exc:  # rispy's own errors never reach the user as such
        raise ParseError(f"the RIS syntax could not be read ({exc})", source=source) from None
    if len(parsed) != len(framer.records):
        raise ParseError("the RIS syntax could not be read (records and their positions "
                         "disagree)", source=source)
    records = []
    for info, data in zip(framer.records, parsed, strict=True):
        queues = {tag: iter(values) for tag, values in data.items() if tag != "TY"}
        entries = [_Entry(tag, next(queues[tag]), line) for tag, line in info.tags]
        records.append((info, str(data.get("TY", "")), entries))
    return records, framer


# -- reading: values -----------------------------------------------------------------------

_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_SEASONS = {"spring": "Spring", "summer": "Summer", "autumn": "Autumn", "fall": "Fall",
            "winter": "Winter"}
_SLASH_DATE = re.compile(r"(-?\d{1,4})(?:/(\d{0,2})(?:/(\d{0,2})(?:/(.*))?)?)?")
_ISO_POINT = re.compile(r"(-?\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?(~?)")
_VALID_MONTH = frozenset({*range(1, 17), *range(21, 25)})


@dataclass(frozen=True)
class _DateValue:
    """A date read from a tag (None: no date, as for Scopus's ``0000``); ``year_missing``
    marks a month and day without a year (Web of Science's ``JAN 1``)."""

    date: Date | None
    year_missing: bool = False


def _point(year: int, month: int | None, day: int | None) -> DatePart | None:
    if month is not None and month not in _VALID_MONTH:
        month, day = None, None
    try:
        return DatePart(year, month, day)
    except ValidationError:
        try:
            return DatePart(year, month)
        except ValidationError:
            return DatePart(year)


def _read_date(text: str) -> _DateValue:
    """Read a RIS date value: ``YYYY/MM/DD/other``, EDTF, or month names."""
    text = text.strip()
    slash = _SLASH_DATE.fullmatch(text)
    if slash:
        year_text, month_text, day_text, other = slash.groups()
        year = int(year_text)
        if year == 0 and not year_text.startswith("-"):
            return _DateValue(None)  # "0000": the year is unknown (Scopus)
        month = int(month_text) if month_text and int(month_text) else None
        day = int(day_text) if day_text and int(day_text) and month else None
        start = _point(year, month, day)
        assert start is not None
        other = (other or "").strip()
        season: int | str | None = None
        raw = None
        if other:
            if other.lower() in _SEASONS:
                season = _SEASONS[other.lower()]
            elif other in ("1", "2", "3", "4"):
                season = int(other)
            else:
                raw = text  # a time or a note after the date: kept as written
        return _DateValue(Date(start=start, season=season, raw=raw))
    edtf = _read_edtf(text)
    if edtf is not None:
        return _DateValue(edtf)
    return _read_text_date(text)


def _read_edtf(text: str) -> Date | None:
    pieces = text.split("/")
    if not 1 <= len(pieces) <= 2:
        return None
    points: list[DatePart] = []
    circa = False
    for piece in pieces:
        match = _ISO_POINT.fullmatch(piece)
        if not match:
            return None
        year, month, day, mark = match.groups()
        if month and int(month) not in _VALID_MONTH:
            return None
        try:
            points.append(DatePart(int(year), int(month) if month else None,
                                   int(day) if day else None))
        except ValidationError:
            return None
        circa = circa or bool(mark)
    if len(points) == 1 and not circa and "-" not in text.lstrip("-"):
        return None  # a bare year is the slash form's
    return Date(start=points[0], end=points[1] if len(points) == 2 else None, circa=circa)


def _read_text_date(text: str) -> _DateValue:
    """``JAN 1`` (Web of Science, no year), ``March 2019``, ``14 March 2019``,
    ``Spring 2019``; anything else is a literal date."""
    tokens = re.sub(r"[.,]", " ", text.lower()).split()
    year = month = day = None
    season = None
    for token in tokens:
        if token[:3] in _MONTHS and token.isalpha() and month is None:
            month = _MONTHS[token[:3]]
        elif token in _SEASONS and season is None:
            season = _SEASONS[token]
        elif re.fullmatch(r"\d{4}", token) and year is None:
            year = int(token)
        elif re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", token) and day is None:
            day = int(re.sub(r"\D", "", token))
        else:
            return _DateValue(Date(literal=text))
    if not tokens or (month is None and season is None and year is None):
        return _DateValue(Date(literal=text))
    if day is not None and month is None:
        return _DateValue(Date(literal=text))
    if year is None:
        # A month and day without a year: the year comes from PY.
        return _DateValue(Date(literal=text), year_missing=True)
    start = _point(year, month, day)
    return _DateValue(Date(start=start, season=season))


def _with_year(text: str, year: int) -> Date | None:
    """Complete a yearless text date (``JAN 1``) with ``year``."""
    tokens = re.sub(r"[.,]", " ", text.lower()).split()
    month = day = None
    for token in tokens:
        if token[:3] in _MONTHS and token.isalpha():
            month = _MONTHS[token[:3]]
        elif re.fullmatch(r"\d{1,2}", token):
            day = int(token)
    if month is None:
        return None
    return Date(start=_point(year, month, day))


def _same_or_coarser(candidate: Date, chosen: Date) -> bool:
    """Whether ``candidate`` says nothing ``chosen`` does not (PY 2014 vs DA 2014/06/01)."""
    if candidate == chosen:
        return True
    if candidate.start is None or chosen.start is None or candidate.end or candidate.circa:
        return False
    if candidate.season is not None or candidate.raw is not None:
        return False
    mine, theirs = candidate.start.as_tuple(), chosen.start.as_tuple()
    return theirs[: len(mine)] == mine


_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx]")
_ISBN_CHARS = re.compile(r"[\dXx][\dXx\- ]{8,}[\dXx]")


def _identifier_kind(value: str) -> str | None:
    """``"ISSN"`` or ``"ISBN"`` when the value leads with one, else None."""
    head = value.strip()
    if _ISSN.match(head) and not re.match(r"\d{4}-?\d{3}[\dXx][\d-]", head):
        return "ISSN"
    match = _ISBN_CHARS.match(head)
    if match:
        digits = re.sub(r"[^\dXx]", "", match.group(0))
        if len(digits) in (10, 13):
            return "ISBN"
    return None


_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")


def _doi_in(value: str) -> str | None:
    match = re.search(r"10\.\d{4,9}/\S+", value)
    if match is None:
        return None
    rest = value[: match.start()].strip().lower().rstrip(":")
    if rest not in ("", "doi", "https://doi.org", "http://dx.doi.org", "http://doi.org",
                    "https://dx.doi.org"):
        return None
    return match.group(0)


# -- names ---------------------------------------------------------------------------------

#: Lowercase words read as name particles ("van", "de la", ...), as CSL processors do.
_PARTICLE_WORDS = frozenset(
    "van von der den de la las los le les del della delle di da do dos das du des ten ter "
    "zu zum zur y e af av 't d' l' al- el-".split()
)
_PREFIX_PARTICLES = ("d'", "l'", "dell'", "al-", "el-")


def _split_family(text: str) -> tuple[str | None, str]:
    words = text.split()
    particles = []
    while len(words) > 1 and words[0] in _PARTICLE_WORDS:
        particles.append(words.pop(0))
    first = words[0]
    for prefix in _PREFIX_PARTICLES:
        if first.startswith(prefix) and len(first) > len(prefix) and len(words) == 1:
            particles.append(prefix)
            words[0] = first[len(prefix):]
            break
    if not particles:
        return None, text
    return _join_particle(particles), " ".join(words)


def _join_particle(words: Sequence[str]) -> str:
    out = ""
    for word in words:
        out += word if not out or out.endswith(("'", "-")) else " " + word
    return out


def _split_given(text: str) -> tuple[str | None, str | None]:
    words = text.split()
    particles: list[str] = []
    while len(words) > 1 and words[-1] in _PARTICLE_WORDS:
        particles.insert(0, words.pop())
    return " ".join(words) or None, (" ".join(particles) or None)


def _read_name(value: str) -> Name | None:
    """``Family, Given, Suffix`` (the specification's form); no comma: a literal name."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 1:
        return Name(literal=value.strip()) if value.strip() else None
    family_text, given_text = parts[0], parts[1]
    suffix = ", ".join(p for p in parts[2:] if p) or None
    if not family_text:
        literal = ", ".join(p for p in parts if p)
        return Name(literal=literal) if literal else None
    ndp, family = _split_family(family_text)
    given, dp = _split_given(given_text) if given_text else (None, None)
    return Name(family=family, given=given, non_dropping_particle=ndp, dropping_particle=dp,
                suffix=suffix)


def _write_name(name: Name) -> str:
    if name.literal is not None:
        return name.literal
    family = name.family or ""
    if name.non_dropping_particle:
        particle = name.non_dropping_particle
        family = particle + ("" if particle.endswith(("'", "-")) else " ") + family
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    text = f"{family}, {given}" if given else f"{family},"
    if name.suffix:
        text = f"{family}, {given}, {name.suffix}"
    return text


# -- reading: records ----------------------------------------------------------------------


class _Reader:
    """Builds one Article from the tag values of one record."""

    def __init__(self, info: _RecordInfo, ty: str, entries: list[_Entry],
                 source: str | None) -> None:
        self.info = info
        self.source = source
        self.entries = entries
        self.ty_raw = ty.strip()
        self.ty = self.ty_raw.upper()
        self.values: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.names: dict[str, list[Name]] = {}
        self.dates: dict[str, Date] = {}
        self.entry_id: str | None = None

    def warn(self, message: str, line: int | None = None, tag: str | None = None) -> None:
        warn(message, source=self.source, line=line or self.info.line, field=tag,
             entry=self.entry_id, stacklevel=3)

    def by_variable(self) -> dict[str, list[_Entry]]:
        groups: dict[str, list[_Entry]] = {}
        for entry in self.entries:
            variable = _reading(entry.tag, self.ty)
            if variable is not None:
                groups.setdefault(variable, []).append(entry)
        return groups

    def set(self, variable: str, value: Any) -> None:
        attr = VARIABLE_FIELDS.get(variable)
        if attr is not None:
            self.values[attr] = value
        else:
            self.extra[variable] = value

    def get(self, variable: str) -> Any:
        attr = VARIABLE_FIELDS.get(variable)
        return self.values.get(attr) if attr is not None else self.extra.get(variable)

    def read(self) -> None:
        groups = self.by_variable()
        ids = [e for e in groups.get("id", [])]
        if ids:
            self.entry_id = ids[0].value
            self.values["id"] = ids[0].value
            self.first_wins(ids)
        self.read_type()
        for variable, entries in groups.items():
            if variable in ("id", "type"):
                continue
            if variable in NAME_VARIABLES:
                self.read_names(variable, entries)
            elif variable not in _SPECIAL and variable != "genre":
                # SN is read by its shape (ISSN, ISBN or a number) below.
                plain = [e for e in entries if e.tag != "SN"]
                if plain:
                    self.read_text(variable, plain)
        self.read_dates(groups.get("issued", []), groups.get("accessed", []))
        self.read_pages(groups.get("page", []))
        self.read_identifiers(groups)
        self.read_keywords(groups.get("keyword", []))
        notes = groups.get("note", [])
        if notes:
            self.values["note"] = "\n\n".join(e.value for e in notes)
            for e in notes:
                e.used = True
        urls = groups.get("URL", [])
        if urls:
            self.values["url"] = urls[0].value
            self.first_wins(urls)
        self.keep_the_rest()

    def article(self) -> Article:
        try:
            return Article(**self.values, names={k: tuple(v) for k, v in self.names.items()},
                           dates=self.dates, extra=self.extra)
        except ValidationError as exc:
            raise ValidationError(exc.field, exc.message, entry=self.entry_id) from None

    def key(self) -> str:
        """A citation key from the first author's family name and the year: ``smith2019``."""
        name = next((n for role in ("author", "editor") for n in self.names.get(role, ())),
                    None)
        if name is not None:
            stem = name.family or name.literal or ""
        else:
            stem = str(self.values.get("title") or "").split(" ")[0]
        ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
        stem = re.sub(r"[^a-z0-9]", "", ascii_stem.lower())[:24] or "item"
        issued = self.dates.get("issued")
        year = issued.year if issued is not None and issued.year is not None else ""
        return f"{stem}{year}"

    def first_wins(self, entries: list[_Entry]) -> None:
        """The first value was taken; later equal ones are consumed, others stay residual."""
        if not entries:
            return
        entries[0].used = True
        for e in entries[1:]:
            if e.value == entries[0].value:
                e.used = True

    def read_type(self) -> None:
        if not self.info.has_type or not self.ty:
            self.warn("the record has no TY (type) line; read as a journal article", tag="TY")
            self.values["type"] = _DEFAULT_TYPE
            return
        csl = RIS_TO_CSL.get(self.ty)
        if csl is None:
            self.warn(f"{self.ty_raw!r} is not a RIS type; read as {_UNKNOWN_TYPE!r} and "
                      "kept in extra['ris:TY']", tag="TY")
            csl = _UNKNOWN_TYPE
        self.values["type"] = csl
        if CSL_TO_RIS.get(csl) != self.ty_raw:
            self.extra["ris:TY"] = self.ty_raw

    def read_text(self, variable: str, entries: list[_Entry]) -> None:
        if len(entries) > 1:
            order = _SOURCE_ORDER.get(variable, {})
            entries = sorted(entries, key=lambda e: (order.get(e.tag, 99), e.line))
        if variable == "container-title":
            entries = self.split_journal_abbreviation(entries)
            if not entries:
                return
        if variable == "genre":
            entries = [e for e in entries if not e.used]
            if not entries:
                return
        current = self.get(variable)
        if current is None:
            self.set(variable, entries[0].value)
            entries[0].used = True
            current = entries[0].value
        for e in entries:
            if e.value == current:
                e.used = True

    def split_journal_abbreviation(self, entries: list[_Entry]) -> list[_Entry]:
        """``JO`` is the journal's name when nothing else names it, else its abbreviation."""
        jo = [e for e in entries if e.tag == "JO"]
        others = [e for e in entries if e.tag != "JO"]
        if not jo or not others:
            return entries
        for e in jo:
            if e.value == others[0].value:
                e.used = True
            elif self.values.get("container_title_short") in (None, e.value):
                self.values["container_title_short"] = e.value
                e.used = True
        return others

    def read_names(self, role: str, entries: list[_Entry]) -> None:
        for e in sorted(entries, key=lambda e: e.line):
            name = _read_name(e.value)
            if name is not None:
                self.names.setdefault(role, []).append(name)
                e.used = True

    def read_dates(self, issued: list[_Entry], accessed: list[_Entry]) -> None:
        if issued:
            self.read_issued(issued)
        if accessed:
            self.read_single_date("accessed", accessed)

    def read_issued(self, entries: list[_Entry]) -> None:
        by_tag = {tag: [e for e in entries if e.tag == tag] for tag in ("DA", "Y1", "PY")}
        parsed = {id(e): _read_date(e.value) for e in entries}
        year_of_py = None
        for e in by_tag["PY"] + by_tag["Y1"]:
            d = parsed[id(e)].date
            if d is not None and d.start is not None:
                year_of_py = d.start.year
                break
        chosen: Date | None = None
        for tag in ("DA", "Y1", "PY"):
            for e in by_tag[tag]:
                value = parsed[id(e)]
                date = value.date
                if value.year_missing and year_of_py is not None:
                    date = _with_year(e.value, year_of_py)
                if date is not None and date.start is not None:
                    chosen = date
                    e.used = True
                    break
            if chosen is not None:
                break
        if chosen is None:
            for tag in ("DA", "Y1", "PY"):
                for e in by_tag[tag]:
                    date = parsed[id(e)].date
                    if date is not None:
                        chosen = date
                        e.used = True
                        break
                if chosen is not None:
                    break
        if chosen is None:
            return
        self.dates["issued"] = chosen
        for e in entries:
            if e.used:
                continue
            value = parsed[id(e)]
            if value.date is not None and _same_or_coarser(value.date, chosen):
                e.used = True
            elif value.year_missing and year_of_py is not None and chosen.start is not None:
                completed = _with_year(e.value, year_of_py)
                if completed is not None and _same_or_coarser(completed, chosen):
                    e.used = True
            elif e.tag == "PY" and value.date is None and chosen.start is None:
                continue

    def read_single_date(self, variable: str, entries: list[_Entry]) -> None:
        date = _read_date(entries[0].value).date
        if date is None:
            return
        self.dates[variable] = date
        entries[0].used = True
        for e in entries[1:]:
            other = _read_date(e.value).date
            if other is not None and _same_or_coarser(other, date):
                e.used = True

    def read_pages(self, entries: list[_Entry]) -> None:
        starts = [e for e in entries if e.tag == "SP"]
        ends = [e for e in entries if e.tag == "EP"]
        first = starts[0] if starts else None
        last = ends[0] if ends else None
        simple = re.compile(r"[^\s\-]+")
        if first and last and simple.fullmatch(first.value) and simple.fullmatch(last.value):
            self.values["page"] = f"{first.value}-{last.value}"
            first.used = last.used = True
        elif first:
            self.values["page"] = first.value
            first.used = True
        elif last:
            self.values["page"] = last.value
            last.used = True
        if "page" in self.values:
            for e in entries:
                if not e.used and e.value == self.values["page"]:
                    e.used = True

    def read_identifiers(self, groups: dict[str, list[_Entry]]) -> None:
        dois = groups.get("DOI", [])
        for e in dois:
            if e.tag == "DO":
                if "doi" not in self.values:
                    self.values["doi"] = e.value
                    e.used = True
                elif _normal_doi(e.value) == self.values["doi"]:
                    e.used = True
        for e in [e for e in self.entries if e.tag == "M3"]:
            found = _doi_in(e.value)
            if found is None:
                continue
            if "doi" not in self.values:
                self.values["doi"] = found
                e.used = True
            elif _normal_doi(found) == _normal_doi(self.values["doi"]):
                e.used = True
        if "genre" not in self.extra:
            genres = [e for e in self.entries if e.tag == "M3" and not e.used]
            if genres:
                self.extra["genre"] = genres[0].value
                self.first_wins(genres)
        issns: list[str] = []
        isbns: list[str] = []
        for e in [e for e in self.entries if e.tag == "SN"]:
            kind = _identifier_kind(e.value)
            if kind is None:
                if self.ty in _NUMBER_IN_SN and "number" not in self.values:
                    self.values["number"] = e.value
                    e.used = True
                    continue
                if self.ty in _NUMBER_IN_SN and self.values.get("number") == e.value:
                    e.used = True
                    continue
                kind = "ISSN" if self.ty in _ISSN_BY_DEFAULT else "ISBN"
            (issns if kind == "ISSN" else isbns).append(e.value)
            e.used = True
        if issns:
            self.values["issn"] = ", ".join(issns)
        if isbns:
            self.values["isbn"] = ", ".join(isbns)

    def read_keywords(self, entries: list[_Entry]) -> None:
        parts: list[str] = []
        for e in entries:
            parts.extend(p.strip() for p in e.value.split("\n") if p.strip())
            e.used = True
        if len(parts) == 1:
            separator = ";" if ";" in parts[0] else ","
            parts = [p.strip() for p in parts[0].split(separator) if p.strip()]
        if parts:
            self.values["keywords"] = tuple(parts)

    def keep_the_rest(self) -> None:
        rest: dict[str, list[str]] = {}
        for e in self.entries:
            if not e.used:
                rest.setdefault(e.tag, []).append(e.value)
        for tag, values in rest.items():
            key = f"ris:{tag}"
            self.extra[key] = values[0] if len(values) == 1 else tuple(values)
        for problem in self.info.problems:
            self.warn(problem)


def _normal_doi(value: str) -> str:
    return normalize_doi(value)


def parse(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
    """Parse a RIS document into Articles.

    Raises :class:`~citekit.errors.ParseError` listing every rejected record (a
    record with no fields) and every stretch of text outside a record, with
    their lines; ``.articles`` then holds the records that were read.
    """
    if options:
        raise OptionError(f"RIS takes no reading option {', '.join(sorted(options))}")
    text = text.lstrip("\ufeff")
    with _no_cycle_collection():
        return _parse(text, source)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while many small acyclic objects are made (it would
    scan them again and again); it runs as before afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, source: str | None) -> list[Article]:
    records, framer = _records(text, source)
    if framer.single_space_lines:
        lines = framer.single_space_lines
        warn(f"{len(lines)} tag lines have one space before the dash (\"TY - \", as EndNote "
             "writes), not two; read anyway", source=source, line=lines[0], stacklevel=2)
    problems = list(framer.problems)
    readers: list[_Reader] = []
    for info, ty, entries in records:
        if not entries:
            problems.append(Problem("the record has no fields (only a TY line); skipped",
                                    source=source, line=info.line))
            continue
        reader = _Reader(info, ty, entries, source)
        try:
            reader.read()
        except ValidationError as exc:
            problems.append(Problem(str(exc), source=source, line=info.line, entry=exc.entry))
            continue
        readers.append(reader)
    _assign_keys(readers)
    articles: list[Article] = []
    for reader in readers:
        try:
            articles.append(reader.article())
        except ValidationError as exc:
            problems.append(Problem(str(exc), source=source, line=reader.info.line,
                                    entry=exc.entry))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        total = len(records) + sum(1 for p in framer.problems)
        raise ParseError(
            f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in "
            f"{total} record{'s' if total != 1 else ''}"
            if records else "no RIS records (a record starts with a 'TY  - ' line)",
            source=source, line=problems[0].line, problems=problems, articles=articles)
    return articles


def _assign_keys(readers: list[_Reader]) -> None:
    """Give every record without an ID a key of its own (``smith2019``, ``smith2019a``)."""
    taken = {r.values["id"] for r in readers if r.values.get("id")}
    next_suffix: dict[str, int] = {}
    for reader in readers:
        if reader.values.get("id"):
            continue
        base = reader.key()
        key, n = base, next_suffix.get(base, 0)
        while key in taken:
            key = base + _suffix(n)
            n += 1
        next_suffix[base] = n
        taken.add(key)
        reader.values["id"] = key


def _suffix(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < 26 else f"-{n + 1}"


# -- writing -------------------------------------------------------------------------------

_WRITE_VARIABLES = tuple(dict.fromkeys(
    row.variable for row in TAGS if row.writes and row.variable not in _SPECIAL))
_EXTRA_TAG = re.compile(r"ris:([A-Z][A-Z0-9])")
_SIMPLE_RANGE = re.compile(r"([^\s\-]+)-([^\s\-]+)")


_WRITER_KEYS = {tag: tag.lower() for tag in _ALL_TAGS}


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without its record-number header lines."""

    REFERENCE_TYPE_KEY = "ty"

    def set_header(self, count: int) -> str:
        return ""


def _rispy_writer() -> _Writer:
    return _Writer(mapping=_WRITER_KEYS, list_tags=_TAG_SET, delimiter_tags_mapping={})


def _year_text(year: int) -> str:
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _slash(date: Date) -> str:
    assert date.start is not None
    start = date.start
    month = f"{start.month:02d}" if start.month else ""
    day = f"{start.day:02d}" if start.day else ""
    season = str(date.season) if date.season is not None else ""
    return f"{_year_text(start.year)}/{month}/{day}/{season}"


def _date_value(date: Date, *, full: bool) -> str | None:
    """The DA/Y2 text for ``date``; None when PY alone says everything (``full`` False)."""
    if date.start is None:
        return date.literal or date.raw
    if date.raw is not None:
        reread = _read_date(date.raw).date
        if reread == date:
            return date.raw
    if date.end is not None or date.circa:
        return date.to_edtf()
    if not full and date.start.month is None and date.season is None:
        return None
    return _slash(date)


@dataclass
class _Dropped:
    """What a dump could not write, counted per label."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, label: str) -> None:
        self.counts[label] += 1

    def report(self) -> None:
        if self.counts:
            parts = [f"{label} ({n} record{'s' if n > 1 else ''})"
                     for label, n in sorted(self.counts.items())]
            warn("RIS has no place for " + "; ".join(parts) + "; not written", stacklevel=3)


def _ris_type(article: Article, dropped: _Dropped) -> str:
    override = article.extra.get("ris:TY")
    if isinstance(override, str) and override.strip():
        known = RIS_TO_CSL.get(override.strip().upper(), _UNKNOWN_TYPE)
        if known == article.type:
            return override.strip()
    if article.type in CSL_TO_RIS:
        return CSL_TO_RIS[article.type]
    nearest = NEAREST_TYPES.get(article.type, "GEN")
    dropped.add(f"type {article.type} (written as {nearest})")
    return nearest


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _record(article: Article, dropped: _Dropped) -> dict[str, Any]:
    """The rispy record (tag key -> values) for ``article``, in citekit's tag order."""
    ty = _ris_type(article, dropped)
    pairs: list[tuple[str, str]] = []

    def put(tag: str | None, value: str | None, label: str) -> None:
        if value is None or not value.strip():
            return
        if tag is None:
            dropped.add(label)
        else:
            pairs.append((tag, value))

    for variable in _WRITE_VARIABLES:
        value = article.get(variable)
        if value is None:
            continue
        text = _text(value)
        if text is None:
            dropped.add(f"{variable} (not text)")
            continue
        put(_writing(variable, ty), text, variable)
    for role, names in article.names.items():
        tag = _writing(role, ty)
        for name in names:
            put(tag, _write_name(name), role)
            if name.extra:
                dropped.add(f"{role} name properties ({', '.join(sorted(name.extra))})")
            if name.comma_suffix or name.static_ordering or name.parse_names is not None:
                dropped.add(f"{role} name flags")
    for variable, date in article.dates.items():
        if variable == "issued":
            # A literal date goes into PY as well, as Zotero writes it.
            put("PY", _year_text(date.start.year) if date.start else date.literal, variable)
            put("DA", _date_value(date, full=False), variable)
        elif variable == "accessed":
            put("Y2", _date_value(date, full=True), variable)
        else:
            dropped.add(variable)
    if article.page:
        match = _SIMPLE_RANGE.fullmatch(article.page)
        if match:
            pairs += [("SP", match.group(1)), ("EP", match.group(2))]
        else:
            pairs.append(("SP", article.page))
    for value in (article.issn, article.isbn):
        if value:
            pairs += [("SN", part) for part in value.split(", ") if part.strip()]
    for keyword in article.keywords:
        pairs.append(("KW", keyword))
    if article.note:
        pairs += [("N1", part) for part in article.note.split("\n\n") if part.strip()]
    put("DO", article.doi, "DOI")
    put("UR", article.url, "URL")
    for variable in ("PMID", "PMCID", "license"):
        if article.get(variable):
            dropped.add(variable)
    pairs.append(("ID", article.id))
    record: dict[str, Any] = {"ty": ty}
    for tag, value in sorted(pairs, key=lambda p: _ORDER_INDEX.get(p[0], len(_ORDER))):
        record.setdefault(tag.lower(), []).append(_line_safe(value))
    for key, value in article.extra.items():
        match = _EXTRA_TAG.fullmatch(key)
        if key == "ris:TY" or key in VARIABLE_FIELDS:
            continue
        if match is None:
            if not (key in _WRITE_VARIABLES and _text(value) is not None):
                dropped.add(f"extra {key!r}")
            continue
        values = value if isinstance(value, tuple) else (value,)
        texts = [_text(v) for v in values]
        if any(t is None for t in texts):
            dropped.add(f"extra {key!r} (not text)")
            continue
        record.setdefault(match.group(1).lower(), []).extend(
            _line_safe(t) for t in texts if t is not None and t.strip())
    return record


def _line_safe(value: str) -> str:
    """Continuation lines that would read as tag lines are indented."""
    if "\n" not in value and "\r" not in value:
        return value.strip()
    lines = _LINE_BREAK.split(value.strip())
    return "\n".join([lines[0]] + [(" " + line if _TAG_LINE.match(line) else line)
                                   for line in lines[1:]])


def dump_iter(articles: Iterable[Article], *, line_ending: str = "lf",
              **options: Any) -> Iterator[str]:
    """Write ``articles`` as RIS, one record at a time (for streaming conversion)."""
    if options:
        raise OptionError(f"RIS takes no option {', '.join(sorted(options))} "
                          "(it takes line_ending=lf|crlf)")
    if line_ending not in ("lf", "crlf"):
        raise OptionError(f"line_ending must be 'lf' or 'crlf', not {line_ending!r}")
    writer = _rispy_writer()
    dropped = _Dropped()
    first = True
    for article in articles:
        chunk = writer.formats([_record(article, dropped)])
        if not first:
            chunk = "\n" + chunk
        first = False
        yield chunk.replace("\n", "\r\n") if line_ending == "crlf" else chunk
    dropped.report()


def dump(articles: Sequence[Article], *, line_ending: str = "lf", **options: Any) -> str:
    """Write ``articles`` as RIS (records separated by a blank line)."""
    return "".join(dump_iter(articles, line_ending=line_ending, **options))


def sniff(text: str) -> bool:
    """A ``TY  - `` line among the first few non-blank lines (as Zotero detects RIS)."""
    seen = 0
    for line in _LINE_BREAK.split(text.lstrip("\ufeff")):
        stripped = line.strip()
        if not stripped:
            continue
        if re.match(r"TY {1,2}-(?:[ \t]|$)", stripped):
            return True
        seen += 1
        if seen > 4:
            return False
    return False


# -- the documented tables -----------------------------------------------------------------


def mapping_tables_markdown() -> str:
    """The tag table and the type table as Markdown (the RIS documentation page shows them)."""
    lines = ["| tag | CSL variable | RIS types | written | note |", "|---|---|---|---|---|"]
    for row in TAGS:
        specific = any(r.types for r in _ROWS_BY_TAG[row.tag])
        types = ", ".join(row.types) if row.types else ("all others" if specific else "all")
        lines.append(f"| `{row.tag}` | `{row.variable}` | {types} | "
                     f"{'yes' if row.writes else 'read only'} | {row.note} |")
    lines += ["", "| RIS type | meaning | CSL type | written for it |", "|---|---|---|---|"]
    for t in TYPES:
        lines.append(f"| `{t.ris}` | {t.label} | `{t.csl}` | {'yes' if t.writes else ''} |")
    lines += ["", "| CSL type without a RIS type | written as | read back as |",
              "|---|---|---|"]
    for csl, ris in NEAREST_TYPES.items():
        lines.append(f"| `{csl}` | `{ris}` | `{RIS_TO_CSL[ris]}` |")
    return "\n".join(lines) + "\n"


def _decode(data: bytes, source: str | None) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, else
    Windows-1252 as older EndNote versions write it (with a warning)."""
    return decode_text(data, source, legacy=("cp1252", "latin-1"))


FORMATS = (
    Format(
        name="ris",
        aliases=("refman", "endnote-ris"),
        extensions=("ris",),
        media_type="application/x-research-info-systems",
        parse=parse,
        dump=dump,
        dump_iter=dump_iter,
        sniff=sniff,
        decode=_decode,
        keeps=KEEPS,
        description="RIS (EndNote, Zotero, Mendeley, RefWorks; journal 'Download citation')",
    ),
)
