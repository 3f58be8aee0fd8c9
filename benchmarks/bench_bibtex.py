""".bib -> CSL-JSON: citekit's whole conversion against bibtexparser's parse alone.

    python benchmarks/bench_bibtex.py [--entries 10000] [--repeat 5] [--source DIR ...]

Builds a .bib file of ``--entries`` real entries (default 10,000) from the .bib files
in ``--source`` (default: ``../shared/corpus/bibtex``): every entry of every file,
with the file's @string definitions, repeated as often as needed. Repeated entries
get a new key (and their ``crossref``/``xdata`` follow it) and a numbered title, so
that no conversion is served from a cache it would not have on a real file.

Then, in the same process and interleaved, it times ``bibtexparser.parse_string``
(the parser alone, its default middleware) and citekit's conversion: read the text
into Articles, write CSL-JSON (pretty-printed, as ``citekit convert`` does, and
compact). Prints the median and best CPU time of ``--repeat`` runs and the ratio
to bibtexparser.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "corpus" / "bibtex"

_BLOCK = re.compile(r"^@\s*(\w+)\s*[{(]", re.MULTILINE)
_KEY = re.compile(r"^(@\s*\w+\s*[{(]\s*)([^,\s]+)(\s*,)")
_REFERENCE = re.compile(r"(\b(?:crossref|xdata)\s*=\s*[{\"])([^}\"]*)([}\"])", re.IGNORECASE)
_TITLE = re.compile(r"(\btitle\s*=\s*[{\"])", re.IGNORECASE)


def _blocks(text: str) -> list[tuple[str, str]]:
    """(type, source) of every @block of a file (a block runs to the next one)."""
    starts = [m.start() for m in _BLOCK.finditer(text)] + [len(text)]
    return [(_BLOCK.match(text, a).group(1).lower(), text[a:b].rstrip() + "\n")  # type: ignore[union-attr]
            for a, b in zip(starts, starts[1:])]


def build(sources: list[Path], count: int) -> tuple[str, int]:
    """A .bib text with ``count`` entries made from the real entries in ``sources``."""
    import citekit.formats.bibtex as bibtex

    strings: list[str] = []
    entries: list[str] = []
    for folder in sources:
        files = sorted(folder.glob("*.bib")) if folder.is_dir() else [folder]
        for path in files:
            text = bibtex.decode(path.read_bytes(), str(path)) if path.suffix == ".bib" \
                else path.read_text()
            for kind, source in _blocks(text):
                if kind == "string":
                    strings.append(source)
                elif kind not in ("comment", "preamble"):
                    entries.append(source)
    if not entries:
        raise SystemExit(f"no entries in {', '.join(map(str, sources))}")
    out = list(dict.fromkeys(strings))
    made = 0
    copy = 0
    while made < count:
        for source in entries:
            if made == count:
                break
            if copy:
                suffix = f"-{copy}"
                source = _KEY.sub(lambda m: m.group(1) + m.group(2) + suffix + m.group(3),
                                  source, count=1)
                source = _REFERENCE.sub(
                    lambda m: m.group(1) + ",".join(k.strip() + suffix
                                                    for k in m.group(2).split(","))
                    + m.group(3), source)
                source = _TITLE.sub(lambda m: m.group(1) + f"{copy} ", source, count=1)
            out.append(source)
            made += 1
        copy += 1
    return "\n".join(out), made


def _cpu(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.process_time()
    run()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--source", type=Path, action="append",
                        help="a folder of .bib files (or a .bib file); repeatable")
    parser.add_argument("--save", type=Path, help="also write the generated .bib here")
    args = parser.parse_args(argv)
    sources = args.source or [DEFAULT_SOURCE]
    missing = [s for s in sources if not s.exists()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2

    import bibtexparser

    import citekit
    from citekit.formats import _latex
    from citekit.formats import bibtex as citekit_bibtex
    from citekit.formats import csljson
    from citekit.model import Article

    warnings.simplefilter("ignore")
    text, made = build(sources, args.entries)
    if args.save:
        args.save.write_text(text, encoding="utf-8")

    def clear_caches() -> None:
        for module in (_latex, citekit_bibtex):
            for value in vars(module).values():
                if hasattr(value, "cache_clear"):
                    value.cache_clear()

    articles: list[Article] = []

    def read() -> None:
        nonlocal articles
        clear_caches()
        try:
            articles = citekit.loads(text, "bibtex")
        except citekit.ParseError as exc:
            articles = list(exc.articles)

    steps: dict[str, Callable[[], object]] = {
        "bibtexparser.parse_string": lambda: bibtexparser.parse_string(text),
        "citekit: read into Articles": read,
        "citekit: write CSL-JSON (indent=2)": lambda: csljson.dump(articles),
        "citekit: write CSL-JSON (compact)": lambda: csljson.dump(articles, indent=None),
    }
    read()  # warm up imports, and have Articles for the writing steps
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.repeat):
        for name, run in steps.items():
            times[name].append(_cpu(run))
    median = {name: statistics.median(t) for name, t in times.items()}
    best = {name: min(t) for name, t in times.items()}
    base_median = median["bibtexparser.parse_string"]
    base_best = best["bibtexparser.parse_string"]
    rows: list[tuple[str, float, float]] = [(n, median[n], best[n]) for n in steps]
    for label, writer in (("(indent=2)", "citekit: write CSL-JSON (indent=2)"),
                          ("(compact)", "citekit: write CSL-JSON (compact)")):
        rows.append((f"citekit: .bib -> CSL-JSON {label}",
                     median["citekit: read into Articles"] + median[writer],
                     best["citekit: read into Articles"] + best[writer]))

    print(f"{made} entries ({len(text) / 1e6:.1f} MB) from "
          f"{', '.join(str(s) for s in sources)}; {len(articles)} Articles; "
          f"CPU time, {args.repeat} runs")
    print()
    print("| step | median | best | × bibtexparser (median) | × bibtexparser (best) |")
    print("|---|---:|---:|---:|---:|")
    for name, med, low in rows:
        print(f"| {name} | {med:.3f} s | {low:.3f} s | {med / base_median:.2f} | "
              f"{low / base_best:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
