"""BibTeX and BibLaTeX: the real corpus, the reference conversions, round trips,
pybtex as an independent reader, and the behaviours the documentation promises."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import citekit
from citekit import Article, CitekitWarning, Date, DatePart, Name, ParseError
from citekit.errors import OptionError
from citekit.formats import get_format, sniff_format
from citekit.formats._latex import latex_to_rich, rich_to_latex
from citekit.formats.bibtex import (
    CITEKIT_FIELD,
    PREAMBLE_KEY,
    TYPE_KEY,
    mapping_markdown,
    parse,
)
from citekit.testing import articles, texts

from .conftest import ROOT, shared_path

# -- helpers ---------------------------------------------------------------------------


def quiet_load(path: Path, **options: object) -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        return citekit.load(path, **options)  # type: ignore[arg-type]


def quiet_loads(text: str, fmt: str = "bibtex", **options: object) -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        return citekit.loads(text, fmt, **options)  # type: ignore[arg-type]


def one(text: str, fmt: str = "bibtex", **options: object) -> Article:
    (article,) = quiet_loads(text, fmt, **options)
    return article


def expected_counts() -> dict[str, int]:
    """Entry counts per file, from the corpus's SOURCES.md (not @string/@preamble)."""
    sources = shared_path("corpus", "SOURCES.md").read_text(encoding="utf-8")
    section = sources.split("## bibtex/", 1)[1].split("\n## ", 1)[0]
    return {m.group(1).strip(): int(m.group(2))
            for m in re.finditer(r"^\| ([^|]+\.bib) \| (\d+) \|", section, re.MULTILINE)}


def corpus_files() -> list[Path]:
    return sorted(shared_path("corpus", "bibtex").glob("*.bib"))


# -- the corpus ------------------------------------------------------------------------


def test_every_corpus_file_loads_with_the_real_entry_count() -> None:
    counts = expected_counts()
    files = corpus_files()
    assert len(files) == len(counts) >= 38
    for path in files:
        articles_ = quiet_load(path)  # raises ParseError if any entry were rejected
        assert len(articles_) == counts[path.name], path.name
        assert len({a.id for a in articles_}) == len(articles_), path.name


def test_the_reader_builds_what_the_constructor_would() -> None:
    """The reader builds Articles without the constructor's checks (its values have
    the model's shapes already): the constructor, given the same values, agrees."""
    for path in corpus_files():
        for article in quiet_load(path):
            values = {f.name: getattr(article, f.name) for f in dataclasses.fields(Article)}
            checked = Article(**values)
            assert vars(checked) == vars(article), (path.name, article.id)
            for attr, value in vars(article).items():
                assert type(value) is type(getattr(checked, attr)), (path.name, attr)


def test_agreement_with_pandoc_and_citation_js_on_biblatex_examples() -> None:
    """Where pandoc and citation-js agree on a field, citekit agrees too (floor: all)."""
    from citekit.formats.csljson import to_csl

    folder = shared_path("corpus", "csl-json")
    pandoc = {i["id"]: i for i in json.loads(
        (folder / "biblatex-examples.pandoc.json").read_text(encoding="utf-8"))}
    citation_js = {i["id"]: i for i in json.loads(
        (folder / "biblatex-examples.citation-js.json").read_text(encoding="utf-8"))}
    mine = {a.id: to_csl(a) for a in
            quiet_load(shared_path("corpus", "bibtex", "biblatex-examples.bib"))}
    from citekit.model import NAME_VARIABLES

    variables = ["title", "issued", "container-title", "volume", "issue", "page", "DOI",
                 "publisher", "type", *NAME_VARIABLES]

    def comparable(value: object) -> object:
        if isinstance(value, str):  # neither reference writes nocase spans
            return re.sub(r'<span class="nocase">(.*?)</span>', r"\1", value)
        if isinstance(value, dict) and "date-parts" in value:
            return {"date-parts": value["date-parts"]}
        return value

    compared, differences = 0, []
    for key, reference in pandoc.items():
        for variable in variables:
            value = reference.get(variable)
            if value is None or value != citation_js[key].get(variable):
                continue
            compared += 1
            got = comparable(mine[key].get(variable))
            if got != value:
                differences.append(f"{key} {variable}: {got!r} != {value!r}")
    assert compared >= 470
    rate = (compared - len(differences)) / compared
    assert rate >= 1.0, f"{rate:.1%} agree; differences:\n" + "\n".join(differences)


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_corpus_round_trips(dialect: str, ascii_only: bool) -> None:
    for path in corpus_files():
        first = quiet_load(path)
        text = citekit.dumps(first, dialect, ascii=ascii_only)
        if ascii_only:
            assert text.isascii(), path.name
        assert quiet_loads(text) == first, path.name


