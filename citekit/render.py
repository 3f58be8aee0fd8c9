"""Rendering Articles as reference lists and in-text citations.

Styles and locales are looked up once and cached (see :mod:`citekit.csl.catalog`
for the lookup order). ``to`` selects the output format: ``text``, ``html``
(citeproc-js's markup: each entry a ``<div class="csl-entry">``) or ``markdown``.
The rendering itself is citekit's CSL layer (:mod:`citekit.csl`) over
citeproc-py's style tree.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from citekit.csl.catalog import StyleInfo, find_locale, find_style
from citekit.csl.style import Style
from citekit.model import Article

if TYPE_CHECKING:
    from citekit.csl.document import Document

__all__ = ["bibliography", "citation", "citations", "load_style"]

StyleRef = str | os.PathLike[str] | Style

_lock = threading.RLock()


@lru_cache(maxsize=32)
def _load(path: str, locale: str | None, name: str) -> Style:
    return Style(path, locale, name=name)


@lru_cache(maxsize=32)
def _load_text(text: str, locale: str | None) -> Style:
    return Style(text.encode("utf-8"), locale, name="style")


def load_style(style: StyleRef = "apa", locale: str | None = None) -> tuple[Style, StyleInfo]:
    """Resolve and parse ``style`` in ``locale`` (cached); returns the parsed style
    and what the lookup found.

    ``style`` is a style id, a journal's dependent-style id, a path to a
    ``.csl`` file, the XML text of a style, or an already parsed :class:`Style`.
    ``locale`` None means the locale a dependent style names, else the style's
    ``default-locale``, else en-US.
    """
    if isinstance(style, Style):
        info = StyleInfo(style.name, style.name, _path_of(style), kind="file")
        if locale is None or find_locale(locale) == style.locale:
            return style, info
        return Style(_xml_bytes(style), find_locale(locale), name=style.name), info
    if isinstance(style, str) and style.lstrip().startswith("<"):
        tag = find_locale(locale) if locale else None
        parsed = _load_text(style, tag)
        return parsed, StyleInfo("style", "style", _path_of(parsed), kind="file")
    info = find_style(style)
    tag = find_locale(locale) if locale else info.default_locale
    return _load(str(info.path), tag, info.id), info


def _path_of(style: Style) -> Path:
    return Path(style.name)


def _xml_bytes(style: Style) -> bytes:
    from lxml import etree

    data: bytes = etree.tostring(style.xml)
    return data


def _as_list(articles: Article | Iterable[Article]) -> list[Article]:
    return [articles] if isinstance(articles, Article) else list(articles)


def _document(articles: Article | Iterable[Article], style: StyleRef, locale: str | None
              ) -> Document:
    from citekit.csl.document import Document

    return Document(_as_list(articles), style=style, locale=locale)


def bibliography(articles: Article | Iterable[Article], style: StyleRef = "apa",
                 locale: str | None = None, to: str = "text") -> list[str]:
    """The reference list for ``articles`` in ``style``: one string per entry,
    in the style's order (a one-shot :class:`~citekit.Document`).

    ``style`` is a style id (``apa``, ``vancouver``, ``ieee``, any of the ~10,800
    CSL styles), a journal's dependent-style id, or a path to a ``.csl`` file.
    ``to`` is ``text``, ``html`` or ``markdown``.
    """
    with _lock:
        return _document(articles, style, locale).bibliography(to)


def citation(articles: Article | Iterable[Article], style: StyleRef = "apa",
             locale: str | None = None, to: str = "text") -> str:
    """One in-text citation (a cluster) citing all of ``articles`` together,
    as it reads after every article has been registered (a one-shot
    :class:`~citekit.Document` holding one citation)."""
    with _lock:
        doc = _document(articles, style, locale)
        return doc.cite([a.id for a in _as_list(articles)], to=to)


def citations(articles: Article | Iterable[Article], style: StyleRef = "apa",
              locale: str | None = None, to: str = "text") -> list[str]:
    """The citation of each article cited alone, in the given order, in one
    :class:`~citekit.Document` holding all of them (so numbers, year-suffixes
    and disambiguation are those of the whole reference list)."""
    with _lock:
        doc = _document(articles, style, locale)
        keys = list(dict.fromkeys(a.id for a in _as_list(articles)))
        return [doc.cite(key, to=to) for key in keys]
