""".bib -> CSL-JSON: citekit's whole conversion against bibtexparser's parse alone.

    python benchmarks/bench_bibtex.py [--entries 10000] [--repeat 5] [--source DIR ...]

Builds a .bib file of ``--entries`` real entries (default 10,000) from the .bib files
in ``--source`` (default: ``../shared/corpus/bibtex``): every entry of every file,
with the file's @string definitions, repeated as often as needed. Repeated entries
get a new key (and their ``crossref``/``xdata`` follow it) and a numbered title, so
that no conversion is served from a cache it would not have on a real file.

Then it times ``bibtexparser.parse_string`` (the parser alone, with its default
middleware) and citekit's conversion, as ``citekit convert x.bib --to csl-json``
does it: read the file into Articles (``citekit.load``: bytes, decoding, parsing),
write CSL-JSON through the streaming writer the command uses (pretty-printed, as the
command does by default, and compact), and the command itself, run in-process on
the file with ``-o`` (which is the whole conversion in one figure). A last row times
bibtexparser's splitter alone, the part of citekit's reading that is bibtexparser's
(the floor under citekit's figures). Each run of each
step happens in a fresh process, the steps interleaved, so that no run inherits
another's memory; the figure is the CPU time of the step itself (not the start-up).
Prints the median and best of ``--repeat`` runs and the ratios to bibtexparser.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from itertools import pairwise
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
    blocks = []
    for a, b in pairwise(starts):
        match = _BLOCK.match(text, a)
        if match is not None:
            blocks.append((match.group(1).lower(), text[a:b].rstrip() + "\n"))
    return blocks


def _renamed(source: str, copy: int) -> str:
    """Copy ``copy`` of an entry: a new key (references follow) and a numbered title."""
    suffix = f"-{copy}"
    source = _KEY.sub(lambda m: m.group(1) + m.group(2) + suffix + m.group(3), source,
                      count=1)
    source = _REFERENCE.sub(
        lambda m: m.group(1) + ",".join(k.strip() + suffix for k in m.group(2).split(","))
        + m.group(3), source)
    return _TITLE.sub(lambda m: m.group(1) + f"{copy} ", source, count=1)


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
                source = _renamed(source, copy)
            out.append(source)
            made += 1
        copy += 1
    return "\n".join(out), made


STEPS = ("bibtexparser.parse_string", "citekit: read into Articles",
         "citekit: write CSL-JSON (indent=2)", "citekit: write CSL-JSON (compact)",
         "citekit convert x.bib --to csl-json -o out.json",
         "(bibtexparser's splitter alone, as citekit runs it)")


def _worker(step: str, path: str) -> float:
    """Time one step in this (fresh) process: the CPU time it takes."""
    import bibtexparser

    import citekit
    from citekit import cli
    from citekit.formats import iter_dumps

    warnings.simplefilter("ignore")
    text = Path(path).read_text(encoding="utf-8")
    # start-up work outside the timing: the format registry (it imports every format
    # module) and a first small conversion; then the caches are emptied again
    citekit.dumps(citekit.loads("@article{k, title = {T\\\"o}, author = {A, B}}", "bibtex"),
                  "csl-json")
    bibtexparser.parse_string("@article{k, title = {T}}")
    from citekit.formats import _latex
    from citekit.formats import bibtex as citekit_bibtex
    for module in (_latex, citekit_bibtex):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()

    def read() -> list[citekit.Article]:
        try:
            return citekit.load(path)
        except citekit.ParseError as exc:
            return list(exc.articles)

    run: Callable[[], object]
    if step == STEPS[0]:
        def run() -> object:
            return bibtexparser.parse_string(text)
    elif step == STEPS[1]:
        run = read
    elif step == STEPS[5]:
        from bibtexparser.splitter import Splitter

        def run() -> object:
            # the part of citekit's reading that is bibtexparser's (with the cyclic
            # collector paused, as citekit reads): a floor under citekit's figures
            gc.disable()
            try:
                return Splitter(text).split()
            finally:
                gc.enable()
    elif step == STEPS[4]:
        output = str(Path(path).with_suffix(".json"))

        def run() -> object:
            return cli.main(["convert", path, "--to", "csl-json", "-o", output])
    else:
        articles = read()
        indent = 2 if "indent" in step else None

        def run() -> object:
            # as citekit convert writes: the streaming writer, piece by piece
            return sum(len(chunk) for chunk in iter_dumps(articles, "csl-json",
                                                          indent=indent))
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
    parser.add_argument("--worker", nargs=2, metavar=("STEP", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(_worker(*args.worker))
        return 0
    sources = args.source or [DEFAULT_SOURCE]
    missing = [s for s in sources if not s.exists()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")
    text, made = build(sources, args.entries)
    if args.save:
        args.save.write_text(text, encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.bib"
        path.write_text(text, encoding="utf-8")
        times: dict[str, list[float]] = {step: [] for step in STEPS}
        for _ in range(args.repeat):
            for step in STEPS:  # each run in a fresh process, the steps interleaved
                result = subprocess.run(
                    [sys.executable, __file__, "--worker", step, str(path)],
                    capture_output=True, text=True, check=True)
                times[step].append(float(result.stdout.strip().splitlines()[-1]))
    median = {step: statistics.median(t) for step, t in times.items()}
    best = {step: min(t) for step, t in times.items()}
    base_median, base_best = median[STEPS[0]], best[STEPS[0]]
    rows: list[tuple[str, float, float]] = [(s, median[s], best[s]) for s in STEPS[:4]]
    for label, writer in (("(indent=2)", STEPS[2]), ("(compact)", STEPS[3])):
        rows.append((f"citekit: read + write {label}", median[STEPS[1]] + median[writer],
                     best[STEPS[1]] + best[writer]))
    rows.append((f"**{STEPS[4]}**", median[STEPS[4]], best[STEPS[4]]))
    rows.append((STEPS[5], median[STEPS[5]], best[STEPS[5]]))

    print(f"{made} entries ({len(text) / 1e6:.1f} MB) from "
          f"{', '.join(str(s) for s in sources)}; CPU time of each step in a fresh "
          f"process, {args.repeat} runs")
    print()
    print("| step | median | best | × bibtexparser (median) | × bibtexparser (best) |")
    print("|---|---:|---:|---:|---:|")
    for name, med, low in rows:
        print(f"| {name} | {med:.3f} s | {low:.3f} s | {med / base_median:.2f} | "
              f"{low / base_best:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
