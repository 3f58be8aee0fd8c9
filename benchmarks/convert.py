"""RIS speed, and the memory of ``citekit convert`` as inputs are added.

    python benchmarks/convert.py [--records N] [--repeat R]

Builds a RIS file of N records (default 20,000) by repeating the 101 real records
of ``../shared/corpus/ris``, then prints two tables:

1. Reading and writing speed (best of R runs, records per second): rispy alone
   (the tag syntax only: dictionaries of strings, no mapping), citekit reading RIS
   into Articles, citekit writing RIS and CSL-JSON.
2. Peak memory (maximum resident set size of a fresh process) of
   ``citekit convert`` to CSL-JSON with one input file and with four such files,
   beside loading the four files and writing them in one piece, which is what a
   conversion without the streaming writer would do.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from _timing import best

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "ris"

PEAK = """
import resource, sys, warnings
warnings.simplefilter("ignore")
{body}
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""
CONVERT = "from citekit.cli import main\nmain({args!r})"
ALL_AT_ONCE = """import citekit
articles = [a for path in {paths!r} for a in citekit.load(path)]
open({out!r}, "w").write(citekit.dumps(articles, "csl-json"))"""


def peak_kib(body: str) -> int:
    result = subprocess.run([sys.executable, "-c", PEAK.format(body=body)],
                            capture_output=True, text=True, check=True)
    return int(result.stderr.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 2
    import rispy

    import citekit

    warnings.simplefilter("ignore")
    records = []
    for path in sorted(CORPUS.glob("*.ris")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        if "TY - " in text:  # the one-space EndNote file: rispy alone cannot read it
            continue
        records += [r.strip() for r in text.split("\nER  -") if "TY  -" in r]
    block = [r + "\nER  - \n" for r in records]
    body = "\n".join(block[i % len(block)] for i in range(args.records))

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.ris"
        source.write_text(body, encoding="utf-8")
        # Memory first, while this process is small: a child's peak counts from
        # the fork, so it must not start from a parent holding the records.
        out = str(Path(tmp) / "out.json")
        one, four = [str(source)], [str(source)] * 4
        cases = [
            ("`import citekit` only", 0, "import citekit"),
            ("`citekit convert` 1 file -> CSL-JSON", 1,
             CONVERT.format(args=["convert", *one, "-o", out, "-q"])),
            ("`citekit convert` 4 files -> CSL-JSON", 4,
             CONVERT.format(args=["convert", *four, "-o", out, "-q"])),
            ("load 4 files, then `dumps` in one piece", 4,
             ALL_AT_ONCE.format(paths=four, out=out)),
        ]
        memory = [(label, files, peak_kib(code)) for label, files, code in cases]

        articles = citekit.loads(body, "ris")
        n = len(articles)
        size = source.stat().st_size / 2**20
        print(f"{n:,} RIS records ({size:.1f} MiB), best of {args.repeat}, "
              f"Python {sys.version.split()[0]}, rispy {rispy.__version__}\n")
        print("| step | seconds | records/s |")
        print("|---|---:|---:|")
        rows = [
            ("rispy.loads (tag syntax only)", lambda: rispy.loads(body)),
            ("citekit: RIS -> Articles", lambda: citekit.loads(body, "ris")),
            ("citekit: Articles -> RIS", lambda: citekit.dumps(articles, "ris")),
            ("citekit: Articles -> CSL-JSON", lambda: citekit.dumps(articles, "csl-json")),
        ]
        for label, action in rows:
            seconds = best(action, args.repeat)
            print(f"| {label} | {seconds:.2f} | {n / seconds:,.0f} |")

        print("\n| peak memory of a fresh process | records | MiB |")
        print("|---|---:|---:|")
        for label, files, kib in memory:
            print(f"| {label} | {files * n:,} | {kib / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