def _keys(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^@\w+\{([^,\n]*),$", text, re.MULTILINE)]


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_pybtex_reads_the_output_with_the_same_keys(dialect: str) -> None:
    pybtex_database = pytest.importorskip("pybtex.database")
    import pybtex.errors

    for path in corpus_files():
        text = citekit.dumps(quiet_load(path), dialect)
        # BibLaTeX's extended name format (family=..., given=...) is not BibTeX:
        # pybtex reports those names, in strict mode as errors.
        pybtex.errors.set_strict_mode(dialect == "bibtex")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                database = pybtex_database.parse_string(text, "bibtex")
        finally:
            pybtex.errors.set_strict_mode(True)
        assert list(database.entries) == _keys(text), path.name


def test_bibtex_output_has_no_extended_names_and_reads_in_strict_pybtex() -> None:
    pybtex_database = pytest.importorskip("pybtex.database")
    people = Article(id="a", type="book", title="T", names={"author": (
        Name(family="Gogh", given="Vincent", non_dropping_particle="van"),
        Name(family="Beethoven", given="Ludwig", dropping_particle="van"),
        Name(family="King", given="Martin Luther", suffix="Jr."),
        Name(literal="World Health Organization"),
        Name(literal="others"))})
    text = citekit.dumps([people], "bibtex")
    assert "family=" not in text
    entry = pybtex_database.parse_string(text, "bibtex").entries["a"]
    assert [str(p) for p in entry.persons["author"]][:3] == [
        "van Gogh, Vincent", "van Beethoven, Ludwig", "King, Jr., Martin Luther"]
    assert quiet_loads(text) == [people]


# -- property tests --------------------------------------------------------------------


@given(articles(), st.sampled_from(["bibtex", "biblatex"]), st.booleans())
def test_round_trip_is_identity(article: Article, dialect: str, ascii_only: bool) -> None:
    """Every Article the strategy makes comes back equal, in both dialects, in UTF-8 and
    in ASCII (no restriction of the strategy: the citekit field carries what no BibTeX
    field can)."""
    batch = [article]
    text = citekit.dumps(batch, dialect, ascii=ascii_only)
    if ascii_only:
        assert text.isascii()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CitekitWarning)  # our own output bends nothing
        # (a backslash word in a text is written as the command it looks like)
        warnings.filterwarnings("ignore", "kept LaTeX commands", CitekitWarning)
        assert citekit.loads(text, dialect) == batch


@given(texts(max_size=30), st.booleans())
def test_rich_text_survives_latex(text: str, ascii_only: bool) -> None:
    """The LaTeX writer and reader are inverse for every rich text the strategy makes:
    markup, nocase spans, special characters, any script."""
    assert latex_to_rich(rich_to_latex(text, ascii_only)) == text


# (a webpage is @misc in BibTeX, so it needs the citekit field there)
_PLAIN_TYPES = st.sampled_from(["article-journal", "book", "chapter", "paper-conference",
                                "report", "thesis", "manuscript"])
_WORD = st.text("abcdefghijklmnopqrstuvwxyzÄÖÜäöüéèßçñ", min_size=2, max_size=9)


@st.composite
def bibtex_like(draw: st.DrawFn) -> Article:
    """Articles of the kind .bib files hold: no CSL type BibTeX lacks, persons and
    organisations, plain dates, text with markup and special characters."""
    person = st.builds(lambda f, g: Name(family=f.capitalize(), given=g.capitalize()),
                       _WORD, _WORD)
    organisation = st.builds(lambda w: Name(literal=f"{w.capitalize()} Institute"), _WORD)
    date = st.builds(lambda y, m: Date(start=DatePart(y, m)), st.integers(1500, 2100),
                     st.none() | st.integers(1, 12))
    text = texts(max_size=25)
    kind = draw(_PLAIN_TYPES)
    genre = draw(st.sampled_from(["PhD thesis", "Master's thesis", "Habilitation"])) \
        if kind == "thesis" else None  # a BibTeX thesis is a PhD thesis unless it says
    return Article(
        id=draw(st.text("abcdefghij0123456789:-", min_size=1, max_size=12)),
        type=kind,
        extra={"genre": genre} if genre else {},
        title=draw(text),
        container_title=draw(st.none() | text),
        names={"author": tuple(draw(st.lists(person | organisation, min_size=1,
                                             max_size=4)))},
        dates={"issued": draw(date)},
        volume=draw(st.none() | st.integers(1, 999).map(str)),
        page=draw(st.none() | st.tuples(st.integers(1, 99), st.integers(100, 999)).map(
            lambda t: f"{t[0]}-{t[1]}")),
        doi=draw(st.none() | st.text("0123456789abcdefXYZ./-", min_size=1, max_size=12)
                 .map(lambda s: "10.1234/" + s)),
        publisher=draw(st.none() | text),
        note=draw(st.none() | text),
        keywords=tuple(draw(st.lists(_WORD, max_size=3))),
    )


@given(bibtex_like(), st.sampled_from(["bibtex", "biblatex"]), st.booleans())
def test_bibtex_like_articles_need_no_citekit_field(article: Article, dialect: str,
                                                   ascii_only: bool) -> None:
    """The property test above would pass with everything in the citekit field; this
    one holds the ordinary fields to carrying ordinary records on their own."""
    text = citekit.dumps([article], dialect, ascii=ascii_only)
    assert f"{CITEKIT_FIELD} =" not in text, text
    assert quiet_loads(text) == [article]


# -- reading ---------------------------------------------------------------------------


def test_names_follow_the_bibtex_rules() -> None:
    article = one(r"""@book{k, title = {T},
      author = {Knuth, Donald E. and Ludwig van Beethoven and von Neumann, Jr, John
                and {World Health Organization} and Jean-Paul Sartre and D. E. Knuth
                and {\"O}zge Aks{\i}n and {Barnes and Noble} and others}}""")
    assert article.author == (
        Name(family="Knuth", given="Donald E."),
        Name(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
        Name(family="Neumann", given="John", non_dropping_particle="von", suffix="Jr"),
        Name(literal="World Health Organization"),
        Name(family="Sartre", given="Jean-Paul"),
        Name(family="Knuth", given="D. E."),
        Name(family="Aksın", given="Özge"),
        Name(literal="Barnes and Noble"),
        Name(literal="others"),
    )


def test_particles_follow_useprefix_in_biblatex() -> None:
    text = "@book{k, author = {van Gennep, Arnold}, title = {T}, date = {1909}"
    assert one(text + "}").author[0].dropping_particle == "van"
    assert one(text + ", options = {useprefix}}").author[0].non_dropping_particle == "van"
    assert one(text + "}", dialect="bibtex").author[0].non_dropping_particle == "van"
    extended = one("@book{k, title = {T}, author = {family=Gogh, given=Vincent, "
                   "prefix=van, useprefix=true}}")
    assert extended.author[0] == Name(family="Gogh", given="Vincent",
                                      non_dropping_particle="van")


def test_latex_becomes_rich_text() -> None:
    article = one(r"""@article{k, title = {The {DNA} of {B}ayes: \textit{in vivo}
      {\em and} \textbf{bold} \textsc{caps} H$_2$O, $^{13}$C, {\TeX}, 50\% \& --- M{\"u}ller
      \c{c} \ss{} ~x}}""")
    assert article.title == (
        'The <span class="nocase">DNA</span> of <span class="nocase">B</span>ayes: '
        "<i>in vivo</i> <i>and</i> <b>bold</b> "
        '<span style="font-variant:small-caps;">caps</span> H<sub>2</sub>O, '
        '<sup>13</sup>C, <span class="nocase">TeX</span>, 50% & \u2014 Müller ç ß \u00a0x')


def test_macros_strings_and_concatenation() -> None:
    article = one(r"""@string{jtug = "TUGboat"}
      @STRING(pub = {Addison-} # "Wesley")
      @article{k, journal = JTug, publisher = pub # { Longman}, month = dec, year = 1984,
               title = "A " # {B} # " C", note = undefinedmacro}""")
    assert article.container_title == "TUGboat"
    assert article.publisher == "Addison-Wesley Longman"
    assert article.title == "A B C"  # braces around a piece only delimit it
    assert article.issued == Date.from_parts(1984, 12)
    assert article.note == "undefinedmacro"
    with pytest.warns(CitekitWarning, match="undefined macro 'undefinedmacro'"):
        parse("@article{k, note = undefinedmacro}")


def test_crossref_and_xdata_inheritance() -> None:
    text = """@inproceedings{child, author = {A, B}, title = {Paper}, crossref = {proc},
                              pages = {1--2}}
              @proceedings{proc, title = {Proceedings of X}, year = 2001,
                           publisher = {P}, xdata = {common}}
              @xdata{common, location = {Berlin}}"""
    child, proc, common = quiet_loads(text, dialect="biblatex")
    assert child.container_title == "Proceedings of X"  # title -> booktitle
    assert child.title == "Paper" and child.issued == Date.from_parts(2001)
    assert child.publisher == "P" and child.publisher_place == "Berlin"
    assert child.extra["bibtex:crossref"] == "proc"
    assert proc.publisher_place == "Berlin" and common.extra[TYPE_KEY] == "xdata"
    # BibTeX copies fields by name only: no booktitle from the parent's title
    assert quiet_loads(text, dialect="bibtex")[0].container_title is None


def test_dates() -> None:
    def issued(fields: str) -> Date | None:
        return one("@book{k, title = {T}, " + fields + "}").issued

    assert issued("date = {2005-10-16}") == Date.from_parts(2005, 10, 16)
    assert issued("date = {1885/1888}") == Date(start=DatePart(1885), end=DatePart(1888))
    assert issued("date = {1957~}") == Date(start=DatePart(1957), circa=True)
    assert issued("date = {1995/}") == Date(start=DatePart(1995), raw="1995/")
    assert issued("year = {1998}, month = {Oct}") == Date.from_parts(1998, 10)
    assert issued("year = 1998, month = {10~Oct}") == Date.from_parts(1998, 10, 10)
    assert issued("year = 1998, month = {Fall}") == Date(start=DatePart(1998),
                                                         season="Fall")
    assert issued("year = {in press}") == Date(literal="in press")
    assert issued("year = {1998--1999}") == Date(start=DatePart(1998), end=DatePart(1999))
    article = one("@online{k, title = {T}, urldate = {2006-10-01}, eventdate = {2001}}")
    assert article.accessed == Date.from_parts(2006, 10, 1)
    assert article.dates["event-date"] == Date.from_parts(2001)


def test_fields_map_to_csl() -> None:
    article = one(r"""@article{k, title = {T}, journaltitle = {J}, volume = 3, number = 4,
      pages = {e12--e20}, doi = {https://doi.org/10.1000/a\_b}, url = {http://x.org/a\_b\%20},
      issn = {1234-5678}, langid = {ngerman}, keywords = {one, two; three},
      abstract = {An abstract.}, note = {A note}, annote = {Mine}, eprint = {12345},
      eprinttype = {pubmed}, pubstate = {inpress}, file = {:a.pdf:PDF}}""")
    assert (article.container_title, article.volume, article.issue) == ("J", "3", "4")
    assert article.page == "e12-e20"
    assert article.doi == "10.1000/a_b" and article.url == "http://x.org/a_b%20"
    assert article.issn == "1234-5678" and article.pmid == "12345"
    assert article.language == "de" and article.extra["bibtex:langid"] == "ngerman"
    assert article.keywords == ("one", "two; three")
    assert (article.abstract, article.note) == ("An abstract.", "A note")
    assert article.extra["annote"] == "Mine" and article.extra["status"] == "inpress"
    assert article.extra["bibtex:file"] == ":a.pdf:PDF"
    thesis = one("@phdthesis{k, title = {T}, school = {MIT}, address = {Cambridge}}")
    assert (thesis.type, thesis.publisher, thesis.publisher_place) == ("thesis", "MIT",
                                                                       "Cambridge")
    assert thesis.extra["genre"] == "PhD thesis"
    report = one("@report{k, title = {T}, type = {techreport}, number = {99-2}, "
                 "institution = {IBM and MIT}}")
    assert (report.number, report.publisher) == ("99-2", "IBM; MIT")
    assert report.extra["genre"] == "technical report"


def test_types_without_a_csl_home_are_kept() -> None:
    with pytest.warns(CitekitWarning, match="@customc is not a BibTeX or BibLaTeX"):
        (article,) = parse("@customc{k, title = {T}}")
    assert article.type == "document" and article.extra[TYPE_KEY] == "customc"
    assert "@customc{k," in citekit.dumps([article], "biblatex")
    assert one("@mvbook{k, title = {T}}").extra[TYPE_KEY] == "mvbook"
    assert TYPE_KEY not in one("@book{k, title = {T}}").extra


def test_messy_input_is_kept_with_warnings() -> None:
    text = """@Manual{R-base, title = {R: A Language}, author = {{R Core Team}}, year = 2022}
              @Manual{R-base, title = {Forecasting}, year = 2016}
              @article{易仕和，2013, title = {标题}, keywords = {a, b}, keywords = {c},
                       title = {Second title}, year = {2013}}
              @misc{title = {No key}, author = {Doe, Jane}, year = 2020}"""
    with pytest.warns(CitekitWarning) as caught:
        arts = parse(text, source="r.bib")
    messages = [str(w.message) for w in caught]
    assert [a.id for a in arts] == ["R-base", "R-basea", "易仕和，2013", "doe2020no"]
    assert arts[0].author == (Name(literal="R Core Team"),)
    assert arts[2].title == "标题" and arts[2].keywords == ("a", "b", "c")
    assert any("r.bib:2: key 'R-base' is used by an earlier entry" in m for m in messages)
    assert any("title given twice; kept the first value" in m for m in messages)
    assert any("keywords given twice; both lists kept" in m for m in messages)
    assert any("has no key; using 'doe2020no'" in m for m in messages)


def test_comments_and_other_real_world_syntax() -> None:
    arts = quiet_loads(r"""% @article{commented, title = {Out}}
      @book{a,
        title = {A}, % the title
        % note = {commented out},
        year = 2001,
      }
      @COMMENTARY{b, title = {B}}
      @article{c, title = {No comma}
        year = {2002}}
      @book{d, remark = "{with "quotes" inside}", title = {D}}""")
    assert [a.id for a in arts] == ["a", "b", "c", "d"]
    assert arts[0].issued == Date.from_parts(2001) and arts[0].note is None
    assert arts[1].extra[TYPE_KEY] == "commentary"
    assert arts[2].issued == Date.from_parts(2002)
    assert arts[3].extra["bibtex:remark"] == '{with "quotes" inside}'


def test_bad_entries_are_reported_with_lines_and_good_ones_kept() -> None:
    text = ("@article{good1, title = {One}}\n"
            "@article{bad1, title = {Unbalanced\n"
            "\n"
            "@article{good2, title = {Two}}\n"
            "@article{bad2 title = {T}}\n"
            "@article{good3, title = {Three}}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        with pytest.raises(ParseError) as info:
            parse(text, source="refs.bib")
    error = info.value
    assert [p.line for p in error.problems] == [2, 5]
    assert [a.id for a in error.articles] == ["good1", "good2", "good3"]
    assert "refs.bib:2" in str(error) and "refs.bib:5" in str(error)
    assert error.problems[0].entry == "bad1"


def test_legacy_encodings_are_decoded_with_a_warning(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.bib"
    latin.write_bytes("@book{k, title = {Müller café}, author = {Gödel, Kurt}}"
                      .encode("latin-1"))
    with pytest.warns(CitekitWarning, match="not UTF-8.*read as cp1252"):
        (article,) = citekit.load(latin)
    assert article.title == "Müller café" and article.author[0].family == "Gödel"
    gbk = tmp_path / "gbk.bib"
    gbk.write_bytes("@book{易仕和2013, title = {中国近代史研究}, author = {易仕和}}"
                    .encode("gbk"))
    with pytest.warns(CitekitWarning, match="read as gbk"):
        (article,) = citekit.load(gbk)
    assert article.id == "易仕和2013" and article.title == "中国近代史研究"
    cyrillic = tmp_path / "cp1251.bib"
    cyrillic.write_bytes("@book{k, title = {Философские работы}, author = {Витгенштейн, "
                         "Людвиг}}".encode("cp1251"))
    with pytest.warns(CitekitWarning, match="read as cp1251"):
        (article,) = citekit.load(cyrillic)
    assert article.title == "Философские работы"
    jurabib = shared_path("corpus", "bibtex", "jurabib_jbtest.bib")
    with pytest.warns(CitekitWarning, match="jurabib_jbtest.bib:118: not UTF-8"):
        arts = citekit.load(jurabib)
    assert any(a.title and "Bürgerlichen" in a.title for a in arts)


def test_dialect_is_detected_and_sniffed() -> None:
    assert sniff_format("@article{k, title={T}}").name == "bibtex"
    assert sniff_format("  \n% refs\n@Book(k, title = {T})").name == "bibtex"
    biblatex_text = "@article{k, author = {van Gennep, A.}, journaltitle = {J}}"
    assert one(biblatex_text).author[0].dropping_particle == "van"  # BibLaTeX detected
    bibtex_text = "@article{k, author = {van Gennep, A.}, journal = {J}}"
    assert one(bibtex_text).author[0].non_dropping_particle == "van"
    assert one(bibtex_text, "biblatex").author[0].dropping_particle == "van"
    marked = "@comment{jabref-meta: databaseType:biblatex;}\n" + bibtex_text
    assert one(marked).author[0].dropping_particle == "van"
    assert get_format("bibtex").keeps is None and get_format("biblatex").keeps is None


# -- writing ---------------------------------------------------------------------------


def test_writer_dialects_and_options() -> None:
    article = Article(id="k", type="article-journal", title="<i>E. coli</i> & DNA",
                      container_title="Journal", volume="3", issue="4", page="10-20",
                      names={"author": (Name(family="Müller", given="Ö."),)},
                      dates={"issued": Date.from_parts(2019, 3, 14)}, language="de")
    bibtex = citekit.dumps([article], "bibtex")
    assert "journal = {Journal}" in bibtex and "month = mar," in bibtex
    assert "title = {\\textit{E. coli} \\& DNA}" in bibtex and "pages = {10--20}" in bibtex
    assert "number = {4}" in bibtex and "language = {german}" in bibtex
    biblatex = citekit.dumps([article], "biblatex")
    assert "journaltitle = {Journal}" in biblatex and "date = {2019-03-14}" in biblatex
    assert "langid = {german}" in biblatex and "Müller" in biblatex
    ascii_text = citekit.dumps([article], "biblatex", ascii=True)
    assert ascii_text.isascii() and "M{\\\"u}ller, {\\\"O}." in ascii_text
    with pytest.raises(OptionError):
        citekit.dumps([article], "bibtex", indent=2)
    with pytest.raises(OptionError):
        parse("@misc{k}", frobnicate=True)


def test_preambles_are_kept_with_the_next_entry() -> None:
    text = r"""@preamble{ "\newcommand{\noopsort}[1]{}" }
      @string{j = {J}}
      @book{a, title = {{\noopsort{b}}A}, journal = j}
      @book{b, title = {B}}
      @preamble{{\def\x{y}}}"""
    first, second = quiet_loads(text)
    assert first.extra[PREAMBLE_KEY] == (' "\\newcommand{\\noopsort}[1]{}" ',)
    assert second.extra[PREAMBLE_KEY] == ("{\\def\\x{y}}",)  # none after: the last
    assert first.title == "A"  # {\noopsort{b}} is a sort key, printed as nothing
    written = citekit.dumps([first, second], "biblatex")
    assert written.index("@preamble{ \"\\newcommand") < written.index("@book{a,")
    assert CITEKIT_FIELD not in written
    assert quiet_loads(written) == [first, second]


def test_lossless_false_leaves_out_the_citekit_field() -> None:
    article = Article(id="m", type="map", title="Rivers")
    assert f"{CITEKIT_FIELD} = {{{{\"type\": \"map\"}}}}" in citekit.dumps([article], "bibtex")
    with pytest.warns(CitekitWarning, match="no place for type"):
        text = citekit.dumps([article], "bibtex", lossless=False)
    assert CITEKIT_FIELD not in text and "@misc{m," in text


def test_ids_that_are_not_keys_and_crossref_children() -> None:
    arts = [Article(id="Smith 2019, {x}", title="A"), Article(id="", title="Untitled"),
            Article(id="dup", title="B"), Article(id="dup", title="C")]
    text = citekit.dumps(arts, "bibtex")
    assert _keys(text) == ["Smith_2019___x_", "untitled", "dup", "dupa"]
    assert quiet_loads(text) == arts
    parent_child = quiet_loads("""@proceedings{p, title = {Proc}, year = 2000}
        @inproceedings{c, title = {Paper}, crossref = {p}}""", dialect="biblatex")
    written = citekit.dumps(parent_child, "biblatex")
    child_entry = written.split("@inproceedings{c,")[1]
    assert "booktitle" not in child_entry and "year" not in child_entry  # inherited
    assert quiet_loads(written) == parent_child


def test_cli_converts_and_exits_2_after_writing_the_good_entries(tmp_path: Path) -> None:
    source = tmp_path / "refs.bib"
    source.write_text("@article{good, title = {Good}, year = 2001}\n"
                      "@article{bad, title = {Bad\n\n"
                      "@book{good2, title = {Also good}}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "citekit", "convert", str(source),
                             "--to", "csl-json"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 2
    assert [i["id"] for i in json.loads(result.stdout)] == ["good", "good2"]
    assert f"{source}:2:" in result.stderr
    ascii_run = subprocess.run([sys.executable, "-m", "citekit", "convert", "-", "--from",
                                "bibtex", "--to", "biblatex", "-O", "ascii=true"],
                               input="@book{k, title = {Café}}", capture_output=True,
                               text=True, timeout=300)
    assert ascii_run.returncode == 0, ascii_run.stderr
    assert "title = {Caf{\\'e}}" in ascii_run.stdout


# -- the documentation -----------------------------------------------------------------


def test_the_documented_tables_are_the_code_tables() -> None:
    page = (ROOT / "docs" / "formats" / "bibtex.md").read_text(encoding="utf-8")
    start = page.index("<!-- mapping tables: generated by")
    start = page.index("\n", start) + 1
    end = page.index("<!-- end of mapping tables -->")
    assert page[start:end] == mapping_markdown(), (
        "docs/formats/bibtex.md is out of date: paste "
        "citekit.formats.bibtex.mapping_markdown() between the markers")


@given(st.lists(st.sampled_from(["Ab", "van", "de", "O'Neil", "Jean-Paul", "D.", "ÄÖ", "x",
                                 ",", " ", "-", "él", "\u00a0", "--", "{Q}", "\\'e", "~"]),
                min_size=1, max_size=6).map("".join))
def test_the_name_shortcut_agrees_with_bibtexparser(piece: str) -> None:
    """Names of the two commonest shapes skip bibtexparser's character loop; for them
    the result must be what bibtexparser's BibTeX name rules give."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    from citekit.formats.bibtex import _simple_name_parts

    simple = _simple_name_parts(piece.strip())
    if simple is not None:
        parts = parse_single_name_into_parts(piece.strip(), strict=False)
        assert (parts.first, parts.last, parts.von, parts.jr) == (*simple, [], [])
