"""A document: items registered once, cited in clusters, listed in a bibliography.

:class:`Document` is the public face of :class:`~citekit.csl.engine.Engine`:
citation numbers and year-suffixes are those of the whole reference list, so a
citation reads the same as it would in a word processor with a citation plug-in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from citekit.csl.engine import Engine
from citekit.csl.output import get_output_format
from citekit.csl.style import Style
from citekit.errors import CitekitError, RenderError
from citekit.model import Article

__all__ = ["Document"]

StyleRef = str | os.PathLike[str] | Style
CiteSpec = str | Article | Mapping[str, Any]


class Document:
    """Items registered in ``style`` (a style id, a path, CSL XML text or a
    parsed :class:`~citekit.csl.style.Style`), in the order given.

    >>> doc = Document(articles, style="apa")          # doctest: +SKIP
    >>> doc.cite("smith2019", locator="12")             # doctest: +SKIP
    '(Smith & Doe, 2019, p. 12)'
    """

    def __init__(self, articles: Article | Iterable[Article], style: StyleRef = "apa",
                 locale: str | None = None) -> None:
        from citekit.render import load_style

        if isinstance(articles, Article):
            articles = [articles]
        self.style, self.info = load_style(style, locale)
        self.engine = Engine(self.style, list(articles))

    # -- citations ----------------------------------------------------------------------

    def cite(self, items: CiteSpec | Sequence[CiteSpec], locator: str | None = None,
             label: str | None = None, prefix: str | None = None, suffix: str | None = None,
             suppress_author: bool = False, to: str = "text") -> str:
        """One citation cluster. ``items`` is an id, an Article, a mapping with
        the CSL cite fields (``id``, ``locator``, ``label``, ``prefix``,
        ``suffix``, ``suppress-author``...), or a list of those; the keyword
        arguments apply to a single item."""
        cites = self._cites(items)
        if len(cites) == 1:
            extra = {"locator": locator, "label": label, "prefix": prefix, "suffix": suffix,
                     "suppress-author": suppress_author or None}
            cites[0].update({k: v for k, v in extra.items() if v is not None})
        fmt = get_output_format(to)
        if self.style.citation_el is None:
            raise RenderError(f"style {self.info.id!r} has no citation layout")
        try:
            return self.engine.citation(cites, fmt)
        except CitekitError:
            raise
        except Exception as exc:
            raise RenderError(f"style {self.info.id!r} could not render the citation: "
                              f"{type(exc).__name__}: {exc}") from exc

    def _cites(self, items: CiteSpec | Sequence[CiteSpec]) -> list[dict[str, Any]]:
        if isinstance(items, (str, Article, Mapping)):
            items = [items]
        cites = []
        for entry in items:
            if isinstance(entry, str):
                cites.append({"id": entry})
            elif isinstance(entry, Article):
                cites.append({"id": entry.id})
            else:
                cite = dict(entry)
                if "id" in cite:
                    cite["id"] = str(cite["id"])
                cites.append(cite)
        return cites

    # -- bibliography -------------------------------------------------------------------

    def bibliography(self, to: str = "text", *, fold: bool = True) -> list[str]:
        """The reference list, one string per entry, in the style's order (with
        ``fold`` False, HTML entries keep the line breaks of display divisions)."""
        if self.style.bibliography_el is None:
            raise RenderError(f"style {self.info.id!r} has no bibliography")
        fmt = get_output_format(to)
        try:
            return self.engine.bibliography(fmt, fold)
        except CitekitError:
            raise
        except Exception as exc:
            raise RenderError(f"style {self.info.id!r} could not render these items: "
                              f"{type(exc).__name__}: {exc}") from exc

    def bibliography_body(self, to: str = "html") -> str:
        """The whole reference list as one string (HTML: the ``csl-bib-body`` division)."""
        fmt = get_output_format(to)
        return fmt.body(self.bibliography(to, fold=False))

    def bibliography_ids(self) -> list[str]:
        """The item ids in bibliography order."""
        self.engine.prepare()
        return [item.id for item in self.engine.order]
