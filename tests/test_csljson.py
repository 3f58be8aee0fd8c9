from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import citekit
from citekit import Article, CitekitWarning, Date, DatePart, Name, ParseError
from citekit.formats.csljson import dump, dump_iter, from_csl, parse, to_csl
from citekit.testing import articles

from .conftest import shared_path

# Files in the corpus that are not valid CSL at all (BAD-INPUT in SOURCES.md).
UNREADABLE = {"manubot_empty-csl_raw.json"}


def _schema_validator():  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_path("csl-schema", "csl-data.json").read_text())
    return jsonschema.Draft7Validator(schema)


def _quiet_load(path: Path) -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        return citekit.load(path)


@given(articles())
def test_round_trip_is_identity(article: Article) -> None:
    text = citekit.dumps([article], "csl-json")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CitekitWarning)  # our own output bends nothing
        assert citekit.loads(text, "csl-json") == [article]


@given(articles())
def test_output_is_schema_valid(article: Article) -> None:
    validator = _schema_validator()
    document = json.loads(citekit.dumps([article], "csl-json"))
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0].message


def corpus_files() -> list[Path]:
    folder = shared_path("corpus", "csl-json")
    return sorted(folder.glob("*.json"))


def test_corpus_round_trips_and_validates() -> None:
    validator = _schema_validator()
    checked = 0
    for path in corpus_files():
        if path.name in UNREADABLE:
            continue
        first = _quiet_load(path)
        assert first, path.name
        document = json.loads(citekit.dumps(first, "csl-json"))
        errors = list(validator.iter_errors(document))
        assert not errors, f"{path.name}: {errors[0].message}"
        assert citekit.loads(json.dumps(document), "csl-json") == first, path.name
        checked += 1
    assert checked >= 40


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_corpus_files_raise_parse_error(name: str) -> None:
    path = shared_path("corpus", "csl-json", name)
    with pytest.raises(ParseError) as info:
        citekit.load(path)
    assert info.value.source == str(path)
    assert info.value.line == 2
    assert "empty" in str(info.value)


def test_biblatex_examples_load_with_names_and_dates() -> None:
    arts = _quiet_load(shared_path("corpus", "csl-json", "biblatex-examples.citation-js.json"))
    assert len(arts) == 92
    aksin = next(a for a in arts if a.id == "aksin")
    assert aksin.author[0] == Name(family="Aksın", given="Özge")
    assert aksin.issued == Date(start=DatePart(2006))
    assert aksin.volume == "691"


def test_crossref_extras_are_kept_with_a_warning() -> None:
    path = shared_path("corpus", "csl-json", "manubot_crossref-winter-scabs-csl_raw.json")
    with pytest.warns(CitekitWarning, match="reference-count"):
        (article,) = citekit.load(path)
    assert article.extra["reference-count"] == 0
    assert article.extra["csl-json:license"][0]["URL"] == "http://www.springer.com/tdm"
    assert article.author[0].extra["sequence"] == "first"
    again = citekit.loads(citekit.dumps([article], "csl-json"))
    assert again == [article]


def test_pandoc_empty_type_is_kept_as_document() -> None:
    with pytest.warns(CitekitWarning, match="not a CSL item type"):
        (a,) = parse('[{"id": "x", "type": "", "title": "T"}]')
    assert a.type == "document"
    assert a.extra["csl-json:type"] == ""


def test_missing_type_defaults_with_a_warning() -> None:
    with pytest.warns(CitekitWarning, match="no type"):
        (a,) = parse('{"id": "x", "title": "T"}')
    assert a.type == "article-journal"


def test_type_spelling_variants() -> None:
    (a,) = parse('[{"id": "x", "type": "legal-case"}]')
    assert a.type == "legal_case"


def test_numbers_and_strings_are_bent_not_rejected() -> None:
    with pytest.warns(CitekitWarning):
        (a,) = parse('[{"id": 7, "type": "book", "volume": 3, "title": 42, '
                     '"issued": {"date-parts": [["2013", "1", 1]]}}]')
    assert a.id == "7" and a.volume == "3" and a.title == "42"
    assert a.issued == Date.from_parts(2013, 1, 1)


@pytest.mark.parametrize("value, expected", [
    ({"date-parts": [[2019, 3], [2019, 5]]}, Date(start=DatePart(2019, 3), end=DatePart(2019, 5))),
    ({"raw": "2019-03/2019-05"},
     Date(start=DatePart(2019, 3), end=DatePart(2019, 5), raw="2019-03/2019-05")),
    ({"raw": "1994~"}, Date(start=DatePart(1994), circa=True, raw="1994~")),
    ({"literal": "Spring 1997 (est.)"}, Date(literal="Spring 1997 (est.)")),
    ({"date-parts": [[1997]], "season": "2"}, Date(start=DatePart(1997), season=2)),
    ({"date-parts": [[1997]], "circa": 1}, Date(start=DatePart(1997), circa=True)),
    ({"raw": "March 14, 2019"}, Date(start=DatePart(2019, 3, 14), raw="March 14, 2019")),
    ({"raw": "sometime"}, Date(raw="sometime")),
])
def test_date_forms(value: dict, expected: Date) -> None:
    (a,) = parse(json.dumps([{"id": "x", "type": "book", "issued": value}]))
    assert a.issued == expected


def test_edtf_string_dates_are_read() -> None:
    with pytest.warns(CitekitWarning, match="date given as a string"):
        (a,) = parse('[{"id": "x", "type": "book", "issued": "2019-03/2019-05"}]')
    assert a.issued == Date(start=DatePart(2019, 3), end=DatePart(2019, 5), raw="2019-03/2019-05")


