"""A document: items registered once, cited in clusters, listed in a bibliography.

:class:`Document` is the citekit counterpart of a word processor's citation
plug-in (or of the reference processor's ``updateItems`` followed by
``processCitationCluster`` calls). The items are registered in the order
given, so citation numbers, year-suffixes and name disambiguation are those of
the whole reference list; each :meth:`Document.cite` then appends a citation to
the document and renders it, with its cites' positions (first, subsequent,
ibid, ibid-with-locator, near-note, first-reference-note-number) worked out
from the citations before it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from citekit.csl.engine import Engine
from citekit.csl.output import get_output_format
from citekit.csl.positions import Placed, PositionTracker, position_code
from citekit.csl.style import Style
from citekit.errors import CitekitError, RenderError, warn
from citekit.model import Article

__all__ = ["Document"]

StyleRef = str | os.PathLike[str] | Style
CiteSpec = str | Article | Mapping[str, Any]

#: CSL-JSON cite fields a cite mapping may carry (``_`` spellings accepted too)
_FLAGS = ("suppress-author", "author-only")


def _registered(articles: Iterable[Article]) -> list[Article]:
    """The articles a document registers: one per id (a repeated id is reported
    and its later records left out), and an id of its own (``item-N``, N its
    place in the list) for an article that has none, so that it is still listed."""
    articles = list(articles)
    taken = {a.id for a in articles if a.id}
    out: list[Article] = []
    seen: set[str] = set()
    for index, article in enumerate(articles):
        if not article.id:
            key = f"item-{index + 1}"
            while key in taken:
                key += "'"
            taken.add(key)
            article = replace(article, id=key)
        elif article.id in seen:
            warn(f"id {article.id!r} is given to more than one record; the document "
                 "keeps the first", entry=article.id)
            continue
        seen.add(article.id)
        out.append(article)
    return out


class Document:
    """Items registered in ``style`` (a style id, a path, CSL XML text or a
    parsed :class:`~citekit.csl.style.Style`), in the order given.

    >>> doc = Document(articles, style="apa")          # doctest: +SKIP
    >>> doc.cite("smith2019", locator="12")             # doctest: +SKIP
    '(Smith & Doe, 2019, p. 12)'
    >>> doc.cite(["smith2019", {"id": "doe2020", "prefix": "see"}])  # doctest: +SKIP
    '(Smith & Doe, 2019; see Doe, 2020)'
    >>> doc.bibliography()                              # doctest: +SKIP
    ['Doe, J. (2020). ...', 'Smith, A., & Doe, J. (2019). ...']
    """

    def __init__(self, articles: Article | Iterable[Article], style: StyleRef = "apa",
                 locale: str | None = None) -> None:
        from citekit.render import load_style

        if isinstance(articles, Article):
            articles = [articles]
        self.style, self.info = load_style(style, locale)
        self.engine = Engine(self.style, _registered(articles))
        citation = self.style.citation_el
        distance = citation.near_note_distance if citation is not None else 5
        self._tracker = PositionTracker(distance)
        self._citations: list[Placed] = []

    # -- citations ----------------------------------------------------------------------

    def cite(self, items: CiteSpec | Sequence[CiteSpec], locator: str | None = None,
             label: str | None = None, prefix: str | None = None, suffix: str | None = None,
             suppress_author: bool = False, to: str = "text", note: int | None = None,
             *, author_only: bool = False) -> str:
        """Append a citation to the document and return it rendered in ``to``
        (``text``, ``html`` or ``markdown``).

        ``items`` is an item id, an :class:`~citekit.model.Article`, a mapping
        with the CSL cite fields (``id``, ``locator``, ``label``, ``prefix``,
        ``suffix``, ``suppress-author``, ``author-only``), or a list of those
        (one cluster citing several items); the keyword arguments apply to a
        single item. ``label`` is a locator term (``page``, ``chapter``,
        ``section``, ``figure``...; ``page`` when omitted). ``note`` is the
        number of the footnote the citation is in (0: in the running text); by
        default each citation of a note style goes in the next footnote and
        citations of other styles are in the text.
        """
        cites = self._prepare(items, locator, label, prefix, suffix, suppress_author,
                              author_only)
        self._need_citation()
        if note is None:
            note = self._next_note()
        elif not isinstance(note, int) or isinstance(note, bool) or note < 0:
            raise RenderError(f"note must be a footnote number (0 for the text), not {note!r}")
        fmt = get_output_format(to)
        placed = Placed(self._guard(lambda: self.engine.sort_cites(cites)), note)
        self._tracker.add(placed)
        self._citations.append(placed)
        text: str = self._guard(lambda: self.engine.citation(placed.cites, fmt,
                                                             presorted=True))
        return text

    def cluster(self, items: CiteSpec | Sequence[CiteSpec], locator: str | None = None,
                label: str | None = None, prefix: str | None = None,
                suffix: str | None = None, suppress_author: bool = False,
                to: str = "text", *, author_only: bool = False) -> str:
        """Render a citation on its own, without adding it to the document: every
        cite reads as a first cite unless its mapping gives a ``position``
        (``first``, ``subsequent``, ``ibid``, ``ibid-with-locator``, or the
        CSL-JSON numbers 0-3), and cites keep the order given (after the
        style's sort) without cite grouping."""
        cites = self._prepare(items, locator, label, prefix, suffix, suppress_author,
                              author_only)
        self._need_citation()
        for cite in cites:
            code = position_code(cite.get("position"))
            cite["position"] = code if code is not None else 0
        fmt = get_output_format(to)
        text: str = self._guard(lambda: self.engine.citation(cites, fmt, group=False))
        return text

    def citations(self, to: str = "text") -> list[str]:
        """Every citation of the document, in order, as it reads now."""
        fmt = get_output_format(to)
        return [self._guard(lambda c=c: self.engine.citation(c.cites, fmt, presorted=True))
                for c in self._citations]

    def positions(self) -> list[list[dict[str, Any]]]:
        """The cites of each citation so far, with their ``position`` (a name),
        ``near-note`` and ``first-reference-note-number``."""
        names = {0: "first", 2: "subsequent", 3: "ibid", 4: "ibid-with-locator"}
        out = []
        for citation in self._citations:
            rows = []
            for cite in citation.cites:
                row = dict(cite)
                row["position"] = names.get(cite.get("position", 0), "first")
                row["note"] = citation.note
                rows.append(row)
            out.append(rows)
        return out

    def _next_note(self) -> int:
        if not self.style.is_note:
            return 0
        return max((c.note for c in self._citations), default=0) + 1

    def _need_citation(self) -> None:
        if self.style.citation_el is None:
            raise RenderError(f"style {self.info.id!r} has no citation layout")

    def _guard(self, call: Any) -> Any:
        from citekit.render import _lock

        try:
            with _lock:  # styles are shared (cached) between documents and threads
                return call()
        except CitekitError:
            raise
        except Exception as exc:
            raise RenderError(f"style {self.info.id!r} could not render the citation: "
                              f"{type(exc).__name__}: {exc}") from exc

    def _prepare(self, items: CiteSpec | Sequence[CiteSpec], locator: str | None,
                 label: str | None, prefix: str | None, suffix: str | None,
                 suppress_author: bool, author_only: bool) -> list[dict[str, Any]]:
        cites = self._cites(items)
        if not cites:
            raise RenderError("a citation needs at least one item")
        if len(cites) == 1:
            extra = {"locator": locator, "label": label, "prefix": prefix, "suffix": suffix,
                     "suppress-author": suppress_author or None,
                     "author-only": author_only or None}
            cites[0].update({k: v for k, v in extra.items() if v is not None})
        elif any(v for v in (locator, label, prefix, suffix, suppress_author, author_only)):
            raise RenderError("locator, label, prefix, suffix, suppress_author and author_only "
                              "apply to a single item; give a mapping per item instead")
        for cite in cites:
            if cite["id"] not in self.engine.by_id:
                raise RenderError(f"no item with id {cite['id']!r} in this document")
            if cite.get("locator") is not None:
                cite["locator"] = str(cite["locator"]).rstrip()
        return cites

    def _cites(self, items: CiteSpec | Sequence[CiteSpec]) -> list[dict[str, Any]]:
        if isinstance(items, (str, Article, Mapping)):
            items = [items]
        cites = []
        for entry in items:
            if isinstance(entry, str):
                cites.append({"id": entry})
            elif isinstance(entry, Article):
                cites.append({"id": entry.id})
            elif isinstance(entry, Mapping):
                cite = {str(k).replace("_", "-"): v for k, v in entry.items()}
                if "id" not in cite:
                    raise RenderError(f"a cite mapping needs an 'id': {dict(entry)!r}")
                cite["id"] = str(cite["id"])
                for flag in _FLAGS:
                    if flag in cite:
                        cite[flag] = bool(cite[flag])
                cites.append(cite)
            else:
                raise RenderError(f"cannot cite {entry!r}: give an id, an Article or a "
                                  "mapping with an 'id'")
        return cites

    # -- bibliography -------------------------------------------------------------------

    def bibliography(self, to: str = "text", *, fold: bool = True) -> list[str]:
        """The reference list, one string per entry, in the style's order (with
        ``fold`` False, HTML entries keep the line breaks of display divisions)."""
        if self.style.bibliography_el is None:
            raise RenderError(f"style {self.info.id!r} has no bibliography")
        fmt = get_output_format(to)
        from citekit.render import _lock

        try:
            with _lock:
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
        self._guard(self.engine.prepare)
        return [item.id for item in self.engine.order]
