"""Conversion between every pair of registered formats, and ``citekit convert``.

The matrix is built from the registry, so every format that joins it is held to
its ``Format.keeps`` declaration without a change here: a sample goes through
the reader's format, then the writer's, then CSL-JSON, and every variable both
formats declare they keep must come back unchanged.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import citekit
import citekit.formats as registry
from citekit import Article, CitekitWarning, Date, Name, cli
from citekit.cli import _Progress, main
from citekit.example import EXAMPLE
from citekit.formats import Format, available_formats

from .conftest import SHARED, shared_path


def quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        return fn(*args, **kwargs)


@cache
def sample() -> tuple[Article, ...]:
    """The bundled example, and real records of every type of the biblatex example
    set (as citation-js converts it), Crossref's CSL (names with affiliations) and
    the manubot set."""
    folder = shared_path("corpus", "csl-json")
    examples = quiet(citekit.load, folder / "biblatex-examples.citation-js.json")
    per_type: dict[str, int] = {}
    chosen = []
    for article in examples:
        if per_type.get(article.type, 0) < 4:
            per_type[article.type] = per_type.get(article.type, 0) + 1
            chosen.append(article)
    crossref = quiet(citekit.load, folder / "manubot_crossref-winter-scabs-csl_raw.json")
    manubot = quiet(citekit.load, folder / "manubot_bibliography.json")
    return (EXAMPLE, *chosen, *crossref, *manubot)


def _name(name: Name) -> tuple[Any, ...]:
    return (name.family, name.given, name.dropping_particle, name.non_dropping_particle,
            name.suffix, name.literal)


def _date(date: Date) -> tuple[Any, ...]:
    return (date.start, date.end, date.season, date.circa, date.literal)


def _value(article: Article, variable: str) -> Any:
    value = article.get(variable)
    if variable in citekit.model.NAME_VARIABLES:
        return tuple(_name(n) for n in value or ())
    if variable in citekit.model.DATE_VARIABLES:
        return _date(value) if value is not None else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # CSL numbers and their text are one value
    return value


def _kept(article: Article, keeps: frozenset[str] | None) -> dict[str, Any]:
    """The part of ``article`` a format keeping ``keeps`` must give back (the
    granularity of :attr:`Format.keeps`)."""
    if keeps is None:
        return {"article": article}
    out = {v: _value(article, v) for v in sorted(keeps - {"type", "extra"})}
    if "type" in keeps:
        out["type"] = article.type
    if "extra" in keeps:
        out["extra"] = article.extra
    return out


def _both(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def _convertible() -> list[Format]:
    return [f for f in available_formats() if f.parse and f.dump]


def _match(expected: list[Article], got: list[Article], keeps: frozenset[str] | None,
           what: str) -> None:
    assert len(got) == len(expected), f"{what}: {len(got)} records, not {len(expected)}"
    if keeps is None or "id" in keeps:
        by_id = {a.id: a for a in got}
        pairs = [(a, by_id.get(a.id)) for a in expected]
    else:
        # Without ids (and a format need not keep the order), each record is paired
        # with the returned record that agrees with it on the most kept values.
        pool = [(b, _kept(b, keeps)) for b in got]
        pairs = []
        for original in expected:
            want = _kept(original, keeps)
            best = max(range(len(pool)), key=lambda i: sum(
                want[k] == pool[i][1][k] for k in want))
            pairs.append((original, pool.pop(best)[0]))
    for original, back in pairs:
        assert back is not None, f"{what}: record {original.id!r} is missing"
        want, have = _kept(original, keeps), _kept(back, keeps)
        lost = {k: (want[k], have[k]) for k in want if want[k] != have[k]}
        assert not lost, f"{what}: record {original.id!r} lost {lost}"


@cache
def _through(fmt_name: str) -> tuple[Article, ...]:
    """The sample after a round trip through one format (the reader's side)."""
    text = quiet(citekit.dumps, list(sample()), fmt_name)
    return tuple(quiet(citekit.loads, text, fmt_name))


PAIRS = [(r, w) for r in _convertible() for w in _convertible()]


@pytest.mark.parametrize("reader, writer", PAIRS, ids=[f"{r.name}->{w.name}" for r, w in PAIRS])
def test_conversion_matrix(reader: Format, writer: Format) -> None:
    """sample -> reader's format -> writer's format -> CSL-JSON keeps what both keep."""
    first = list(_through(reader.name))
    text = quiet(citekit.dumps, first, writer.name)
    second = quiet(citekit.loads, text, writer.name)
    final = citekit.loads(citekit.dumps(second, "csl-json"), "csl-json")
    keeps = _both(reader.keeps, writer.keeps)
    _match(list(sample()), final, keeps, f"{reader.name} -> {writer.name} -> csl-json")


def _fixtures_of(fmt: Format) -> list[Path]:
    root = SHARED / "corpus"
    found = []
    for path in sorted(root.glob("*/*")):
        if registry.formats_for_path(path) and fmt in registry.formats_for_path(path):
            found.append(path)
    return found


READ_ONLY = [f for f in available_formats() if f.parse and not f.dump]


@pytest.mark.parametrize("reader", READ_ONLY, ids=lambda f: f.name)
def test_read_only_formats_convert_to_every_writer(reader: Format) -> None:
    """A format citekit only reads: its corpus files pass through every writer."""
    files = _fixtures_of(reader) or pytest.skip(f"no corpus file for {reader.name}")
    for path in files:
        try:
            first = quiet(citekit.load, path, reader.name)
        except citekit.ParseError as exc:
            first = list(exc.articles)
        for writer in _convertible():
            back = quiet(citekit.loads, quiet(citekit.dumps, first, writer.name), writer.name)
            _match(first, back, writer.keeps, f"{path.name} -> {writer.name}")


@pytest.mark.parametrize("writer", [f for f in available_formats() if f.dump],
                         ids=lambda f: f.name)
def test_every_writer_writes_the_sample(writer: Format) -> None:
    text = quiet(citekit.dumps, list(sample()), writer.name)
    assert text.strip()


def test_the_matrix_covers_every_format() -> None:
    names = {f.name for f in _convertible()}
    assert {"csl-json", "ris"} <= names
    assert len(PAIRS) == len(names) ** 2


# -- citekit convert ---------------------------------------------------------------------------


def run(*args: str, stdin: str | None = None, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "citekit", *args], input=stdin,
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def test_convert_unknown_text_to_ris_exits_2_and_names_the_formats(tmp_path: Path) -> None:
    data = tmp_path / "unknown.txt"
    data.write_text("Some notes that are no bibliography at all.\n")
    result = run("convert", str(data), "--to", "ris")
    assert result.returncode == 2
    readable = [f.name for f in available_formats() if f.parse and f.sniff]
    assert "tried: " + ", ".join(readable) in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_several_inputs_are_merged_in_order(tmp_path: Path) -> None:
    ris_file = shared_path("corpus", "ris", "zotero-translators_RIS_case10.ris")
    json_file = shared_path("corpus", "csl-json", "manubot_bibliography.json")
    result = run("convert", str(ris_file), str(json_file), "--to", "csl-json", "-q")
    assert result.returncode == 0, result.stderr
    ids = [item["id"] for item in json.loads(result.stdout)]
    expected = [a.id for a in quiet(citekit.load, ris_file)] + \
        [a.id for a in quiet(citekit.load, json_file)]
    assert ids == expected and len(ids) == 4


def test_stdin_to_stdout_with_sniffing() -> None:
    text = shared_path("corpus", "ris", "manubot_bibliography.ris").read_text()
    result = run("convert", "--to", "csl-json", stdin=text)
    assert result.returncode == 0, result.stderr
    assert [i["id"] for i in json.loads(result.stdout)] == ["himmelstein2018", "techblog"]


def test_output_format_from_the_file_extension(tmp_path: Path) -> None:
    out = tmp_path / "refs.ris"
    source = shared_path("corpus", "csl-json", "manubot_bibliography.json")
    result = run("convert", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = citekit.load(out)
    assert [a.doi for a in records] == [a.doi for a in quiet(citekit.load, source)]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".citekit-")]


