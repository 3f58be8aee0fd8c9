"""Rendering Articles as reference lists and in-text citations, through citeproc-py.

Styles and locales are looked up once and cached (see :mod:`citekit.csl.catalog`
for the lookup order). ``to`` selects the output format: ``text``, ``html``
(citeproc-js's markup: each entry a ``<div class="csl-entry">``) or ``markdown``.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography
from citeproc.source.json import CiteProcJSON

from citekit.csl.catalog import StyleInfo, find_locale, find_style
from citekit.csl.output import OutputFormat, get_output_format
from citekit.csl.style import Style
from citekit.errors import RenderError
from citekit.formats.csljson import to_csl
from citekit.model import Article

__all__ = ["bibliography", "citation", "citations", "load_style"]

StyleRef = str | os.PathLike[str]

_lock = threading.RLock()


@lru_cache(maxsize=32)
def _load(path: str, locale: str | None, name: str) -> Style:
    return Style(path, locale, name=name)


def load_style(style: StyleRef = "apa", locale: str | None = None) -> tuple[Style, StyleInfo]:
    """Resolve and parse ``style`` in ``locale`` (cached); returns the parsed style
    and what the lookup found.

    ``locale`` None means the locale a dependent style names, else the style's
    ``default-locale``, else en-US.
    """
    info = find_style(style)
    tag = find_locale(locale) if locale else info.default_locale
    return _load(str(info.path), tag, info.id), info


_LEGACY_SHORT_FORMS = {"journalAbbreviation": "container-title-short",
                       "shortTitle": "title-short"}


def _citeproc_item(article: Article) -> dict[str, Any]:
    """The CSL-JSON object citeproc-py is given for ``article``."""
    item = to_csl(article)
    item.pop("custom", None)
    # Zotero's legacy names for the short forms, as citeproc-js reads them
    for legacy, variable in _LEGACY_SHORT_FORMS.items():
        value = item.pop(legacy, None)
        if isinstance(value, str) and variable not in item:
            item[variable] = value
    for variable in article.dates:
        date = dict(item[variable])
        if "date-parts" not in date:
            date = {"literal": date.get("literal") or date.get("raw", "")}
        elif not isinstance(date.get("season", 0), int):
            date.pop("season")
        date.pop("raw", None)
        item[variable] = date
    return item


class _Run:
    """One rendering of a set of articles in one style."""

    def __init__(self, articles: Sequence[Article], style: StyleRef, locale: str | None,
                 to: str) -> None:
        self.style, self.info = load_style(style, locale)
        self.output: OutputFormat = get_output_format(to)
        self.keys: list[str] = []
        items = []
        taken: set[str] = set()
        for n, article in enumerate(articles):
            item = _citeproc_item(article)
            key = str(item["id"]).lower()
            if key in taken:  # citeproc-py compares ids without case
                key = f"{key}#{n}"
            taken.add(key)
            item["id"] = key
            self.keys.append(key)
            items.append(item)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.source = CiteProcJSON(items)

    def _bibliography(self) -> CitationStylesBibliography:
        bib = CitationStylesBibliography(self.style, self.source, self.output)
        for key in self.keys:
            bib.register(Citation([CitationItem(key)]))
        bib.sort()
        return bib

    def _fail(self, exc: Exception) -> RenderError:
        return RenderError(f"style {self.info.id!r} could not render these items: "
                           f"{type(exc).__name__}: {exc}")

    def bibliography(self) -> list[str]:
        if self.style.root.bibliography is None:
            raise RenderError(f"style {self.info.id!r} has no bibliography")
        with _lock:
            try:
                bib = self._bibliography()
                return [self.output.entry(str(e).strip()) for e in bib.bibliography()]
            except RenderError:
                raise
            except Exception as exc:
                raise self._fail(exc) from exc

    def citation(self, keys: Iterable[str]) -> str:
        with _lock:
            try:
                bib = self._bibliography()
                cite = Citation([CitationItem(k) for k in keys])
                bib.register(cite)
                return str(bib.cite(cite, lambda item: None))
            except Exception as exc:
                raise self._fail(exc) from exc


def _as_list(articles: Article | Iterable[Article]) -> list[Article]:
    return [articles] if isinstance(articles, Article) else list(articles)


def bibliography(articles: Article | Iterable[Article], style: StyleRef = "apa",
                 locale: str | None = None, to: str = "text") -> list[str]:
    """The reference list for ``articles`` in ``style``: one string per entry,
    in the style's order.

    ``style`` is a style id (``apa``, ``vancouver``, ``ieee``, any of the ~10,800
    CSL styles), a journal's dependent-style id, or a path to a ``.csl`` file.
    ``to`` is ``text``, ``html`` or ``markdown``.
    """
    return _Run(_as_list(articles), style, locale, to).bibliography()


def citation(articles: Article | Iterable[Article], style: StyleRef = "apa",
             locale: str | None = None, to: str = "text") -> str:
    """One in-text citation (a cluster) citing all of ``articles`` together,
    as it reads after every article has been registered."""
    items = _as_list(articles)
    run = _Run(items, style, locale, to)
    return run.citation(run.keys)


def citations(articles: Article | Iterable[Article], style: StyleRef = "apa",
              locale: str | None = None, to: str = "text") -> list[str]:
    """The in-text citation of each article cited alone, in the given order,
    after all of them have been registered (so numbers follow the reference list)."""
    run = _Run(_as_list(articles), style, locale, to)
    return [run.citation([key]) for key in run.keys]
