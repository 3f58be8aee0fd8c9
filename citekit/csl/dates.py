"""Dates: ``cs:date`` and ``cs:date-part`` (CSL 1.0.2, "Date", "Date-part",
"Localized Date Formats", "Date Ranges", "AD and BC", "Seasons", "Approximate
Dates").

* A localized date (``form="text"`` or ``"numeric"``) uses the locale's date
  format; ``date-parts`` (``year``, ``year-month``, ``year-month-day``)
  selects parts, and the style's ``cs:date-part`` children override the
  attributes of the locale's (affixes included); the style's ``cs:date`` gives
  the affixes and display.
* A range prints the parts both ends share once: ``May 1–June 15, 2000``,
  ``2000–2001``; the ``range-delimiter`` of the part where the ends differ
  joins them (an en dash by default).
* A month of 13-16 or a ``season`` without a month prints the season term.
* Years 1-499 take the ``ad`` term, negative years the ``bc`` term.
* A literal date prints as given where the year would be.
* When a style never renders ``year-suffix`` itself, the year-suffix letter
  follows the year (CSL 1.0.2, "Disambiguation").
"""

from __future__ import annotations

from typing import Any

from citeproc import model as _model

from citekit.csl.element import Element, State, Token, register
from citekit.csl.item import DateValue
from citekit.csl.richtext import Blob

__all__ = ["Date", "DatePart", "format_part"]

_ORDER = ("year", "month", "day")


def _part_value(date: DateValue, name: str, end: bool = False) -> int:
    parts = date.end if end else date.start
    if not parts:
        return 0
    return parts[_ORDER.index(name)]


def format_part(st: State, name: str, value: int, form: str, gender: str | None = None,
                strip: bool = False) -> str:
    """The text of one date part."""
    if name == "year":
        if form == "short":
            text = str(value)
            return text[2:] if len(text) == 4 else text
        return str(value)
    if name == "month":
        if form in ("long", "short"):
            if value > 12:
                number = value - 16 if value > 16 else value - 12
                term = st.term(f"season-{number:02d}", form)
            else:
                term = st.term(f"month-{value:02d}", form)
            return term.replace(".", "") if strip else term
        if form == "numeric-leading-zeros":
            return f"{value:02d}"
        return str(value)
    # day
    if form == "numeric-leading-zeros":
        return f"{value:02d}"
    if form == "ordinal":
        if st.locale.limit_day_ordinals and value != 1:
            return str(value)
        from citekit.csl.numbers import ordinal

        return ordinal(st, value, gender)
    return str(value)


class PartSpec:
    """One date part to render: its name and compiled attributes."""

    __slots__ = ("form", "name", "range_delimiter", "token")

    def __init__(self, name: str, attrs: dict[str, str]) -> None:
        self.name = name
        default_form = "long" if name in ("month", "year") else "numeric"
        self.form = attrs.get("form", default_form)
        self.range_delimiter = attrs.get("range-delimiter", "\u2013")
        self.token = Token.of(_Attrs(attrs))


class _Attrs:
    def __init__(self, attrs: dict[str, str]) -> None:
        self.attrs = attrs

    def get(self, key: str, default: Any = None) -> Any:
        return self.attrs.get(key, default)


