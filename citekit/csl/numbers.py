"""Numbers, page ranges and labels: ``cs:number``, ``cs:label``, and the number
variables rendered through ``cs:text`` (CSL 1.0.2, "Number", "Label",
"Page Ranges", "Ordinal Suffixes").

A number variable is parsed into values joined by ``-``, ``,``, ``&`` and
``and``, each with an optional label ("p. 12", "vol. 3") and particle
("S12"). A value is *numeric* when it is digits with an optional letter suffix
(``12``, ``12a``) or a roman numeral; ``is-numeric`` tests and label plurals
follow from it (``12-15`` and ``1, 3`` are plural; ``2nd ed.`` is not numeric).

* [Page Ranges] a page range joins with the locale's ``page-range-delimiter``
  (an en dash); ``page-range-format`` ``expanded`` writes the end in full
  (``321-28`` becomes ``321–328``), ``minimal`` keeps only the changed digits,
  ``minimal-two`` at least two, ``chicago``/``chicago-15``/``chicago-16`` the
  Chicago rules. Other number ranges (volumes, issues) also take the en dash.
* [Number] ``form`` ``numeric``, ``ordinal`` (ordinal terms matched by last
  digit, last two digits or whole number, and by the grammatical gender of the
  variable's term), ``long-ordinal`` (``first`` ... ``tenth``, else ordinal) and
  ``roman`` (lower case).
* [Label] the term for the variable, plural when the value is plural (or
  ``number-of-*`` is more than one), in ``form``; no label for a non-numeric
  ``locator``, ``issue``, ``volume``, ``edition`` or ``number``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from citeproc import model as _model

from citekit.csl.element import Element, State, Token, register
from citekit.csl.richtext import Blob

__all__ = ["Label", "Number", "NumberInfo", "emit_number", "number_value", "parse_number"]

#: label abbreviations -> locator term
SUBDIV: dict[str, str] = {
    "vrs.": "verse", "sv.": "sub-verbo", "subpara.": "subparagraph", "op.": "opus",
    "subch.": "subchapter", "add.": "addendum", "amend.": "amendment", "annot.": "annotation",
    "app.": "appendix", "art.": "article", "bibliog.": "bibliography", "bk.": "book",
    "ch.": "chapter", "cl.": "clause", "col.": "column", "cmt.": "comment", "dec.": "decision",
    "dept.": "department", "ex.": "example", "fig.": "figure", "fld.": "field",
    "fol.": "folio", "n.": "note", "hypo.": "hypothetical", "illus.": "illustration",
    "intro.": "introduction", "l.": "line", "no.": "issue", "p.": "page", "pp.": "page",
    "para.": "paragraph", "pt.": "part", "pmbl.": "preamble", "princ.": "principle",
    "pub.": "publication", "r.": "rule", "rn.": "randnummer", "sched.": "schedule",
    "sec.": "section", "ser.": "series,", "subdiv.": "subdivision", "subsec.": "subsection",
    "supp.": "supplement", "tbl.": "table", "tit.": "title", "vol.": "volume",
}
#: locator term -> label abbreviation
SUBDIV_REVERSE: dict[str, str] = {}
for _abbr, _term in SUBDIV.items():
    SUBDIV_REVERSE.setdefault(_term, _abbr)
SUBDIV_REVERSE["sub verbo"] = "sv."

NUMBER_VARIABLES = frozenset({
    "page", "page-first", "chapter-number", "collection-number", "edition", "issue",
    "number", "number-of-pages", "number-of-volumes", "volume", "locator", "locator-extra",
    "part-number", "supplement-number", "printing-number"})
_RANGE_VARIABLES = frozenset({
    "page", "chapter-number", "collection-number", "edition", "issue", "number",
    "number-of-pages", "number-of-volumes", "volume", "locator", "locator-extra"})
_LOCATOR_LIKE = ("locator", "locator-extra", "page")

_LABEL_WORD = (r"(?:[a-z]|[a-z][a-z]|[a-z][a-z][a-z]|[a-z][a-z][a-z][a-z]|subpara|subch"
               r"|amend|bibliog|annot|illus|princ|intro|sched|subdiv|subsec)")
_LABEL_FIND = re.compile(r"((?:^| )" + _LABEL_WORD + r"(?:\.| ) *)")
_LABEL_SPLIT = re.compile(r"(?:(?:^| )" + _LABEL_WORD + r"(?:\.| ) *)")
_NUMERICISH = re.compile(r"^[0-9]+([-;,:a-zA-Z]*)$")
_PARTICLE_VALUE = re.compile(r"^([0-9]*[a-zA-Z]+0*)?([0-9]+(?:[a-zA-Z]*|[-,a-zA-Z]+))$")
_ROMAN = re.compile(r"^[ivxlcmIVXLCM]+$")


@dataclass
class NumVal:
    """One value of a number variable."""

    label: str
    orig_label: str
    label_suffix: str
    particle: str
    value: str
    joining: str
    numeric: bool = False
    collapsible: bool | None = None
    plural: int = 0
    label_visible: bool = False
    sleepy: bool = False


@dataclass
class NumberInfo:
    """A parsed number variable."""

    values: list[NumVal]
    numeric: bool = False
    plural: int = 0
    #: the locator term of the first value's label
    label: str | None = None
    label_form: str | None = None


def number_value(st: State, variable: str) -> str | None:
    """The raw value of a number variable (the cite's for locators)."""
    if variable in ("locator", "locator-extra"):
        cite = st.cite
        value = cite.get(variable) if cite is not None else None
        return str(value) if value not in (None, "") else None
    if variable == "citation-number":
        return str(st.citation_number) if getattr(st, "citation_number", None) else None
    return st.item.vars.get(variable)


def _joiner(and_term: str, english: bool) -> re.Pattern[str]:
    full = r",\s+and\s+|\s+and\s+"
    if not english and and_term:
        term = re.escape(and_term)
        full += r"|,\s+" + term + r"\s+|\s+" + term + r"\s+"
    return re.compile(r"(\s*&\s*|" + full + r"|;\s+|,\s+|\s*\\*[\-\u2013]+\s*)")


def _compose(variable: str, real: str, orig_label: str, label: str, value: str,
             joining: str | None, position: int) -> NumVal:
    if not label and variable not in SUBDIV_REVERSE:
        label = "var:" + variable
    info = NumVal(label="", orig_label=orig_label, label_suffix="", particle="", value=value,
                  joining="")
    if label:
        match = re.match(r"(\s*)([^\s]+)(\s*)", label)
        assert match is not None
        if real == "page" and position == 0 and match.group(2) not in ("p.", "pp."):
            info.sleepy = True
            info.label_visible = True
        info.label = match.group(2)
        info.label_suffix = match.group(3) or ""
    match = _PARTICLE_VALUE.match(value)
    if match:
        info.particle = match.group(1) or ""
        info.value = match.group(2)
    info.joining = re.sub(r"\s*-\s*", "-", joining or "", count=1)
    return info


def _parse(variable: str, real: str, raw: str, label_hint: str | None, lang: str,
           and_term: str, ampersand: str, has_term: Any) -> NumberInfo:
    text = raw.strip()
    first = re.match(r"^([^ ]+)", text)
    if first and first.group(1) not in SUBDIV:
        embedded = None
        if variable in _LOCATOR_LIKE:
            embedded = SUBDIV_REVERSE.get(label_hint) if label_hint else "p."
        else:
            embedded = SUBDIV_REVERSE.get(variable)
        if embedded:
            text = embedded + " " + text
    if variable == "page" and "\u2013" in text:
        text = text.replace("\u2013", "-")
    joiner = _joiner(and_term, lang.startswith("en"))
    if "\\-" in text:
        source = joiner.pattern.replace("\\-", "", 1)
        joiner = re.compile(source)
        pieces = text.split("\\-")
        text = "\\-".join(p.replace("-", "\u2013") for p in pieces).replace("\\", "")
    parts = joiner.split(text)
    elems: list[str] = []
    if len(parts) > 1:
        for i in range(1, len(parts), 2):
            if re.fullmatch(r"\s*&\s*", parts[i]):
                before = parts[i - 1]
                if before[-1:].isalpha() and before[:1].isalpha():
                    parts[i] = ampersand
                else:
                    parts[i] = " " + ampersand + " "
        elems = parts
        for i in range(len(elems) - 2, 0, -2):
            if (elems[i] == "-" and re.match(
                    r"^(?:(?:[a-z]|[a-z][a-z]|[a-z][a-z][a-z]|[a-z][a-z][a-z][a-z])\.  *)*"
                    r"[0-9]+[,a-zA-Z]+$", elems[i - 1])
                    and re.match(r"^[,a-zA-Z]+$", elems[i + 1])):
                elems[i - 1] = "".join(elems[i - 1:i + 2])
                del elems[i:i + 2]
    else:
        elems = [text]
    values: list[NumVal] = []
    default_label = SUBDIV_REVERSE.get(variable, "")
    label = default_label
    orig_label = ""
    for i in range(0, len(elems), 2):
        element = elems[i]
        joining = elems[i + 1] if i + 1 < len(elems) else None
        found = _LABEL_FIND.findall(element)
        if found:
            lst = _LABEL_SPLIT.split(element)
            marks = list(found)
            j = len(lst) - 1
            while j > 0:
                if lst[j - 1] and (not _NUMERICISH.match(lst[j])
                                   or not _NUMERICISH.match(lst[j - 1])):
                    lst[j - 1] = lst[j - 1] + marks[j - 1] + lst[j]
                    del lst[j]
                    del marks[j - 1]
                j -= 1
            if marks:
                slug = marks[0].strip()
                not_a_label = (slug not in SUBDIV or not has_term(SUBDIV[slug])
                               or (variable not in ("locator", "number", "locator-extra",
                                                    "page") and SUBDIV[slug] != variable))
                if not_a_label:
                    if i == 0 and len(lst) > 1:
                        marks = marks[1:]
                        lst[0] = lst[0] + " " + slug + " " + lst[1]
                        del lst[1]
                else:
                    orig_label = slug
            for j, piece in enumerate(lst):
                if piece or j == len(lst) - 1:
                    label = marks[j - 1] if j >= 1 and j - 1 < len(marks) else label
                    filtered = "" if orig_label == label.strip() else orig_label
                    value = piece.strip() if piece else ""
                    values.append(_compose(variable, real, filtered, label, value,
                                           joining if j == len(lst) - 1 else None, i))
        else:
            filtered = "" if orig_label == label.strip() else orig_label
            values.append(_compose(variable, real, filtered, label, element, joining, i))
    for a, b in itertools.pairwise(values):
        if not a.joining and b.label:
            a.joining = " "
    _plurals(values, variable, real, raw, has_term)
    for value in values:
        if not value.numeric:
            value.plural = 0
    info = NumberInfo(values)
    if values:
        info.numeric = values[0].numeric
        info.plural = values[0].plural
        info.label = SUBDIV.get(values[0].label)
        if variable == "number" and info.label == "issue" and has_term("number"):
            info.label = "number"
    if len(values) == 1:
        if values[0].value.find("|") > -1 and variable == "number":
            values[0].value = values[0].value.replace("|", ", ")
            values[0].numeric = True
            values[0].plural = 1
            values[0].collapsible = False
            info.numeric, info.plural = True, 1
        if re.match(r"^[0-9]+(?:/[0-9]+)+$", values[0].value):
            values[0].numeric = True
            values[0].plural = 0
            values[0].collapsible = False
            info.numeric, info.plural = True, 0
    if variable == "page" and values and values[0].sleepy:
        info.label_form = "short"
    return info


def _plurals(values: list[NumVal], variable: str, real: str, raw: str, has_term: Any) -> None:
    if not values:
        return

    def settle(start: int, count: int) -> None:
        master = values[start]
        numeric = True
        collapsible: bool | None = True
        value = master.value
        escaped = master.joining == "\\-"
        m_val = re.match(r"^[0-9]+([-,:a-zA-Z]*)$", value)
        m_label = re.match(r"^(?:[0-9]+|[ixv]+)([-,:a-zA-Z]*|\-[\-0-9]+)$", master.value)
        if not value or not m_val or not m_label or escaped:
            collapsible = False
            if not value or not m_label:
                numeric = False
            if escaped:
                count -= 1
        if master.collapsible is None:
            for j in range(start, min(start + count, len(values))):
                v = values[j].value
                values[j].collapsible = bool(re.match(r"^\d", v) or _ROMAN.match(v))
            collapsible = master.collapsible
        for j in range(start, min(start + count, len(values))):
            if count > 1 and collapsible:
                values[j].plural = 1
            values[j].numeric = numeric
            values[j].collapsible = collapsible

    def visibility(start: int) -> None:
        label = values[start].label
        if label.startswith("var:"):
            return
        if start == 0:
            if variable in ("locator", "number", "locator-extra", "page") \
                    and not has_term(SUBDIV.get(label, "")):
                values[start].label_visible = True
            if variable not in ("locator", "number", "locator-extra", "page") \
                    and SUBDIV.get(label) != variable:
                values[0].label_visible = True
        else:
            values[start].label_visible = True

    start, count = 0, 1
    for i in range(1, len(values)):
        if values[i - 1].label == values[i].label:
            count += 1
        else:
            settle(start, count)
            visibility(start)
            start, count = i, 1
    settle(start, count)
    visibility(start)
    if values[0].numeric and variable.startswith("number-of-"):
        try:
            if int(raw) > 1:
                values[0].plural = 1
        except ValueError:
            pass


def parse_number(st: State, variable: str, raw: str) -> NumberInfo:
    """The parsed value of a number variable (cached per style, variable and value)."""
    real = variable
    if variable == "page-first":
        variable = "page"
    label_hint = None
    if variable in ("locator", "locator-extra") and st.cite is not None:
        label_hint = st.cite.get("label") or None
    info: NumberInfo = st.style.number_cache(variable, real, raw, label_hint)
    return info


def parse_number_for(style: Any, variable: str, real: str, raw: str,
                     label_hint: str | None) -> NumberInfo:
    locale = style.locale_data
    and_term = locale.term("and") or "and"
    ampersand = locale.term("and", "symbol") or "&"
    if ampersand == and_term:
        ampersand = "&"

    def has_term(name: str) -> bool:
        return bool(name) and locale.find(name) is not None

    return _parse(variable, real, raw, label_hint, locale.lang, and_term, ampersand, has_term)


# -- page ranges --------------------------------------------------------------------------

_RANGE = re.compile(r"([0-9]*[a-zA-Z]+0*)?([0-9]+[a-z]*)\s*(?:\u2013|-)\s*([0-9]*[a-zA-Z]+0*)?"
                    r"([0-9]+[a-z]*)")


def mangle_range(text: str, range_format: str | None, delimiter: str) -> str:
    """Apply ``page-range-format`` to the ranges in ``text``."""
    this_delim = "" if delimiter == "-" else re.escape(delimiter)
    text = re.sub(r"([^\\])[-" + this_delim + "\u2013]", r"\1 - ", text)
    text = re.sub(r"\s+-\s+", " - ", text)
    ranges = re.compile(r"((?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-z]*\s+-\s+(?:[0-9]*[a-zA-Z]+0*)?"
                        r"[0-9]+[a-z]*)")
    pieces: list[Any] = ranges.split(text)
    for i in range(1, len(pieces), 2):
        pieces[i] = re.sub(r"\s*-\s*", "-", pieces[i])
    # expand
    for i in range(1, len(pieces), 2):
        match = _RANGE.search(pieces[i])
        if match:
            p1, n1, p2, n2 = match.group(1), match.group(2), match.group(3), match.group(4)
            if not p2 or p1 == p2:
                if len(n2) < len(n1):
                    n2 = n1[:len(n1) - len(n2)] + n2
                if _int(n1) < _int(n2):
                    pieces[i] = [p1 or "", n1, delimiter + (p1 or ""), n2]
        if isinstance(pieces[i], str):
            pieces[i] = pieces[i].replace("-", delimiter)
    if range_format in ("minimal", "minimal-two"):
        minchars = 2 if range_format == "minimal-two" else 0
        for i in range(1, len(pieces), 2):
            piece = pieces[i]
            if isinstance(piece, list):
                piece[3] = _minimize(piece[1], piece[3], minchars)
                if piece[2][1:] == piece[0]:
                    piece[2] = delimiter
    elif range_format == "chicago-16":
        # CMOS 16: all digits under 100 and from a multiple of 100; only the
        # changed part after 101-109; at least two digits otherwise
        for i in range(1, len(pieces), 2):
            piece = pieces[i]
            if isinstance(piece, list):
                begin = _int(piece[1])
                if begin >= 100 and begin % 100:
                    piece[3] = _minimize(piece[1], piece[3], 0 if begin % 100 < 10 else 2)
                if piece[2][1:] == piece[0]:
                    piece[2] = delimiter
    elif range_format in ("chicago", "chicago-15"):
        for i in range(1, len(pieces), 2):
            piece = pieces[i]
            if isinstance(piece, list):
                begin, end = _int(piece[1]), _int(piece[3])
                if begin > 100 and begin % 100 and begin // 100 == end // 100:
                    piece[3] = str(end % 100)
                elif begin >= 10000:
                    piece[3] = str(end % 1000)
                if piece[2][1:] == piece[0]:
                    piece[2] = delimiter
    out = "".join("".join(p) if isinstance(p, list) else p for p in pieces)
    return re.sub(r"([^\\])\-", lambda m: m.group(1) + delimiter, out)


def _int(text: str) -> int:
    match = re.match(r"\d+", text)
    return int(match.group(0)) if match else 0


def _js_int(text: str) -> int | None:
    """The leading integer of ``text`` (after spaces, with a sign), None without one:
    a range with a non-numeric end ("9-", "2-e") is no descending range."""
    match = re.match(r"\s*([-+]?\d+)", text)
    return int(match.group(1)) if match else None


def _minimize(begin: str, end: str, minchars: int) -> str:
    b, e = list(begin), list(end)
    result = list(reversed(e))
    if len(b) == len(e):
        for i in range(len(b)):
            if b[i] == e[i] and len(result) > minchars:
                result.pop()
            else:
                break
    return "".join(reversed(result))


def fix_ranges(st: State, variable: str, info: NumberInfo) -> list[NumVal]:
    """Values with range delimiters and page-range-format applied (a copy)."""
    values = [NumVal(**vars(v)) for v in info.values]
    if variable not in _RANGE_VARIABLES:
        return values
    delimiter = st.term("page-range-delimiter") or "\u2013"
    range_format = st.style.page_range_format

    def has_term(label: str) -> bool:
        return bool(st.locale.find(SUBDIV.get(label, ""))) if label in SUBDIV else False

    def fix_delim(val: NumVal, joining: str, numeric: bool) -> str:
        is_page = variable == "page" or (variable in ("locator", "locator-extra")
                                         and "p." in (val.label, val.orig_label))
        term_ok = True
        if variable in _LOCATOR_LIKE:
            label = val.orig_label or val.label
            term_ok = bool(st.locale.find(SUBDIV.get(label, ""))) if label in SUBDIV \
                else False
        if term_ok and joining == "-" and numeric:
            if is_page or variable in ("locator", "locator-extra", "issue", "volume",
                                       "edition", "number"):
                return delimiter
            if variable == "collection-number":
                return st.term("year-range-delimiter") or "\u2013"
        return joining

    def mangle(i: int, count: list[int]) -> None:
        if i < 1 or count[0] != 2:
            return
        prev, val = values[i - 1], values[i]
        if prev.particle != val.particle:
            return
        if prev.joining != "-":
            count[0] = 1
            return
        first, last = _js_int(prev.value), _js_int(val.value)
        if not range_format and first is not None and last is not None and first > last:
            prev.joining = fix_delim(val, prev.joining, True)
            return
        is_page = variable == "page" or (variable in ("locator", "locator-extra")
                                         and "p." in (val.label, val.orig_label))
        if is_page and prev.value[:1].isdigit() and val.value[:1].isdigit():
            text = prev.particle + prev.value + " - " + val.particle + val.value
            text = mangle_range(text, range_format, delimiter)
        else:
            if (re.match(r"^([0-9]+|[ivxlcmIVXLCM]+)$", prev.value)
                    and re.match(r"^([0-9]+|[ivxlcmIVXLCM]+)$", val.value)):
                prev.joining = delimiter
            text = prev.value + prev.joining.replace("\\-", "-") + val.value
        match = re.match(r"^((?:[0-9]*[a-zA-Z]+0*))?([0-9]+[a-z]*)(\s*[^0-9]+\s*)"
                         r"([-,a-zA-Z]?0*)([0-9]+[a-z]*)$", text)
        if match:
            prev.particle = match.group(1) or ""
            prev.value = match.group(2)
            prev.joining = fix_delim(val, match.group(3), bool(val.numeric))
            val.particle = match.group(4)
            val.value = match.group(5)
        count[0] = 0

    count = [0]
    label: str | None = None
    for i, val in enumerate(values):
        if not val.collapsible:
            count[0] = 0
            label = None
            val.joining = fix_delim(val, val.joining, bool(val.numeric))
        elif label == val.label and val.joining == "-":
            count[0] = 1
        elif label == val.label:
            count[0] += 1
            if count[0] == 2:
                mangle(i, count)
        else:
            label = val.label
            count[0] = 1
    if count[0] == 2:
        mangle(len(values) - 1, count)
    return values


# -- ordinals and roman numerals ----------------------------------------------------------

def ordinal(st: State, number: int, gender: str | None = None) -> str:
    """``number`` with its ordinal suffix (CSL 1.0.2 "Ordinal Suffixes")."""
    table = _ordinal_table(st.locale)
    text = str(number)
    for try_gender in ([gender] if gender else []) + ["neuter"]:
        for kind, key in (("whole-number", text), ("last-two-digits", text[-2:]),
                          ("last-digit", text[-1:])):
            suffix = table.get((kind, key, try_gender))
            if suffix is not None:
                return text + suffix
    general = st.locale.term("ordinal") or ""
    return text + general


def _ordinal_table(locale: Any) -> dict[tuple[str, str, str], str]:
    cached: dict[tuple[str, str, str], str] | None = getattr(locale, "_ordinals", None)
    if cached is not None:
        return cached
    table: dict[tuple[str, str, str], str] = {}
    for (name, form), entries in locale.terms.items():
        if form != "long" or not re.fullmatch(r"ordinal-\d\d", name):
            continue
        digits = name[-2:]
        for entry in entries:
            number = int(digits)
            match = entry.match or ("last-digit" if number < 10 else "last-two-digits")
            if match == "last-digit":
                key = str(number % 10)
            elif match == "last-two-digits":
                key = digits if number >= 10 else str(number)
            else:
                key = str(number)
            table.setdefault((match, key, entry.gender_form or "neuter"), entry.single)
    locale._ordinals = table
    return table


def long_ordinal(st: State, number: int, gender: str | None = None) -> str:
    """``first``, ``second``... up to the locale's last long ordinal, else ordinal."""
    term = st.locale.term(f"long-ordinal-{number:02d}", "long", False, gender)
    return term if term else ordinal(st, number, gender)


_ROMAN_DIGITS = (
    ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"),
    ("", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc"),
    ("", "c", "cc", "ccc", "cd", "d", "dc", "dcc", "dccc", "cm"),
    ("", "m", "mm", "mmm", "mmmm", "mmmmm"),
)


def roman(number: int) -> str:
    """Lower-case roman numeral (up to 5999)."""
    if number >= 6000:
        return ""
    digits = str(number)[::-1]
    return "".join(_ROMAN_DIGITS[i][int(d)] for i, d in reversed(list(enumerate(digits))))


# -- rendering ----------------------------------------------------------------------------

def emit_number(node: Any, st: State, out: list[Blob], variable: str, form: str = "numeric",
                label_form: str | None = None) -> bool:
    """Render a number variable the way ``cs:number`` does (``cs:text`` uses it
    with the numeric form). Returns True when something was rendered."""
    raw = number_value(st, variable)
    if not raw:
        return False
    info = parse_number(st, variable, raw)
    values = fix_ranges(st, "page" if variable == "page-first" else variable, info)
    token: Token = node.token
    master = Blob([], prefix=token.prefix, suffix=token.suffix, decorations=token.decorations,
                  kind="number")
    assert isinstance(master.blobs, list)
    inner = Token(text_case=token.text_case)
    master_label = values[0].label if values else None
    form_of_label = info.label_form or label_form
    embedded_form = info.label_form or "short"
    gender = st.locale.gender(variable)
    for i, val in enumerate(values):
        label = ""
        if val.label:
            name = val.label[4:] if val.label.startswith("var:") else SUBDIV.get(val.label)
            if name:
                use_form = form_of_label if val.label == master_label else embedded_form
                label = st.term(name, use_form or "long", bool(val.plural))
        if val.label_visible:
            if not label:
                label = val.label
            if "%s" not in label:
                blob = st.text_blob(label + val.label_suffix)
                if blob is not None:
                    master.blobs.append(blob)
        suffix = val.joining.replace("\\-", "-")
        if val.collapsible:
            # numbers under another label than the variable's own ("7, p. 3-8")
            # print plain
            own = not val.label or val.label == master_label
            text = _format_value(st, val, form if own else "numeric", gender)
            blob = Blob(text, suffix=suffix)
            if token.text_case:
                blob.blobs = st.case(text, token.text_case)
            if st.strip_periods:
                blob.blobs = re.sub(r"\.([^a-z]|$)", r"\1", blob.blobs)  # type: ignore[arg-type]
            blob.num = _int(val.value) if val.value.isdigit() else 0
            master.blobs.append(blob)
        else:
            inner_token = Token(suffix=suffix, text_case=inner.text_case)
            blob = st.text_blob(val.particle + val.value, inner_token)
            if blob is not None:
                master.blobs.append(blob)
        st.term_predecessor = True
        del i
    out.append(master)
    return True


def _format_value(st: State, val: NumVal, form: str, gender: str | None) -> str:
    if val.particle:
        return val.particle + val.value
    if not re.fullmatch(r"[1-9][0-9]*", val.value):
        return val.value
    number = int(val.value)
    if form == "ordinal":
        return ordinal(st, number, gender)
    if form == "long-ordinal":
        return long_ordinal(st, number, gender)
    if form == "roman":
        return roman(number)
    return str(number)


@register("number")
class Number(Element, _model.Number):  # type: ignore[misc]
    """``cs:number``."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.variable = self.get("variable", "")
        self.form = self.get("form", "numeric")

    def emit(self, st: State, out: list[Blob]) -> None:
        variable = self.variable
        if not st.claim(variable):
            return
        raw = number_value(st, variable)
        if not raw:
            st.tip.variable_attempt = True
            return
        st.tip.variable_success = True
        if emit_number(self, st, out, variable, self.form) and st.substituting:
            st.substitute_done = True
        if variable in ("locator", "locator-extra"):
            st.done_vars.append(variable)


@register("label")
class Label(Element, _model.Label):  # type: ignore[misc]
    """``cs:label`` outside ``cs:names``."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.variable = self.get("variable", "")
        self.form = self.get("form", "long")
        self.plural = self.get("plural", "contextual")

    def emit(self, st: State, out: list[Blob]) -> None:
        text = self.label_text(st)
        if not text:
            return
        st.tip.term_intended = True
        if st.strip_periods or self.token.strip_periods:
            text = text.replace(".", "")
        blob = st.text_blob(text, self.token)
        if blob is not None:
            out.append(blob)

    def names_label_text(self, st: State, term: str, plural: bool) -> str:
        """The label of a ``cs:names`` for role ``term`` (``plural`` for several names)."""
        if self.plural == "always":
            plural = True
        elif self.plural == "never":
            plural = False
        text = st.term(term, self.form, plural)
        if text and (st.strip_periods or self.token.strip_periods):
            text = text.replace(".", "")
        return text

    def label_text(self, st: State) -> str:
        variable = self.variable
        if variable == "locator":
            cite = st.cite
            if cite is None or not cite.get("locator"):
                return ""
            term = cite.get("label") or "page"
            if term == "sub verbo":
                term = "sub-verbo"
        else:
            term = variable
        raw = number_value(st, variable) if variable in NUMBER_VARIABLES else \
            st.item.vars.get(variable)
        plural = False
        info = parse_number(st, variable, raw) if raw and variable in NUMBER_VARIABLES \
            else None
        if info is not None and info.label and variable in ("locator", "number", "page"):
            term = info.label  # a label written in the value ("vol. 1, fol. 186")
        if self.plural == "always":
            plural = True
        elif self.plural == "never":
            plural = False
        elif info is not None:
            plural = bool(info.plural)
        return st.term(term, self.form, plural)
