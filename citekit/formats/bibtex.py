"""BibTeX and BibLaTeX, read and written without losing a field.

Reading uses bibtexparser 2.x for the syntax (its splitter finds the entries,
fields and line numbers) and pylatexenc, through :mod:`citekit.formats._latex`,
for LaTeX -> Unicode. On top of that this module evaluates values (``@string``
macros, month macros, ``#`` concatenation), resolves ``crossref`` and ``xdata``
inheritance, splits names by the BibTeX rules (von/Last/Jr/First, braces for
organisations, ``and others``), reads BibLaTeX dates, and maps entry types and
fields to CSL through the tables :data:`ENTRY_TYPES`, :data:`WRITE_TYPES` and
:data:`FIELDS` (the same tables are published in ``docs/formats/bibtex.md``).

A field with no CSL home is kept in :attr:`Article.extra` as
``"bibtex:<field>"`` with its LaTeX source, and written back as it was. When an
Article holds something no BibTeX field can carry exactly (a CSL type BibTeX
lacks, a date with a season, an ``extra`` value from another format, an id
that is not a valid key), the writer adds one field, ``citekit``, holding those
values as JSON; reading restores them, so ``loads(dumps(articles))`` gives the
same Articles back. ``lossless=False`` leaves it out.

Two formats are registered: ``bibtex`` reads either dialect (it tells them
apart by the entry types and fields a file uses) and writes classic BibTeX;
``biblatex`` applies the BibLaTeX rules when reading and writes BibLaTeX.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from typing import Any

from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)
from bibtexparser.splitter import Splitter

from citekit.errors import OptionError, ParseError, Problem, ValidationError, warn
from citekit.formats import Format
from citekit.formats._latex import (
    latex_to_plain,
    latex_to_rich,
    needs_latex,
    rich_to_latex,
    strip_tags,
)
from citekit.model import (
    FIELD_VARIABLES,
    VARIABLE_FIELDS,
    Article,
    Date,
    DatePart,
    FrozenMap,
    Name,
    freeze,
    thaw,
)

__all__ = [
    "ENTRY_TYPES",
    "FIELDS",
    "FORMATS",
    "LANGUAGES",
    "WRITE_TYPES",
    "FieldRule",
    "TypeRule",
    "dump",
    "dump_biblatex",
    "mapping_markdown",
    "parse",
    "parse_biblatex",
    "sniff",
]

BIBTEX = "bibtex"
BIBLATEX = "biblatex"

# bibtexparser and pylatexenc log what citekit reports itself (as warnings and
# ParseErrors); without a handler of the application's, Python would print those logs.
for _logger in ("bibtexparser", "pylatexenc"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

# =======================================================================================
# The mapping: entry types and fields. The documentation's tables are made from these.
# =======================================================================================


@dataclass(frozen=True)
class TypeRule:
    """How one BibTeX/BibLaTeX entry type reads into CSL."""

    entry_type: str
    csl_type: str
    dialect: str = "both"  # "bibtex", "biblatex" or "both": where the type is standard
    genre: str | None = None  # the CSL genre the type implies (when no `type` field)
    note: str = ""


#: Entry type -> CSL type (reading). Types not listed are read as ``document``, with
#: the original type kept in ``extra["bibtex:@type"]`` and a warning.
ENTRY_TYPES: tuple[TypeRule, ...] = (
    TypeRule("article", "article-journal", note="`entrysubtype = magazine` or "
             "`newspaper`: article-magazine, article-newspaper"),
    TypeRule("book", "book"),
    TypeRule("mvbook", "book", BIBLATEX),
    TypeRule("inbook", "chapter"),
    TypeRule("bookinbook", "chapter", BIBLATEX),
    TypeRule("suppbook", "chapter", BIBLATEX),
    TypeRule("booklet", "pamphlet"),
    TypeRule("collection", "book", BIBLATEX),
    TypeRule("mvcollection", "book", BIBLATEX),
    TypeRule("incollection", "chapter"),
    TypeRule("suppcollection", "chapter", BIBLATEX),
    TypeRule("dataset", "dataset", BIBLATEX),
    TypeRule("manual", "book"),
    TypeRule("misc", "document"),
    TypeRule("online", "webpage", BIBLATEX),
    TypeRule("electronic", "webpage", note="IEEEtran; in BibLaTeX an alias of online"),
    TypeRule("www", "webpage", note="in BibLaTeX an alias of online"),
    TypeRule("patent", "patent", BIBLATEX),
    TypeRule("periodical", "periodical", BIBLATEX),
    TypeRule("suppperiodical", "article-journal", BIBLATEX),
    TypeRule("proceedings", "book"),
    TypeRule("mvproceedings", "book", BIBLATEX),
    TypeRule("inproceedings", "paper-conference"),
    TypeRule("conference", "paper-conference", note="alias of inproceedings"),
    TypeRule("reference", "book", BIBLATEX),
    TypeRule("mvreference", "book", BIBLATEX),
    TypeRule("inreference", "entry", BIBLATEX),
    TypeRule("report", "report", BIBLATEX),
    TypeRule("techreport", "report"),
    TypeRule("software", "software", BIBLATEX),
    TypeRule("thesis", "thesis", BIBLATEX),
    TypeRule("phdthesis", "thesis", genre="PhD thesis"),
    TypeRule("mastersthesis", "thesis", genre="Master's thesis"),
    TypeRule("unpublished", "manuscript"),
    TypeRule("artwork", "graphic", BIBLATEX),
    TypeRule("audio", "song", BIBLATEX),
    TypeRule("image", "figure", BIBLATEX),
    TypeRule("jurisdiction", "legal_case", BIBLATEX),
    TypeRule("legislation", "legislation", BIBLATEX),
    TypeRule("legal", "treaty", BIBLATEX),
    TypeRule("letter", "personal_communication", BIBLATEX),
    TypeRule("movie", "motion_picture", BIBLATEX),
    TypeRule("video", "motion_picture", BIBLATEX),
    TypeRule("music", "song", BIBLATEX),
    TypeRule("performance", "performance", BIBLATEX),
    TypeRule("review", "review", BIBLATEX),
    TypeRule("standard", "standard", BIBLATEX),
    TypeRule("commentary", "book", BIBLATEX),
    TypeRule("set", "document", BIBLATEX, note="an entry set; `entryset` kept in extra"),
    TypeRule("xdata", "document", BIBLATEX, note="a data container; its fields are "
             "also copied into the entries that name it in `xdata`"),
)

#: CSL type -> (BibTeX entry type, BibLaTeX entry type) written for it. Where the
#: entry type does not read back as the same CSL type, the CSL type travels in the
#: ``citekit`` field.
WRITE_TYPES: dict[str, tuple[str, str]] = {
    "article": ("article", "article"),
    "article-journal": ("article", "article"),
    "article-magazine": ("article", "article"),
    "article-newspaper": ("article", "article"),
    "bill": ("misc", "legislation"),
    "book": ("book", "book"),
    "broadcast": ("misc", "audio"),
    "chapter": ("incollection", "incollection"),
    "classic": ("misc", "misc"),
    "collection": ("misc", "misc"),
    "dataset": ("misc", "dataset"),
    "document": ("misc", "misc"),
    "entry": ("incollection", "inreference"),
    "entry-dictionary": ("incollection", "inreference"),
    "entry-encyclopedia": ("incollection", "inreference"),
    "event": ("misc", "misc"),
    "figure": ("misc", "image"),
    "graphic": ("misc", "artwork"),
    "hearing": ("misc", "legal"),
    "interview": ("misc", "misc"),
    "legal_case": ("misc", "jurisdiction"),
    "legislation": ("misc", "legislation"),
    "manuscript": ("unpublished", "unpublished"),
    "map": ("misc", "misc"),
    "motion_picture": ("misc", "movie"),
    "musical_score": ("misc", "misc"),
    "pamphlet": ("booklet", "booklet"),
    "paper-conference": ("inproceedings", "inproceedings"),
    "patent": ("misc", "patent"),
    "performance": ("misc", "performance"),
    "periodical": ("misc", "periodical"),
    "personal_communication": ("misc", "letter"),
    "post": ("misc", "online"),
    "post-weblog": ("misc", "online"),
    "regulation": ("misc", "legislation"),
    "report": ("techreport", "report"),
    "review": ("article", "review"),
    "review-book": ("article", "review"),
    "software": ("misc", "software"),
    "song": ("misc", "music"),
    "speech": ("misc", "misc"),
    "standard": ("techreport", "standard"),
    "thesis": ("phdthesis", "thesis"),
    "treaty": ("misc", "legal"),
    "webpage": ("misc", "online"),
}

#: BibLaTeX's localisation keys for the `type` field -> the CSL genre they stand for.
TYPE_KEYS: dict[str, str] = {
    "mathesis": "Master's thesis",
    "phdthesis": "PhD thesis",
    "candthesis": "Candidate thesis",
    "bathesis": "Bachelor's thesis",
    "techreport": "technical report",
    "resreport": "research report",
    "software": "computer software",
    "datacd": "data CD",
    "audiocd": "audio CD",
    "patent": "patent",
    "patentde": "German patent",
    "patenteu": "European patent",
    "patentfr": "French patent",
    "patentuk": "British patent",
    "patentus": "U.S. patent",
    "patreq": "patent request",
    "patreqde": "German patent request",
    "patreqeu": "European patent request",
    "patreqfr": "French patent request",
    "patrequk": "British patent request",
    "patrequs": "U.S. patent request",
}


@dataclass(frozen=True)
class FieldRule:
    """How one BibTeX/BibLaTeX field reads into CSL (and which field is written)."""

    fields: tuple[str, ...]  # the field (and its aliases, first one written)
    csl: str  # the CSL variable
    kind: str  # text, verbatim, names, date, pages, keywords, language, list, key
    dialect: str = "both"  # where the field is standard
    when: str = ""  # condition, for the documentation


#: The field mapping. Rules with a ``when`` condition are applied by the code named in
#: the condition; the rest are one-to-one. Every field not listed is kept in
#: ``extra["bibtex:<field>"]``.
FIELDS: tuple[FieldRule, ...] = (
    FieldRule(("title",), "title", "text", when="with `subtitle` appended after \": \"; "
              "for a book with `maintitle`, title is the main title"),
    FieldRule(("subtitle",), "title", "text", BIBLATEX, "appended to title"),
    FieldRule(("shorttitle",), "title-short", "text"),
    FieldRule(("journaltitle", "journal"), "container-title", "text",
              when="with `journalsubtitle`"),
    FieldRule(("booktitle",), "container-title", "text",
              when="with `booksubtitle`; for contributions without `maintitle`"),
    FieldRule(("maintitle",), "container-title", "text", BIBLATEX,
              "with `mainsubtitle`; for contributions (in*): container-title, and "
              "`booktitle` becomes volume-title; for books: title, and `title` becomes "
              "volume-title"),
    FieldRule(("issuetitle",), "volume-title", "text", BIBLATEX),
    FieldRule(("shortjournal",), "container-title-short", "text", BIBLATEX),
    FieldRule(("series",), "collection-title", "text"),
    FieldRule(("origtitle",), "original-title", "text", BIBLATEX),
    FieldRule(("eventtitle",), "event-title", "text", BIBLATEX),
    FieldRule(("author",), "author", "names"),
    FieldRule(("editor",), "editor", "names",
              when="`editortype` = compiler, director, organizer or collaborator "
              "(contributor) chooses that role"),
    FieldRule(("translator",), "translator", "names", BIBLATEX),
    FieldRule(("bookauthor",), "container-author", "names", BIBLATEX),
    FieldRule(("date",), "issued", "date", BIBLATEX, "EDTF: ranges, `~` circa, open ends"),
    FieldRule(("year", "month", "day"), "issued", "date",
              when="when there is no `date`; month macros and names; a year that is "
              "not a number is a literal date"),
    FieldRule(("urldate",), "accessed", "date", BIBLATEX),
    FieldRule(("eventdate",), "event-date", "date", BIBLATEX),
    FieldRule(("origdate",), "original-date", "date", BIBLATEX),
    FieldRule(("volume",), "volume", "text"),
    FieldRule(("volumes",), "number-of-volumes", "text", BIBLATEX),
    FieldRule(("number",), "issue", "text", when="article, periodical"),
    FieldRule(("number",), "collection-number", "text",
              when="books, collections, proceedings and their parts"),
    FieldRule(("number",), "number", "text", when="all other types (reports, patents...)"),
    FieldRule(("issue",), "issue", "text", BIBLATEX, "when `number` did not give one"),
    FieldRule(("eid",), "number", "text", BIBLATEX, "article"),
    FieldRule(("pages",), "page", "pages", when="`--` read as `-`"),
    FieldRule(("pagetotal",), "number-of-pages", "text", BIBLATEX),
    FieldRule(("edition",), "edition", "text"),
    FieldRule(("chapter",), "chapter-number", "text"),
    FieldRule(("part",), "part", "text", BIBLATEX),
    FieldRule(("version",), "version", "text", BIBLATEX),
    FieldRule(("publisher",), "publisher", "list", when="BibLaTeX lists joined with \"; \""),
    FieldRule(("institution", "school"), "publisher", "list",
              when="reports, theses, manuals (when there is no publisher)"),
    FieldRule(("organization",), "publisher", "list", when="when there is no publisher"),
    FieldRule(("howpublished",), "publisher", "text",
              when="when there is no other publisher (a URL goes to URL)"),
    FieldRule(("location", "address"), "publisher-place", "list",
              when="patents: jurisdiction"),
    FieldRule(("venue",), "event-place", "text", BIBLATEX),
    FieldRule(("origpublisher",), "original-publisher", "list", BIBLATEX),
    FieldRule(("origlocation",), "original-publisher-place", "list", BIBLATEX),
    FieldRule(("doi",), "DOI", "verbatim"),
    FieldRule(("url",), "URL", "verbatim"),
    FieldRule(("isbn",), "ISBN", "text"),
    FieldRule(("issn",), "ISSN", "text"),
    FieldRule(("pmid",), "PMID", "text", when="also `eprint` with `eprinttype = pubmed`"),
    FieldRule(("pmcid",), "PMCID", "text", when="also `eprint` with `eprinttype = pmc`"),
    FieldRule(("abstract",), "abstract", "text"),
    FieldRule(("keywords",), "keyword", "keywords", when="split at commas (or semicolons)"),
    FieldRule(("langid",), "language", "language", BIBLATEX, "babel name -> BCP 47 tag"),
    FieldRule(("language",), "language", "language",
              when="when there is no `langid`; babel names become BCP 47 tags"),
    FieldRule(("note",), "note", "text"),
    FieldRule(("annotation", "annote"), "annote", "text"),
    FieldRule(("pubstate",), "status", "text", BIBLATEX),
    FieldRule(("type",), "genre", "text", when="BibLaTeX keys (`phdthesis`, `mathesis`, "
              "`techreport`, `patentus`...) become their English names"),
    FieldRule(("library",), "call-number", "text", BIBLATEX),
)

#: babel / polyglossia language names -> BCP 47 tags (the first name of a tag is the
#: one written).
LANGUAGES: dict[str, str] = {
    "english": "en", "american": "en-US", "USenglish": "en-US", "british": "en-GB",
    "UKenglish": "en-GB", "canadian": "en-CA", "australian": "en-AU",
    "newzealand": "en-NZ", "german": "de", "ngerman": "de", "austrian": "de-AT",
    "naustrian": "de-AT", "swissgerman": "de-CH", "nswissgerman": "de-CH",
    "french": "fr", "francais": "fr", "acadian": "fr-CA", "canadien": "fr-CA",
    "spanish": "es", "mexican": "es-MX", "italian": "it", "dutch": "nl",
    "portuguese": "pt", "portuges": "pt", "brazilian": "pt-BR", "brazil": "pt-BR",
    "swedish": "sv", "danish": "da", "norsk": "nb", "norwegian": "nb", "nynorsk": "nn",
    "finnish": "fi", "icelandic": "is", "polish": "pl", "czech": "cs", "slovak": "sk",
    "slovene": "sl", "slovenian": "sl", "croatian": "hr", "serbian": "sr",
    "russian": "ru", "ukrainian": "uk", "bulgarian": "bg", "belarusian": "be",
    "macedonian": "mk", "greek": "el", "latin": "la", "hungarian": "hu",
    "magyar": "hu", "romanian": "ro", "turkish": "tr", "catalan": "ca", "basque": "eu",
    "galician": "gl", "estonian": "et", "latvian": "lv", "lithuanian": "lt",
    "hebrew": "he", "arabic": "ar", "persian": "fa", "japanese": "ja", "chinese": "zh",
    "korean": "ko", "vietnamese": "vi", "thai": "th", "hindi": "hi", "sanskrit": "sa",
    "irish": "ga", "welsh": "cy", "scottish": "gd", "afrikaans": "af",
    "albanian": "sq", "armenian": "hy", "georgian": "ka", "esperanto": "eo",
    "indonesian": "id", "bahasa": "id", "malay": "ms", "mongolian": "mn",
}
_LANGUAGE_TAGS = {name.lower(): tag for name, tag in LANGUAGES.items()}
_LANGUAGE_NAMES: dict[str, str] = {}
for _name, _tag in LANGUAGES.items():
    _LANGUAGE_NAMES.setdefault(_tag.lower(), _name)

# --- derived lookups (all from the tables above) ---------------------------------------

_TYPE_RULES: dict[str, TypeRule] = {rule.entry_type: rule for rule in ENTRY_TYPES}
_BIBLATEX_TYPES = frozenset(r.entry_type for r in ENTRY_TYPES if r.dialect == BIBLATEX)
#: BibLaTeX types that mark a file as BibLaTeX (not those BibTeX styles such as
#: IEEEtran know too).
_BIBLATEX_TYPE_SIGNS = _BIBLATEX_TYPES - {"patent", "periodical"}
_BIBTEX_TYPES = frozenset(r.entry_type for r in ENTRY_TYPES if r.dialect != BIBLATEX)
_ALL_TYPES = frozenset(_TYPE_RULES)
_GENRE_KEYS = {genre.lower(): key for key, genre in TYPE_KEYS.items()}

#: Fields that only BibLaTeX uses: seeing one (or a BibLaTeX-only type) marks a file
#: as BibLaTeX when the dialect is detected.
_BIBLATEX_SIGNS = frozenset(
    """date journaltitle location langid maintitle subtitle titleaddon booksubtitle
    mainsubtitle journalsubtitle bookauthor editora editorb editorc editortype xdata
    eprinttype pubstate origdate eventdate eventtitle venue indextitle sorttitle
    shortjournal origlocation origpublisher issuetitle langidopts entrysubtype""".split())

#: Fields whose value is read by the mapping (everything else goes to extra).
_MAPPED_FIELDS = frozenset(
    name for rule in FIELDS for name in rule.fields
) | frozenset({"booksubtitle", "mainsubtitle", "journalsubtitle", "editortype",
               "eprint", "eprinttype", "entrysubtype", "options"})

#: Name fields read into CSL roles; editors with an `editortype` that CSL has a role for.
_NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator",
                "bookauthor": "container-author"}
_EDITOR_TYPES = {"compiler": "compiler", "director": "director", "organizer": "organizer",
                 "collaborator": "contributor", "editor": "editor"}

#: Entry types whose `number` is the issue, or the number in a series.
_ISSUE_NUMBER_TYPES = frozenset({"article", "periodical", "suppperiodical"})
_SERIES_NUMBER_TYPES = frozenset(
    """book mvbook inbook bookinbook suppbook collection mvcollection incollection
    suppcollection proceedings mvproceedings inproceedings conference reference
    mvreference inreference booklet manual""".split())
#: Entry types that are contributions to a larger work (container-title from booktitle or
#: maintitle).
_PART_TYPES = frozenset(
    """inbook bookinbook suppbook incollection suppcollection inproceedings conference
    inreference""".split())
_BOOK_TYPES = frozenset(
    """book mvbook collection mvcollection proceedings mvproceedings reference
    mvreference manual booklet thesis phdthesis mastersthesis report techreport
    commentary""".split())
#: Entry types whose container is a journal (written as `journal` / `journaltitle`).
_JOURNAL_TYPES = frozenset(
    """article periodical suppperiodical review online electronic www misc""".split())
_INSTITUTION_TYPES = frozenset(
    "report techreport thesis phdthesis mastersthesis manual".split())

#: BibLaTeX crossref inheritance (biblatex manual, appendix B): (parent types, child
#: types) -> {parent field: child field}. Fields not named are inherited as they are,
#: except those in _NOT_INHERITED.
_INHERITANCE: tuple[tuple[frozenset[str], frozenset[str], dict[str, str]], ...] = (
    (frozenset({"mvbook"}), frozenset({"book", "inbook", "bookinbook", "suppbook"}),
     {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon",
      "author": "author"}),
    (frozenset({"mvcollection", "mvreference"}),
     frozenset({"collection", "reference", "incollection", "inreference",
                "suppcollection"}),
     {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}),
     {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}),
     {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon",
      "author": "bookauthor"}),
    (frozenset({"collection", "reference"}),
     frozenset({"incollection", "inreference", "suppcollection"}),
     {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}),
    (frozenset({"proceedings"}), frozenset({"inproceedings", "conference"}),
     {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}),
    (frozenset({"periodical"}), frozenset({"article", "suppperiodical"}),
     {"title": "journaltitle", "subtitle": "journalsubtitle"}),
)
_NOT_INHERITED = frozenset(
    """ids crossref xref entryset entrysubtype execute label options presort related
    relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey xdata
    citekit""".split())
_NOT_INHERITED_TITLES = frozenset({"shorttitle", "sorttitle", "indextitle",
                                   "indexsorttitle"})
#: Fields that stand for the same data: a child that has one does not inherit the other.
_SAME_DATA: dict[str, tuple[str, ...]] = {
    "journal": ("journaltitle",), "journaltitle": ("journal",),
    "address": ("location",), "location": ("address",),
    "school": ("institution",), "institution": ("school",),
    "annote": ("annotation",), "annotation": ("annote",),
    "date": ("year", "month", "day"), "year": ("date",), "month": ("date",),
    "day": ("date",),
}

_MONTHS = {name: i + 1 for i, name in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_MONTH_MACROS = {abbr: _MONTH_NAMES[i] for abbr, i in
                 ((a, n - 1) for a, n in _MONTHS.items())}

#: The field the writer adds for what no other field can carry.
CITEKIT_FIELD = "citekit"
#: ``extra`` key holding the original entry type when the CSL type does not give it back.
TYPE_KEY = "bibtex:@type"
#: ``extra`` key holding the @preamble blocks that come before an entry (written back).
PREAMBLE_KEY = "bibtex:@preamble"
EXTRA_PREFIX = "bibtex:"

# =======================================================================================
# Reading
# =======================================================================================

_WORD_CHARS = re.compile(r"[^\s#,={}\"]+")
_FIELD_NAME = re.compile(r"^[^\s\"#%'(),={}\\@]+$")
_STRAY_FIELD = re.compile(r"^\s*[,}]|^\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]")
_URLISH = re.compile(r"^\s*(?:\\url\{([^{}]*)\}|(https?://\S+))\s*$")
_EXTENDED_NAME = re.compile(
    r"^\s*(?:family|given|prefix|suffix|useprefix|given-i|family-i|prefix-i|suffix-i)"
    r"\s*=", re.IGNORECASE)
_AND = re.compile(r"\sand\s", re.IGNORECASE)
_YEAR = re.compile(r"^(-?\d{1,4})$")
_YEAR_RANGE = re.compile(r"^(\d{3,4})\s*(?:-{1,3}|\u2013|\u2014|/)\s*(\d{3,4})$")
_YEAR_CIRCA = re.compile(r"^(?:c\.|ca\.|circa|approx\.)\s*(\d{3,4})$", re.IGNORECASE)
_YEAR_SUFFIX = re.compile(r"^(\d{4})[a-z]$")
_DATABASE_TYPE = re.compile(r"jabref-meta:\s*databaseType:\s*(\w+)", re.IGNORECASE)
_UNSPECIFIED_YEAR = re.compile(r"^\d{1,3}[Xu]{1,3}$")
_EDTF_TIME = re.compile(r"^(-?\d{4}(?:-\d{2}(?:-\d{2})?)?)T[\d:.+Z-]*$")


@dataclass
class _Entry:
    """One entry after value evaluation: lower-case field names -> LaTeX source."""

    entry_type: str
    key: str
    line: int
    fields: dict[str, str]
    field_lines: dict[str, int]
    preambles: tuple[str, ...] = ()  # the @preamble blocks just before the entry


class _Macros:
    """@string definitions (case-insensitive), with the month macros predefined."""

    def __init__(self) -> None:
        self.values: dict[str, str] = dict(_MONTH_MACROS)
        self.unknown: dict[str, int] = {}

    def get(self, name: str, line: int) -> str:
        value = self.values.get(name.lower())
        if value is None:
            self.unknown.setdefault(name, line)
            return name
        return value


_DELIMITERS = re.compile(r'\\.|[{}"]', re.DOTALL)


def _piece_end(raw: str, start: int) -> int:
    """The index just past the braced or quoted piece starting at ``start`` (braces
    preceded by a backslash do not count, as for the splitter); -1 when it never ends."""
    quoted = raw[start] == '"'
    depth = 0
    for match in _DELIMITERS.finditer(raw, start if not quoted else start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return match.end()
        elif char == '"' and quoted and depth == 0:
            return match.end()
    return -1


def _evaluate(raw: str, macros: _Macros, line: int) -> str:
    """A field value as BibTeX reads it: braced or quoted text, numbers and macros,
    joined by ``#``."""
    if not raw:
        return ""
    first = raw[0]
    if "#" not in raw:
        if first == "{":
            return raw[1:-1] if raw[-1] == "}" else raw[1:]
        if first == '"' and raw[-1] == '"' and len(raw) >= 2:
            return raw[1:-1]
        if raw.isdigit():
            return raw
        return macros.get(raw.strip(), line)
    pieces: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        char = raw[i]
        if char.isspace() or char == "#":
            i += 1
            continue
        if char == "{" or char == '"':
            end = _piece_end(raw, i)
            if end < 0:
                pieces.append(raw[i + 1:])
                break
            pieces.append(raw[i + 1:end - 1])
            i = end
        else:
            match = _WORD_CHARS.match(raw, i)
            word = match.group() if match else raw[i]
            pieces.append(word if word.isdigit() else macros.get(word, line))
            i += len(word)
    return "".join(pieces)


