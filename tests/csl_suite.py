"""The official CSL processor test suite, run through citekit's public API.

``../shared/csl-test-suite/humans/*.txt`` are the fixtures of the CSL project's
test-suite: each has a MODE (``citation`` or ``bibliography``), the expected
RESULT (HTML), the CSL style, the INPUT items (CSL-JSON) and optionally
CITATION-ITEMS (clusters cited one by one) or CITATIONS (a document's citations
with their note numbers). They are run the way the reference processor's test
runner runs them: all items registered in input order; without citation
sections one cluster cites every item in bibliography order.

``tests/csl-suite-expected-failures.txt`` lists the fixtures citekit does not
pass yet; ``tests/test_csl_suite.py`` fails on an unexpected failure, on an
unexpected pass (the list only shrinks) and on any crash.

Run ``python -m tests.csl_suite`` for the per-category table,
``python -m tests.csl_suite --show PATTERN`` for the differences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT.parent / "shared" / "csl-test-suite" / "humans"
EXPECTED_FAILURES = Path(__file__).resolve().parent / "csl-suite-expected-failures.txt"

_SECTION = re.compile(r"^>>=+\s*([A-Z0-9-]+)\s*=+(?:>>)?\s*$\n(.*?)^<<=+\s*\1\s*=+(?:<<)?\s*$",
                      re.M | re.S)


@dataclass
class Fixture:
    name: str
    mode: str
    result: str
    csl: str
    input: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None = None
    citations: list[Any] | None = None
    bibentries: list[list[str]] | None = None
    bibsection: Any = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def category(self) -> str:
        return self.name.split("_", 1)[0]


def parse_fixture(path: Path) -> Fixture:
    """Read one fixture file."""
    text = path.read_text(encoding="utf-8-sig")
    sections = {m.group(1): m.group(2) for m in _SECTION.finditer(text)}

    def json_section(name: str) -> Any:
        raw = sections.get(name)
        return json.loads(raw) if raw and raw.strip() else None

    return Fixture(
        name=path.stem,
        mode=sections["MODE"].strip(),
        result=sections.get("RESULT", "").strip("\n"),
        csl=sections["CSL"].strip(),
        input=json_section("INPUT") or [],
        citation_items=json_section("CITATION-ITEMS"),
        citations=json_section("CITATIONS"),
        bibentries=json_section("BIBENTRIES"),
        bibsection=json_section("BIBSECTION"),
    )


def fixtures(suite: Path = SUITE) -> list[Path]:
    return sorted(suite.glob("*.txt"))


def render_fixture(fixture: Fixture) -> str:
    """What citekit renders for ``fixture`` (HTML, as the suite expects)."""
    from citekit import Document
    from citekit.formats.csljson import from_csl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = [from_csl(item, position=i) for i, item in enumerate(fixture.input)]
    # an id given twice: the later data replaces the earlier (as the test runner's
    # item store does), in the earlier place
    latest = {a.id: a for a in articles}
    articles = [latest[key] for key in dict.fromkeys(a.id for a in articles)]
    mode = fixture.mode.split("-")[0]
    if fixture.citations:
        doc, out = _run_citations(fixture, articles)
    else:
        doc = Document(articles, style=fixture.csl)
        if fixture.citation_items is not None:
            clusters = fixture.citation_items
        else:
            clusters = [[{"id": key} for key in doc.bibliography_ids()]]
        out = "\n".join(doc.cluster(cluster, to="html") for cluster in clusters)
    if mode == "bibliography":
        return doc.bibliography_body(to="html")
    return out


def _run_citations(fixture: Fixture, articles: list[Any]) -> tuple[Any, str]:
    """A document's citations given as the test runner's CITATIONS: each entry is
    one citation with the citations before and after it (ids and note numbers),
    which set the document's order and renumber its notes. The result lists every
    citation in document order, marked ``>>`` when the last entry changed it (its
    text, the positions of its cites, or the first-reference note number of an
    item it cites), ``..`` otherwise."""
    from citekit import Document

    by_id = {a.id: a for a in articles}
    store: dict[str, dict[str, Any]] = {}
    notes: dict[str, int] = {}
    states: list[tuple[list[str], dict[str, int]]] = []
    for citation, pre, post in fixture.citations or []:
        key = citation["citationID"]
        store[key] = citation
        notes[key] = int((citation.get("properties") or {}).get("noteIndex") or 0)
        for other, note in list(pre) + list(post):
            notes[other] = int(note or 0)
        order = [p[0] for p in pre] + [key] + [p[0] for p in post]
        states.append(([k for k in order if k in store], dict(notes)))

    def render(order: list[str], numbers: dict[str, int]
               ) -> tuple[Any, dict[str, str], dict[str, list[tuple[Any, ...]]]]:
        ids: list[str] = []
        for key in order:
            for cite in store[key].get("citationItems", []):
                item = str(cite["id"])
                if item not in ids and item in by_id:
                    ids.append(item)
        doc = Document([by_id[i] for i in ids], style=fixture.csl)
        texts: dict[str, str] = {}
        for key in order:
            items = [dict(c) for c in store[key].get("citationItems", [])
                     if str(c["id"]) in by_id]
            texts[key] = doc.cite(items, to="html", note=numbers.get(key, 0)) if items else ""
        positions: dict[str, list[tuple[Any, ...]]] = {}
        keyed = [k for k in order if any(str(c["id"]) in by_id
                                         for c in store[k].get("citationItems", []))]
        for key, cites in zip(keyed, doc.positions(), strict=True):
            positions[key] = [(c["id"], c["position"], c.get("near-note"),
                               c.get("first-reference-note-number")) for c in cites]
        return doc, texts, positions

    order, numbers = states[-1]
    doc, after, after_pos = render(order, numbers)
    before: dict[str, str] = {}
    before_pos: dict[str, list[tuple[Any, ...]]] = {}
    if len(states) > 1:
        _, before, before_pos = render(*states[-2])
    last_id = (fixture.citations or [[{}]])[-1][0].get("citationID")
    tainted_items = set()
    for key, cites in after_pos.items():
        old = {c[0]: c[3] for c in before_pos.get(key, [])}
        for cite in cites:
            if cite[0] in old and old[cite[0]] != cite[3]:
                tainted_items.add(cite[0])
    if doc.style.is_note and doc.style.uses_disambiguate_condition:
        # the reference processor re-renders every citation of an item whose
        # citations go from one to several (or back) in such styles
        def counts(positions: dict[str, list[tuple[Any, ...]]]) -> dict[Any, int]:
            found: dict[Any, int] = {}
            for cites in positions.values():
                for item in {c[0] for c in cites}:
                    found[item] = found.get(item, 0) + 1
            return found

        old_counts, new_counts = counts(before_pos), counts(after_pos)
        tainted_items.update(item for item, n in new_counts.items()
                             if (n < 2) != (old_counts.get(item, 0) < 2))
    lines = []
    for index, key in enumerate(order):
        changed = key == last_id or before.get(key) != after[key] \
            or before_pos.get(key) != after_pos.get(key) \
            or any(c[0] in tainted_items for c in after_pos.get(key, []))
        lines.append(f"{'>>' if changed else '..'}[{index}] {after[key]}")
    return doc, "\n".join(lines)


@dataclass
class Outcome:
    name: str
    category: str
    passed: bool
    crashed: bool
    expected: str
    got: str


def run(paths: list[Path] | None = None) -> list[Outcome]:
    """Run fixtures; never raises for a fixture."""
    outcomes = []
    for path in paths if paths is not None else fixtures():
        fixture = parse_fixture(path)
        try:
            got = render_fixture(fixture)
            crashed = False
        except Exception:
            got = traceback.format_exc()
            crashed = True
        passed = not crashed and got.strip() == fixture.result.strip()
        outcomes.append(Outcome(fixture.name, fixture.category, passed, crashed,
                                fixture.result, got))
    return outcomes


def expected_failures(path: Path = EXPECTED_FAILURES) -> set[str]:
    if not path.exists():
        return set()
    return {line.split("#")[0].strip() for line in path.read_text().splitlines()
            if line.split("#")[0].strip()}


def category_table(outcomes: list[Outcome]) -> str:
    """Pass counts per fixture category."""
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for outcome in outcomes:
        total[outcome.category] += 1
        passed[outcome.category] += outcome.passed
    lines = [f"{'category':<16} {'passed':>6} {'total':>6} {'share':>7}"]
    for category in sorted(total):
        lines.append(f"{category:<16} {passed[category]:>6} {total[category]:>6} "
                     f"{passed[category] / total[category]:>7.0%}")
    all_passed, all_total = sum(passed.values()), sum(total.values())
    lines.append(f"{'all':<16} {all_passed:>6} {all_total:>6} "
                 f"{all_passed / all_total if all_total else 0:>7.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", metavar="PATTERN", help="show fixtures matching PATTERN")
    parser.add_argument("--failures", action="store_true", help="list failing fixtures")
    parser.add_argument("--write-expected", action="store_true",
                        help="rewrite the expected-failures list from this run")
    args = parser.parse_args(argv)
    paths = fixtures()
    if args.show:
        paths = [p for p in paths if re.search(args.show, p.stem)]
    outcomes = run(paths)
    if args.show:
        for outcome in outcomes:
            status = "PASS" if outcome.passed else ("CRASH" if outcome.crashed else "FAIL")
            print(f"== {outcome.name}: {status}")
            if not outcome.passed:
                print(f"-- expected:\n{outcome.expected}\n-- got:\n{outcome.got}")
        return 0
    if args.failures:
        for outcome in outcomes:
            if not outcome.passed:
                print(("CRASH " if outcome.crashed else "") + outcome.name)
    if args.write_expected:
        names = sorted(o.name for o in outcomes if not o.passed)
        EXPECTED_FAILURES.write_text(
            "# CSL test-suite fixtures citekit does not pass yet (the list only shrinks).\n"
            + "".join(f"{n}\n" for n in names))
    print(category_table(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
