from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given

from citekit import Article, Date, DatePart, Name, ValidationError
from citekit.model import FrozenMap, normalize_doi
from citekit.testing import articles


@pytest.mark.parametrize("raw", [
    "10.1000/xyz123",
    "https://doi.org/10.1000/xyz123",
    "http://dx.doi.org/10.1000/xyz123",
    "doi:10.1000/xyz123",
    "DOI: 10.1000/xyz123",
    " https://doi.org/10.1000%2Fxyz123 ",
    "info:doi/10.1000/xyz123",
    "urn:doi:10.1000/xyz123",
])
def test_doi_forms_normalise_to_the_bare_doi(raw: str) -> None:
    assert normalize_doi(raw) == "10.1000/xyz123"
    assert Article(id="a", doi=raw).doi == "10.1000/xyz123"


def test_doi_keeps_its_case() -> None:
    assert Article(id="a", doi="https://doi.org/10.1038/NPHYS1170").doi == "10.1038/NPHYS1170"


def test_articles_are_immutable_and_compare_by_value() -> None:
    a = Article(id="x", title="T", names={"author": [Name(family="Doe", given="J.")]},
                dates={"issued": Date.from_parts(2020, 5)}, keywords=["a", "b"],
                extra={"edition-note": ["x", {"y": 1}]})
    b = Article(id="x", title="T", names={"author": (Name(family="Doe", given="J."),)},
                dates={"issued": Date(start=DatePart(2020, 5))}, keywords=("a", "b"),
                extra={"edition-note": ("x", {"y": 1})})
    assert a == b
    assert hash(a) == hash(b)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.title = "other"  # type: ignore[misc]
    assert isinstance(a.extra["edition-note"][1], FrozenMap)
    assert a.author[0].family == "Doe"
    assert a.issued is not None and a.issued.year == 2020


def test_default_type_is_article_journal() -> None:
    assert Article(id="x").type == "article-journal"


@pytest.mark.parametrize("kwargs, field", [
    ({"type": "journal"}, "type"),
    ({"title": 12}, "title"),
    ({"names": {"writer": [Name(family="X")]}}, "names.writer"),
    ({"dates": {"published": Date.from_parts(2000)}}, "dates.published"),
    ({"extra": {"title": "x"}}, "extra"),
    ({"keywords": ["ok", 3]}, "keywords"),
])
def test_invalid_values_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Article(id="x", **kwargs)
    assert info.value.field == field


def test_empty_strings_are_absent_values() -> None:
    assert Article(id="x", title="", volume="").title is None
    assert Name(family="Doe", given="").given is None


def test_a_name_needs_a_part() -> None:
    with pytest.raises(ValidationError):
        Name()
    with pytest.raises(ValidationError):
        Name(family="X", extra={"family": "Y"})


def test_date_part_validation() -> None:
    with pytest.raises(ValidationError):
        DatePart(2020, 13 + 12)
    with pytest.raises(ValidationError):
        DatePart(2020, None, 3)
    with pytest.raises(ValidationError):
        Date()
    assert DatePart(2020, 21).month == 21  # an EDTF season


@pytest.mark.parametrize("text, start, end, circa", [
    ("1994", (1994,), None, False),
    ("2019-03", (2019, 3), None, False),
    ("2019-03-14", (2019, 3, 14), None, False),
    ("2019-03/2019-05", (2019, 3), (2019, 5), False),
    ("1994~", (1994,), None, True),
    ("1994?", (1994,), None, True),
    ("-0044-03-15", (-44, 3, 15), None, False),
    ("2019/..", (2019,), None, False),
])
def test_edtf(text: str, start: tuple, end: tuple | None, circa: bool) -> None:
    date = Date.from_edtf(text)
    assert date is not None
    assert date.start is not None and date.start.as_tuple() == start
    assert (date.end.as_tuple() if date.end else None) == end
    assert date.circa is circa


@pytest.mark.parametrize("text", ["", "spring", "2019-13-01", "2019-02-30/", "1/2/3", "20190"])
def test_not_edtf(text: str) -> None:
    assert Date.from_edtf(text) is None


def test_edtf_round_trip() -> None:
    for text in ["2019", "2019-03-14", "2019-03/2019-05", "1994~", "-0044-03-15"]:
        date = Date.from_edtf(text)
        assert date is not None and date.to_edtf() == text


def test_get_by_csl_variable() -> None:
    a = Article(id="x", container_title="J", doi="10.1/x", names={"editor": [Name(literal="O")]},
                dates={"accessed": Date.from_parts(2001)}, extra={"edition-note": "n"})
    assert a.get("container-title") == "J"
    assert a.get("DOI") == "10.1/x"
    assert a.get("editor") == (Name(literal="O"),)
    assert a.get("accessed") == Date.from_parts(2001)
    assert a.get("edition-note") == "n"
    assert a.get("keyword") is None
    assert a.get("title") is None


@given(articles())
def test_generated_articles_are_hashable_and_equal_to_a_copy(article: Article) -> None:
    copy = dataclasses.replace(article)
    assert copy == article and hash(copy) == hash(article)


def test_name_str() -> None:
    assert str(Name(family="Gogh", given="Vincent", non_dropping_particle="van")) == \
        "Vincent van Gogh"
    assert str(Name(family="King", given="Martin Luther", suffix="Jr.", comma_suffix=True)) == \
        "Martin Luther King, Jr."
    assert str(Name(literal="World Health Organization")) == "World Health Organization"


@pytest.mark.parametrize(("text", "parts"), [
    ("2019-03-14", (2019, 3, 14)),
    ("2019-03-14T09:30:00Z", (2019, 3, 14)),
    ("14 March 2019", (2019, 3, 14)),
    ("March 14th, 2019", (2019, 3, 14)),
    ("Mar. 2019", (2019, 3, None)),
    ("2019/3", (2019, 3, None)),
    ("2019/03/14", (2019, 3, 14)),
])
def test_dates_written_as_text(text: str, parts: tuple[int, int | None, int | None]) -> None:
    assert Date.from_text(text) == Date(start=DatePart(*parts))


@pytest.mark.parametrize("text", ["", "Fall 2019", "2019/13", "31 February 2019", "soon"])
def test_text_that_is_no_date(text: str) -> None:
    assert Date.from_text(text) is None


def test_the_checked_path_checks_what_readers_cannot_know() -> None:
    made = Article._from_checked({"id": "a", "type": "book", "title": "T",
                                  "doi": "https://doi.org/10.1000/X"})
    assert made == Article(id="a", type="book", title="T", doi="10.1000/X")
    assert vars(made) == vars(Article(id="a", type="book", title="T", doi="10.1000/X"))
    with pytest.raises(ValidationError):
        Article._from_checked({"type": "no-such-type"})
    with pytest.raises(ValidationError):
        Article._from_checked({"extra": FrozenMap({"title": "T"})})
