"""CSL-JSON, the native data format of CSL processors (citeproc-js, Zotero, pandoc).

Reading is lenient where real tools bend the schema (a missing or empty
``type``, numbers given as strings or strings as numbers, Crossref's extra
keys, a list where a string belongs): the value is kept and a
:class:`~citekit.errors.CitekitWarning` says what was bent. Only an item that
carries nothing readable is rejected; a file with rejected items raises one
:class:`~citekit.errors.ParseError` that lists them all and carries the good
Articles.

Writing is strict: the output validates against the official CSL-JSON schema.
What the schema has no place for goes into the item's ``custom`` object:
``custom.license`` (the licence), ``custom.keywords`` (the keyword list, when
the comma-joined ``keyword`` variable could not carry it exactly),
``custom.name-extra`` (name properties such as Crossref's ``affiliation``),
``custom.raw-dates`` (the source's own text of a date that also has parts, e.g.
``1987/`` or a date-time: citeproc-js reads a ``raw`` in preference to the parts) and
every other key of :attr:`Article.extra` that is not a CSL variable.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from citekit.errors import OptionError, ParseError, Problem, ValidationError, warn
from citekit.formats import Format
from citekit.model import (
    CSL_TYPES,
    DATE_VARIABLES,
    FIELD_VARIABLES,
    NAME_VARIABLES,
    RESERVED_EXTRA_KEYS,
    VARIABLE_FIELDS,
    Article,
    Date,
    DatePart,
    Name,
    freeze,
    thaw,
)

__all__ = ["FORMATS", "dump", "dump_iter", "from_csl", "parse", "sniff", "to_csl"]

# The value types the official schema (csl-data.json) allows for the variables
# that are neither names nor dates.
_STRING_OR_NUMBER = frozenset(
    """chapter-number citation-number collection-number edition first-reference-note-number id
    issue locator number number-of-pages number-of-volumes page page-first part printing
    supplement volume""".split()
)
_STRING_ONLY = frozenset(
    """DOI ISBN ISSN PMCID PMID URL abstract annote archive archive-place archive_collection
    archive_location authority call-number citation-key citation-label collection-title
    container-title container-title-short dimensions division event event-place event-title
    genre journalAbbreviation jurisdiction keyword language medium note original-publisher
    original-publisher-place original-title part-title publisher publisher-place references
    reviewed-genre reviewed-title scale section shortTitle source status title title-short
    type version volume-title volume-title-short year-suffix""".split()
)
_STRING_ARRAYS = frozenset({"categories"})
#: The variables whose value may be a string.
_TEXT_ACCEPTED = _STRING_OR_NUMBER | _STRING_ONLY
SCHEMA_VARIABLES = (_STRING_OR_NUMBER | _STRING_ONLY | _STRING_ARRAYS
                    | set(NAME_VARIABLES) | set(DATE_VARIABLES) | {"custom"})

_NAME_KEYS = {
    "family": "family",
    "given": "given",
    "dropping-particle": "dropping_particle",
    "non-dropping-particle": "non_dropping_particle",
    "suffix": "suffix",
    "literal": "literal",
}
_NAME_FLAGS = {"comma-suffix": "comma_suffix", "static-ordering": "static_ordering",
               "parse-names": "parse_names"}
_DATE_KEYS = frozenset({"date-parts", "season", "circa", "literal", "raw"})

# custom.* keys that hold modelled fields rather than extra ones
_CUSTOM_LICENSE = "license"
_CUSTOM_KEYWORDS = "keywords"
_CUSTOM_NAME_EXTRA = "name-extra"
_CUSTOM_RAW_DATES = "raw-dates"

def _schema_accepts(variable: str, value: Any) -> bool:
    """Whether ``value`` is what the schema allows for top-level ``variable``."""
    if isinstance(value, bool):
        return False
    if variable in _STRING_OR_NUMBER:
        return isinstance(value, (str, int, float))
    if variable in _STRING_ONLY:
        return isinstance(value, str)
    if variable in _STRING_ARRAYS:
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    return False


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no")
    return bool(value)


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Reader:
    """Turns one CSL-JSON object into an Article, collecting warnings."""

    source: str | None
    line: int | None
    entry: str | None = None
    unknown: list[str] = field(default_factory=list)

    def warn(self, message: str, variable: str | None = None) -> None:
        warn(message, source=self.source, line=self.line, field=variable, entry=self.entry,
             stacklevel=3)

    def text(self, variable: str, value: Any) -> str | None:
        """A string variable's value as text, or None when it is not text at all."""
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if variable not in _STRING_OR_NUMBER:
                self.warn(f"number {value!r} where the schema wants a string; read as text",
                          variable)
            return str(value)
        if isinstance(value, list) and value and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            joined = ", ".join(str(v) for v in value)
            if len(value) > 1:
                self.warn(f"a list where a string belongs; joined as {joined!r}", variable)
            return joined
        return None

    def names(self, role: str, value: Any) -> tuple[Name, ...] | None:
        if isinstance(value, (dict, str)):
            value = [value]
        if not isinstance(value, list):
            return None
        names = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                self.warn(f"name {i + 1} is a plain string; read as a literal name", role)
                item = {"literal": item}
            if not isinstance(item, dict):
                self.warn(f"name {i + 1} is not an object; skipped {item!r}", role)
                continue
            name = self.name(role, i, item)
            if name is not None:
                names.append(name)
        return tuple(names)

    def name(self, role: str, index: int, item: Mapping[str, Any]) -> Name | None:
        parts: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in item.items():
            if key in _NAME_KEYS:
                text = self.text(f"{role}[{index}].{key}", value)
                if text is None:
                    extra[f"csl-json:{key}"] = value
                elif text != "":
                    parts[_NAME_KEYS[key]] = text
            elif key in _NAME_FLAGS:
                parts[_NAME_FLAGS[key]] = _truthy(value)
            else:
                extra[key] = value
        if not any(parts.get(k) for k in _NAME_KEYS.values()):
            dropped = f" (dropped its properties {', '.join(extra)})" if extra else ""
            self.warn(f"name {index + 1} has no name parts; skipped{dropped}", role)
            return None
        for key in extra:
            label = f"{role}[].{key}"
            if label not in self.unknown:
                self.unknown.append(label)
        return Name(**parts, extra=freeze(extra))

    def date(self, variable: str, value: Any) -> Date | None:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return self.raw_date(variable, str(value))
        if not isinstance(value, dict):
            self.warn(f"expected a date object, got {value!r}; ignored", variable)
            return None
        dropped = sorted(set(value) - _DATE_KEYS)
        if dropped:
            self.warn(f"date keys {', '.join(dropped)} are not part of a CSL date; dropped",
                      variable)
        points = self.date_parts(variable, value.get("date-parts"))
        season = value.get("season")
        if isinstance(season, str) and season.strip().isdigit():
            season = int(season)
        if season is not None and not isinstance(season, (int, str)):
            self.warn(f"season {season!r} is neither a number nor text; dropped", variable)
            season = None
        circa = _truthy(value.get("circa", False))
        literal = self.text(variable + ".literal", value["literal"]) if "literal" in value \
            else None
        raw = self.text(variable + ".raw", value["raw"]) if "raw" in value else None
        start = points[0] if points else None
        end = points[1] if len(points) > 1 else None
        if start is None and raw:
            parsed = Date.from_text(raw)
            if parsed is not None:
                start, end, circa = parsed.start, parsed.end, circa or parsed.circa
        if start is None and not literal and not raw:
            if season is not None:
                self.warn("a season without a year cannot be placed; kept as literal text",
                          variable)
                return Date(literal=str(season))
            if "date-parts" in value:
                self.warn("the date has no usable date-parts; ignored", variable)
            return None
        return Date(start=start, end=end, season=season, circa=circa,
                    literal=literal or None, raw=raw or None)

    def raw_date(self, variable: str, text: str) -> Date | None:
        if not text.strip():
            return None
        self.warn("a date given as a string rather than a date object", variable)
        parsed = Date.from_text(text)
        if parsed is None:
            return Date(raw=text)
        return Date(start=parsed.start, end=parsed.end, circa=parsed.circa, raw=text)

    def date_parts(self, variable: str, value: Any) -> list[DatePart]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.warn(f"date-parts should be a list of lists, got {value!r}", variable)
            return []
        points = []
        for i, part in enumerate(value[:2]):
            if not isinstance(part, list):
                self.warn(f"date-parts[{i}] is not a list; ignored", variable)
                continue
            numbers: list[int] = []
            for j, number in enumerate(part):
                if number is None or (isinstance(number, str) and not number.strip()):
                    break
                numeric = (isinstance(number, (int, float)) and not isinstance(number, bool)) \
                    or (isinstance(number, str) and re.fullmatch(r"\s*-?\d+\s*", number))
                if numeric:
                    numbers.append(int(number))
                else:
                    self.warn(f"date-parts[{i}][{j}] = {number!r} is not a number; "
                              "the date stops before it", variable)
                    break
            if len(numbers) > 3:
                self.warn(f"date-parts[{i}] has {len(numbers)} numbers; only year, month "
                          f"and day are kept (dropped {numbers[3:]})", variable)
                numbers = numbers[:3]
            # A zero month or day is "unknown": drop it and what follows.
            for k in (1, 2):
                if len(numbers) > k and numbers[k] == 0:
                    numbers = numbers[:k]
                    break
            if not numbers:
                continue
            try:
                points.append(DatePart(*numbers))
            except ValidationError as exc:
                self.warn(f"date-parts[{i}]: {exc.message}; kept the year only", variable)
                points.append(DatePart(numbers[0]))
        if len(value) > 2:
            self.warn("more than two date-parts arrays; only a start and an end are kept",
                      variable)
        return points


