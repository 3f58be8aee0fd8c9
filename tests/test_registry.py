"""The format registry: sniffing every kind of corpus file, ambiguity, file names,
third-party formats through the ``citekit.formats`` entry-point group, ``keeps``
declarations and the streaming writer hook."""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import citekit
import citekit.formats as registry
from citekit import Article, CitekitWarning, ParseError, UnknownFormatError
from citekit.example import EXAMPLE
from citekit.formats import Format, available_formats, iter_dumps, sniff_format
from citekit.formats.csljson import SCHEMA_VARIABLES

from .conftest import SHARED, shared_path

# What each corpus file is, by folder and name (facts about the corpus), with the
# registered format names that may read it. A file whose formats are not all
# registered yet must sniff as one of the registered ones, or as nothing.
CORPUS_FORMATS: list[tuple[str, frozenset[str]]] = [
    ("ris/*.ris", frozenset({"ris"})),
    ("csl-json/manubot_empty-csl_raw.json", frozenset()),  # BAD-INPUT: an empty item
    ("csl-json/*.json", frozenset({"csl-json"})),
    ("bibtex/*.bib", frozenset({"bibtex", "biblatex"})),
    ("rdf-dc/*.rdf", frozenset({"rdfxml", "rdf-xml", "zotero-rdf"})),
    ("rdf-dc/*.xml", frozenset({"rdfxml", "rdf-xml", "zotero-rdf"})),
    ("html-meta/*.html", frozenset({"html-meta", "html"})),
    ("html-meta/*.jsonld", frozenset({"jsonld", "json-ld"})),
    ("html-meta/*.json", frozenset()),  # extruct's expected output, not an input format
    ("crossref-datacite/*Datacite-JSON*", frozenset({"datacite-json", "datacite"})),
    ("crossref-datacite/*Crossref-Unixref*", frozenset({"crossref-xml", "unixref"})),
    ("crossref-datacite/citation-js_api_doi.json", frozenset()),
    ("other/*.mods.xml", frozenset({"mods"})),
    ("other/*.endnote.xml", frozenset({"endnote-xml"})),
]


def _expected(relative: str) -> frozenset[str] | None:
    for pattern, names in CORPUS_FORMATS:
        if fnmatch.fnmatch(relative, pattern):
            return names
    return None


def _corpus_files() -> list[str]:
    root = SHARED / "corpus"
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.glob("*/*") if p.suffix != ".md")


@pytest.fixture
def isolated_registry() -> Iterator[None]:
    """Formats registered in the test are forgotten afterwards."""
    saved_registry = dict(registry._registry)
    saved_runtime = list(registry._runtime)
    try:
        yield
    finally:
        registry._registry.clear()
        registry._registry.update(saved_registry)
        registry._runtime[:] = saved_runtime


# -- sniffing --------------------------------------------------------------------------------


def test_every_corpus_file_has_an_expectation() -> None:
    files = _corpus_files() or pytest.skip("reference data not available")
    assert [f for f in files if _expected(f) is None] == []


@pytest.mark.parametrize("relative", _corpus_files())
def test_corpus_file_sniffs_as_its_format(relative: str) -> None:
    path = shared_path("corpus", relative)
    expected = _expected(relative)
    assert expected is not None
    data = path.read_bytes()
    head = data[: registry.SNIFF_BYTES].decode("utf-8", errors="replace")
    registered = {name for fmt in available_formats() for name in fmt.names}
    candidates = expected & registered
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        try:
            found = sniff_format(data.decode("utf-8", errors="replace"), source=relative)
        except UnknownFormatError:
            found = None
    if found is None:
        assert not candidates, f"{relative} should sniff as one of {sorted(candidates)}"
        return
    same_parser = {n for f in available_formats() if f.parse is found.parse for n in f.names}
    assert same_parser & expected, f"{relative} sniffed as {found.name}, not {sorted(expected)}"
    assert head  # the decision came from the file's own start


def test_sniff_reads_only_the_start() -> None:
    text = "TY  - JOUR\nTI  - x\nER  - \n" + "N1  - " + "y" * 100_000
    assert sniff_format(text).name == "ris"


def test_no_known_format_names_every_format_tried() -> None:
    with pytest.raises(UnknownFormatError) as info:
        sniff_format("just some words\n", source="notes.txt")
    readable = [f.name for f in available_formats() if f.parse and f.sniff]
    assert list(info.value.suggestions) == readable
    message = str(info.value)
    assert message.startswith("unknown format 'notes.txt': the text is in no format")
    assert "tried: " + ", ".join(readable) in message
    assert "did you mean" not in message


