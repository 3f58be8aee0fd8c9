"""Locale data: terms, localized date formats and locale options.

The locale files are citeproc-py's (``citeproc/data/locales``). A style's own
``cs:locale`` elements override them. CSL 1.0.2 ("Locale Fallback") orders the
sources: the style's locale for the exact language (``de-AT``), then for the
language (``de``), then the style's locale without a language, then the locale
file for the exact language, then for the language's primary dialect, then
``en-US``. Terms are merged per name and form, so a style that redefines the
short form of a term keeps the locale's long form.

Term forms fall back as CSL 1.0.2 says ("Terms"): ``verb-short`` to ``verb``,
``symbol`` to ``short``, and every form to the long one. Ordinal terms are a
set: the highest-priority source that defines any ordinal term supplies all of
them (CSL 1.0.2, "Ordinal Suffixes").

Everything is read once per locale file and style, and kept in dictionaries:
term look-ups never touch the XML again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from citeproc import LOCALES_PATH, PRIMARY_DIALECTS
from lxml import etree

from citekit.csl.richtext import QuoteTerms

__all__ = ["DateFormat", "Locale", "Term", "load_locale"]

NS = "{http://purl.org/net/xbiblio/csl}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_FORM_FALLBACK = {"verb-short": "verb", "symbol": "short", "verb": "long", "short": "long"}


@dataclass(frozen=True)
class Term:
    """One term in one form."""

    single: str
    multiple: str
    gender: str | None = None
    gender_form: str | None = None
    match: str | None = None


@dataclass(frozen=True)
class DateFormat:
    """A localized date format (``cs:date form="text|numeric"`` in a locale)."""

    #: (date-part name, attributes), in order
    parts: tuple[tuple[str, dict[str, str]], ...]
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class _Source:
    terms: dict[tuple[str, str], list[Term]] = field(default_factory=dict)
    ordinals: dict[tuple[str, str], list[Term]] = field(default_factory=dict)
    dates: dict[str, DateFormat] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)


def _text(element: Any) -> str:
    """A term's text; a term holding only line breaks and indentation is empty
    (an empty term written over several lines), a lone space stays a space."""
    text = element.text or ""
    if "\n" in text and not text.strip():
        return ""
    return text


def _read_source(root: Any) -> _Source:
    source = _Source()
    for child in root:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag[len(NS):] if child.tag.startswith(NS) else child.tag
        if tag == "terms":
            for term in child:
                if not isinstance(term.tag, str) or term.tag != NS + "term":
                    continue
                name = term.get("name")
                if not name:
                    continue
                form = term.get("form", "long")
                single_el = term.find(NS + "single")
                multiple_el = term.find(NS + "multiple")
                if single_el is not None or multiple_el is not None:
                    single = _text(single_el) if single_el is not None else ""
                    multiple = _text(multiple_el) if multiple_el is not None else single
                else:
                    single = multiple = _text(term)
                entry = Term(single, multiple, term.get("gender"), term.get("gender-form"),
                             term.get("match"))
                target = source.ordinals if name.startswith("ordinal") else source.terms
                target.setdefault((name, form), []).append(entry)
        elif tag == "date":
            form = child.get("form")
            if form:
                parts = tuple((p.get("name", ""), dict(p.attrib)) for p in child
                              if isinstance(p.tag, str) and p.tag == NS + "date-part")
                source.dates[form] = DateFormat(parts, dict(child.attrib))
        elif tag == "style-options":
            source.options.update(child.attrib)
    return source


_PARSER = etree.XMLParser(remove_comments=True, no_network=True, resolve_entities=False,
                          load_dtd=False)


@lru_cache(maxsize=64)
def _file_source(tag: str) -> _Source | None:
    path = os.path.join(LOCALES_PATH, f"locales-{tag}.xml")
    if not os.path.exists(path):
        return None
    root = etree.parse(path, _PARSER).getroot()
    return _read_source(root)


class Locale:
    """The merged locale a style renders with."""

    def __init__(self, lang: str, sources: list[_Source]) -> None:
        self.lang = lang
        self.terms: dict[tuple[str, str], list[Term]] = {}
        self.dates: dict[str, DateFormat] = {}
        self.options: dict[str, str] = {}
        ordinals_done = False
        for source in sources:
            for key, value in source.terms.items():
                self.terms.setdefault(key, value)
            if source.ordinals and not ordinals_done:
                self.terms.update(source.ordinals)
                ordinals_done = True
            for form, date in source.dates.items():
                self.dates.setdefault(form, date)
            for option, setting in source.options.items():
                self.options.setdefault(option, setting)
        self._cache: dict[tuple[str, str, bool, str | None], str | None] = {}
        self.punctuation_in_quote = self.options.get("punctuation-in-quote") == "true"
        self.limit_day_ordinals = self.options.get("limit-day-ordinals-to-day-1") == "true"
        self.quotes = QuoteTerms(self.term("open-quote") or "\u201c",
                                 self.term("close-quote") or "\u201d",
                                 self.term("open-inner-quote") or "\u2018",
                                 self.term("close-inner-quote") or "\u2019")

    def find(self, name: str, form: str = "long", gender: str | None = None) -> Term | None:
        """The term entry for ``name`` in ``form`` (falling back to other forms)."""
        current: str | None = form
        while current is not None:
            entries = self.terms.get((name, current))
            if entries:
                if len(entries) == 1 or gender is None:
                    neutral = [e for e in entries if e.gender_form is None]
                    return neutral[0] if neutral else entries[0]
                for entry in entries:
                    if entry.gender_form == gender:
                        return entry
                neutral = [e for e in entries if e.gender_form is None]
                return neutral[0] if neutral else None
            current = _FORM_FALLBACK.get(current)
        return None

    def term(self, name: str, form: str = "long", plural: bool = False,
             gender: str | None = None) -> str | None:
        """The text of a term, or None when the locale does not define it."""
        key = (name, form, plural, gender)
        try:
            return self._cache[key]
        except KeyError:
            pass
        entry = self.find(name, form, gender)
        value = None if entry is None else (entry.multiple if plural else entry.single)
        self._cache[key] = value
        return value

    def gender(self, name: str) -> str | None:
        """The grammatical gender of a term (used to pick ordinal suffixes)."""
        entry = self.find(name)
        return entry.gender if entry else None


def locale_chain(lang: str) -> list[str]:
    """The locale files consulted for ``lang``, best first."""
    tags: list[str] = []
    if _file_source(lang) is not None:
        tags.append(lang)
    base = lang.split("-")[0]
    primary = PRIMARY_DIALECTS.get(base)
    if primary and primary not in tags and _file_source(primary) is not None:
        tags.append(primary)
    if "en-US" not in tags:
        tags.append("en-US")
    return tags


def load_locale(lang: str, style_locales: list[Any]) -> Locale:
    """The locale for ``lang``, given the style's ``cs:locale`` elements."""
    base = lang.split("-")[0]
    sources: list[_Source] = []
    by_lang: dict[str | None, list[Any]] = {}
    for element in style_locales:
        by_lang.setdefault(element.get(XML_LANG), []).append(element)
    for key in dict.fromkeys((lang, base, None)):
        for element in by_lang.get(key, []):
            sources.append(_read_source(element))
    for tag in locale_chain(lang):
        source = _file_source(tag)
        if source is not None:
            sources.append(source)
    return Locale(lang, sources)
