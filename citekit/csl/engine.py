"""The processor: a set of items rendered together in one style.

:class:`Engine` registers items in the order given, sorts the bibliography
(:mod:`citekit.csl.sorting`), numbers it, assigns year-suffixes
(:mod:`citekit.csl.disambiguation`), and renders bibliography entries and
citation clusters into blob trees that :mod:`citekit.csl.output` serialises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from citekit.csl.citation import cite_prefix, cite_suffix
from citekit.csl.cluster import RenderedCite, assemble, group_cites, grouping
from citekit.csl.disambiguation import AmbigConfig, CiteDisambig, Disambiguator
from citekit.csl.element import State
from citekit.csl.item import Item
from citekit.csl.output import OutputFormat, serialise
from citekit.csl.punctuation import purge_empty
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
        self.configs: dict[str, AmbigConfig] = {}
        self.disambiguator: Disambiguator | None = None

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
        if citation is not None:
            self.disambiguator = Disambiguator(citation, self._ambiguity_text, self.numbers,
                                               self.style.uses_disambiguate_condition)
            self.configs = self.disambiguator.run(self.items)
            self.year_suffixes = {key: config.year_suffix
                                  for key, config in self.configs.items()
                                  if config.year_suffix is not None}

    def _bib_key(self, item: Item, key: Any) -> Any:
        st = State(self.style, item, "bibliography", sorting=True)
        st.citation_number = self.registration[item.id]
        return key.value(st)

    def _cite_key(self, entry: tuple[Item, Cite], key: Any) -> Any:
        item, cite = entry
        st = State(self.style, item, "citation", cite, sorting=True)
        st.citation_number = self.numbers.get(item.id)
        return key.value(st)

    def _ambiguity_text(self, item: Item, hooks: CiteDisambig) -> str:
        """The plain text of ``item``'s cite as disambiguation compares it: a
        subsequent cite (near the previous one), without locator or affixes."""
        citation = self.style.citation_el
        st = State(self.style, item, "citation", {"id": item.id, "position": 2,
                                                  "near-note": True})
        st.citation_number = self.numbers.get(item.id)
        st.disambig = hooks
        st.ambiguity = True
        level: Blob = citation.layout.render_item(st)
        purge_empty(level)
        return level.text()

    def cite_state(self, item: Item, cite: Cite) -> State:
        """The state for rendering ``item`` as ``cite`` in a citation."""
        st = State(self.style, item, "citation", cite)
        st.citation_number = self.numbers.get(item.id)
        config = self.configs.get(item.id)
        if config is not None:
            st.year_suffix = config.year_suffix
        if self.disambiguator is not None:
            st.disambig = self.disambiguator.hooks(config)
        return st

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
            config = self.configs.get(item.id)
            if self.disambiguator is not None:
                st.disambig = self.disambiguator.bibliography_hooks(config)
            elif config is not None and config.condition:
                st.disambig = CiteDisambig(AmbigConfig(condition=config.condition))
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

    def sort_cites(self, cites: Sequence[Cite]) -> list[Cite]:
        """``cites`` in the citation's ``cs:sort`` order (unchanged without one);
        cites of items not registered are dropped."""
        self.prepare()
        citation = self.style.citation_el
        entries = [(self.by_id[str(c["id"])], c) for c in cites
                   if str(c.get("id")) in self.by_id]
        if citation is not None and citation.sort_el is not None and len(entries) > 1:
            entries = citation.sort_el.sort(entries, self._cite_key)
        return [cite for _item, cite in entries]

    def render_cite(self, cite: Cite, first: bool = True) -> RenderedCite:
        """One cite rendered by the citation layout, with its own affixes
        (``first``: the cite opens its cluster)."""
        item = self.by_id[str(cite["id"])]
        citation = self.style.citation_el
        st = self.cite_state(item, cite)
        # a term opening the cite is capitalised at the start of the cluster, or
        # after a prefix of more than one word that ends in punctuation ("See
        # the discussion. Ibid.", but "Cf. ibid.")
        raw_prefix = str(cite.get("prefix") or "")
        prefix_text = re.sub(r"<[^>]+>", "", raw_prefix)
        prefix_text = prefix_text.rstrip(" \u00a0\u202f\"'\u201d\u2019\u00bb")
        if prefix_text:
            st.term_predecessor = not (prefix_text[-1:] in (".", "!", "?", ":", ";")
                                       and " " in raw_prefix.strip())
        elif not first:
            st.term_predecessor = True
        names: list[Blob] = []

        def first_names(_element: Any, state: State, produced: list[Blob]) -> None:
            if produced and not names:
                names.extend(produced)
                state.names_hook = None

        st.names_hook = first_names
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
        config = self.configs.get(item.id)
        return RenderedCite(item.id, cite, cite_blob, names, self.numbers.get(item.id),
                            config.year_suffix if config is not None else None)

    def citation_blob(self, cites: Sequence[Cite], *, presorted: bool = False,
                      group: bool = True) -> Blob:
        """The blob of one citation cluster."""
        self.prepare()
        citation = self.style.citation_el
        if not presorted:
            cites = self.sort_cites(cites)
        cites = [c for c in cites if str(c.get("id")) in self.by_id]
        rendered = [self.render_cite(c, i == 0) for i, c in enumerate(cites)]
        if group and len(rendered) > 1 and grouping(citation):
            grouped = group_cites(rendered)
            if grouped[0] is not rendered[0]:
                order = [rc.cite for rc in grouped]
                rendered = [self.render_cite(c, i == 0) for i, c in enumerate(order)]
        return assemble(rendered, citation, citation.layout.token,
                        in_text=self.style.is_in_text,
                        punctuation_in_quote=self.style.locale_data.punctuation_in_quote,
                        group=group)

    def citation(self, cites: Sequence[Cite], fmt: OutputFormat, *, presorted: bool = False,
                 group: bool = True) -> str:
        """One citation cluster as a string in ``fmt``."""
        cluster = self.citation_blob(cites, presorted=presorted, group=group)
        return serialise(cluster, fmt, self.style.locale_data.quotes)