def _balanced(text: str) -> bool:
    """Whether the braces of ``text`` balance (escaped ones counted apart, as the
    splitter sees them, and all of them, as BibTeX does)."""
    depth = escaped_depth = 0
    prev = ""
    for char in text:
        if char == "{":
            depth += 1
            if prev != "\\":
                escaped_depth += 1
        elif char == "}":
            depth -= 1
            if prev != "\\":
                escaped_depth -= 1
            if depth < 0 or escaped_depth < 0:
                return False
        prev = char if not (prev == "\\" and char == "\\") else ""
    return depth == 0 and escaped_depth == 0


def _clean_name_text(text: str) -> str | None:
    text = text.replace("\u00a0", " ").strip()
    if "  " in text:
        text = re.sub(r" {2,}", " ", text)
    return text or None


def _single_group(text: str) -> bool:
    """``{...}`` where the first brace closes at the very end."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return False
    depth = 0
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0


def _split_top_level(text: str, separator: str = ",") -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _unbrace(text: str) -> str:
    text = text.strip()
    return text[1:-1] if _single_group(text) else text


def _extended_name(text: str, default_useprefix: bool = False) -> Name | None:
    """BibLaTeX's ``family=Gogh, given=Vincent, prefix=van, useprefix=true``."""
    parts: dict[str, str] = {}
    for piece in _split_top_level(text):
        if not piece.strip():
            continue
        key, sep, value = piece.partition("=")
        if not sep:
            return None
        parts[key.strip().lower()] = _unbrace(value)
    useprefix = parts.pop("useprefix", "true" if default_useprefix else "false") \
        .strip().lower() in ("true", "")
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for key, value in parts.items():
        plain = _clean_name_text(latex_to_plain(value))
        if key == "family":
            values["family"] = plain
        elif key == "given":
            values["given"] = plain
        elif key == "suffix":
            values["suffix"] = plain
        elif key == "prefix":
            values["non_dropping_particle" if useprefix else "dropping_particle"] = plain
        elif value.strip():
            extra[f"bibtex:{key}"] = value.strip()
    if not any(values.values()):
        return None
    return Name(**values, extra=extra)


