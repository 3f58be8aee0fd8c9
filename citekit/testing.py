"""Hypothesis strategies for citekit's model, for testing code that handles Articles.

>>> from hypothesis import given
>>> from citekit.testing import articles
>>> @given(articles())
... def test_my_exporter(article): ...

Requires ``hypothesis`` (``pip install 'citekit[test]'``). The strategies
generate every kind of value the model allows -- particles, literal names,
ranges, seasons, approximate dates, rich-text markup, unmodelled ``extra``
fields -- in the canonical form citekit's readers produce, so a round trip
through any lossless writer and reader must return an equal Article.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from citekit.model import (
    CSL_TYPES,
    DATE_VARIABLES,
    NAME_VARIABLES,
    RESERVED_EXTRA_KEYS,
    Article,
    Date,
    DatePart,
    Name,
)

__all__ = ["articles", "dates", "extra_values", "names", "texts"]

# Letters from several scripts, digits, punctuation, spaces and a few combining marks.
_ALPHABET = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"),
    exclude_characters="\u2028\u2029",
)


def texts(min_size: int = 1, max_size: int = 40, *, markup: bool = True) -> st.SearchStrategy[str]:
    """Non-empty text without surrounding whitespace, optionally with CSL rich-text markup."""
    plain = st.text(_ALPHABET, min_size=min_size, max_size=max_size).map(str.strip).filter(bool)
    if not markup:
        return plain
    tagged = st.tuples(plain, st.sampled_from(["i", "b", "sup", "sub"]), plain).map(
        lambda t: f"{t[0]} <{t[1]}>{t[2]}</{t[1]}>"
    )
    nocase = st.tuples(plain, plain).map(lambda t: f'{t[0]} <span class="nocase">{t[1]}</span>')
    return st.one_of(plain, plain, plain, tagged, nocase)


def _words() -> st.SearchStrategy[str]:
    return st.text(string.ascii_letters + "ÀÉÎÕÜàéîõüßçøåłĳ'-", min_size=1, max_size=12).filter(
        lambda w: w.strip("-'") == w
    )


@st.composite
def names(draw: st.DrawFn) -> Name:
    """A personal name (with particles and suffixes at times) or a literal name."""
    if draw(st.integers(0, 6)) == 0:
        return Name(literal=draw(texts(markup=False)))
    particle = st.sampled_from(["van", "von", "de", "de la", "van der", "d'", "al-", "Le"])
    extra = draw(st.one_of(st.just({}), st.fixed_dictionaries(
        {"affiliation": st.lists(texts(markup=False), max_size=2)})))
    return Name(
        family=draw(_words()),
        given=draw(st.none() | st.lists(_words(), min_size=1, max_size=3).map(" ".join)),
        non_dropping_particle=draw(st.none() | st.none() | particle),
        dropping_particle=draw(st.none() | st.none() | st.none() | particle),
        suffix=draw(st.none() | st.none() | st.sampled_from(["Jr.", "Sr.", "III"])),
        comma_suffix=draw(st.booleans()),
        static_ordering=draw(st.booleans()),
        parse_names=draw(st.sampled_from([None, None, True, False])),
        extra=extra,
    )


@st.composite
def date_parts(draw: st.DrawFn) -> DatePart:
    """A year (sometimes negative), a year and month (or season), or a full date."""
    year = draw(st.integers(-500, 2100))
    depth = draw(st.integers(1, 3))
    if depth == 1:
        return DatePart(year)
    month = draw(st.integers(1, 12) | st.sampled_from([13, 14, 15, 16, 21, 22, 23, 24]))
    if depth == 2 or month > 12:
        return DatePart(year, month)
    return DatePart(year, month, draw(st.integers(1, 28)))


@st.composite
def dates(draw: st.DrawFn) -> Date:
    """A single date, a range, or a literal; seasons, circa and raw strings at times.

    A ``raw`` string only comes with parts (a raw string alone is read into parts
    when it can be, so it would not come back unchanged).
    """
    if draw(st.integers(0, 8)) == 0:
        return Date(literal=draw(texts(markup=False)))
    start = draw(date_parts())
    end = draw(st.none() | st.none() | date_parts())
    return Date(
        start=start,
        end=end,
        season=draw(st.none() | st.none() | st.none() | st.integers(1, 4)
                    | st.sampled_from(["Spring", "Winter"])),
        circa=draw(st.booleans()),
        raw=draw(st.none() | st.none() | st.none() | texts(markup=False)),
    )


_JSON_SCALARS = (st.none() | st.booleans() | st.integers(-(10**12), 10**12)
                 | st.floats(allow_nan=False, allow_infinity=False) | texts(markup=False))


def extra_values() -> st.SearchStrategy[Any]:
    """JSON values: scalars, lists and objects (what ``Article.extra`` holds)."""
    return st.recursive(
        _JSON_SCALARS,
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(st.text(string.ascii_lowercase + "-", min_size=1, max_size=8),
                          children, max_size=3),
        max_leaves=6,
    )


_EXTRA_KEYS = st.one_of(
    st.sampled_from(["edition-note", "event-place", "archive", "genre", "medium", "part",
                     "number-of-pages", "citation-key", "categories", "bibtex:eprinttype",
                     "ris:M3", "reference-count"]),
    st.text(string.ascii_lowercase + "-:", min_size=1, max_size=12),
).filter(lambda k: k not in RESERVED_EXTRA_KEYS)

_TEXT_FIELDS = ("title", "title_short", "original_title", "container_title",
                "container_title_short", "collection_title", "collection_number", "volume",
                "issue", "page", "number", "edition", "url", "issn", "isbn", "pmid", "pmcid",
                "publisher", "publisher_place", "abstract", "language", "license", "note")


@st.composite
def articles(draw: st.DrawFn, *, types: st.SearchStrategy[str] | None = None) -> Article:
    """An :class:`~citekit.Article` with any mix of fields, names, dates and extras."""
    values: dict[str, Any] = {
        "id": draw(st.text(string.ascii_letters + string.digits + "-_:.", min_size=1,
                           max_size=16)),
        "type": draw(types if types is not None else st.sampled_from(sorted(CSL_TYPES))),
    }
    for field in draw(st.lists(st.sampled_from(_TEXT_FIELDS), unique=True, max_size=12)):
        values[field] = draw(texts())
    if draw(st.booleans()):
        values["doi"] = "10." + draw(st.text(string.digits, min_size=4, max_size=5)) + "/" + \
            draw(st.text(string.ascii_letters + string.digits + ".-_()", min_size=1,
                         max_size=20))
    values["keywords"] = tuple(draw(st.lists(texts(markup=False), max_size=4)))
    roles = draw(st.lists(st.sampled_from(NAME_VARIABLES), unique=True, max_size=3))
    values["names"] = {r: tuple(draw(st.lists(names(), min_size=1, max_size=4)))
                       for r in roles}
    date_vars = draw(st.lists(st.sampled_from(DATE_VARIABLES), unique=True, max_size=2))
    values["dates"] = {v: draw(dates()) for v in date_vars}
    values["extra"] = draw(st.dictionaries(_EXTRA_KEYS, extra_values(), max_size=3))
    return Article(**values)
