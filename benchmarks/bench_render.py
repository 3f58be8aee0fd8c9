"""Rendering speed: an APA bibliography of the 256 items of
``../shared/corpus/csl-json/manubot_manual-references.json``, through citekit and
through plain citeproc-py, in the same run.

    python benchmarks/bench_render.py [--repeat N] [--style apa]

Prints a table: the median time of N runs (style parsed once beforehand, as both
libraries cache it) and of one cold run that includes parsing the style.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT.parent / "shared" / "corpus" / "csl-json" / "manubot_manual-references.json"


def _time(run: Callable[[], object], repeat: int) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        size = len(result) if isinstance(result, list) else 0
    return statistics.median(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--style", default="apa")
    args = parser.parse_args(argv)
    if not ITEMS.exists():
        print(f"item set not found: {ITEMS}", file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")
    data = json.loads(ITEMS.read_text())

    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    import citekit
    from citekit.csl.engine import Engine
    from citekit.csl.output import get_output_format
    from citekit.csl.style import Style
    from citekit.formats.csljson import from_csl

    articles = [from_csl(item) for item in data]
    info = citekit.render.load_style(args.style)[1]

    def plain_items() -> list[dict[str, object]]:
        # citeproc-py rejects a few CSL-JSON shapes; give it what citekit gives its engine
        from citekit.formats.csljson import to_csl

        out = []
        for article in articles:
            item = to_csl(article)
            item.pop("custom", None)
            for var, date in list(item.items()):
                if isinstance(date, dict) and "date-parts" not in date and var in (
                        "issued", "accessed", "original-date", "submitted", "event-date"):
                    item.pop(var)
            out.append(item)
        return out

    plain_data = plain_items()
    plain_style = CitationStylesStyle(str(info.path), validate=False)
    citekit_style = Style(str(info.path))

    def run_plain(style: object = plain_style) -> list[str]:
        source = CiteProcJSON(plain_data)
        bib = CitationStylesBibliography(style, source, formatter.plain)
        for key in source:
            bib.register(Citation([CitationItem(key)]))
        bib.sort()
        return [str(entry) for entry in bib.bibliography()]

    def run_citekit(style: Style = citekit_style) -> list[str]:
        return Engine(style, articles).bibliography(get_output_format("text"))

    def cold_plain() -> list[str]:
        return run_plain(CitationStylesStyle(str(info.path), validate=False))

    def cold_citekit() -> list[str]:
        return run_citekit(Style(str(info.path)))

    rows = []
    for label, warm, cold in (("citeproc-py 0.11.1 (plain)", run_plain, cold_plain),
                              ("citekit", run_citekit, cold_citekit)):
        warm_time, count = _time(warm, args.repeat)
        cold_time, _ = _time(cold, 1)
        rows.append((label, warm_time, cold_time, count))
    print(f"{args.style} bibliography of {len(articles)} items ({ITEMS.name}), "
          f"median of {args.repeat} runs")
    print(f"{'renderer':<28} {'rendering':>10} {'with parse':>11} {'entries':>8} {'items/s':>8}")
    for label, warm_time, cold_time, count in rows:
        print(f"{label:<28} {warm_time * 1000:>8.0f}ms {cold_time * 1000:>9.0f}ms "
              f"{count:>8} {len(articles) / warm_time:>8.0f}")
    ratio = rows[0][1] / rows[1][1]
    print(f"citekit is {ratio:.2f}x the speed of plain citeproc-py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
