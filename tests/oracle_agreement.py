"""Agreement with the reference CSL processor on real item sets.

``../shared/oracle/<item set>/<style>.json`` holds citeproc-js's bibliography
(text and HTML, in the engine's order) for the items of
``../shared/corpus/csl-json/<item set>.json``. The share of entries citekit
renders identically, position by position, is the agreement; entries are
compared after stripping leading and trailing whitespace only.

Each oracle file also holds ``citations``: every item cited alone, after all
items were registered. :func:`compare_citations` renders the same through one
:class:`citekit.Document` holding the whole item set (each item cited once, in
the item set's order) and compares the text.

Run ``python -m tests.oracle_agreement`` for the table, ``--diff STYLE`` to see
the differing entries of a style, ``--citations`` for the citation table (with
``--diff STYLE``, its differing citations).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

ITEM_SETS = ("biblatex-examples.citation-js", "manubot_manual-references",
             "citation-js_biblatex-csl")
STYLES = ("apa", "nlm-citation-sequence", "ieee", "modern-language-association",
          "chicago-author-date", "chicago-notes-bibliography", "harvard-cite-them-right",
          "american-chemical-society", "association-for-computing-machinery",
          "associacao-brasileira-de-normas-tecnicas", "american-medical-association", "nature")


@dataclass
class Result:
    style: str
    item_set: str
    total: int
    text_same: int
    html_same: int
    differences: list[tuple[int, str, str, str]]

    @property
    def text_share(self) -> float:
        return self.text_same / self.total if self.total else 1.0

    @property
    def html_share(self) -> float:
        return self.html_same / self.total if self.total else 1.0


@lru_cache(maxsize=8)
def _articles(shared: Path, item_set: str) -> list:  # type: ignore[type-arg]
    import citekit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(citekit.load(shared / "corpus" / "csl-json" / f"{item_set}.json"))


def compare(style: str, item_set: str, shared: Path = SHARED) -> Result:
    """Render ``item_set`` in ``style`` and compare with the oracle."""
    import citekit

    oracle = json.loads((shared / "oracle" / item_set / f"{style}.json").read_text())
    expected = oracle["entries"]
    articles = _articles(shared, item_set)
    text = citekit.bibliography(articles, style, to="text")
    html = citekit.bibliography(articles, style, to="html")
    text_same = html_same = 0
    differences = []
    for i, entry in enumerate(expected):
        mine_text = text[i].strip() if i < len(text) else ""
        mine_html = html[i].strip() if i < len(html) else ""
        same_text = mine_text == entry["text"].strip()
        same_html = mine_html == entry["html"].strip()
        text_same += same_text
        html_same += same_html
        if not same_text:
            differences.append((i, "text", entry["text"].strip(), mine_text))
        if not same_html:
            differences.append((i, "html", entry["html"].strip(), mine_html))
    return Result(style, item_set, len(expected), text_same, html_same, differences)


@dataclass
class CitationResult:
    style: str
    item_set: str
    total: int
    same: int
    differences: list[tuple[str, str, str]]

    @property
    def share(self) -> float:
        return self.same / self.total if self.total else 1.0


def compare_citations(style: str, item_set: str, shared: Path = SHARED) -> CitationResult:
    """Cite each item of ``item_set`` alone through one Document holding them all
    and compare with the oracle's ``citations`` (text)."""
    import citekit

    oracle = json.loads((shared / "oracle" / item_set / f"{style}.json").read_text())
    expected: dict[str, str] = oracle.get("citations") or {}
    articles = _articles(shared, item_set)
    doc = citekit.Document(articles, style=style)
    same = 0
    total = 0
    differences = []
    for article in articles:
        want = expected.get(article.id)
        if want is None:
            continue
        total += 1
        got = doc.cite(article.id).strip()
        if got == want.strip():
            same += 1
        else:
            differences.append((article.id, want.strip(), got))
    return CitationResult(style, item_set, total, same, differences)


_SHORT = {"biblatex-examples.citation-js": "biblatex", "manubot_manual-references": "manubot",
          "citation-js_biblatex-csl": "biblatex-csl"}


def _grid(results: Sequence[Any], width: int, cell: Callable[[Any], str],
          subheading: str | None = None) -> str:
    """A text table with a row per style and a column per item set."""
    lines = [f"{'style':<42} " + " ".join(f"{_SHORT[s]:>{width}}" for s in ITEM_SETS)]
    if subheading is not None:
        lines.append(f"{'':<42} " + " ".join(subheading for _ in ITEM_SETS))
    by_key = {(r.style, r.item_set): r for r in results}
    for style in STYLES:
        cells = [cell(r) if (r := by_key.get((style, s))) else " " * width for s in ITEM_SETS]
        lines.append(f"{style:<42} " + " ".join(cells))
    return "\n".join(lines)


def citation_table(results: list[CitationResult]) -> str:
    """A text table of citation agreement per style and item set."""
    return _grid(results, 13, lambda r: f"{r.share:>13.1%}")


def table(results: list[Result]) -> str:
    """A text table of agreement per style and item set."""
    return _grid(results, 19, lambda r: f"{r.text_share:>8.1%} {r.html_share:>9.1%}",
                 f"{'text':>9} {'html':>9}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--diff", metavar="STYLE", help="show differing entries of a style")
    parser.add_argument("--set", dest="item_set", help="only this item set")
    parser.add_argument("--kind", choices=("text", "html"), default="text")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--gaps", action="store_true",
                        help="print the FLOORS of tests/test_oracle_agreement.py "
                             "from the current figures")
    parser.add_argument("--citations", action="store_true",
                        help="compare the one-item citations instead of the bibliography")
    args = parser.parse_args(argv)
    sets = [args.item_set] if args.item_set else list(ITEM_SETS)
    if args.citations:
        styles = [args.diff] if args.diff else list(STYLES)
        found = [compare_citations(style, item_set) for style in styles for item_set in sets]
        if args.diff:
            for one in found:
                print(f"== {one.style} / {one.item_set}: {one.share:.1%}")
                for key, want, got in one.differences[:args.limit]:
                    print(f"[{key}] want: {want}\n    got:  {got}")
            return 0
        print(citation_table(found))
        return 0
    if args.diff:
        shown = 0
        for item_set in sets:
            result = compare(args.diff, item_set)
            print(f"== {args.diff} / {item_set}: text {result.text_share:.1%} "
                  f"html {result.html_share:.1%}")
            for i, kind, want, got in result.differences:
                if kind != args.kind or shown >= args.limit:
                    continue
                shown += 1
                print(f"[{i}] want: {want}\n    got:  {got}")
        return 0
    results = [compare(style, item_set) for style in STYLES for item_set in sets]
    print(table(results))
    if args.gaps:
        print("FLOORS: dict[tuple[str, str], float] = {")
        for r in results:
            share = min(r.text_share, r.html_share)
            if share < 1.0:
                print(f"    ({r.style!r}, {r.item_set!r}): {int(share * 1000) / 1000:.3f},"
                      .replace("'", '"'))
        print("}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