def test_rejected_records_are_reported_and_the_rest_written(tmp_path: Path) -> None:
    data = tmp_path / "mixed.ris"
    data.write_text("TY  - JOUR\nTI  - Good\nER  - \n\nTY  - BOOK\nER  - \n\n"
                    "TY  - BOOK\nTI  - Fine\nER  - \n")
    out = tmp_path / "out.json"
    result = run("convert", str(data), "-o", str(out))
    assert result.returncode == 2
    assert f"{data}:5: the record has no fields" in result.stderr
    assert [i["title"] for i in json.loads(out.read_text())] == ["Good", "Fine"]


def test_a_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing here\n")
    good = shared_path("corpus", "ris", "zotero-translators_RIS_case08.ris")
    result = run("convert", str(bad), str(good), "--to", "ris")
    assert result.returncode == 2
    assert result.stdout.count("TY  - ") == 1 and "unknown format" in result.stderr


def test_no_output_file_when_nothing_could_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing here\n")
    out = tmp_path / "out.ris"
    assert run("convert", str(bad), "-o", str(out)).returncode == 2
    assert not out.exists()


def test_empty_input_writes_an_empty_document(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ris"
    empty.write_text("")
    out = tmp_path / "out.json"
    assert main(["convert", str(empty), "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == []


def test_the_output_may_replace_an_input(tmp_path: Path) -> None:
    path = tmp_path / "refs.ris"
    path.write_text(shared_path("corpus", "ris", "manubot_bibliography.ris").read_text())
    before = citekit.load(path)
    assert main(["convert", str(path), "-o", str(path), "-q"]) == 0
    assert citekit.load(path) == before


@pytest.fixture
def failing_writer() -> Iterator[None]:
    saved = dict(registry._registry), list(registry._runtime)

    def dump_iter(articles: Any, **options: Any) -> Iterator[str]:
        for article in articles:
            yield f"{article.id}\n"
            raise citekit.CitekitError("the writer broke after one record")

    def dump(articles: Any, **options: Any) -> str:
        return "".join(dump_iter(articles))

    registry.register(Format(name="flaky", dump=dump, dump_iter=dump_iter, extensions=("fl",)))
    yield
    registry._registry.clear()
    registry._registry.update(saved[0])
    registry._runtime[:] = saved[1]


@pytest.mark.usefixtures("failing_writer")
def test_a_failed_conversion_leaves_the_old_output_alone(tmp_path: Path) -> None:
    out = tmp_path / "out.fl"
    out.write_text("previous content\n")
    source = shared_path("corpus", "ris", "manubot_bibliography.ris")
    assert main(["convert", str(source), "-o", str(out), "-q"]) == 2
    assert out.read_text() == "previous content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.fl"]


def test_writer_options_reach_the_writer() -> None:
    result = subprocess.run([sys.executable, "-m", "citekit", "convert", "--example", "--to",
                             "ris", "-O", "line_ending=crlf", "-q"], capture_output=True,
                            timeout=300)
    assert result.returncode == 0 and result.stdout.startswith(b"TY  - JOUR\r\nTI  - ")


def test_duplicate_ids_across_inputs_are_reported(tmp_path: Path) -> None:
    path = shared_path("corpus", "ris", "zotero-translators_RIS_case08.ris")
    result = run("convert", str(path), str(path), "--to", "csl-json")
    assert result.returncode == 0
    assert "id 'deprecated1950' is also used" not in result.stderr  # same file twice
    copy = tmp_path / "copy.ris"
    copy.write_text(path.read_text())
    result = run("convert", str(path), str(copy), "--to", "csl-json")
    assert f"{copy}: id 'deprecated1950' is also used by a record of {path}" in result.stderr


# -- progress ------------------------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_appears_only_for_long_conversions() -> None:
    stream, clock = io.StringIO(), _Clock()
    progress = _Progress(stream, [1000, 3000], delay=1.0, clock=clock)
    progress.begin_file(0, 10)
    for _ in range(10):
        clock.now += 0.05
        progress.tick()
    assert stream.getvalue() == ""  # half a second: nothing shown
    progress.begin_file(1, 100)
    for _ in range(50):
        clock.now += 0.05
        progress.tick()
    shown = stream.getvalue()
    assert shown.startswith("\r") and "records written, file 2 of 2" in shown
    assert shown.rstrip("\x1b[K").endswith("(62%)")  # 1000 + 3000 * 50/100 of 4000 bytes
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_progress_is_not_shown_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    big = tmp_path / "big.ris"
    record = shared_path("corpus", "ris", "zotero-translators_RIS_case06.ris").read_text()
    big.write_text((record.strip() + "\n\n") * 2000)
    result = run("convert", str(big), "--to", "csl-json", "-q")
    assert result.returncode == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == 2000


def test_progress_is_drawn_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    ticks = itertools.count()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli, "_Progress", functools.partial(
        cli._Progress, delay=0.0, clock=lambda: float(next(ticks))))
    path = shared_path("corpus", "ris", "zotero-translators_RIS_case05.ris")
    assert main(["convert", str(path), "--to", "ris"]) == 0
    drawn = terminal.getvalue()
    assert "\rcitekit: 39 records written (100%)" in drawn
    assert drawn.endswith("\r\x1b[K")  # the line is cleared at the end
    assert capsys.readouterr().out.count("TY  - ") == 39