@lru_cache(maxsize=8192)
def _read_names(raw: str, biblatex: bool, useprefix: bool) -> tuple[tuple[Name, ...],
                                                                    tuple[str, ...]]:
    """The names of a name-list field, and the pieces that are not names."""
    pieces = [raw.strip()] if _AND.search(raw) is None else split_multiple_persons_names(raw)
    names: list[Name] = []
    bad: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        name = _read_name(piece, biblatex, useprefix)
        if name is None:
            bad.append(piece)
        else:
            names.append(name)
    return tuple(names), tuple(bad)


_NAME_SPECIALS = re.compile(r"[{}\\~\t\r\n]")


def _simple_name_parts(piece: str) -> tuple[list[str], list[str]] | None:
    """(first words, last words) for the two commonest name shapes, "Last, First"
    with a one-word Last and "First Last": what the BibTeX rules (bibtexparser's
    ``parse_single_name_into_parts``) give for them. None for any other shape."""
    if _NAME_SPECIALS.search(piece) is not None or "--" in piece or "''" in piece \
            or "``" in piece:
        return None
    commas = piece.count(",")
    if commas == 1:
        last, first = piece.split(",")
        last = last.strip(" ")
        if not last or " " in last:
            return None
        return [w for w in first.split(" ") if w], [last]
    if commas == 0:
        words = [w for w in piece.split(" ") if w]
        if len(words) <= 2:
            return words[:-1], words[-1:]
    return None


@lru_cache(maxsize=16384)
def _read_name(piece: str, biblatex: bool, useprefix: bool) -> Name | None:
    """One name of a name list (None when it is not a name)."""
    if piece == "others":
        return Name(literal="others")
    if "=" in piece and _EXTENDED_NAME.match(piece):
        return _extended_name(piece, useprefix)
    if piece[0] == "{" and _single_group(piece) and not piece.startswith("{\\"):
        literal = _clean_name_text(latex_to_plain(piece[1:-1]))
        return Name(literal=literal) if literal else None
    simple = _simple_name_parts(piece)
    if simple is not None:
        first_words, last_words = simple
        von_words: list[str] = []
        jr_words: list[str] = []
    else:
        parts = parse_single_name_into_parts(piece, strict=False)
        first_words, von_words, last_words, jr_words = (parts.first, parts.von, parts.last,
                                                        parts.jr)
    family = _clean_name_text(latex_to_plain(" ".join(last_words)))
    given = _clean_name_text(latex_to_plain(" ".join(first_words)))
    von = _clean_name_text(latex_to_plain(" ".join(von_words)))
    suffix = _clean_name_text(latex_to_plain(" ".join(jr_words)))
    if not (family or given or von):
        return None
    if von and not (biblatex and not useprefix):
        return Name(family=family, given=given, non_dropping_particle=von, suffix=suffix)
    if von:
        return Name(family=family, given=given, dropping_particle=von, suffix=suffix)
    return Name(family=family, given=given, suffix=suffix)


def _useprefix(options: str) -> bool:
    """Whether a BibLaTeX ``options`` field sets ``useprefix`` (to true)."""
    return re.search(r"(?:^|,)\s*useprefix\s*(?:=\s*true\s*)?(?:,|$)", options) is not None


@lru_cache(maxsize=4096)
def _read_edtf(text: str) -> Date | None:
    """A BibLaTeX date field: EDTF, with the raw text kept when it says more than the
    parts (open ranges, times)."""
    text = text.strip()
    date = Date.from_edtf(text)
    if date is None:
        match = _EDTF_TIME.match(text)
        if match:
            inner = Date.from_edtf(match.group(1))
            if inner is not None:
                return replace(inner, raw=text)
        if "/" in text:
            start, _, end = text.partition("/")
            left = Date.from_edtf(start) if start.strip() else None
            right = Date.from_edtf(end) if end.strip() not in ("", "..") else None
            if left is not None and left.start is not None:
                return Date(start=left.start,
                            end=right.start if right is not None else None,
                            circa=left.circa, raw=text)
        return None
    if date.to_edtf() != text:
        return replace(date, raw=text)
    return date


@lru_cache(maxsize=1024)
def _read_month(text: str) -> tuple[int | None, int | None]:
    """A month field: ``jan``, ``January``, ``Jan.``, ``1``, ``10~Oct``, ``Oct 10``."""
    cleaned = re.sub(r"[.,~\u00a0]", " ", text).strip().lower()
    if not cleaned:
        return None, None
    if cleaned.isdigit():
        number = int(cleaned)
        return (number, None) if 1 <= number <= 12 else (None, None)
    month = day = None
    for token in cleaned.split():
        if token.isalpha() and token[:3] in _MONTHS and (
                len(token) <= 3 or _MONTH_NAMES[_MONTHS[token[:3]] - 1].lower()
                .startswith(token)):
            if month is not None:
                return None, None
            month = _MONTHS[token[:3]]
        elif token.isdigit() and 1 <= int(token) <= 31 and day is None:
            day = int(token)
        else:
            return None, None
    return month, day


@lru_cache(maxsize=4096)
def _plain_year(text: str) -> Date | None:
    """A year field's text: a year, a range, ``ca. 1850``, ``1998a``."""
    match = _YEAR.match(text)
    if match:
        return Date(start=DatePart(int(match.group(1))))
    match = _YEAR_RANGE.match(text)
    if match:
        start, end = match.groups()
        return Date(start=DatePart(int(start)), end=DatePart(int(end)),
                    raw=None if text == f"{start}--{end}" else text)
    match = _YEAR_CIRCA.match(text)
    if match:
        return Date(start=DatePart(int(match.group(1))), circa=True, raw=text)
    match = _YEAR_SUFFIX.match(text)
    if match:
        return Date(start=DatePart(int(match.group(1))), raw=text)
    return None


_SEASONS = {"spring": "Spring", "summer": "Summer", "autumn": "Autumn", "fall": "Fall",
            "winter": "Winter"}


@lru_cache(maxsize=4096)
def _issued(year: str, month: str | None, day: str | None) -> tuple[Date | None, int, str]:
    """The issued date from year, month and day fields (as text): the Date, which of
    month (1) and day (2) it used, and what could not be used."""
    date = _plain_year(year)
    if date is None or month is None or date.start is None:
        return date, 0, ""
    month_number, day_number = _read_month(month)
    used = 1
    if day is not None and day_number is None and day.strip().isdigit():
        day_number = int(day)
        used |= 2
    if month_number is None:
        if month.lower() in _SEASONS and date.end is None and date.season is None:
            return Date(start=date.start, season=month, circa=date.circa, raw=date.raw), 1, ""
        return date, 0, f"month {month!r} is not a month; kept in extra"
    if date.end is not None:
        return date, 0, f"a month ({month!r}) with a range of years; kept in extra"
    problem = ""
    try:
        start = DatePart(date.start.year, month_number, day_number)
    except ValidationError:
        problem = f"no day {day_number} in month {month_number}; kept the month only"
        start = DatePart(date.start.year, month_number)
        used = 1
    return Date(start=start, circa=date.circa, raw=date.raw), used, problem


def _detect_dialect(entries: Iterable[_Entry]) -> str:
    for entry in entries:
        if entry.entry_type in _BIBLATEX_TYPE_SIGNS:
            return BIBLATEX
        if not _BIBLATEX_SIGNS.isdisjoint(entry.fields):
            return BIBLATEX
    return BIBTEX


def _canonical_type(csl_type: str, genre: str | None, dialect: str) -> str:
    """The entry type the writer chooses for a CSL type (and genre)."""
    bibtex_type, biblatex_type = WRITE_TYPES.get(csl_type, ("misc", "misc"))
    if dialect == BIBLATEX:
        return biblatex_type
    if csl_type == "thesis" and genre and "master" in genre.lower():
        return "mastersthesis"
    return bibtex_type


def _generated_key(article: Article) -> str:
    """author-year-word, from what the record has."""
    people: Sequence[Name] = article.author or article.editor or next(
        iter(list(article.names.values())), ())
    who = ""
    if people:
        first = people[0]
        who = first.family or first.literal or first.given or ""
    year = str(article.issued.year) if article.issued and article.issued.year else ""
    word = ""
    if article.title:
        for token in re.split(r"[^\w]+", strip_tags(article.title)):
            if token and token.lower() not in _STOPWORDS:
                word = token
                break
    parts = [re.sub(r"[^\w]+", "", _fold(p)).lower() for p in (who, year, word)]
    return "".join(parts) or "ref"


_STOPWORDS = frozenset(
    "a an the on of in and for to with at by from as is are la le les der die das el un une"
    .split())