def from_csl(obj: Mapping[str, Any], *, source: str | None = None, line: int | None = None,
             position: int | None = None) -> Article:
    """Turn one CSL-JSON item (a parsed JSON object) into an :class:`Article`.

    Lenient: bent values are kept with a :class:`~citekit.errors.CitekitWarning`.
    Raises :class:`~citekit.errors.ValidationError` only for an item with nothing in it.
    """
    if not isinstance(obj, Mapping):
        raise ValidationError("item", f"expected a JSON object, got {type(obj).__name__}")
    raw_id = obj.get("id")
    entry = str(raw_id) if isinstance(raw_id, (str, int, float)) and raw_id != "" else None
    reader = _Reader(source, line, entry)
    if not [k for k, v in obj.items() if v not in (None, "", [], {})]:
        raise ValidationError("item", "the item is empty (no id, no type, no variables)")

    values: dict[str, Any] = {}
    names: dict[str, tuple[Name, ...]] = {}
    dates: dict[str, Date] = {}
    extra: dict[str, Any] = {}
    custom: Mapping[str, Any] = {}

    if entry is None:
        entry = f"item-{(position or 0) + 1}"
        reader.warn(f"the item has no usable id; using {entry!r}", "id")
    values["id"] = entry

    raw_type = obj.get("type")
    if raw_type is None:
        reader.warn("the item has no type; using article-journal", "type")
    elif not isinstance(raw_type, str) or _csl_type(raw_type) is None:
        reader.warn(f"{raw_type!r} is not a CSL item type; using document and keeping "
                    "the original value in extra['csl-json:type']", "type")
        values["type"] = "document"
        extra["csl-json:type"] = raw_type
    else:
        values["type"] = _csl_type(raw_type)

    for key, value in obj.items():
        if key in ("id", "type") or value is None:
            continue
        if key == "custom":
            if isinstance(value, dict):
                custom = value
            else:
                reader.warn("custom should be an object; kept in extra", key)
                extra[_extra_key(key)] = value
        elif key in NAME_VARIABLES:
            got = reader.names(key, value)
            if got is None:
                reader.warn(f"expected a list of names, got {value!r}; kept in extra", key)
                extra[_extra_key(key)] = value
            elif got:
                names[key] = got
        elif key in DATE_VARIABLES:
            date = reader.date(key, value)
            if date is not None:
                dates[key] = date
        elif key == "keyword":
            keywords = _read_keywords(reader, value)
            if keywords is None:
                extra[_extra_key(key)] = value
            else:
                values["keywords"] = keywords
        elif key in VARIABLE_FIELDS:
            text = reader.text(key, value)
            if value == []:
                continue  # Crossref writes empty lists for absent titles
            if text is None:
                reader.warn(f"{type(value).__name__} where text belongs; kept in extra", key)
                extra[_extra_key(key)] = value
            elif text != "":
                values[VARIABLE_FIELDS[key]] = text
        else:
            if key not in SCHEMA_VARIABLES:
                reader.unknown.append(key)
            extra[_extra_key(key)] = value

    for key, value in custom.items():
        if key == _CUSTOM_LICENSE and isinstance(value, str) and "license" not in values:
            values["license"] = value
        elif key == _CUSTOM_KEYWORDS and isinstance(value, list) and all(
            isinstance(v, str) for v in value
        ):
            values["keywords"] = tuple(value)
        elif key == _CUSTOM_NAME_EXTRA and isinstance(value, dict):
            names = _attach_name_extra(names, value)
        elif key == _CUSTOM_RAW_DATES and isinstance(value, dict) and all(
            variable in dates and dates[variable].raw is None and isinstance(text, str)
            for variable, text in value.items()
        ):
            for variable, text in value.items():
                dates[variable] = dataclasses.replace(dates[variable], raw=text)
        elif key in RESERVED_EXTRA_KEYS or key in extra:
            extra[f"csl-json:custom.{key}"] = value
        else:
            extra[key] = value

    if reader.unknown:
        reader.warn("kept properties that are not CSL variables in extra: "
                    + ", ".join(reader.unknown))
    try:
        return Article(**values, names=names, dates=dates, extra=freeze(extra))
    except ValidationError as exc:
        raise ValidationError(exc.field, exc.message, entry=entry) from None