def _fake(name: str, sniff: Any, parse: Any = None, ext: tuple[str, ...] = ()) -> Format:
    def default_parse(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
        return [Article(id=name, title=text.strip()[:20])]

    return Format(name=name, parse=parse or default_parse, sniff=sniff, extensions=ext)


@pytest.mark.usefixtures("isolated_registry")
def test_a_tie_that_parsing_does_not_settle_lists_the_candidates() -> None:
    registry.register(_fake("alpha", lambda t: t.startswith("%%")))
    registry.register(_fake("beta", lambda t: t.startswith("%%")))
    with pytest.raises(UnknownFormatError) as info:
        citekit.loads("%% shared magic\n")
    assert list(info.value.suggestions) == ["alpha", "beta"]
    assert "could be any of alpha, beta" in str(info.value)


@pytest.mark.usefixtures("isolated_registry")
def test_a_tie_is_settled_by_the_format_that_reads_the_text() -> None:
    def fails(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
        raise ParseError("not mine", source=source)

    registry.register(_fake("gamma", lambda t: t.startswith("%%"), parse=fails))
    registry.register(_fake("delta", lambda t: t.startswith("%%")))
    assert citekit.loads("%% magic\n")[0].id == "delta"


@pytest.mark.usefixtures("isolated_registry")
def test_a_tie_between_formats_reading_the_same_records_takes_the_first() -> None:
    def same(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
        return [Article(id="same")]

    registry.register(_fake("epsilon", lambda t: t.startswith("%%"), parse=same))
    registry.register(_fake("zeta", lambda t: t.startswith("%%"),
                            parse=lambda text, **kw: [Article(id="same")]))
    assert sniff_format("%% x").name == "epsilon"


@pytest.mark.usefixtures("isolated_registry")
def test_a_higher_score_wins_and_a_faulty_sniffer_is_ignored() -> None:
    def broken(text: str) -> bool:
        raise RuntimeError("bug in a plugin")

    registry.register(_fake("likely", lambda t: 0.6 if t.startswith("%%") else 0))
    registry.register(_fake("certain", lambda t: t.startswith("%% certain")))
    registry.register(_fake("faulty", broken))
    assert sniff_format("%% certain").name == "certain"
    assert sniff_format("%% maybe").name == "likely"


@pytest.mark.usefixtures("isolated_registry")
def test_formats_sharing_an_extension_are_told_apart_by_content(tmp_path: Path) -> None:
    registry.register(_fake("xml-one", lambda t: "<one" in t, ext=("xml",)))
    registry.register(_fake("xml-two", lambda t: "<two" in t, ext=("xml",)))
    path = tmp_path / "record.xml"
    path.write_text("<two/>")
    assert citekit.load(path)[0].id == "xml-two"
    assert [f.name for f in registry.formats_for_path(path)] == ["xml-one", "xml-two"]


def test_content_of_another_format_wins_over_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "really-json.ris"
    path.write_text('[{"id": "a", "type": "book", "title": "T"}]')
    with pytest.warns(CitekitWarning, match="looks like csl-json, not ris"):
        (a,) = citekit.load(path)
    assert a.title == "T"


def test_the_extension_decides_when_the_content_is_unclear(tmp_path: Path) -> None:
    path = tmp_path / "broken.ris"
    path.write_text("garbage\n")
    with pytest.raises(ParseError, match="no RIS records"):
        citekit.load(path)


def test_longest_extension_wins() -> None:
    assert registry.format_for_path("refs.csl.json").name == "csl-json"  # type: ignore[union-attr]
    assert registry.format_for_path("refs.txt") is None


def test_bytes_with_a_bom_are_sniffed() -> None:
    data = "\ufeffTY  - JOUR\r\nTI  - T\r\nER  - \r\n".encode()
    assert registry.read_bytes(data)[0].title == "T"


# -- third-party formats -----------------------------------------------------------------------

PLUGIN = '''
from citekit.formats import Format
from citekit.model import Article


def parse(text, *, source=None, **options):
    out = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, title = line.partition("\\t")
            out.append(Article(id=key, title=title))
    return out


def dump(articles, **options):
    return "#demo\\n" + "".join(f"{a.id}\\t{a.title or ''}\\n" for a in articles)


FORMAT = Format(name="demo-tsv", parse=parse, dump=dump, extensions=("demo",),
                sniff=lambda text: text.startswith("#demo"), description="a plugin format")
CLASH = Format(name="ris", parse=parse)
'''


def _install_plugin(root: Path, entry: str, module: str = PLUGIN) -> Path:
    """A real installed distribution: a module and its ``.dist-info`` with an
    ``entry_points.txt``, found through ``sys.path`` as pip installs it."""
    (root / "citekit_demo_format.py").write_text(textwrap.dedent(module))
    info = root / "citekit_demo_format-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: citekit-demo-format\n"
                                   "Version: 1.0\n")
    (info / "entry_points.txt").write_text(f"[citekit.formats]\n{entry}\n")
    (info / "RECORD").write_text("")
    return root


def test_an_installed_plugin_format_is_used_by_the_command(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _install_plugin(site, "demo = citekit_demo_format:FORMAT")
    data = tmp_path / "refs.demo"
    data.write_text("#demo\nk1\tFirst title\nk2\tSecond title\n")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run([sys.executable, "-m", "citekit", "formats"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert any(line.startswith("demo-tsv\trw\t.demo\ta plugin format")
               for line in listed.stdout.splitlines()), listed.stdout + listed.stderr
    converted = subprocess.run([sys.executable, "-m", "citekit", "convert", str(data), "--to",
                                "ris"], env=env, capture_output=True, text=True, timeout=120)
    assert converted.returncode == 0, converted.stderr
    assert converted.stdout.count("TY  - JOUR") == 2 and "TI  - Second title" in converted.stdout
    back = subprocess.run([sys.executable, "-m", "citekit", "convert", "-", "--to", "demo-tsv"],
                          input=converted.stdout, env=env, capture_output=True, text=True,
                          timeout=120)
    assert back.stdout == "#demo\nk1\tFirst title\nk2\tSecond title\n"


@pytest.mark.usefixtures("isolated_registry")
def test_plugins_load_through_entry_points_and_broken_ones_are_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _install_plugin(site, "demo = citekit_demo_format:FORMAT\n"
                          "missing = no_such_module_here:FORMAT\n"
                          "wrong = citekit_demo_format:parse\n"
                          "clash = citekit_demo_format:CLASH")
    monkeypatch.syspath_prepend(str(site))
    try:
        with pytest.warns(CitekitWarning) as caught:
            registry.refresh_registry()
        messages = "\n".join(str(w.message) for w in caught)
        assert "format plugin 'missing'" in messages and "ModuleNotFoundError" in messages
        assert "format plugin 'wrong'" in messages and "not a citekit.formats.Format" in messages
        assert "format plugin 'clash'" in messages and "already registered" in messages
        assert registry.get_format("demo-tsv").description == "a plugin format"
        assert registry.get_format("ris").parse is citekit.formats.ris.parse
        assert citekit.loads("#demo\nx\tT\n")[0].title == "T"
    finally:
        monkeypatch.undo()
        sys.modules.pop("citekit_demo_format", None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            registry.refresh_registry()
    with pytest.raises(UnknownFormatError):
        registry.get_format("demo-tsv")


@pytest.mark.usefixtures("isolated_registry")
def test_runtime_registrations_survive_a_refresh() -> None:
    fmt = registry.register(_fake("kept", lambda t: False))
    registry.refresh_registry()
    assert registry.get_format("kept") is fmt


# -- what every format declares ------------------------------------------------------------------

_KNOWN = SCHEMA_VARIABLES | {"type", "extra", "keyword", "license", "id"}


@pytest.mark.parametrize("fmt", available_formats(), ids=lambda f: f.name)
def test_keeps_names_only_csl_variables(fmt: Format) -> None:
    if fmt.keeps is not None:
        assert fmt.keeps <= _KNOWN, sorted(fmt.keeps - _KNOWN)
    assert fmt.parse is not None or fmt.dump is not None
    assert fmt.names and all(n == n.strip().lower() for n in fmt.names)


def _sample() -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        return citekit.load(shared_path("corpus", "csl-json", "manubot_bibliography.json"))


@pytest.mark.parametrize("fmt", [f for f in available_formats() if f.dump],
                         ids=lambda f: f.name)
def test_streamed_output_equals_dumps(fmt: Format) -> None:
    records = [EXAMPLE, *_sample()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        whole = citekit.dumps(records, fmt.name)
        streamed = "".join(iter_dumps(iter(records), fmt.name))
        empty = "".join(iter_dumps(iter([]), fmt.name))
    assert streamed == whole
    assert empty == citekit.dumps([], fmt.name)


@pytest.mark.parametrize("fmt", [f for f in available_formats() if f.dump_iter],
                         ids=lambda f: f.name)
def test_streaming_writers_consume_records_as_they_go(fmt: Format) -> None:
    taken = 0

    def records() -> Iterator[Article]:
        nonlocal taken
        for i in range(1000):
            taken += 1
            yield Article(id=f"r{i}", title=f"Title {i}")

    chunks = iter_dumps(records(), fmt.name)
    next(chunks)
    next(chunks)
    assert taken <= 3
    rest = "".join(chunks)
    assert taken == 1000 and rest


def test_dump_path_uses_the_extension(tmp_path: Path) -> None:
    citekit.dump([EXAMPLE], tmp_path / "x.ris")
    assert (tmp_path / "x.ris").read_text().startswith("TY  - JOUR\n")
    assert json.loads(citekit.dumps(EXAMPLE, "csl-json"))[0]["id"] == EXAMPLE.id