def _fold(text: str) -> str:
    """Drop accents (``Müller`` -> ``Muller``); other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Reader:
    """Reads one document; collects problems and warnings as it goes."""

    def __init__(self, source: str | None, dialect: str | None,
                 quiet: bool = False) -> None:
        self.source = source
        self.dialect = dialect or BIBTEX
        self.auto = dialect is None
        self.quiet = quiet
        self.macros = _Macros()
        self.problems: list[Problem] = []
        self.unknown_commands: set[str] = set()
        self.text = ""
        self.preambles: list[str] = []  # @preamble blocks waiting for the next entry
        self.good_names: dict[str, str] = {}  # field names as written -> as read
        self.commented_lines: set[int] | None = None
        self.line_starts: list[int] | None = None

    # -- warnings -----------------------------------------------------------------

    def warn(self, message: str, line: int | None = None, name: str | None = None,
             entry: str | None = None) -> None:
        if self.quiet:
            return
        warn(message, source=self.source, line=line, field=name, entry=entry,
             stacklevel=3)

    def problem(self, message: str, line: int | None, entry: str | None = None) -> None:
        self.problems.append(Problem(message, source=self.source, line=line,
                                     entry=entry or None))

    # -- blocks -------------------------------------------------------------------

    def read(self, text: str) -> list[Article]:
        self.text = text
        entries, declared = self.blocks(text)
        if self.auto:
            self.dialect = declared or _detect_dialect(entries)
        self.inherit(entries)
        articles = self.articles(entries)
        if self.unknown_commands:
            self.warn("kept LaTeX commands citekit does not know as they are written: "
                      + ", ".join("\\" + c for c in sorted(self.unknown_commands)))
        return articles

    def blocks(self, text: str) -> tuple[list[_Entry], str | None]:
        """The entries of the text (@string, @preamble and comments applied), and the
        dialect a JabRef comment declares."""
        library = _split(text)
        entries: list[_Entry] = []
        last_entry: _Entry | None = None
        declared: str | None = None
        for block in library.blocks:
            duplicate_fields: set[str] = set()
            if isinstance(block, DuplicateBlockKeyBlock) and block.ignore_error_block:
                block = block.ignore_error_block
            if isinstance(block, DuplicateFieldKeyBlock) and block.ignore_error_block:
                duplicate_fields = set(block.duplicate_keys)
                block = block.ignore_error_block
            if isinstance(block, Entry):
                if self.commented_out(block):
                    last_entry = None
                    continue
                last_entry = self.entry(block, duplicate_fields)
                if last_entry is not None:
                    self.add(entries, last_entry)
            elif isinstance(block, (String, ExplicitComment, Preamble)) and \
                    _misread_entry(block.raw or ""):
                # @COMMENTARY{...} and the like: the splitter takes them for @comment
                last_entry = None
                if not self.commented_out(block):
                    last_entry = self.misread(block)
                    if last_entry is not None:
                        self.add(entries, last_entry)
            elif isinstance(block, String):
                line = (block.start_line or 0) + 1
                self.macros.values[block.key.strip().lower()] = _evaluate(
                    block.value.strip(), self.macros, line)
                last_entry = None
            elif isinstance(block, Preamble):
                self.preambles.append(block.value)
                last_entry = None
            elif isinstance(block, ParsingFailedBlock):
                if not self.commented_out(block):
                    repaired = self.repair(block, text)
                    if repaired is not None:
                        self.add(entries, repaired)
                last_entry = None
            elif isinstance(block, ExplicitComment):
                match = _DATABASE_TYPE.search(block.comment)
                if match and match.group(1).lower() in (BIBTEX, BIBLATEX):
                    declared = match.group(1).lower()
                last_entry = None
            elif isinstance(block, ImplicitComment):
                line = (block.start_line or 0) + 1
                if last_entry is not None and block.comment.strip().strip("}") == "":
                    self.warn(f"a stray '}}' after entry {last_entry.key!r}; ignored",
                              line=line, entry=last_entry.key)
                elif last_entry is not None and _STRAY_FIELD.match(block.comment):
                    self.problem(
                        f"text after the end of entry {last_entry.key!r} looks like more "
                        f"of its fields (line {line}): unbalanced braces in the entry?",
                        last_entry.line, last_entry.key)
                    entries.remove(last_entry)
                    self.preambles[:0] = last_entry.preambles  # kept for the next
                last_entry = None
            else:
                last_entry = None
        if self.preambles:
            if entries:
                last = entries[-1]
                last.preambles = (*last.preambles, *self.preambles)
            else:
                self.warn("the @preamble is not kept: there is no entry to keep it with")
        for name, line in self.macros.unknown.items():
            self.warn(f"undefined macro {name!r}; kept its name as the text", line=line)
        return entries, declared

    def entry(self, block: Entry, duplicate_fields: set[str], offset: int = 0) -> _Entry | None:
        line = (block.start_line or 0) + 1 + offset
        key = block.key.strip()
        entry_type = block.entry_type.strip().lower()
        fields: dict[str, str] = {}
        field_lines: dict[str, int] = {}
        good_names = self.good_names
        first_line = 1 + offset
        for item in block.fields:
            raw = item.value.strip()
            if "\n" in raw and "=" in raw and _MISSING_COMMA_HINT.search(raw):
                for raw_name, piece, field_line in self.split_fields(
                        item.key, raw, item.start_line + first_line, key):
                    self.add_field(fields, field_lines, raw_name, piece, field_line, key)
                continue
            name = good_names.get(item.key)
            first = raw[:1]
            if name is None or first == "" or (first != "{" and first != '"') \
                    or raw[-1] != ("}" if first == "{" else '"') or "#" in raw:
                if name is not None and name not in fields and raw.isdigit():
                    fields[name] = raw  # year = 2001
                    field_lines[name] = item.start_line + first_line
                    continue
                self.add_field(fields, field_lines, item.key, raw,
                               item.start_line + first_line, key)
                continue
            # the common case inline: a known field name, {text} or "text"
            value = raw[1:-1].strip()
            if name in fields:
                self.add_field(fields, field_lines, item.key, raw,
                               item.start_line + first_line, key)
            elif value:
                fields[name] = value
                field_lines[name] = item.start_line + first_line
        if duplicate_fields and not fields:
            return None
        return _Entry(entry_type, key, line, fields, field_lines)

    def split_fields(self, raw_name: str, raw: str, field_line: int,
                     key: str) -> list[tuple[str, str, int]]:
        """A value that runs into the next field because a comma is missing, apart."""
        out: list[tuple[str, str, int]] = []
        while True:
            split = _missing_comma(raw)
            if split is None:
                out.append((raw_name, raw, field_line))
                return out
            value, next_name, next_value = split
            self.warn(f"no comma after the {raw_name.strip()} field; read "
                      f"{next_name.strip()} as a field of its own", line=field_line,
                      entry=key)
            out.append((raw_name, value, field_line))
            raw_name, raw, field_line = next_name, next_value, field_line + 1

    def add_field(self, fields: dict[str, str], field_lines: dict[str, int], raw_name: str,
                  raw: str, field_line: int, key: str) -> None:
        """One field of an entry, whatever its value looks like."""
        name = self.good_names.get(raw_name)
        if name is None:
            name = raw_name.strip().lower()
            if not name or not _FIELD_NAME.match(name):
                self.warn(f"{raw_name.strip()!r} is not a field name; the field is skipped",
                          line=field_line, entry=key)
                return
            self.good_names[raw_name] = name
        first = raw[:1]
        if len(raw) > 1 and (
                (first == "{" and raw[-1] == "}" and (
                    "#" not in raw or _piece_end(raw, 0) == len(raw)))
                or (first == '"' and raw[-1] == '"' and (
                    "#" not in raw or raw.count('"') == 2))):
            value = raw[1:-1].strip()
        elif raw.isdigit():
            value = raw
        else:
            value = _evaluate(raw, self.macros, field_line).strip()
        if name in fields:
            if name == "keywords":
                fields[name] = f"{fields[name]}, {value}" if value else fields[name]
                self.warn("keywords given twice; both lists kept", line=field_line,
                          name=name, entry=key)
            else:
                self.warn(f"{name} given twice; kept the first value, dropped {value!r}",
                          line=field_line, name=name, entry=key)
            return
        if value:
            fields[name] = value
            field_lines[name] = field_line

    def repair(self, block: ParsingFailedBlock, text: str) -> _Entry | None:
        """Report a block the splitter could not read. Two things BibTeX tools accept are
        read: ``%`` comments between fields (biber allows them) and an entry written
        without a key (``@misc{title = ...}``, which gets a generated one)."""
        line = (block.start_line or 0) + 1
        raw = block.raw or ""
        error = block.error
        reason = str(getattr(error, "abort_reason", None) or error).strip()
        keyless = re.match(r"@\s*(\w+)\s*([{(])\s*(?=[A-Za-z][\w-]*\s*=)", raw)
        source = _entry_source(text, self.line_offset(block.start_line or 0))
        if source is not None:
            if keyless is not None and reason.startswith("Expected comma after entry key"):
                opening = re.match(r"@\s*\w+\s*[{(]", source)
                if opening is not None:
                    source = source[:opening.end()] + "," + source[opening.end():]
            library = _split(source)
            if len(library.blocks) == 1 and library.entries:
                repaired = self.entry(library.entries[0], set(),
                                      offset=block.start_line or 0)
                if repaired is not None:
                    return repaired
        head = raw.split("\n", 1)[0][:60]
        self.problem(f"cannot read the entry starting {head!r}: {reason}", line,
                     _key_of(raw))
        return None

    def add(self, entries: list[_Entry], entry: _Entry) -> None:
        """Add an entry, with the @preamble blocks read since the last one."""
        if self.preambles:
            entry.preambles = tuple(self.preambles)
            self.preambles.clear()
        entries.append(entry)

    def misread(self, block: String | ExplicitComment | Preamble) -> _Entry | None:
        """Read a block the splitter mistook for @comment, @string or @preamble."""
        line = (block.start_line or 0) + 1
        source = _entry_source(self.text, self.line_offset(block.start_line or 0)) \
            or block.raw or ""
        match = re.match(r"@\s*(\w+)", source)
        entry_type = match.group(1) if match else ""
        library = _split(re.sub(r"^@\s*", "@_", source, count=1))
        if len(library.blocks) == 1 and library.entries:
            entry = self.entry(library.entries[0], set(), offset=block.start_line or 0)
            if entry is not None:
                entry.entry_type = entry_type.lower()
            return entry
        reason = "; ".join(str(getattr(b, "error", "")) for b in library.failed_blocks)
        self.problem(f"cannot read the @{entry_type} entry: {reason or 'syntax error'}",
                     line, _key_of(source))
        return None

    def commented_out(self, block: Block) -> bool:
        """``% @article{...}``: an entry commented out (biber reads % as a comment)."""
        if self.commented_lines is None:
            text = self.text
            lines: set[int] = set()
            line = position = 0
            for match in _COMMENTED_ENTRY.finditer(text):
                line += text.count("\n", position, match.start())
                position = match.start()
                lines.add(line)
            self.commented_lines = lines
        return (block.start_line or 0) in self.commented_lines

    def line_offset(self, line: int) -> int:
        """The character offset of a (0-based) line of the text."""
        if line <= 0:
            return 0
        if self.line_starts is None:  # made once, when a first block needs it
            lengths = map(len, self.text.split("\n"))
            self.line_starts = list(accumulate(map((1).__add__, lengths), initial=0))
        starts = self.line_starts
        return starts[line] if line < len(starts) - 1 else len(self.text)

    # -- inheritance --------------------------------------------------------------

    def inherit(self, entries: list[_Entry]) -> None:
        """Copy ``xdata`` and ``crossref`` parents' fields into the entries naming them."""
        find = _key_finder(entries)
        done: set[int] = set()
        for entry in entries:
            if "xdata" in entry.fields or "crossref" in entry.fields:
                self.resolve(entry, (), find, done)

    def resolve(self, entry: _Entry, trail: tuple[int, ...],
                find: Callable[[str], _Entry | None], done: set[int]) -> None:
        """Inherit into ``entry``, its parents first (a method, not a closure: a
        recursive closure is a reference cycle, which would keep every entry alive
        until the cyclic garbage collector runs)."""
        if id(entry) in done:
            return
        if id(entry) in trail:
            self.warn("crossref/xdata cycle; inheritance stops here", line=entry.line,
                      entry=entry.key)
            return
        for parent in self.parents(entry, find, report=True):
            self.resolve(parent, (*trail, id(entry)), find, done)
        self.inherit_one(entry, find)
        done.add(id(entry))

    def parents(self, entry: _Entry, find: Callable[[str], _Entry | None],
                report: bool = False) -> list[_Entry]:
        found: list[_Entry] = []
        for name in ("xdata", "crossref"):
            value = entry.fields.get(name)
            if not value:
                continue
            keys = [k.strip() for k in value.split(",")] if name == "xdata" else [value]
            for key in keys:
                parent = find(key) if key else None
                if parent is not None:
                    found.append(parent)
                elif key and report:
                    self.warn(f"{name} names {key.strip()!r}, which is not in the file",
                              line=entry.field_lines.get(name), entry=entry.key)
        return found

    def inherit_one(self, entry: _Entry, find: Callable[[str], _Entry | None]) -> None:
        """Inherit from parents that are themselves resolved."""
        xdata = entry.fields.get("xdata")
        if xdata:
            for key in (k.strip() for k in xdata.split(",")):
                parent = find(key) if key else None
                if parent is not None:
                    for name, value in parent.fields.items():
                        if name not in entry.fields and name not in _NOT_INHERITED:
                            entry.fields[name] = value
        crossref = entry.fields.get("crossref")
        if crossref:
            parent = find(crossref)
            if parent is not None:
                self.copy_fields(parent, entry)

    def copy_fields(self, parent: _Entry, child: _Entry) -> None:
        fields = child.fields
        if self.dialect == BIBLATEX:
            for parents, children, mapping in _INHERITANCE:
                if parent.entry_type in parents and child.entry_type in children:
                    for source, target in mapping.items():
                        if source in parent.fields and target not in fields:
                            fields[target] = parent.fields[source]
                    skip = set(mapping) | _NOT_INHERITED_TITLES
                    break
            else:
                skip = set()
        else:
            skip = set()
        for name, value in parent.fields.items():
            if name in skip or name in _NOT_INHERITED or name in fields:
                continue
            if any(other in fields for other in _SAME_DATA.get(name, ())):
                continue
            fields[name] = value

    # -- entries -> Articles ------------------------------------------------------

    def articles(self, entries: list[_Entry]) -> list[Article]:
        articles: list[Article] = []
        seen: set[str] = {e.key for e in entries if e.key}
        used: set[str] = set()
        # the list is emptied as it is read: each entry goes once read, however long
        # the frames that saw it live (pylatexenc leaves some in reference cycles)
        entries.reverse()
        while entries:
            entry = entries.pop()
            key = entry.key
            if key and key in used:
                new_key = _dedupe(key, seen)
                self.warn(f"key {key!r} is used by an earlier entry too; this one is read "
                          f"as {new_key!r}", line=entry.line, entry=key)
                key = new_key
            try:
                article = _EntryReader(self, entry, key).article()
            except ValidationError as exc:
                self.problem(f"entry {entry.key!r}: {exc}", entry.line, entry.key)
                continue
            if not key and not article.id:
                new_key = _dedupe(_generated_key(article), seen)
                self.warn(f"the entry has no key; using {new_key!r}", line=entry.line)
                article = replace(article, id=new_key)
            used.add(article.id)
            seen.add(article.id)
            articles.append(article)
        return articles


def _split(text: str) -> Library:
    """bibtexparser's blocks of ``text``. The errors of blocks it could not read keep
    no traceback: a traceback holds the frames it ran through, and so the whole
    library, until the cyclic garbage collector finds it; without it the library
    goes as soon as it is read."""
    library = Splitter(text).split()
    for block in library.failed_blocks:
        error = getattr(block, "error", None)
        if isinstance(error, BaseException):
            error.__traceback__ = None
    return library


def _key_finder(entries: Iterable[_Entry]) -> Callable[[str], _Entry | None]:
    """Look entries up by key (exactly, else ignoring case, as BibTeX does)."""
    by_key: dict[str, _Entry] = {}
    by_lower: dict[str, _Entry] = {}
    for entry in entries:
        by_key.setdefault(entry.key, entry)
        by_lower.setdefault(entry.key.lower(), entry)

    def find(key: str) -> _Entry | None:
        key = key.strip()
        return by_key.get(key) or by_lower.get(key.lower())

    return find


def _dedupe(key: str, taken: set[str]) -> str:
    """``key`` itself when free, else ``key`` + a, b, ..., z, aa, ab, ..."""
    if key not in taken:
        taken.add(key)
        return key
    n = 0
    while True:
        suffix = ""
        m = n
        while True:
            suffix = chr(ord("a") + m % 26) + suffix
            m = m // 26 - 1
            if m < 0:
                break
        candidate = key + suffix
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        n += 1


def _misread_entry(raw: str) -> bool:
    """A block the splitter read as @comment, @preamble or @string whose type only
    starts like one (``@COMMENTED{...}``)."""
    match = re.match(r"@\s*(\w+)", raw)
    return match is not None and match.group(1).lower() not in ("comment", "preamble",
                                                                  "string")


def _strings_only(raw: str) -> bool:
    """Whether a value is braced or quoted strings joined by ``#`` (valid BibTeX
    without any @string definition), with no line starting with ``@``."""
    if not _balanced(raw) or _NEWLINE_AT.search(raw):
        return False
    i, n = 0, len(raw)
    expect_piece = True
    while i < n:
        char = raw[i]
        if char.isspace():
            i += 1
        elif char == "#" and not expect_piece:
            expect_piece = True
            i += 1
        elif char in "{\"" and expect_piece:
            end = _piece_end(raw, i)
            if end < 0:
                return False
            i = end
            expect_piece = False
        else:
            return False
    return not expect_piece