@register("date")
class Date(Element, _model.Date):  # type: ignore[misc]
    """``cs:date``."""

    variable: str
    form: str | None
    parts: list[PartSpec] | None

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.variable = self.get("variable", "")
        self.form = self.get("form")
        self.date_parts = self.get("date-parts", "year-month-day")
        own = [(p.get("name", ""), dict(p.attrib)) for p in self
               if isinstance(p, DatePart)]
        self.own_parts = own
        self.parts = None
        if self.form is None:
            self.parts = [PartSpec(name, attrs) for name, attrs in own]
            self.delimiter = self.get("delimiter", "")
        self.style_ref = style

    def localized(self, st: State) -> tuple[list[PartSpec], Token]:
        """The parts and formatting of a localized date."""
        cache = st.style.date_cache
        key = (id(self), st.locale.lang)
        hit = cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        fmt = st.locale.dates.get(self.form or "text")
        specs: list[PartSpec] = []
        delimiter = ""
        if fmt is not None:
            overrides = {name: attrs for name, attrs in self.own_parts}
            wanted = {"year": ("year",), "year-month": ("year", "month"),
                      "month-day": ("month", "day")}.get(self.date_parts,
                                                         ("year", "month", "day"))
            names = [name for name, _ in fmt.parts]
            for index, (name, attrs) in enumerate(fmt.parts):
                if name not in wanted:
                    continue
                merged = dict(attrs)
                for attr, value in overrides.get(name, {}).items():
                    if attr != "name":
                        merged[attr] = value
                if self.date_parts == "month-day" and index + 1 < len(names) \
                        and names[index + 1] == "year":
                    merged["suffix"] = ""
                specs.append(PartSpec(name, merged))
            delimiter = fmt.attrs.get("delimiter", "")
        token = Token(self.token.prefix, self.token.suffix, delimiter,
                      [d for d in self.token.decorations], self.token.text_case,
                      self.token.strip_periods, self.token.display)
        cache[key] = (specs, token)
        return specs, token

    def emit(self, st: State, out: list[Blob]) -> None:
        variable = self.variable
        if not st.claim(variable):
            return
        date = st.item.dates.get(variable)
        if st.ambiguity and variable == "accessed":
            # an access date tells no cites apart (as in the reference processor)
            date = None
        if st.sorting:
            self.emit_sort_key(st, date, out)
            return
        if self.form is not None:
            specs, token = self.localized(st)
        else:
            specs = self.parts or []
            token = Token(self.token.prefix, self.token.suffix, self.delimiter,
                          self.token.decorations, self.token.text_case,
                          self.token.strip_periods, self.token.display)
        names = [s.name for s in specs]
        has_output = date is not None and (
            bool(date.literal) or (date.start is not None and any(
                _part_value(date, n) for n in names if n != "year")) or
            (date.start is not None and date.start[0] != 0 and "year" in names)
            or (bool(date.season) and "month" in names))
        if not has_output or date is None:
            st.tip.variable_attempt = True
            return
        if _only_text_season(date, names):
            # A season given as text ("Fall") standing in for the month is
            # printed, but as citeproc-js does, it does not count as a
            # rendered variable for cs:group suppression (CSL 1.0.2
            # "Group"): a group holding nothing else stays empty. Seasons
            # 1-4 print the locale's term and do count (see render_parts).
            st.tip.variable_attempt = True
        else:
            st.tip.variable_success = True
        if st.substituting:
            st.substitute_done = True
        blob = Blob([], prefix=token.prefix, suffix=token.suffix, delimiter=token.delimiter,
                    decorations=token.decorations, kind="date")
        assert isinstance(blob.blobs, list)
        if token.strip_periods:
            st.strip_periods += 1
        try:
            self.render_parts(st, date, specs, blob.blobs, token.delimiter)
        finally:
            if token.strip_periods:
                st.strip_periods -= 1
        out.append(blob)

    def emit_sort_key(self, st: State, date: DateValue | None, out: list[Blob]) -> None:
        """In a sort key a date renders as a sortable string of the parts it shows."""
        from citekit.csl.sorting import date_sort_key

        if self.form is not None:
            names = {"year": ("year",), "year-month": ("year", "month")}.get(
                self.date_parts, ("year", "month", "day"))
        else:
            names = tuple(name for name, _ in self.own_parts)
        key = date_sort_key(date, names)
        if key:
            st.tip.variable_success = True
            out.append(Blob(key, kind="datekey"))
        else:
            st.tip.variable_attempt = True

    def render_parts(self, st: State, date: DateValue, specs: list[PartSpec],
                     out: list[Blob], delimiter: str = "") -> None:
        names = [s.name for s in specs]
        collapse_at: list[str] = []
        if date.end is not None and date.start and not any(date.end) and "year" in names:
            # an open range ([[1987], [0]]): the start, the year's range delimiter
            collapse_at = ["year"]
        elif date.end and date.start:
            with_end = [n for n in _ORDER if n in names and _part_value(date, n, True)]
            position = len(with_end)
            for i, name in enumerate(with_end):
                if _part_value(date, name) != _part_value(date, name, True):
                    position = i
                    break
            collapse_at = with_end[position:]
        done: list[str] = []
        pending: list[Blob] = []
        month = date.start[1] if date.start else 0
        gender = st.locale.gender(f"month-{month:02d}") if month and month <= 12 else None
        for spec in specs:
            name = spec.name
            done.append(name)
            if date.literal:
                if name == "year":
                    blob = st.text_blob(date.literal, spec.token)
                    if blob is not None:
                        out.append(blob)
                continue
            value = _part_value(date, name)
            if name == "year" and value == 0:
                continue
            if not value:
                if name == "month" and date.season:
                    season = date.season
                    if season in ("1", "2", "3", "4"):
                        st.tip.variable_success = True
                        text = st.term(f"season-0{season}")
                    else:
                        text = season
                    blob = st.text_blob(text, spec.token)
                    if blob is not None:
                        out.append(blob)
                continue
            strip = st.strip_periods > 0 or spec.token.strip_periods
            text = self.part_text(st, spec, value, gender, strip)
            end_value = _part_value(date, name, True) if date.end else 0
            end_text = self.part_text(st, spec, end_value, gender, strip) if end_value else ""
            level = Blob([])
            assert isinstance(level.blobs, list)
            if collapse_at:
                ready = all(n in done for n in collapse_at)
                if ready:
                    if end_text:
                        end_blob = self._end_blob(st, end_text, spec)
                        if end_blob is not None:
                            pending.append(Blob([end_blob], prefix=delimiter))
                    if pending:
                        # the end's parts are joined by the date's delimiter too
                        # ("2 January_4 March 1999")
                        pending[0].prefix = ""
                    start_blob = st.text_blob(text, spec.token)
                    if start_blob is not None:
                        start_blob.suffix = ""
                        level.blobs.append(start_blob)
                    delim = st.text_blob(spec.range_delimiter)
                    if delim is not None:
                        level.blobs.append(delim)
                    level.blobs.extend(pending)
                    pending = []
                    collapse_at = []
                else:
                    start_blob = st.text_blob(text, spec.token)
                    if start_blob is not None:
                        level.blobs.append(start_blob)
                    if name in collapse_at and end_text:
                        end_blob = self._end_blob(st, end_text, spec)
                        if end_blob is not None:
                            end_blob.prefix = ""
                            pending.append(Blob([end_blob], prefix=delimiter))
            else:
                start_blob = st.text_blob(text, spec.token)
                if start_blob is not None:
                    level.blobs.append(start_blob)
            if name == "year":
                self._era(st, value, level)
                self._year_suffix(st, spec, level)
            out.append(level)

    def _end_blob(self, st: State, text: str, spec: PartSpec) -> Blob | None:
        blob = st.text_blob(text, spec.token)
        return blob

    def part_text(self, st: State, spec: PartSpec, value: int, gender: str | None,
                  strip: bool) -> str:
        name = spec.name
        if name == "year":
            if value < 0:
                return format_part(st, name, -value, spec.form)
            return format_part(st, name, value, spec.form)
        return format_part(st, name, value, spec.form, gender, strip)

    def _era(self, st: State, value: int, level: Blob) -> None:
        assert isinstance(level.blobs, list)
        if 0 < value < 500:
            blob = st.text_blob(st.term("ad"))
        elif value < 0:
            blob = st.text_blob(st.term("bc"))
        else:
            return
        if blob is not None:
            level.blobs.append(blob)

    def _year_suffix(self, st: State, spec: PartSpec, level: Blob) -> None:
        if st.style.renders_year_suffix or st.sorting:
            return
        index = getattr(st, "year_suffix", None)
        if index is None or getattr(st, "year_suffix_done", False):
            return
        st.year_suffix_done = True
        from citekit.csl.variables import suffix_letters

        assert isinstance(level.blobs, list)
        blob = Blob(suffix_letters(index), decorations=spec.token.decorations)
        blob.num = index + 1
        level.blobs.append(blob)


@register("date-part")
class DatePart(Element, _model.Date_Part):  # type: ignore[misc]
    """``cs:date-part`` (read by its ``cs:date``)."""


def _only_text_season(date: DateValue, names: list[str]) -> bool:
    """True when the only thing a date element shows is a textual season."""
    if date.literal or not date.season or "month" not in names:
        return False
    if date.season in ("1", "2", "3", "4"):
        return False
    if date.start is None:
        return True
    if "year" in names and date.start[0] != 0:
        return False
    return not any(_part_value(date, n) for n in names if n != "year")
