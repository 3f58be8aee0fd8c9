"""Time writing and reading the RDF, HTML meta and OAI-PMH formats on real records.

    python benchmarks/rdf_formats.py [CSL-JSON file] [repeat]

Reads the CSL-JSON file (by default the 256-item manual-references set of the shared
corpus), then writes it in each format and reads it back, and prints a table of the
best of ``repeat`` runs, in milliseconds and records per second.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from _timing import best

import citekit
from citekit import CitekitWarning

FORMATS = ("csl-json", "turtle", "rdfxml", "jsonld", "nt", "dc", "html-meta", "oai-dc")
DEFAULT = (Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "csl-json"
           / "manubot_manual-references.json")


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    warnings.simplefilter("ignore", CitekitWarning)
    articles = citekit.load(path)
    n = len(articles)
    print(f"{n} records from {path.name}, best of {repeat}")
    print("| format | write ms | read ms | write rec/s | read rec/s | size KiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for fmt in FORMATS:
        text = citekit.dumps(articles, fmt)
        write = best(lambda: citekit.dumps(articles, fmt), repeat)  # noqa: B023
        read = best(lambda: citekit.loads(text, fmt), repeat)  # noqa: B023
        print(f"| {fmt} | {write * 1000:.0f} | {read * 1000:.0f} | {n / write:.0f} | "
              f"{n / read:.0f} | {len(text.encode()) / 1024:.0f} |")


if __name__ == "__main__":
    main()