def _closing(text: str, start: int) -> int:
    """The index of the brace closing the one at ``start`` (escaped braces skipped, as
    the splitter does), or -1."""
    end = _piece_end(text, start)
    return end - 1 if end > 0 else -1


_MISSING_COMMA_HINT = re.compile(r"\}\s*\n\s*[A-Za-z][\w:.-]*\s*=")
_COMMENTED_ENTRY = re.compile(r"^[ \t]*%[^\n@]*@\s*\w+\s*[{(]", re.MULTILINE)
_NEXT_FIELD = re.compile(r"\s*\n\s*([A-Za-z][\w:.-]*)\s*=\s*(\S.*)$", re.DOTALL)


def _missing_comma(value: str) -> tuple[str, str, str] | None:
    """``{a}\n  year = 2001`` (a comma forgotten between two fields) -> the parts."""
    if not value.startswith("{"):
        return None
    end = _closing(value, 0)
    if end < 0 or end == len(value) - 1:
        return None
    match = _NEXT_FIELD.match(value, end + 1)
    if match is None:
        return None
    return value[:end + 1], match.group(1), match.group(2).strip()


def _entry_source(text: str, start: int) -> str | None:
    """The source of the entry starting at or after ``start``, without ``%`` comments
    between its fields and with its quoted values braced; None when its braces never
    balance."""
    at = text.find("@", start)
    if at < 0:
        return None
    opening = re.compile(r"@\s*\w+\s*([{(])").match(text, at)
    if opening is None:
        return None
    close_char = "}" if opening.group(1) == "{" else ")"
    out = [text[at:opening.end()]]
    depth = 0
    in_quotes = False
    i = opening.end()
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            out.append(text[i:i + 2])
            i += 2
            continue
        if depth == 0 and not in_quotes:
            if char == "%":
                newline = text.find("\n", i)
                i = n if newline < 0 else newline
                continue
            if char == close_char:
                out.append(char)
                return "".join(out)
            if char == "\n" and text.startswith("@", i + 1):
                return None  # the next entry starts: this one never closed
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
        elif char == '"' and depth == 0:
            # a quoted value becomes a braced one (the splitter miscounts braces in
            # quotes); its content is the same to BibTeX
            in_quotes = not in_quotes
            out.append("{" if in_quotes else "}")
            i += 1
            continue
        out.append(char)
        i += 1
    return None


def _key_of(raw: str) -> str | None:
    match = re.match(r"@\s*\w+\s*[{(]\s*([^,\s{}()=]+)\s*,", raw)
    return match.group(1) if match else None


#: Fields read one to one: field -> (CSL variable, how the value is read).
_SIMPLE_FIELDS: dict[str, tuple[str, str]] = {
    "shorttitle": ("title-short", "text"), "issuetitle": ("volume-title", "text"),
    "shortjournal": ("container-title-short", "text"),
    "series": ("collection-title", "text"), "origtitle": ("original-title", "text"),
    "eventtitle": ("event-title", "text"), "pages": ("page", "pages"),
    "volume": ("volume", "text"), "volumes": ("number-of-volumes", "text"),
    "pagetotal": ("number-of-pages", "text"), "edition": ("edition", "text"),
    "chapter": ("chapter-number", "text"), "part": ("part", "text"),
    "version": ("version", "text"), "venue": ("event-place", "text"),
    "origpublisher": ("original-publisher", "list"),
    "origlocation": ("original-publisher-place", "list"),
    "doi": ("DOI", "verbatim"), "url": ("URL", "verbatim"), "isbn": ("ISBN", "text"),
    "issn": ("ISSN", "text"), "pmid": ("PMID", "text"), "pmcid": ("PMCID", "text"),
    "abstract": ("abstract", "text"), "note": ("note", "text"),
    "annotation": ("annote", "text"), "pubstate": ("status", "text"),
    "library": ("call-number", "text"),
}
_SIMPLE_KEYS = frozenset(_SIMPLE_FIELDS)
_TITLE_GROUP = frozenset(
    """title subtitle maintitle mainsubtitle booktitle booksubtitle journaltitle journal
    journalsubtitle""".split())
_NAME_GROUP = frozenset(_NAME_FIELDS)
_DATE_GROUP = frozenset("date year urldate eventdate origdate".split())
_NUMBER_GROUP = frozenset("number issue eid".split())
_PUBLISHER_GROUP = frozenset(
    "publisher institution school organization howpublished location address".split())
_LANGUAGE_GROUP = frozenset(("langid", "language"))
_EPRINT_TARGETS = {"pubmed": "PMID", "pmid": "PMID", "pmc": "PMCID", "pmcid": "PMCID"}


def _rich(raw: str, unknown: set[str]) -> str:
    """A text field's CSL rich text."""
    if not needs_latex(raw):
        return raw
    return latex_to_rich(raw, unknown).strip()


@lru_cache(maxsize=1024)
def _keeps_type(entry_type: str, csl_type: str, genre: str | None) -> bool:
    """Whether the entry type must be kept: no writer would choose it for the CSL type."""
    return entry_type not in (_canonical_type(csl_type, genre, BIBTEX),
                              _canonical_type(csl_type, genre, BIBLATEX))


class _EntryReader:
    """Maps the fields of one entry to an Article."""

    __slots__ = ("biblatex", "dates", "entry", "extra", "fields", "key", "names", "reader",
                 "unknown", "values")

    def __init__(self, reader: _Reader, entry: _Entry, key: str) -> None:
        self.reader = reader
        self.entry = entry
        self.key = key
        self.fields = dict(entry.fields)
        self.biblatex = reader.dialect == BIBLATEX
        self.unknown = reader.unknown_commands
        self.values: dict[str, Any] = {}
        self.names: dict[str, tuple[Name, ...]] = {}
        self.dates: dict[str, Date] = {}
        self.extra: dict[str, Any] = {}

    # -- helpers ------------------------------------------------------------------

    def take(self, name: str) -> str | None:
        return self.fields.pop(name, None)

    def warn(self, message: str, name: str | None = None) -> None:
        line = self.entry.field_lines.get(name or "", self.entry.line)
        self.reader.warn(message, line=line, name=name, entry=self.key or None)

    def text(self, raw: str) -> str:
        if not needs_latex(raw):
            return raw
        return latex_to_rich(raw, self.unknown).strip()

    def set(self, variable: str, value: str | None) -> None:
        """Set a CSL variable (unless set already): an Article field, or extra."""
        if not value:
            return
        attr = VARIABLE_FIELDS.get(variable)
        if attr is not None:
            self.values.setdefault(attr, value)
        else:
            self.extra.setdefault(variable, value)

    def has(self, variable: str) -> bool:
        attr = VARIABLE_FIELDS.get(variable)
        return (attr in self.values) if attr is not None else (variable in self.extra)

    def title(self, main: str, sub: str | None, sub_field: str) -> str:
        """``main: sub``; the subtitle's source is kept so the writer can split again."""
        text = self.text(main)
        if sub is None:
            return text
        self.extra[EXTRA_PREFIX + sub_field] = sub
        return f"{text}: {self.text(sub)}" if text else self.text(sub)

    def list_text(self, raw: str) -> str:
        """A BibLaTeX literal list (publisher, location): items joined with "; "."""
        return _read_list(raw, self.biblatex, self.unknown)

    # -- the mapping --------------------------------------------------------------

    def article(self) -> Article:
        entry_type = self.entry.entry_type
        fields = self.fields
        keys = fields.keys()
        rule = _TYPE_RULES.get(entry_type)
        if rule is None:
            self.warn(f"@{entry_type} is not a BibTeX or BibLaTeX entry type; read as a "
                      "document (the type is kept)")
            csl_type = "document"
        else:
            csl_type = rule.csl_type
        blob = fields.pop(CITEKIT_FIELD, None)

        if not keys.isdisjoint(_TITLE_GROUP):
            self.read_titles(entry_type)
        if not keys.isdisjoint(_NAME_GROUP):
            self.read_names()
        if not keys.isdisjoint(_DATE_GROUP):
            self.read_dates()
        if not keys.isdisjoint(_NUMBER_GROUP):
            self.read_numbers(entry_type)
        if not keys.isdisjoint(_PUBLISHER_GROUP):
            self.read_publisher(entry_type)
        if "eprinttype" in fields:
            target = _EPRINT_TARGETS.get(fields["eprinttype"].strip().lower())
            if target and "eprint" in fields and not self.has(target):
                self.set(target, _verbatim(fields.pop("eprint")))
                del fields["eprinttype"]
        if not keys.isdisjoint(_LANGUAGE_GROUP):
            self.read_language()
        raw = fields.pop("keywords", None)
        if raw is not None:
            text = self.text(raw)
            separator = "," if "," in text or ";" not in text else ";"
            self.values["keywords"] = tuple(k.strip() for k in text.split(separator)
                                            if k.strip())
        simple = [name for name in fields if name in _SIMPLE_KEYS]  # in the file's order
        if simple:
            values, extra, unknown = self.values, self.extra, self.unknown
            for name in simple:
                variable, kind = _SIMPLE_FIELDS[name]
                attr = VARIABLE_FIELDS.get(variable)
                if (variable in extra) if attr is None else (attr in values):
                    continue  # already given by another field: this one stays in extra
                raw = fields.pop(name)
                if kind == "text":
                    value = raw if not needs_latex(raw) else _rich(raw, unknown)
                elif kind == "verbatim":
                    value = _verbatim(raw)
                elif kind == "pages":
                    value = _read_pages(raw)
                else:
                    value = _read_list(raw, self.biblatex, unknown)
                if value:
                    if attr is None:
                        extra[variable] = value
                    else:
                        values[attr] = value
        if "annote" in fields and "annote" not in self.extra:
            self.set("annote", self.text(fields.pop("annote")))

        genre_raw = fields.pop("type", None)
        if genre_raw is not None:
            key = genre_raw.strip().lower()
            genre = TYPE_KEYS.get(key) or self.text(genre_raw)
            self.set("genre", genre)
            if key in TYPE_KEYS and genre_raw.strip() != _GENRE_KEYS.get(genre.lower()):
                self.extra[EXTRA_PREFIX + "type"] = genre_raw
        elif rule is not None and rule.genre:
            self.set("genre", rule.genre)
        if "entrysubtype" in fields and entry_type in ("article", "suppperiodical"):
            subtype = fields["entrysubtype"].strip().lower()
            if subtype in ("magazine", "newspaper"):
                del fields["entrysubtype"]
                csl_type = f"article-{subtype}"
        if _keeps_type(entry_type, csl_type, self.extra.get("genre")):
            self.extra[TYPE_KEY] = entry_type

        extra = self.extra
        for name, value in fields.items():
            extra[EXTRA_PREFIX + name] = value
        if self.entry.preambles:
            extra[PREAMBLE_KEY] = self.entry.preambles

        # the values are in the model's shapes already (non-empty text, a tuple of
        # keywords, tuples of Names, Dates, text in extra): no need to check them again
        values = self.values
        values["id"] = self.key
        values["type"] = csl_type
        if self.names:
            values["names"] = FrozenMap(self.names)
        if self.dates:
            values["dates"] = FrozenMap(self.dates)
        if extra:
            values["extra"] = FrozenMap(extra)
        article = Article._from_checked(values)
        if blob is not None:
            article = self.apply_blob(article, blob)
        return article

    def read_titles(self, entry_type: str) -> None:
        fields = self.fields
        title = fields.pop("title", None)
        sub = fields.pop("subtitle", None)
        main = fields.pop("maintitle", None)
        main_sub = fields.pop("mainsubtitle", None)
        if entry_type in _PART_TYPES:
            book = fields.pop("booktitle", None)
            book_sub = fields.pop("booksubtitle", None)
            if main is not None:
                self.set("container-title", self.title(main, main_sub, "mainsubtitle"))
                if book is not None:
                    self.set("volume-title", self.title(book, book_sub, "booksubtitle"))
            elif book is not None:
                self.set("container-title", self.title(book, book_sub, "booksubtitle"))
            elif book_sub is not None:
                fields["booksubtitle"] = book_sub
            if main is None and main_sub is not None:
                fields["mainsubtitle"] = main_sub
        elif main is not None:
            self.set("title", self.title(main, main_sub, "mainsubtitle"))
            if title is not None:
                self.set("volume-title", self.title(title, sub, "subtitle"))
            title = sub = None
        elif main_sub is not None:
            fields["mainsubtitle"] = main_sub
        if title is not None:
            self.set("title", self.title(title, sub, "subtitle"))
        elif sub is not None:
            fields["subtitle"] = sub
        if "container_title" not in self.values:
            journal = fields.pop("journaltitle", None)
            if journal is None:
                journal = fields.pop("journal", None)
            if journal is not None:
                self.set("container-title", self.title(
                    journal, fields.pop("journalsubtitle", None), "journalsubtitle"))
            elif "booktitle" in fields:
                self.set("container-title", self.title(
                    fields.pop("booktitle"), fields.pop("booksubtitle", None), "booksubtitle"))

    def read_names(self) -> None:
        fields = self.fields
        options = fields.get("options")
        useprefix = options is not None and _useprefix(options)
        for name, role in _NAME_FIELDS.items():
            raw = fields.get(name)
            if raw is None:
                continue
            if name == "editor" and "editortype" in fields:
                editortype = fields["editortype"].strip().lower()
                if editortype in _EDITOR_TYPES:
                    role = _EDITOR_TYPES[editortype]
                    del fields["editortype"]
            if role in self.names:
                continue
            del fields[name]
            names, bad = _read_names(raw, self.biblatex, useprefix)
            for piece in bad:
                self.warn(f"{piece!r} is not a name; skipped", name)
            if names:
                self.names[role] = names

    def read_dates(self) -> None:
        fields = self.fields
        raw = fields.pop("date", None)
        if raw is not None:
            date = _read_edtf(_date_text(raw))
            if date is None:
                literal = self.text(raw)
                if _UNSPECIFIED_YEAR.match(literal) is None:
                    self.warn(f"{raw!r} is not an EDTF date; kept as a literal date", "date")
                date = Date(literal=literal) if literal else None
            if date is not None:
                self.dates["issued"] = date
            else:
                fields["date"] = raw
        elif "year" in fields:
            self.read_year()
        for name, variable in (("urldate", "accessed"), ("eventdate", "event-date"),
                               ("origdate", "original-date")):
            raw = fields.get(name)
            if raw is None:
                continue
            date = _read_edtf(raw)
            if date is None:
                self.warn(f"{raw!r} is not an EDTF date; kept in extra", name)
                continue
            del fields[name]
            self.dates[variable] = date

    def read_year(self) -> None:
        fields = self.fields
        year_raw = fields.pop("year")
        year_text = _date_text(year_raw)
        month_raw = fields.get("month")
        month_text = None if month_raw is None else _date_text(month_raw)
        day_raw = fields.get("day")
        date, used, problem = _issued(year_text, month_text, day_raw)
        if date is None:
            literal = self.text(year_raw)
            if literal:
                self.dates["issued"] = Date(literal=literal)
            else:
                fields["year"] = year_raw
            return
        if problem:
            self.warn(problem, "month")
        if used & 1:
            del fields["month"]
        if used & 2:
            del fields["day"]
        self.dates["issued"] = date

    def read_numbers(self, entry_type: str) -> None:
        fields = self.fields
        number = fields.pop("number", None)
        if number is not None:
            if entry_type in _ISSUE_NUMBER_TYPES:
                self.set("issue", self.text(number))
            elif entry_type in _SERIES_NUMBER_TYPES:
                self.set("collection-number", self.text(number))
            else:
                self.set("number", self.text(number))
        if "issue" in fields and "issue" not in self.values:
            self.set("issue", self.text(fields.pop("issue")))
        if "eid" in fields and entry_type == "article" and "number" not in self.values:
            self.set("number", self.text(fields.pop("eid")))

    def read_publisher(self, entry_type: str) -> None:
        fields = self.fields
        values = self.values
        raw = fields.pop("publisher", None)
        if raw is not None:
            self.set("publisher", self.list_text(raw))
        for name in ("institution", "school"):
            raw = fields.get(name)
            if raw is not None and "publisher" not in values and (
                    entry_type in _INSTITUTION_TYPES or "organization" not in fields):
                del fields[name]
                self.set("publisher", self.list_text(raw))
        raw = fields.get("organization")
        if raw is not None and "publisher" not in values:
            del fields["organization"]
            self.set("publisher", self.list_text(raw))
        raw = fields.get("howpublished")
        if raw is not None:
            match = _URLISH.match(raw)
            if match and "url" not in fields:
                del fields["howpublished"]
                self.set("URL", _verbatim(match.group(1) or match.group(2) or ""))
            elif "publisher" not in values:
                del fields["howpublished"]
                self.set("publisher", self.text(raw))
        place_variable = "jurisdiction" if entry_type == "patent" else "publisher-place"
        for name in ("location", "address"):
            raw = fields.get(name)
            if raw is not None and not self.has(place_variable):
                del fields[name]
                self.set(place_variable, self.list_text(raw))

    def read_language(self) -> None:
        fields = self.fields
        for name in ("langid", "language"):
            raw = fields.get(name)
            if raw is None or "language" in self.values:
                continue
            del fields[name]
            text = latex_to_plain(raw).strip() if needs_latex(raw) else raw
            tag = _LANGUAGE_TAGS.get(text.lower())
            if tag is None:
                self.set("language", self.text(raw))
            else:
                self.set("language", tag)
                if _LANGUAGE_NAMES[tag.lower()] != raw:
                    self.extra[EXTRA_PREFIX + name] = raw

    # -- the citekit field --------------------------------------------------------

    def apply_blob(self, article: Article, blob: str) -> Article:
        try:
            data = json.loads(blob)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return _apply_overrides(article, data)
        except (ValueError, TypeError, ValidationError) as exc:
            self.warn(f"the {CITEKIT_FIELD} field is not citekit's JSON ({exc}); kept in "
                      "extra", CITEKIT_FIELD)
            return replace(article, extra=FrozenMap(
                {**article.extra, EXTRA_PREFIX + CITEKIT_FIELD: blob}))


