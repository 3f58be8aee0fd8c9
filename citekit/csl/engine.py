"""The processor: a set of items rendered together in one style.

:class:`Engine` registers items in the order given, sorts the bibliography
(:mod:`citekit.csl.sorting`), numbers it, assigns year-suffixes
(:mod:`citekit.csl.disambiguation`), and renders bibliography entries and
citation clusters into blob trees that :mod:`citekit.csl.output` serialises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from citekit.csl.citation import cite_prefix, cite_suffix
from citekit.csl.disambiguation import assign_year_suffixes
from citekit.csl.element import State
from citekit.csl.item import Item
from citekit.csl.output import OutputFormat, serialise
from citekit.csl.punctuation import normalise, purge_empty
from citekit.csl.richtext import Blob
from citekit.csl.style import Style
from citekit.csl.substitute import SubstituteTracker
from citekit.model import Article

__all__ = ["Cite", "Engine"]

Cite = Mapping[str, Any]


class Engine:
    """Items registered in one style."""

    def __init__(self, style: Style, articles: Iterable[Article]) -> None:
        self.style = style
        self.items: list[Item] = []
        self.by_id: dict[str, Item] = {}
        for article in articles:
            if article.id in self.by_id:
                continue
            item = Item.from_article(article)
            self.items.append(item)
            self.by_id[item.id] = item
        self.registration = {item.id: i + 1 for i, item in enumerate(self.items)}
        self._prepared = False
        self.order: list[Item] = []
        self.numbers: dict[str, int] = {}
        self.year_suffixes: dict[str, int] = {}

    # -- preparation --------------------------------------------------------------------

    def prepare(self) -> None:
        """Sort, number and disambiguate (once)."""
        if self._prepared:
            return
        self._prepared = True
        bibliography = self.style.bibliography_el
        order = list(self.items)
        if bibliography is not None and bibliography.sort_el is not None:
            order = bibliography.sort_el.sort(order, self._bib_key)
        self.order = order
        self.numbers = {item.id: i + 1 for i, item in enumerate(order)}
        citation = self.style.citation_el
        if citation is not None and citation.add_year_suffix:
            self.year_suffixes = assign_year_suffixes(order, self._ambiguity_key)

    def _bib_key(self, item: Item, key: Any) -> Any:
        st = State(self.style, item, "bibliography", sorting=True)
        st.citation_number = self.registration[item.id]
        return key.value(st)

    def _cite_key(self, entry: tuple[Item, Cite], key: Any) -> Any:
        item, cite = entry
        st = State(self.style, item, "citation", cite, sorting=True)
        st.citation_number = self.numbers.get(item.id)
        return key.value(st)

    def _ambiguity_key(self, item: Item) -> str:
        citation = self.style.citation_el
        st = State(self.style, item, "citation", {"position": 0})
        st.citation_number = self.numbers.get(item.id)
        level: Blob = citation.layout.render_item(st)
        return level.text()

    # -- rendering ----------------------------------------------------------------------

    def bibliography_entries(self) -> list[tuple[Item, Blob]]:
        """The rendered entries, in bibliography order."""
        self.prepare()
        bibliography = self.style.bibliography_el
        if bibliography is None:
            return []
        tracker = None
        if bibliography.subsequent_author_substitute is not None:
            tracker = SubstituteTracker(bibliography.subsequent_author_substitute,
                                        bibliography.subsequent_author_substitute_rule)
        entries = []
        piq = self.style.locale_data.punctuation_in_quote
        for item in self.order:
            st = State(self.style, item, "bibliography")
            st.citation_number = self.numbers[item.id]
            st.year_suffix = self.year_suffixes.get(item.id)
            level = bibliography.layout.render_item(st, bibliography.second_field_align)
            if tracker is not None:
                tracker.apply(st.names_record)
            entry = bibliography.finish_entry(level, st.last_top, piq)
            entries.append((item, entry))
        return entries

    def bibliography(self, fmt: OutputFormat, fold: bool = True) -> list[str]:
        """The bibliography as strings in ``fmt`` (one per entry)."""
        quotes = self.style.locale_data.quotes
        numbered = self.style.citation_renders_number
        out: list[str] = []
        for _item, entry in self.bibliography_entries():
            text = serialise(entry, fmt, quotes)
            if not text and numbered:
                text = fmt.text(f"{len(out) + 1}. [CSL STYLE ERROR: reference with no "
                                "printed form.]")
            if text:
                out.append(fmt.entry(text, fold))
        return out

    def citation_blob(self, cites: Sequence[Cite]) -> Blob:
        """The blob of one citation cluster."""
        self.prepare()
        citation = self.style.citation_el
        entries = [(self.by_id[c["id"]], c) for c in cites if c.get("id") in self.by_id]
        if citation.sort_el is not None:
            entries = citation.sort_el.sort(entries, self._cite_key)
        blobs = []
        piq = self.style.locale_data.punctuation_in_quote
        for item, cite in entries:
            st = State(self.style, item, "citation", cite)
            st.citation_number = self.numbers.get(item.id)
            st.year_suffix = self.year_suffixes.get(item.id)
            level = citation.layout.render_item(st)
            parts: list[Blob] = []
            prefix = cite_prefix(cite.get("prefix") or "")
            if prefix:
                blob = st.text_blob(prefix)
                if blob is not None:
                    parts.append(blob)
            parts.append(level)
            suffix = cite_suffix(cite.get("suffix") or "")
            if suffix:
                blob = st.text_blob(suffix)
                if blob is not None:
                    parts.append(blob)
            cite_blob = Blob(parts)
            purge_empty(cite_blob)
            normalise(cite_blob, piq)
            blobs.append(cite_blob)
        token = citation.layout.token
        cluster = Blob(blobs, prefix=token.prefix, suffix=token.suffix,
                       delimiter=token.delimiter, decorations=list(token.decorations))
        purge_empty(cluster)
        return cluster

    def citation(self, cites: Sequence[Cite], fmt: OutputFormat) -> str:
        """One citation cluster as a string in ``fmt``."""
        cluster = self.citation_blob(cites)
        return serialise(cluster, fmt, self.style.locale_data.quotes)
