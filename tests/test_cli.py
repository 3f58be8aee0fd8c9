from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citekit.cli import main

from .conftest import shared_path


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, in a separate process."""
    return subprocess.run([sys.executable, "-m", "citekit", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_format_example_apa_shows_title_and_doi() -> None:
    result = run("format", "--example", "--style", "apa")
    assert result.returncode == 0, result.stderr
    assert "Fractures in the therapeutic alliance" in result.stdout
    assert "https://doi.org/10.33898/rdp.v5i20.1072" in result.stdout


def test_format_example_prints_the_how_to_cite_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["format", "--example"]) == 0
    out = capsys.readouterr().out
    for heading in ("APA Style 7th edition", "NLM/Vancouver", "IEEE", "MLA Handbook",
                    "Chicago Manual of Style", "Cite Them Right", "ACS Guide",
                    "Association for Computing Machinery", "AMA Manual of Style"):
        assert heading in out
    assert out.count("10.33898/rdp.v5i20.1072") >= 10


def test_format_biblatex_examples_prints_92_entries() -> None:
    path = shared_path("corpus", "csl-json", "biblatex-examples.citation-js.json")
    apa = run("format", str(path), "--style", "apa", "-q")
    assert apa.returncode == 0, apa.stderr
    assert len(apa.stdout.strip().splitlines()) == 92
    vancouver = run("format", str(path), "--style", "vancouver", "-q")
    lines = vancouver.stdout.strip().splitlines()
    assert len(lines) == 92
    assert [line.split(".", 1)[0] for line in lines] == [str(n) for n in range(1, 93)]


def test_unknown_style_exits_2_with_suggestions(tmp_path: Path) -> None:
    data = tmp_path / "x.json"
    data.write_text('[{"id": "a", "type": "book", "title": "T"}]')
    result = run("format", str(data), "--style", "no-such-style")
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert line.startswith("citekit: error: unknown style 'no-such-style'")
    assert "did you mean" in line


def test_bad_input_exits_2_with_the_position(tmp_path: Path) -> None:
    data = tmp_path / "bad.json"
    data.write_text('[\n {"id": "a"\n')
    result = run("format", str(data))
    assert result.returncode == 2
    assert f"{data}:3:1: not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_partial_input_writes_the_good_records_and_exits_2(tmp_path: Path) -> None:
    data = tmp_path / "part.json"
    data.write_text('[{"id": "a", "type": "book", "title": "Good"},\n {}]')
    result = run("convert", str(data), "--to", "csl-json")
    assert result.returncode == 2
    assert [item["id"] for item in json.loads(result.stdout)] == ["a"]
    assert f"{data}:2:" in result.stderr


def test_missing_file_is_a_clear_error() -> None:
    result = run("format", "does-not-exist.json")
    assert result.returncode == 2
    assert result.stderr.startswith("citekit: error: does-not-exist.json: cannot read the file")


def test_convert_from_stdin_to_stdout() -> None:
    result = run("convert", "-", "--to", "csl-json",
                 stdin='{"id": "a", "type": "book", "title": "T", "DOI": "doi:10.1/X"}')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"id": "a", "type": "book", "title": "T",
                                          "DOI": "10.1/X"}]


def test_convert_example_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "example.json"
    assert main(["convert", "--example", "-o", str(out)]) == 0
    (item,) = json.loads(out.read_text())
    assert item["DOI"] == "10.33898/rdp.v5i20.1072"
    assert item["custom"]["license"] == "https://creativecommons.org/licenses/by-nc/4.0/"


def test_convert_to_an_unknown_format_lists_the_known_ones() -> None:
    result = run("convert", "--example", "--to", "docx")
    assert result.returncode == 2
    assert "unknown format 'docx'" in result.stderr and "csl-json" in result.stderr


def test_convert_unknown_text_names_what_was_tried(tmp_path: Path) -> None:
    data = tmp_path / "unknown.txt"
    data.write_text("just some words\n")
    result = run("convert", str(data), "--to", "csl-json")
    assert result.returncode == 2
    assert "tried: csl-json" in result.stderr


def test_citations_flag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "two.json"
    data.write_text(json.dumps([
        {"id": "a", "type": "book", "title": "A", "author": [{"family": "Roe"}],
         "issued": {"date-parts": [[2001]]}},
        {"id": "b", "type": "book", "title": "B", "author": [{"family": "Poe"}],
         "issued": {"date-parts": [[1999]]}},
    ]))
    assert main(["format", str(data), "--citations", "--style", "apa"]) == 0
    assert capsys.readouterr().out.splitlines() == ["(Roe, 2001)", "(Poe, 1999)"]


def test_styles_search(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles", "vancouver"]) == 0
    captured = capsys.readouterr()
    assert any(line.startswith("elsevier-vancouver\t") for line in captured.out.splitlines())
    assert "citationstyles.org" in captured.err


def test_styles_by_issn(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles", "1880-0556"]) == 0
    assert capsys.readouterr().out.startswith("nature-digest\tNature Digest")


@pytest.mark.parametrize("command", ["format", "convert", "styles", "formats"])
def test_every_subcommand_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0 and "usage: citekit " + command in result.stdout


def test_html_output_wraps_the_bibliography(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["format", "--example", "--style", "apa", "--to", "html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">')


def test_writer_options_are_passed_and_checked() -> None:
    result = run("convert", "--example", "--to", "csl-json", "-O", "indent=0")
    assert result.returncode == 0 and result.stdout.startswith("[\n{")
    bad = run("convert", "--example", "--to", "csl-json", "-O", "ascii=true")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "citekit: error: CSL-JSON takes no option ascii"