def _read_list(raw: str, biblatex: bool, unknown: set[str] | None = None) -> str:
    """A literal list field: in BibLaTeX, items separated by "and" (joined with "; ")."""
    if not needs_latex(raw) and (not biblatex or _AND.search(raw) is None):
        return raw
    text, missing = _cached_list(raw, biblatex)
    if missing and unknown is not None:
        unknown.update(missing)
    return text


@lru_cache(maxsize=4096)
def _cached_list(raw: str, biblatex: bool) -> tuple[str, frozenset[str]]:
    unknown: set[str] = set()
    return _list_text(raw, biblatex, unknown), frozenset(unknown)


def _list_text(raw: str, biblatex: bool, unknown: set[str]) -> str:
    def text(item: str) -> str:
        item = item.strip()
        if biblatex and _single_group(item):
            item = item[1:-1]
        return latex_to_rich(item, unknown).strip() if needs_latex(item) else item

    if biblatex and _AND.search(raw):
        items = [i for i in split_multiple_persons_names(raw) if i.strip()]
        if len(items) > 1:
            return "; ".join(text(i) for i in items)
    return text(raw) if biblatex else (latex_to_rich(raw, unknown).strip()
                                       if needs_latex(raw) else raw)


def _date_text(raw: str) -> str:
    """A year or month field as text (LaTeX read only when there are commands or
    braces: ``--`` and ``~`` mean what they say there)."""
    if "\\" in raw or "{" in raw:
        return latex_to_plain(raw).strip()
    return raw.strip()


def _read_pages(raw: str) -> str:
    """``--`` is a range dash: read as ``-`` (the writer doubles every ``-``)."""
    text = raw.replace("--", "-")
    if not needs_latex(text):
        return text
    protected = text.replace("-", "\x00")
    return latex_to_rich(protected).strip().replace("\x00", "-")


_VERBATIM_ESCAPE = re.compile(r"\\([_%&#${}\\~])|\\textasciitilde\{\}|\{\\~\}")


def _verbatim(raw: str) -> str:
    """A URL or DOI: as written, without the LaTeX escapes people add (``\\_``)."""
    text = raw.strip()
    if "\n" in text:
        text = re.sub(r"\s*\n\s*", "", text)
    if "\\" in text:
        text = _VERBATIM_ESCAPE.sub(lambda m: m.group(1) or "~", text)
    return text


# =======================================================================================
# The citekit field: exact values for what the BibTeX fields do not carry
# =======================================================================================

_NAME_JSON = (("family", "family"), ("given", "given"),
              ("dropping-particle", "dropping_particle"),
              ("non-dropping-particle", "non_dropping_particle"), ("suffix", "suffix"),
              ("literal", "literal"))


def _name_json(name: Name) -> dict[str, Any]:
    out: dict[str, Any] = {key: getattr(name, attr) for key, attr in _NAME_JSON
                           if getattr(name, attr) is not None}
    if name.comma_suffix:
        out["comma-suffix"] = True
    if name.static_ordering:
        out["static-ordering"] = True
    if name.parse_names is not None:
        out["parse-names"] = name.parse_names
    if name.extra:
        out["extra"] = thaw(name.extra)
    return out


def _name_from_json(data: Mapping[str, Any]) -> Name:
    values: dict[str, Any] = {attr: data[key] for key, attr in _NAME_JSON if key in data}
    return Name(**values, comma_suffix=bool(data.get("comma-suffix", False)),
                static_ordering=bool(data.get("static-ordering", False)),
                parse_names=data.get("parse-names"), extra=freeze(data.get("extra", {})))


def _part_json(part: DatePart | None) -> list[int] | None:
    return None if part is None else list(part.as_tuple())