def test_broken_dates_warn_and_keep_what_is_usable() -> None:
    with pytest.warns(CitekitWarning, match="only year, month and day"):
        (a,) = citekit.load(shared_path("corpus", "csl-json",
                                        "manubot_excess-date-parts-csl_raw.json"))
    assert a.issued == Date.from_parts(2018, 10, 21)
    with pytest.warns(CitekitWarning, match="no usable date-parts"):
        (b,) = citekit.load(shared_path("corpus", "csl-json",
                                        "manubot_null-date-parts-csl_raw.json"))
    assert b.issued is None


def test_keywords_and_license() -> None:
    a = Article(id="x", keywords=("therapy, brief", "self"), license="CC-BY-4.0")
    item = to_csl(a)
    assert item["keyword"] == "therapy, brief, self"
    assert item["custom"]["keywords"] == ["therapy, brief", "self"]
    assert item["custom"]["license"] == "CC-BY-4.0"
    assert from_csl(item) == a
    (b,) = parse('[{"id": "y", "type": "book", "keyword": "one; two"}]')
    assert b.keywords == ("one", "two")


def test_rejected_items_are_listed_and_good_ones_kept() -> None:
    text = '[\n  {"id": "ok", "type": "book"},\n  {},\n  "nonsense",\n  {"id": "ok2"}\n]'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        with pytest.raises(ParseError) as info:
            parse(text, source="refs.json")
    error = info.value
    assert [p.line for p in error.problems] == [3, 4]
    assert [a.id for a in error.articles] == ["ok", "ok2"]
    assert "refs.json:3" in str(error) and "refs.json:4" in str(error)


def test_invalid_json_reports_line_and_column() -> None:
    with pytest.raises(ParseError) as info:
        parse('[\n  {"id": "a",\n   "title": }\n]', source="bad.json")
    assert (info.value.line, info.value.column) == (3, 13)
    assert str(info.value).startswith("bad.json:3:13: not valid JSON")


def test_not_utf8_names_the_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"id": "a", "title": "Caf\xe9"}]'.encode("latin-1"))
    with pytest.raises(ParseError, match="not UTF-8") as info:
        citekit.load(path)
    assert info.value.line == 1 and info.value.column == 27


def test_name_flags_and_particles_survive() -> None:
    item = {"id": "x", "type": "book", "author": [
        {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr.", "comma-suffix": "true"},
        {"literal": "World Health Organization"},
        {"family": "毛", "given": "泽东", "static-ordering": True},
    ]}
    a = from_csl(item)
    assert a.author[1].comma_suffix is True
    assert a.author[3].static_ordering is True
    assert from_csl(to_csl(a)) == a


def test_string_name_is_read_as_literal() -> None:
    with pytest.warns(CitekitWarning, match="literal"):
        a = from_csl({"id": "x", "type": "book", "author": "Plato"})
    assert a.author == (Name(literal="Plato"),)


def test_sniffed_without_a_format_name(tmp_path: Path) -> None:
    path = tmp_path / "refs.txt"
    path.write_text('[{"id": "a", "type": "book", "title": "T"}]')
    assert citekit.load(path)[0].title == "T"


def test_dump_to_a_path(tmp_path: Path) -> None:
    a = Article(id="a", title="T")
    citekit.dump([a], tmp_path / "out.json")
    assert citekit.load(tmp_path / "out.json") == [a]


def test_dump_indents_exactly_as_json_does() -> None:
    """dump() indents with its own writer (json's is slow); the text is json's."""
    from citekit.formats.csljson import to_csl

    for path in corpus_files():
        if path.name in UNREADABLE:
            continue
        records = _quiet_load(path)
        items = [to_csl(a) for a in records]
        expected = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
        assert citekit.dumps(records, "csl-json") == expected, path.name
        # the streaming writer (citekit convert's) writes the same text
        assert "".join(dump_iter(records)) == expected, path.name


@given(st.lists(articles(), max_size=3), st.sampled_from([None, 0, 1, 2, 4]))
def test_both_writers_write_what_json_writes(records: list[Article], indent: int | None) -> None:
    expected = json.dumps([to_csl(a) for a in records], ensure_ascii=False,
                          indent=indent) + "\n"
    assert dump(records, indent=indent) == expected
    assert "".join(dump_iter(records, indent=indent)) == expected


def test_a_dates_own_text_beside_its_parts_goes_to_custom() -> None:
    """citeproc-js reads "raw" before "date-parts", so a date with parts is written
    with parts only and its source text kept in custom.raw-dates."""
    article = Article(id="h", title="T", dates={
        "issued": Date(start=DatePart(1987), raw="1987/"),
        "accessed": Date(raw="sometime in spring"),
    })
    item = to_csl(article)
    assert item["issued"] == {"date-parts": [[1987]]}
    assert item["accessed"] == {"raw": "sometime in spring"}
    assert item["custom"]["raw-dates"] == {"issued": "1987/"}
    assert from_csl(item) == article
    # a raw beside parts in someone else's file is read, and written the same way
    (read,) = parse(json.dumps([{"id": "x", "type": "book",
                                  "issued": {"date-parts": [[2000]], "raw": "2000?"}}]))
    assert read.issued == Date(start=DatePart(2000), raw="2000?")
    assert to_csl(read)["issued"] == {"date-parts": [[2000]]}