def _extra_key(key: str) -> str:
    """The :attr:`Article.extra` key for a top-level key whose value could not be used."""
    return f"csl-json:{key}" if key in RESERVED_EXTRA_KEYS else key


def _csl_type(value: str) -> str | None:
    if value in CSL_TYPES:
        return value
    guess = value.strip().lower()
    for candidate in (guess, guess.replace("-", "_"), guess.replace("_", "-")):
        if candidate in CSL_TYPES:
            return candidate
    return None


def _read_keywords(reader: _Reader, value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        reader.warn("keyword is a list; the schema wants one comma-separated string", "keyword")
        return tuple(v for v in value if v.strip())
    if not isinstance(value, str):
        reader.warn(f"{type(value).__name__} where text belongs; kept in extra", "keyword")
        return None
    separator = "," if "," in value or ";" not in value else ";"
    return tuple(k.strip() for k in value.split(separator) if k.strip())


def _attach_name_extra(names: dict[str, tuple[Name, ...]],
                       extras: Mapping[str, Any]) -> dict[str, tuple[Name, ...]]:
    result = dict(names)
    for role, per_name in extras.items():
        if role not in result or not isinstance(per_name, list):
            continue
        updated = list(result[role])
        for i, props in enumerate(per_name[: len(updated)]):
            if isinstance(props, dict) and props:
                merged = dict(updated[i].extra)
                merged.update(props)
                updated[i] = replace(updated[i], extra=freeze(merged))
        result[role] = tuple(updated)
    return result


def _entry_offsets(text: str) -> tuple[Any, list[int]]:
    """Decode a JSON document; for a top-level array also return the character
    offset at which each element starts (to report entries by line)."""
    decoder = json.JSONDecoder()
    index = len(text) - len(text.lstrip())
    if text[index:index + 1] != "[":
        value, end = decoder.raw_decode(text, index)
        if text[end:].strip():
            raise json.JSONDecodeError("extra data after the JSON value", text, end)
        return value, [index]
    items: list[Any] = []
    offsets: list[int] = []
    pos = index + 1
    ws = re.compile(r"\s*")
    pos = ws.match(text, pos).end()  # type: ignore[union-attr]
    if text[pos:pos + 1] == "]":
        pos += 1
    else:
        while True:
            offsets.append(pos)
            value, pos = decoder.raw_decode(text, pos)
            items.append(value)
            pos = ws.match(text, pos).end()  # type: ignore[union-attr]
            char = text[pos:pos + 1]
            if char == ",":
                pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
                continue
            if char == "]":
                pos += 1
                break
            raise json.JSONDecodeError("expected ',' or ']' between array elements", text, pos)
    if text[pos:].strip():
        raise json.JSONDecodeError("extra data after the JSON array", text, pos)
    return items, offsets


def parse(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
    """Parse a CSL-JSON document (an array of items, or one item object).

    Raises :class:`~citekit.errors.ParseError` when the text is not JSON, or when
    items were rejected (then ``.articles`` holds the ones that were read).
    """
    if options:
        raise OptionError(f"CSL-JSON takes no option {', '.join(options)}")
    try:
        data, offsets = _entry_offsets(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno,
                         column=exc.colno) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ParseError(f"expected a JSON array of CSL items, got {type(data).__name__}",
                         source=source, line=1, column=1)
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for position, (item, offset) in enumerate(zip(data, offsets, strict=True)):
        line = text.count("\n", 0, offset) + 1
        try:
            article = from_csl(item, source=source, line=line, position=position)
        except ValidationError as exc:
            problems.append(Problem(f"item {position + 1}: {exc}", source=source, line=line,
                                    entry=exc.entry))
            continue
        if article.id in seen:
            warn(f"id {article.id!r} is used by item {seen[article.id] + 1} too; both kept",
                 source=source, line=line, field="id", entry=article.id)
        seen.setdefault(article.id, position)
        articles.append(article)
    if problems:
        raise ParseError(
            f"{len(problems)} of {len(data)} items could not be read",
            source=source, line=problems[0].line, problems=problems, articles=articles)
    return articles


# -- writing -------------------------------------------------------------------------------


_NAME_VALUES = attrgetter(*_NAME_KEYS.values(), *_NAME_FLAGS.values())
_NAME_KEY_NAMES = tuple(_NAME_KEYS)


def _name_to_csl(name: Name) -> dict[str, Any]:
    values = _NAME_VALUES(name)
    out: dict[str, Any] = {key: value for key, value in zip(_NAME_KEY_NAMES, values, strict=False)
                           if value is not None}
    comma_suffix, static_ordering, parse_names = values[len(_NAME_KEY_NAMES):]
    if comma_suffix:
        out["comma-suffix"] = True
    if static_ordering:
        out["static-ordering"] = True
    if parse_names:
        out["parse-names"] = True
    elif parse_names is False:
        out["parse-names"] = False
    return out


def _date_to_csl(date: Date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if date.start is not None:
        parts = [list(date.start.as_tuple())]
        if date.end is not None:
            parts.append(list(date.end.as_tuple()))
        out["date-parts"] = parts
    if date.season is not None:
        out["season"] = date.season
    if date.circa:
        out["circa"] = True
    if date.literal is not None:
        out["literal"] = date.literal
    if date.raw is not None and date.start is None:
        # beside date-parts, the source's own text goes to custom.raw-dates: the
        # reference processor reads "raw" in preference to the parts
        out["raw"] = date.raw
    return out


#: The text fields to_csl writes at the top level, in order, and their CSL variables.
_TEXT_ATTRS = tuple(a for a in FIELD_VARIABLES if a not in ("id", "type", "keywords", "license"))
_TEXT_VARIABLES = tuple(FIELD_VARIABLES[a] for a in _TEXT_ATTRS)
_TEXT_VALUES = attrgetter(*_TEXT_ATTRS)


def to_csl(article: Article) -> dict[str, Any]:
    """The CSL-JSON object for ``article``; it validates against the official schema."""
    out: dict[str, Any] = {"id": article.id, "type": article.type}
    custom: dict[str, Any] = {}
    for variable, value in zip(_TEXT_VARIABLES, _TEXT_VALUES(article), strict=True):
        if value is not None:
            out[variable] = value
    name_extra: dict[str, list[Any]] = {}
    for role, names in article.names.items():
        out[role] = [_name_to_csl(n) for n in names]
        for name in names:
            if name.extra:
                name_extra[role] = [thaw(n.extra) if n.extra else None for n in names]
                break
    raw_dates: dict[str, str] = {}
    for variable, date in article.dates.items():
        out[variable] = _date_to_csl(date)
        if date.raw is not None and date.start is not None:
            raw_dates[variable] = date.raw
    if article.keywords:
        joined = ", ".join(article.keywords)
        out["keyword"] = joined
        separator = "," if "," in joined or ";" not in joined else ";"  # as the reader splits
        if tuple(k.strip() for k in joined.split(separator) if k.strip()) != article.keywords:
            custom[_CUSTOM_KEYWORDS] = list(article.keywords)
    if article.license is not None:
        custom[_CUSTOM_LICENSE] = article.license
    if name_extra:
        custom[_CUSTOM_NAME_EXTRA] = name_extra
    if raw_dates:
        custom[_CUSTOM_RAW_DATES] = raw_dates
    for key, value in article.extra.items():
        if type(value) is str:  # the common case: the schema takes text or not
            accepted = key in _TEXT_ACCEPTED and key not in out
            plain = value
        else:
            plain = thaw(value)
            accepted = key not in out and _schema_accepts(key, plain)
        if accepted:
            out[key] = plain
        else:
            custom[key] = plain
    if custom:
        out["custom"] = custom
    return out


def dump(articles: Sequence[Article], *, indent: int | None = 2, **options: Any) -> str:
    """Write ``articles`` as a CSL-JSON array (schema-valid)."""
    if options:
        raise OptionError(f"CSL-JSON takes no option {', '.join(options)}")
    items = [to_csl(a) for a in articles]
    if indent is not None and indent >= 0:
        try:
            return _indented(items, " " * indent) + "\n"
        except TypeError:  # a value _indented does not know: json decides
            pass
    return json.dumps(items, ensure_ascii=False, indent=indent) + "\n"


def _indented(value: Any, indent: str, depth: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=len(indent))``, the same text in a
    fraction of the time (json indents in pure Python, one generator per value); with
    ``depth``, as it reads nested that deep (every line after the first indented)."""
    out: list[str] = []
    _write_indented(value, depth, out.append, ["\n"], indent)
    return "".join(out)


def _write_indented(item: Any, depth: int, add: Callable[[str], None], breaks: list[str],
                    indent: str) -> None:
    """Add the JSON text of ``item`` to ``add``; ``breaks[n]`` is a line break and the
    indentation of depth ``n`` (made as needed). A module-level function, not a closure
    of :func:`_indented`: a recursive closure is a reference cycle, and each call would
    leave its text for the cyclic garbage collector."""
    kind = type(item)
    if kind is str:
        add(_encode(item))
    elif kind is dict or isinstance(item, dict):
        if not item:
            add("{}")
            return
        while len(breaks) <= depth + 1:
            breaks.append("\n" + indent * len(breaks))
        inner = breaks[depth + 1]
        separator = "{" + inner
        for key, member in item.items():
            if type(key) is not str and not isinstance(key, str):
                raise TypeError(key)
            if type(member) is str:  # the common case in one piece
                add(separator + _encode(key) + ": " + _encode(member))
            else:
                add(separator + _encode(key) + ": ")
                _write_indented(member, depth + 1, add, breaks, indent)
            separator = "," + inner
        add(breaks[depth] + "}")
    elif isinstance(item, (list, tuple)):
        if not item:
            add("[]")
            return
        while len(breaks) <= depth + 1:
            breaks.append("\n" + indent * len(breaks))
        inner = breaks[depth + 1]
        separator = "[" + inner
        for member in item:
            kind = type(member)
            if kind is str:  # strings and numbers (date parts) in one piece
                add(separator + _encode(member))
            elif kind is int:
                add(separator + int.__repr__(member))
            else:
                add(separator)
                _write_indented(member, depth + 1, add, breaks, indent)
            separator = "," + inner
        add(breaks[depth] + "]")
    elif isinstance(item, str):
        add(_encode(item))
    elif kind is int:
        add(int.__repr__(item))
    elif item is True or item is False or item is None or isinstance(item, (int, float)):
        add(json.dumps(item))
    else:
        raise TypeError(item)


_encode: Callable[[str], str] = json.encoder.encode_basestring


def _item_text(item: dict[str, Any], indent: int | None, pad: str) -> str:
    """One item of the array as :func:`dump` writes it (after the indentation of
    its first line)."""
    if pad:
        try:
            return pad + _indented(item, pad, 1)
        except TypeError:  # a value _indented does not know: json decides
            text = json.dumps(item, ensure_ascii=False, indent=indent)
            return pad + text.replace("\n", "\n" + pad)
    return json.dumps(item, ensure_ascii=False, indent=indent)


def dump_iter(articles: Iterable[Article], *, indent: int | None = 2,
              **options: Any) -> Iterator[str]:
    """Write ``articles`` as :func:`dump` does, one item at a time (for streaming)."""
    if options:
        raise OptionError(f"CSL-JSON takes no option {', '.join(options)}")
    if indent is None:
        opening, separator, closing, pad = "[", ", ", "]", ""
    else:
        pad = " " * indent
        opening, separator, closing = "[\n", ",\n", "\n]"
    first = True
    for article in articles:
        yield (opening if first else separator) + _item_text(to_csl(article), indent, pad)
        first = False
    yield ("[]" if first else closing) + "\n"


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
#: Keys of which a CSL item has at least one at its top level (and DataCite JSON,
#: Crossref API responses and JSON-LD have none).
_CSL_MARKERS = frozenset({"type", "title", "author", "editor", "issued", "container-title",
                          "DOI", "URL", "ISSN", "ISBN", "page", "volume", "issue", "abstract"})


def _first_item_keys(text: str) -> set[str]:
    """The keys of the top-level object, or of the first object of a top-level array,
    read from the start of a JSON text (which may be cut short)."""
    head = text.lstrip()
    target = 2 if head.startswith("[") else 1
    depth = 0
    keys: set[str] = set()
    pos = 0
    while pos < len(head):
        char = head[pos]
        if char == '"':
            match = _JSON_STRING.match(head, pos)
            if match is None:
                break
            pos = match.end()
            if depth == target and head[pos:pos + 10].lstrip().startswith(":"):
                keys.add(json.loads(match.group(0)))
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth < target and (keys or target == 1):
                break
        pos += 1
    return keys


def sniff(text: str) -> bool:
    """A JSON array or object whose (first) item has CSL variables at its top level
    (not JSON-LD, DataCite JSON or a Crossref API response)."""
    head = text.lstrip()
    if not head.startswith(("[", "{")) or '"@context"' in head[:4096]:
        return False
    return bool(_first_item_keys(head) & _CSL_MARKERS)


FORMATS = (
    Format(
        name="csl-json",
        aliases=("csljson", "csl", "json", "citeproc-json"),
        extensions=("json", "csl.json", "csljson"),
        media_type="application/vnd.citationstyles.csl+json",
        parse=parse,
        dump=dump,
        dump_iter=dump_iter,
        sniff=sniff,
        description="CSL-JSON (citeproc-js, Zotero, pandoc, Crossref content negotiation)",
    ),
)