def _date_json(date: Date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if date.start is not None:
        out["start"] = _part_json(date.start)
    if date.end is not None:
        out["end"] = _part_json(date.end)
    for key in ("season", "literal", "raw"):
        if getattr(date, key) is not None:
            out[key] = getattr(date, key)
    if date.circa:
        out["circa"] = True
    return out


def _date_from_json(data: Mapping[str, Any]) -> Date:
    def part(value: Any) -> DatePart | None:
        return None if value is None else DatePart(*value)

    return Date(start=part(data.get("start")), end=part(data.get("end")),
                season=data.get("season"), circa=bool(data.get("circa", False)),
                literal=data.get("literal"), raw=data.get("raw"))


def _overrides(wanted: Article, got: Article) -> dict[str, Any]:
    """What must be set on ``got`` (read from the written fields) to give ``wanted``."""
    out: dict[str, Any] = {}
    if wanted.id != got.id:
        out["id"] = wanted.id
    if wanted.type != got.type:
        out["type"] = wanted.type
    fields: dict[str, Any] = {}
    for attr in FIELD_VARIABLES:
        if attr in ("id", "type"):
            continue
        a, b = getattr(wanted, attr), getattr(got, attr)
        if a != b:
            fields[attr] = list(a) if isinstance(a, tuple) else a
    if fields:
        out["fields"] = fields
    names = {role: ([_name_json(n) for n in wanted.names[role]]
                    if role in wanted.names else None)
             for role in set(wanted.names) | set(got.names)
             if wanted.names.get(role) != got.names.get(role)}
    if names:
        out["names"] = names
    dates = {var: (_date_json(wanted.dates[var]) if var in wanted.dates else None)
             for var in set(wanted.dates) | set(got.dates)
             if wanted.dates.get(var) != got.dates.get(var)}
    if dates:
        out["dates"] = dates
    extra = {key: thaw(value) for key, value in wanted.extra.items()
             if key not in got.extra or got.extra[key] != value
             or type(got.extra[key]) is not type(value)}
    if extra:
        out["extra"] = extra
    removed = sorted(key for key in got.extra if key not in wanted.extra)
    if removed:
        out["extra-removed"] = removed
    return out


def _apply_overrides(article: Article, data: Mapping[str, Any]) -> Article:
    changes: dict[str, Any] = {}
    if "id" in data:
        changes["id"] = str(data["id"])
    if "type" in data:
        changes["type"] = data["type"]
    for attr, value in dict(data.get("fields", {})).items():
        if attr not in FIELD_VARIABLES or attr in ("id", "type"):
            raise ValueError(f"unknown field {attr!r}")
        changes[attr] = tuple(value) if attr == "keywords" else value
    if "names" in data:
        names = dict(article.names)
        for role, value in dict(data["names"]).items():
            if value is None:
                names.pop(role, None)
            else:
                names[role] = tuple(_name_from_json(n) for n in value)
        changes["names"] = names
    if "dates" in data:
        dates = dict(article.dates)
        for var, value in dict(data["dates"]).items():
            if value is None:
                dates.pop(var, None)
            else:
                dates[var] = _date_from_json(value)
        changes["dates"] = dates
    if "extra" in data or "extra-removed" in data:
        extra = {k: v for k, v in article.extra.items()
                 if k not in set(data.get("extra-removed", ()))}
        extra.update(freeze(dict(data.get("extra", {}))))
        changes["extra"] = FrozenMap(extra)
    return replace(article, **changes) if changes else article


def _describe(overrides: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for key in ("id", "type"):
        if key in overrides:
            parts.append(key)
    for group in ("fields", "names", "dates", "extra"):
        for name in overrides.get(group, {}):
            parts.append(FIELD_VARIABLES.get(name, name) if group == "fields" else name)
    return ", ".join(parts)


# =======================================================================================
# Writing
# =======================================================================================

_KEY_FORBIDDEN = re.compile(r"[\s,{}()\"#%'=\\~]")
_NEWLINE_AT = re.compile(r"(\n[ \t]*)@")
_FIELD_NAME_WRITABLE = re.compile(r"^[^\s\"#%'(),={}\\@A-Z]+$")
_FIELD_ORDER = {name: i for i, name in enumerate(
    """author editor editortype translator bookauthor title subtitle shorttitle maintitle
    mainsubtitle booktitle booksubtitle journal journaltitle journalsubtitle shortjournal
    issuetitle eventtitle origtitle series type entrysubtype edition volume volumes number
    eid issue pages pagetotal chapter part version year month day date eventdate origdate
    urldate venue publisher institution school organization howpublished location address
    origpublisher origlocation doi url isbn issn pmid pmcid keywords langid language
    pubstate library abstract annote annotation note""".split())}


@dataclass
class _Options:
    dialect: str
    ascii_only: bool
    lossless: bool


class _Writer:
    """Writes one Article as an entry."""

    def __init__(self, article: Article, options: _Options, taken: set[str]) -> None:
        self.article = article
        self.options = options
        self.biblatex = options.dialect == BIBLATEX
        self.taken = taken
        self.fields: dict[str, str] = {}
        self.macro_fields: set[str] = set()
        self.used_extra: set[str] = set()
        self.extra = article.extra
        self.key = ""
        self.entry_type = ""

    # -- helpers ------------------------------------------------------------------

    def latex(self, text: str) -> str:
        value = rich_to_latex(text, self.options.ascii_only)
        if "\n" in value:
            value = _NEWLINE_AT.sub(r"\1{}@", value)
        return value

    def put(self, name: str, value: str | None) -> None:
        if value is not None and value != "" and name not in self.fields and (
                not self.options.ascii_only or value.isascii()):
            self.fields[name] = value

    def shadow(self, key: str) -> str | None:
        value = self.extra.get(EXTRA_PREFIX + key)
        return value if isinstance(value, str) else None

    def put_title(self, name: str, sub_name: str, value: str | None) -> None:
        """A title, split again into title and subtitle when it was read from both."""
        if value is None:
            return
        sub = self.shadow(sub_name)
        if sub is not None:
            sub_text = latex_to_rich(sub).strip() if needs_latex(sub) else sub
            suffix = ": " + sub_text
            if value.endswith(suffix) and len(value) > len(suffix):
                self.put(name, self.latex(value[:-len(suffix)]))
                self.put(sub_name, sub)
                self.used_extra.add(EXTRA_PREFIX + sub_name)
                return
            if value == sub_text:
                self.put(sub_name, sub)
                self.used_extra.add(EXTRA_PREFIX + sub_name)
                return
        self.put(name, self.latex(value))

    def put_list(self, name: str, value: str | None) -> None:
        """A BibLaTeX list (publisher, location): "; " separates the items."""
        if value is None:
            return
        if not self.biblatex:
            self.put(name, self.latex(value))
            return
        items = value.split("; ")
        candidates = []
        if len(items) > 1:
            candidates.append(" and ".join(self.list_item(i) for i in items))
        candidates.append(self.list_item(value))
        for candidate in candidates:
            if _read_list(candidate, True) == value:
                self.put(name, candidate)
                return
        self.put(name, candidates[-1])

    def list_item(self, item: str) -> str:
        latex = self.latex(item)
        if _AND.search(latex) or ";" in item or _single_group(latex):
            return "{" + latex + "}"
        return latex

    def variable(self, variable: str) -> Any:
        attr = VARIABLE_FIELDS.get(variable)
        if attr is not None:
            value = getattr(self.article, attr)
            return value if value not in (None, ()) else None
        value = self.extra.get(variable)
        if value is not None:
            self.used_extra.add(variable)
        return value

    def text_variable(self, variable: str) -> str | None:
        value = self.variable(variable)
        return value if isinstance(value, str) and value else None

    # -- the entry ----------------------------------------------------------------

    def pick_entry_type(self) -> str:
        article = self.article
        genre = self.text_variable("genre")
        stored = self.extra.get(TYPE_KEY)
        if isinstance(stored, str) and re.fullmatch(r"[a-z][a-z0-9_-]*", stored):
            rule = _TYPE_RULES.get(stored)
            csl = rule.csl_type if rule else "document"
            allowed = (rule is None or (self.biblatex and stored in _ALL_TYPES)
                       or (not self.biblatex and stored in _BIBTEX_TYPES))
            same = csl == article.type or (stored in ("article", "suppperiodical")
                                           and article.type.startswith("article-"))
            if same and allowed:
                self.used_extra.add(TYPE_KEY)
                return stored
        return _canonical_type(article.type, genre, self.options.dialect)

    def preambles(self) -> tuple[str, ...]:
        """The @preamble blocks to write before the entry (kept from a .bib file)."""
        value = self.extra.get(PREAMBLE_KEY)
        if isinstance(value, tuple) and value and all(
                isinstance(p, str) and _strings_only(p)
                and (p.isascii() or not self.options.ascii_only) for p in value):
            self.used_extra.add(PREAMBLE_KEY)
            return value
        return ()

    def prepare(self) -> _Entry:
        """Choose the key and entry type and write the fields; returns the entry as the
        reader will see it (macros expanded) for checking."""
        article = self.article
        key = _KEY_FORBIDDEN.sub("_", article.id) or _generated_key(article)
        if self.options.ascii_only and not key.isascii():
            key = "".join(c if c.isascii() else "_" for c in _fold(key))
        self.key = _dedupe(key, self.taken)
        self.entry_type = self.pick_entry_type()
        self.write_fields(self.entry_type)
        fields = {name: (_MONTH_MACROS[value] if name in self.macro_fields else value)
                  for name, value in self.fields.items()}
        return _Entry(self.entry_type, self.key, 0, fields, {})

    def render(self, read_back: Article | None) -> str:
        """The entry's text; what ``read_back`` lacks goes in the citekit field."""
        article = self.article
        preambles = self.preambles()
        if preambles and read_back is not None:
            read_back = replace(read_back, extra=FrozenMap(
                {**read_back.extra, PREAMBLE_KEY: preambles}))
        if read_back is not None:
            overrides = _overrides(article, read_back)
            if overrides:
                if self.options.lossless:
                    self.fields[CITEKIT_FIELD] = _json_field(overrides,
                                                             self.options.ascii_only)
                else:
                    warn(f"BibTeX has no place for {_describe(overrides)}; left out "
                         "(lossless=False)", entry=article.id, stacklevel=5)
        lines = [f"@preamble{{{p}}}\n" for p in preambles]
        lines.append(f"@{self.entry_type}{{{self.key},")
        for name in sorted(self.fields, key=lambda n: (
                n == CITEKIT_FIELD, _FIELD_ORDER.get(n, len(_FIELD_ORDER)))):
            value = self.fields[name]
            if name in self.macro_fields:
                lines.append(f"  {name} = {value},")
            else:
                lines.append(f"  {name} = {{{value}}},")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def write_fields(self, entry_type: str) -> None:
        article = self.article
        biblatex = self.biblatex
        # names
        for role, name in (("author", "author"), ("editor", "editor"),
                           ("translator", "translator"), ("container-author", "bookauthor")):
            if role in article.names:
                self.put(name, self.name_list(article.names[role]))
        if "editor" not in article.names:
            for role in ("compiler", "director", "organizer", "contributor"):
                if role in article.names:
                    self.put("editor", self.name_list(article.names[role]))
                    self.put("editortype", "collaborator" if role == "contributor" else role)
                    break
        # titles
        volume_title = self.text_variable("volume-title")
        title, container = article.title, article.container_title
        if entry_type in _PART_TYPES:
            if volume_title is not None and biblatex:
                self.put_title("maintitle", "mainsubtitle", container)
                self.put_title("booktitle", "booksubtitle", volume_title)
            else:
                self.put_title("booktitle", "booksubtitle", container)
            self.put_title("title", "subtitle", title)
        elif volume_title is not None and biblatex and entry_type in _BOOK_TYPES:
            self.put_title("maintitle", "mainsubtitle", title)
            self.put_title("title", "subtitle", volume_title)
            self.put_title("booktitle", "booksubtitle", container)
        else:
            self.put_title("title", "subtitle", title)
            if entry_type in _JOURNAL_TYPES or (
                    entry_type not in _BOOK_TYPES and self.shadow("booktitle") is not None):
                self.put_title("journaltitle" if biblatex else "journal", "journalsubtitle",
                               container)
            else:
                self.put_title("booktitle", "booksubtitle", container)
            if volume_title is not None and biblatex:
                self.put("issuetitle", self.latex(volume_title))
        for variable, name in (("title-short", "shorttitle"),
                               ("container-title-short", "shortjournal"),
                               ("collection-title", "series"),
                               ("original-title", "origtitle"),
                               ("event-title", "eventtitle")):
            value = self.text_variable(variable)
            if value is not None:
                self.put(name, self.latex(value))
        genre = self.text_variable("genre")
        if genre is not None:
            rule = _TYPE_RULES.get(entry_type)
            if not (rule is not None and rule.genre == genre):
                shadow = self.shadow("type")
                key = _GENRE_KEYS.get(genre.lower())
                if shadow is not None and TYPE_KEYS.get(shadow.strip().lower()) == genre:
                    self.put("type", shadow)
                    self.used_extra.add(EXTRA_PREFIX + "type")
                elif key is not None and biblatex:
                    self.put("type", key)
                else:
                    self.put("type", self.latex(genre))
        if article.type in ("article-magazine", "article-newspaper") and biblatex:
            self.put("entrysubtype", article.type.split("-")[1])
        # numbers
        self.put("edition", self.latex(article.edition) if article.edition else None)
        self.put("volume", self.latex(article.volume) if article.volume else None)
        if entry_type in _ISSUE_NUMBER_TYPES:
            if article.issue:
                self.put("number", self.latex(article.issue))
            if article.number and entry_type == "article":
                self.put("eid", self.latex(article.number))
        else:
            if article.issue:
                self.put("issue", self.latex(article.issue))
            if entry_type in _SERIES_NUMBER_TYPES:
                if article.collection_number:
                    self.put("number", self.latex(article.collection_number))
            elif article.number:
                self.put("number", self.latex(article.number))
        if article.page:
            protected = article.page.replace("-", "\x00")
            self.put("pages", self.latex(protected).replace("\x00", "--"))
        for variable, name in (("number-of-volumes", "volumes"),
                               ("number-of-pages", "pagetotal"), ("chapter-number", "chapter"),
                               ("part", "part"), ("version", "version")):
            value = self.text_variable(variable)
            if value is not None:
                self.put(name, self.latex(value))
        # dates
        self.write_dates()
        # publishing
        if article.publisher:
            if entry_type in ("thesis", "phdthesis", "mastersthesis"):
                name = "institution" if biblatex else "school"
            elif entry_type in ("report", "techreport"):
                name = "institution"
            else:
                name = "publisher"
            if self.shadow(name) is not None:
                name = "publisher"
            self.put_list(name, article.publisher)
        place = (self.text_variable("jurisdiction") if entry_type == "patent"
                 else article.publisher_place)
        if place is not None:
            self.put_list("location" if biblatex else "address", place)
        for variable, name in (("event-place", "venue"),):
            value = self.text_variable(variable)
            if value is not None:
                self.put(name, self.latex(value))
        for variable, name in (("original-publisher", "origpublisher"),
                               ("original-publisher-place", "origlocation")):
            value = self.text_variable(variable)
            if value is not None:
                self.put_list(name, value)
        # identifiers
        for name, value in (("doi", article.doi), ("url", article.url)):
            if value is not None and _writable_verbatim(value):
                self.put(name, value)
        for name, value in (("isbn", article.isbn), ("issn", article.issn),
                            ("pmid", article.pmid), ("pmcid", article.pmcid)):
            if value is not None:
                self.put(name, self.latex(value))
        if article.keywords:
            self.put("keywords", self.latex(", ".join(article.keywords)))
        self.write_language()
        for variable, name in (("status", "pubstate"), ("call-number", "library")):
            value = self.text_variable(variable)
            if value is not None:
                self.put(name, self.latex(value))
        if article.abstract:
            self.put("abstract", self.latex(article.abstract))
        annote = self.text_variable("annote")
        if annote is not None:
            self.put("annotation" if biblatex else "annote", self.latex(annote))
        if article.note:
            self.put("note", self.latex(article.note))
        # fields kept from a .bib file
        for key, value in self.extra.items():
            if not key.startswith(EXTRA_PREFIX) or key in self.used_extra:
                continue
            name = key[len(EXTRA_PREFIX):]
            if (isinstance(value, str) and value and name not in self.fields
                    and name != CITEKIT_FIELD and _FIELD_NAME_WRITABLE.match(name)
                    and _writable_raw(value)
                    and (value.isascii() or not self.options.ascii_only)):
                self.fields[name] = value
                self.used_extra.add(key)

    def write_dates(self) -> None:
        article = self.article
        issued = article.issued
        if issued is not None:
            if issued.literal is not None and issued.start is None:
                self.put("year", self.latex(issued.literal))
            elif self.biblatex and not isinstance(issued.season, str):
                self.put("date", _edtf_of(issued))
            else:
                self.write_year(issued)
        for variable, name in (("accessed", "urldate"), ("event-date", "eventdate"),
                               ("original-date", "origdate")):
            date = article.dates.get(variable)
            if date is not None:
                self.put(name, _edtf_of(date))

    def write_year(self, date: Date) -> None:
        start = date.start
        if start is None:
            return
        if date.end is not None and date.end.month is None and start.month is None \
                and not date.circa and date.season is None:
            self.put("year", f"{start.year}--{date.end.year}")
            return
        if date.raw is not None and _plain_year(date.raw) == date:
            self.put("year", date.raw)
            return
        self.put("year", str(start.year))
        if isinstance(date.season, str) and start.month is None:
            self.put("month", self.latex(date.season))
        elif start.month is not None and start.month <= 12:
            self.put("month", "jan feb mar apr may jun jul aug sep oct nov dec".split()
                     [start.month - 1])
            self.macro_fields.add("month")
            if start.day is not None:
                self.put("day", str(start.day))

    def write_language(self) -> None:
        language = self.article.language
        if language is None:
            return
        langid = self.shadow("langid")
        if langid is not None and _LANGUAGE_TAGS.get(langid.lower()) == language:
            self.put("langid", langid)
            self.used_extra.add(EXTRA_PREFIX + "langid")
            return
        written = self.shadow("language")
        if written is not None and _LANGUAGE_TAGS.get(written.lower()) == language \
                and not self.biblatex:
            self.put("language", written)
            self.used_extra.add(EXTRA_PREFIX + "language")
            return
        babel = _LANGUAGE_NAMES.get(language.lower())
        if babel is None or _LANGUAGE_TAGS[babel.lower()] != language:
            self.put("language", self.latex(language))
        elif self.biblatex or written is not None:
            self.put("langid", babel)
        else:
            self.put("language", babel)

    def name_list(self, names: Sequence[Name]) -> str:
        options = self.extra.get(EXTRA_PREFIX + "options")
        useprefix = isinstance(options, str) and _useprefix(options)
        return " and ".join(self.name(n, useprefix) for n in names)

    def name(self, name: Name, useprefix: bool) -> str:
        if name.literal is not None:
            if name.literal == "others":
                return "others"
            return "{" + self.latex(name.literal) + "}"
        simple = self.simple_name(name)
        if not self.biblatex:
            return simple
        read, bad = _read_names(simple, True, useprefix)
        if not bad and len(read) == 1 and read[0] == name:
            return simple
        return self.extended_name(name)

    def simple_name(self, name: Name) -> str:
        def part(text: str | None, protect: bool = False) -> str:
            if not text:
                return ""
            latex = self.latex(text)
            if protect and (" " in text or "," in text):
                return "{" + latex + "}"
            if "," in latex:
                return "{" + latex + "}"
            return latex

        particle = name.non_dropping_particle or name.dropping_particle
        family = part(name.family, protect=True)
        last = f"{self.latex(particle)} {family}" if particle else family
        given = part(name.given)
        suffix = part(name.suffix)
        if suffix:
            return f"{last}, {suffix}, {given}"
        if given:
            return f"{last}, {given}" if last else given
        return last

    def extended_name(self, name: Name) -> str:
        parts = []
        for key, value in (("family", name.family), ("given", name.given),
                           ("suffix", name.suffix)):
            if value:
                parts.append(f"{key}={{{self.latex(value)}}}")
        if name.non_dropping_particle:
            parts.append(f"prefix={{{self.latex(name.non_dropping_particle)}}}")
            parts.append("useprefix=true")
        elif name.dropping_particle:
            parts.append(f"prefix={{{self.latex(name.dropping_particle)}}}")
            parts.append("useprefix=false")
        for key, value in name.extra.items():
            if key.startswith(EXTRA_PREFIX) and isinstance(value, str) and _balanced(value):
                parts.append(f"{key[len(EXTRA_PREFIX):]}={{{value}}}")
        return ", ".join(parts)


def _json_field(data: Any, ascii_only: bool) -> str:
    """JSON on one line whose strings have no braces (so BibTeX sees balanced ones)."""
    text = json.dumps(data, ensure_ascii=ascii_only, sort_keys=True, separators=(", ", ": "))
    out: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            elif char == "{":
                char = "\\u007b"
            elif char == "}":
                char = "\\u007d"
        elif char == '"':
            in_string = True
        out.append(char)
    return "".join(out)


def _edtf_of(date: Date) -> str | None:
    """The BibLaTeX date field for a Date, or None when the date is not EDTF."""
    if date.raw is not None and _read_edtf(date.raw) == date:
        return date.raw
    if date.start is None:
        return None
    edtf = date.to_edtf()
    return edtf if edtf is not None and _read_edtf(edtf) is not None else None


def _writable_verbatim(value: str) -> bool:
    return _balanced(value) and "\\" not in value and not _NEWLINE_AT.search(value)


def _writable_raw(value: str) -> bool:
    stripped = value.rstrip("\\")
    return (_balanced(value) and (len(value) - len(stripped)) % 2 == 0
            and not _NEWLINE_AT.search(value) and value == value.strip())


def _dump(articles: Sequence[Article], dialect: str, options: Mapping[str, Any]) -> str:
    unknown = set(options) - {"ascii", "lossless"}
    if unknown:
        raise OptionError(f"{dialect} takes the options ascii and lossless, not "
                          + ", ".join(sorted(unknown)))
    settings = _Options(dialect, bool(options.get("ascii", False)),
                        bool(options.get("lossless", True)))
    taken: set[str] = set()
    writers = [_Writer(a, settings, taken) for a in articles]
    written = [w.prepare() for w in writers]
    # Read the entries back as the reader will, crossref and xdata included; whatever
    # does not come back goes in the citekit field.
    reader = _Reader(None, dialect, quiet=True)
    resolved = [replace(e, fields=dict(e.fields)) for e in written]
    reader.inherit(resolved)
    find = _key_finder(resolved)
    position = {id(e): i for i, e in enumerate(resolved)}
    results: dict[int, Article] = {}
    busy: set[int] = set()

    def process(i: int) -> None:
        # parents first: an entry's fields may shrink to what its parents do not give it
        if i in results or i in busy:
            return
        busy.add(i)
        parents = reader.parents(written[i], find)
        for parent in parents:
            process(position[id(parent)])
        if parents and not any(position[id(p)] in busy for p in parents):
            results[i], fields = _minimise(reader, writers[i], written[i], find)
            resolved[i].fields = fields
            reader.inherit_one(resolved[i], find)
        else:
            results[i] = _read_back(reader, resolved[i])
        busy.discard(i)

    parts = [f"@comment{{jabref-meta: databaseType:{dialect};}}\n"]
    for i, writer in enumerate(writers):
        process(i)
        parts.append(writer.render(results[i]))
    return "\n".join(parts)


def _read_back(reader: _Reader, entry: _Entry) -> Article:
    try:
        return _EntryReader(reader, entry, entry.key).article()
    except ValidationError:
        return Article(id=entry.key, type="document")


def _minimise(reader: _Reader, writer: _Writer, entry: _Entry,
              find: Callable[[str], _Entry | None]) -> tuple[Article, dict[str, str]]:
    """For an entry that inherits (crossref, xdata): leave out the fields it gets from
    its parents, as a .bib file does, as long as it still reads back the same. Returns
    what it reads back as, and its fields."""

    def read(fields: dict[str, str]) -> Article:
        child = _Entry(entry.entry_type, entry.key, 0, dict(fields), {})
        reader.inherit_one(child, find)
        return _read_back(reader, child)

    fields = dict(entry.fields)
    best = read(fields)
    for name in list(fields):
        if name in ("crossref", "xdata"):
            continue
        trial = {k: v for k, v in fields.items() if k != name}
        got = read(trial)
        if got == writer.article:
            fields = trial
            best = got
            writer.fields.pop(name, None)
    return best, fields


def dump(articles: Sequence[Article], **options: Any) -> str:
    """Write ``articles`` as BibTeX.

    Options: ``ascii=True`` writes every non-ASCII character as a LaTeX command;
    ``lossless=False`` leaves out the ``citekit`` field that carries what no
    BibTeX field can (with a warning naming what was left out).
    """
    return _dump(articles, BIBTEX, options)


def dump_biblatex(articles: Sequence[Article], **options: Any) -> str:
    """Write ``articles`` as BibLaTeX (options as for :func:`dump`)."""
    return _dump(articles, BIBLATEX, options)


# =======================================================================================
# Entry points
# =======================================================================================


def parse(text: str, *, source: str | None = None, dialect: str | None = None,
          **options: Any) -> list[Article]:
    """Parse a .bib document into Articles.

    ``dialect`` is ``"bibtex"`` or ``"biblatex"``; by default it is detected
    (a JabRef ``databaseType`` comment, else BibLaTeX-only entry types or fields).
    It decides how names with particles are read, whether publisher and location
    are lists, and how ``crossref`` inherits.

    Recoverable oddities (an unknown entry type or macro, a key used twice, a
    field given twice) are :class:`~citekit.errors.CitekitWarning` warnings and
    the data is kept. Entries that cannot be read raise one
    :class:`~citekit.errors.ParseError` listing them all, with the good Articles
    in ``.articles``.
    """
    if options:
        raise OptionError(f"the BibTeX reader takes no option {', '.join(sorted(options))}")
    if dialect is not None and dialect not in (BIBTEX, BIBLATEX):
        raise OptionError(f"dialect must be 'bibtex' or 'biblatex', not {dialect!r}")
    reader = _Reader(source, dialect)
    # Reading allocates many small objects and frees none in cycles: pausing the cyclic
    # garbage collector meanwhile saves about a fifth of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        articles = reader.read(text)
    finally:
        if collecting:
            gc.enable()
    if reader.problems:
        problems = sorted(reader.problems, key=lambda p: p.line or 0)
        raise ParseError(
            f"{len(problems)} {'entry' if len(problems) == 1 else 'entries'} could not be "
            f"read ({len(articles)} read)", source=source, line=problems[0].line,
            problems=problems, articles=articles)
    return articles


def parse_biblatex(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
    """:func:`parse` with the BibLaTeX rules, whatever the file looks like."""
    options.setdefault("dialect", BIBLATEX)
    return parse(text, source=source, **options)


_SNIFF = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)


def sniff(text: str) -> bool:
    """An ``@type{`` at the start of a line, in text that is not JSON or XML."""
    head = text.lstrip("\ufeff \t\r\n")
    if head[:1] in ("[", "{", "<"):
        return False
    return _SNIFF.search(text) is not None


_DECLARED_ENCODING = re.compile(
    rb"(?:%\s*Encoding:\s*|jabref-meta:\s*encoding:\s*|coding[:=]\s*)([A-Za-z0-9_.-]+)",
    re.IGNORECASE)
#: Legacy encodings tried, in order of preference, for a .bib file that is not UTF-8.
_LEGACY_ENCODINGS = ("cp1252", "gbk", "cp1251", "big5", "shift_jis")


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return "?"


def _oddness(text: str) -> int:
    """How implausible a decoding looks: words mixing scripts ("Mьller", "M黮ler"),
    runs of accented capitals ("ÖÐÎÄ"), control and unassigned characters."""
    score = 0
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cn", "Co") and char not in "\t\n\r\f":
            score += 10
    for word in re.findall(r"\w+", text):
        if word.isascii():
            continue
        scripts = {_script(c) for c in word if c.isalpha()}
        if len(scripts) > 1:
            score += 5
        if scripts == {"LATIN"} and re.search(r"[^\x00-\x7f]{3,}", word):
            score += 3
    return score


def decode(data: bytes, source: str | None = None) -> str:
    """The text of a .bib file: UTF-8 (a byte-order mark is dropped), UTF-16 with a
    byte-order mark, ISO-2022-JP (by its escape sequences), the encoding a JabRef
    ``% Encoding:`` line declares, or else the likeliest of Windows-1252, GBK,
    Windows-1251, Big5 and Shift-JIS, with a warning that names it. Raises
    :class:`~citekit.errors.ParseError` when nothing fits."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    else:
        if "\x1b$" in text or "\x1b(" in text:
            # 7-bit ISO-2022-JP (pBibTeX's Japanese files) is valid ASCII, escapes and all
            try:
                decoded = data.decode("iso2022_jp")
            except UnicodeDecodeError:
                return text
            warn("read as ISO-2022-JP (it has that encoding's escape sequences); convert "
                 "the file to UTF-8", source=source)
            return decoded
        return text
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    line = data[:bad].count(b"\n") + 1
    declared = _DECLARED_ENCODING.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").replace("ISO8859_", "iso8859-")
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    candidates: list[tuple[int, int, str, str]] = []
    for rank, encoding in enumerate(_LEGACY_ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_oddness(text), rank, encoding, text))
    if not candidates:
        raise ParseError(f"not UTF-8 (byte 0x{data[bad]:02x}) and not in a legacy encoding "
                         "citekit recognises; convert the file to UTF-8", source=source,
                         line=line)
    _score, _rank, encoding, text = min(candidates)
    warn(f"not UTF-8 (first at line {line}); read as {encoding}, the likeliest encoding. "
         "Check the accented letters, or convert the file to UTF-8", source=source,
         line=line)
    return text


FORMATS = (
    Format(
        name=BIBTEX,
        aliases=("bib",),
        extensions=("bib",),
        media_type="application/x-bibtex",
        parse=parse,
        dump=dump,
        sniff=sniff,
        decode=decode,
        keeps=None,
        description="BibTeX (reads BibTeX and BibLaTeX, telling them apart; writes "
                    "BibTeX)",
    ),
    Format(
        name=BIBLATEX,
        extensions=("bib",),
        media_type="application/x-biblatex",
        parse=parse_biblatex,
        dump=dump_biblatex,
        decode=decode,
        keeps=None,
        description="BibLaTeX (reads with the BibLaTeX rules; writes BibLaTeX)",
    ),
)


def mapping_markdown() -> str:
    """The mapping tables as Markdown: ``docs/formats/bibtex.md`` holds this text (a
    test checks that it does), so the documentation and the code cannot drift."""
    def cell(text: str | None) -> str:
        return (text or "").replace("|", "\\|")

    lines = ["### Entry types (reading)", "",
             "| entry type | CSL type | standard in | implied genre | notes |",
             "|---|---|---|---|---|"]
    for rule in ENTRY_TYPES:
        lines.append(f"| `@{rule.entry_type}` | `{rule.csl_type}` | {rule.dialect} | "
                     f"{cell(rule.genre)} | {cell(rule.note)} |")
    lines += ["", "Any other entry type is read as `document`; the type is kept in "
              f"`extra[\"{TYPE_KEY}\"]` and written back.", "",
              "### Entry types (writing)", "",
              "| CSL type | BibTeX | BibLaTeX |", "|---|---|---|"]
    for csl_type, (bibtex_type, biblatex_type) in sorted(WRITE_TYPES.items()):
        lines.append(f"| `{csl_type}` | `@{bibtex_type}` | `@{biblatex_type}` |")
    lines += ["", "### Fields", "",
              "| field | CSL variable | read as | standard in | when |",
              "|---|---|---|---|---|"]
    for field_rule in FIELDS:
        names = ", ".join(f"`{name}`" for name in field_rule.fields)
        lines.append(f"| {names} | `{field_rule.csl}` | {field_rule.kind} | "
                     f"{field_rule.dialect} | {cell(field_rule.when)} |")
    lines += ["", "### BibLaTeX `type` keys", "", "| key | genre |", "|---|---|"]
    for key, genre in TYPE_KEYS.items():
        lines.append(f"| `{key}` | {cell(genre)} |")
    lines += ["", "### Languages (`langid`, `language`)", "",
              "| babel / polyglossia name | BCP 47 |", "|---|---|"]
    for name, tag in LANGUAGES.items():
        lines.append(f"| `{name}` | `{tag}` |")
    return "\n".join(lines) + "\n"
