"""Citations in a document: the Document API, cite positions, disambiguation,
grouping and collapsing, locators.

Expected values come from the CSL 1.0.2 specification (its examples are quoted
where used) and from the reference processor's behaviour as the CSL test suite
records it (fixture names are given); the whole suite also runs through
Document in tests/test_csl_suite.py.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import citekit
from citekit import Article, Date, Document, Name, RenderError
from citekit.csl.positions import (
    FIRST,
    IBID,
    IBID_WITH_LOCATOR,
    SUBSEQUENT,
    Placed,
    assign_positions,
    position_code,
)


def style(layout: str, *, citation_attrs: str = "", cls: str = "in-text",
          bibliography: str = "", sort: str = "") -> str:
    """A minimal CSL style with ``layout`` as the citation layout."""
    bib = f"<bibliography>{bibliography}</bibliography>" if bibliography else ""
    return (f'<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0">'
            f"<info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated>"
            f"</info><citation {citation_attrs}>{sort}{layout}</citation>{bib}</style>")


def book(key: str, *families: str, year: int = 2000, title: str = "T",
         givens: tuple[str, ...] = ()) -> Article:
    names = [Name(family=f, given=givens[i] if i < len(givens) else "John")
             for i, f in enumerate(families)]
    return Article(id=key, type="book", title=title, names={"author": names},
                   dates={"issued": Date.from_parts(year)})


AUTHOR_YEAR = ('<group delimiter=" "><names variable="author"><name form="short" '
               'and="symbol"/></names><date variable="issued"><date-part name="year"/>'
               "</date></group>")

# -- positions (positions.py): CSL 1.0.2 "position" --------------------------------------

POSITIONS = style(
    '<layout><choose><if position="ibid-with-locator"><text value="ibid-with-locator"/></if>'
    '<else-if position="ibid"><text value="ibid"/></else-if>'
    '<else-if position="near-note"><text value="near"/></else-if>'
    '<else-if position="subsequent"><text value="subsequent"/></else-if>'
    '<else><text value="first"/></else></choose>'
    '<text variable="first-reference-note-number" prefix=" n"/>'
    '<text variable="locator" prefix=" @"/></layout>', cls="note")


def test_positions_across_footnotes() -> None:
    doc = Document([book("a", "Doe"), book("b", "Roe")], POSITIONS)
    assert doc.cite("a", note=1) == "first"
    assert doc.cite("a", note=2) == "ibid n1"
    assert doc.cite("a", locator="5", note=3) == "ibid-with-locator n1 @5"
    assert doc.cite("a", locator="5", note=4) == "ibid n1 @5"
    # after a cite with a locator, one without is not "ibid" (spec: ibid)
    assert doc.cite("a", note=5) == "near n1"
    assert doc.cite("b", note=6) == "first"
    assert doc.cite("a", note=20) == "subsequent n1"   # beyond near-note-distance (5)


def test_ibid_needs_the_previous_citation_to_cite_the_item_alone() -> None:
    doc = Document([book("a", "Doe"), book("b", "Roe")], POSITIONS)
    assert doc.cite(["a", "b"], note=1) == "firstfirst"
    assert doc.cite("b", note=2) == "near n1"
    # within one citation, the cite right before counts
    assert doc.cite(["a", {"id": "a", "locator": "3"}], note=3) == "near n1ibid-with-locator n1 @3"


def test_text_and_note_citations_are_counted_apart() -> None:
    doc = Document([book("a", "Doe")], POSITIONS)
    assert doc.cite("a", note=0) == "first"
    assert doc.cite("a", note=1) == "first"
    assert doc.cite("a", note=2) == "ibid n1"


def test_note_styles_number_their_footnotes_by_default() -> None:
    doc = Document([book("a", "Doe")], POSITIONS)
    assert [doc.cite("a"), doc.cite("a")] == ["first", "ibid n1"]
    assert [p[0]["note"] for p in doc.positions()] == [1, 2]
    assert [p[0]["position"] for p in doc.positions()] == ["first", "ibid"]
    assert doc.citations() == ["first", "ibid n1"]


def test_cluster_renders_outside_the_document() -> None:  # makeCitationCluster
    doc = Document([book("a", "Doe")], POSITIONS)
    doc.cite("a", note=1)
    assert doc.cluster("a") == "first"
    assert doc.cluster({"id": "a", "position": "ibid"}) == "ibid"
    assert doc.cluster({"id": "a", "position": 3, "locator": "4"}) == "ibid-with-locator @4"
    assert doc.positions() == [[{"id": "a", "position": "first", "near-note": False,
                                 "note": 1}]]


def test_position_codes() -> None:
    assert [position_code(v) for v in ("first", "subsequent", "ibid", "ibid-with-locator")] \
        == [FIRST, SUBSEQUENT, IBID, IBID_WITH_LOCATOR]
    assert [position_code(v) for v in (0, 1, 2, 3, "3")] \
        == [FIRST, SUBSEQUENT, IBID, IBID_WITH_LOCATOR, IBID_WITH_LOCATOR]
    assert position_code("elsewhere") is None


@st.composite
def documents(draw: st.DrawFn) -> list[Placed]:
    count = draw(st.integers(1, 12))
    note = 0
    citations = []
    for _ in range(count):
        if draw(st.booleans()):
            note += draw(st.integers(0, 7))
        ids = draw(st.lists(st.sampled_from("abc"), min_size=1, max_size=3))
        cites = [{"id": i, **({"locator": draw(st.sampled_from("12"))}
                              if draw(st.booleans()) else {})} for i in ids]
        citations.append(Placed(cites, note if draw(st.integers(0, 4)) else 0))
    return citations


@given(documents())
def test_position_invariants(citations: list[Placed]) -> None:
    assign_positions(citations, 5)
    for stream in ([c for c in citations if not c.note], [c for c in citations if c.note]):
        seen: dict[str, int] = {}
        previous_id = None
        for citation in stream:
            for cite in citation.cites:
                key, position = cite["id"], cite["position"]
                assert (position == FIRST) == (key not in seen)
                if position in (IBID, IBID_WITH_LOCATOR):
                    assert previous_id == key
                if cite.get("near-note"):
                    assert citation.note and position != FIRST
                if position != FIRST and seen[key] != citation.note:
                    assert cite["first-reference-note-number"] == seen[key]
                else:
                    assert "first-reference-note-number" not in cite
                seen.setdefault(key, citation.note)
                previous_id = key


# -- disambiguation (disambiguation.py): CSL 1.0.2 "Disambiguation" -----------------------

def test_year_suffix_in_citations_and_bibliography() -> None:
    # spec: "Doe 2007, Doe 2007" becomes "Doe 2007a, Doe 2007b"
    items = [book("x", "Doe", year=2007, title="B"), book("y", "Doe", year=2007, title="A")]
    csl = style(f'<layout delimiter=", ">{AUTHOR_YEAR}</layout>',
                citation_attrs='disambiguate-add-year-suffix="true"',
                bibliography='<sort><key variable="title"/></sort><layout>'
                             '<text variable="title" suffix=" "/><date variable="issued">'
                             '<date-part name="year"/></date></layout>')
    doc = Document(items, csl)
    # suffixes follow the bibliography (sorted by title): "A" is y
    assert doc.cite(["x", "y"]) == "Doe 2007b, Doe 2007a"
    assert doc.bibliography() == ["A 2007a", "B 2007b"]


def test_added_names_and_given_names() -> None:
    # spec, disambiguate-add-names: names hidden by et-al are shown;
    # disambiguate-add-givenname: "(Doe 2007, Doe 2007)" becomes "(J. Doe 2007, T. Doe 2007)"
    items = [book("a", "Doe", "Roe", "Poe"), book("b", "Doe", "Moe", "Poe"),
             book("c", "Smith", givens=("John",)), book("d", "Smith", givens=("Tom",))]
    csl = style('<layout delimiter="; "><group delimiter=" "><names variable="author">'
                '<name form="short" initialize-with=". " and="symbol"/></names>'
                '<date variable="issued"><date-part name="year"/></date></group></layout>',
                citation_attrs='et-al-min="3" et-al-use-first="1" '
                               'disambiguate-add-names="true" disambiguate-add-givenname="true"')
    doc = Document(items, csl)
    assert doc.cite(["a", "b"]) == "Doe, Roe, et al. 2000; Doe, Moe, et al. 2000"
    assert doc.cite(["c", "d"]) == "J. Smith 2000; T. Smith 2000"


def test_disambiguate_condition() -> None:  # as MLA shows a title for same-author works
    items = [book("a", "Doe", title="One"), book("b", "Doe", title="Two"),
             book("c", "Roe", title="Three")]
    csl = style('<layout delimiter="; "><names variable="author"><name form="short"/>'
                '</names><choose><if disambiguate="true"><text variable="title" '
                'prefix=", "/></if></choose></layout>')
    assert Document(items, csl).cite(["a", "b", "c"]) == "Doe, One; Doe, Two; Roe"


def test_all_names_rule_expands_names_across_the_document() -> None:
    # disambiguate_AllNamesGenerally: a name is expanded wherever it is ambiguous
    items = [book("a", "Asthma", "Bronchitis", givens=("Albert", "Bosworth"), year=1980),
             book("b", "Asthma", "Bronchitis", givens=("Albert", "Beauregarde"), year=1995)]
    csl = style(f'<layout delimiter="; ">{AUTHOR_YEAR}</layout>'.replace(
        'and="symbol"/>', 'and="text" initialize-with=". "/>'),
        citation_attrs='disambiguate-add-givenname="true" '
                       'givenname-disambiguation-rule="all-names"')
    assert Document(items, csl).cite(["a", "b"]) \
        == "Asthma and Bosworth Bronchitis 1980; Asthma and Beauregarde Bronchitis 1995"


# -- grouping and collapsing (cluster.py): CSL 1.0.2 "Cite Grouping", "Cite Collapsing" ---

NUMERIC = style('<sort><key variable="citation-number"/></sort>'
                '<layout delimiter=", " prefix="[" suffix="]">'
                '<text variable="citation-number"/></layout>',
                citation_attrs='collapse="citation-number"')


def test_citation_number_ranges() -> None:
    # spec: "[1, 2, 3, 5]" becomes "[1–3, 5]"
    doc = Document([book(str(i), "Doe") for i in range(1, 6)], NUMERIC)
    assert doc.cite(["3", "1", "2", "5"]) == "[1–3, 5]"
    assert doc.cite(["1", "2"]) == "[1, 2]"


@given(st.sets(st.integers(1, 12), min_size=1))
def test_citation_number_ranges_cover_the_cited_numbers(numbers: set[int]) -> None:
    doc = Document([book(str(i), "Doe") for i in range(1, 13)], NUMERIC)
    text = doc.cite([str(n) for n in sorted(numbers, reverse=True)])
    shown: list[int] = []
    for part in text.strip("[]").split(", "):
        first, _, last = part.partition("\u2013")
        start, end = int(first), int(last or first)
        assert end == start or end - start >= 2
        shown.extend(range(start, end + 1))
    assert shown == sorted(numbers)


def year_collapse(collapse: str, extra: str = "") -> str:
    return style(f'<sort><key macro="x"/></sort><layout delimiter="; " prefix="(" suffix=")">'
                 f"{AUTHOR_YEAR}</layout>",
                 citation_attrs=f'collapse="{collapse}" disambiguate-add-year-suffix="true" '
                                f"{extra}").replace(
        "<citation", '<macro name="x"><names variable="author"/></macro><citation')


def test_year_collapse() -> None:
    # spec: "(Doe 2000, Doe 2001)" becomes "(Doe 2000, 2001)"
    items = [book("a", "Doe", year=2000), book("b", "Doe", year=2001), book("c", "Roe")]
    assert Document(items, year_collapse("year")).cite(["a", "c", "b"]) \
        == "(Doe 2000, 2001; Roe 2000)"


def test_year_suffix_collapse() -> None:
    # spec: "(Doe 2000a, Doe 2000b)" becomes "(Doe 2000a, b)"
    items = [book(k, "Doe", title=k) for k in "abcde"]
    doc = Document(items, year_collapse("year-suffix", 'year-suffix-delimiter=", "'))
    assert doc.cite(["a", "b"]) == "(Doe 2000a, b)"
    # year-suffix-ranged: "(Doe 2000a, b, c, e)" becomes "(Doe 2000a–c, e)"
    doc = Document(items, year_collapse("year-suffix-ranged", 'year-suffix-delimiter=", "'))
    assert doc.cite(["a", "b", "c", "e"]) == "(Doe 2000a\u2013c, e)"


def test_cite_grouping_keeps_same_names_together() -> None:
    # spec: "(Doe 1999; Smith 2002; Doe 2006)" becomes "(Doe 1999; Doe 2006; Smith 2002)"
    items = [book("a", "Doe", year=1999), book("b", "Smith", year=2002),
             book("c", "Doe", year=2006)]
    csl = style(f'<layout delimiter="; " prefix="(" suffix=")">{AUTHOR_YEAR}</layout>',
                citation_attrs='cite-group-delimiter="; "')
    assert Document(items, csl).cite(["a", "b", "c"]) == "(Doe 1999; Doe 2006; Smith 2002)"


# -- locators, labels, et-al-subsequent ---------------------------------------------------

def test_locator_labels_and_plurals() -> None:
    csl = style('<layout><group delimiter=" "><label variable="locator" form="short"/>'
                '<text variable="locator"/></group></layout>')
    doc = Document([book("a", "Doe")], csl)
    assert doc.cite("a", locator="3") == "p. 3"
    assert doc.cite("a", locator="3-5") == "pp. 3\u20135"  # ranges take an en dash
    assert doc.cite("a", locator="2", label="chapter") == "chap. 2"
    assert doc.cite("a", locator="4", label="figure") == "fig. 4"


def test_et_al_subsequent() -> None:
    items = [book("a", "Doe", "Roe", "Poe")]
    csl = style('<layout><names variable="author"><name form="short" and="text"/></names>'
                "</layout>", citation_attrs='et-al-min="3" et-al-use-first="3" '
                'et-al-subsequent-min="3" et-al-subsequent-use-first="1"')
    doc = Document(items, csl)
    assert [doc.cite("a"), doc.cite("a")] == ["Doe, Roe, and Poe", "Doe et al."]


# -- the Document API ---------------------------------------------------------------------

ITEMS = [book("doe", "Doe", "Roe", year=2019), book("ang", "Angenendt", year=2002)]


def test_affixes_and_author_flags_in_apa() -> None:
    doc = Document(ITEMS, "apa")
    assert doc.cite("doe", locator="12") == "(Doe & Roe, 2019, p. 12)"
    assert doc.cite("doe", suppress_author=True) == "(2019)"
    assert doc.cite("doe", author_only=True) == "Doe & Roe"
    assert doc.cite([{"id": "doe", "prefix": "see"}, {"id": "ang", "suffix": ", ch. 2"}]) \
        == "(Angenendt, 2002, ch. 2; see Doe & Roe, 2019)"


def test_one_shot_shorthands_are_documents() -> None:
    assert citekit.citation(ITEMS, "apa") == Document(ITEMS, "apa").cite(["doe", "ang"])
    assert citekit.bibliography(ITEMS, "apa") == Document(ITEMS, "apa").bibliography()


def test_output_formats() -> None:
    doc = Document(ITEMS, "nature")
    assert doc.cite(["doe", "ang"], to="html") == "<sup>1,2</sup>"


@pytest.mark.parametrize(("call", "message"), [
    (lambda d: d.cite("nobody"), "no item with id 'nobody'"),
    (lambda d: d.cite([]), "at least one item"),
    (lambda d: d.cite(["doe", "ang"], locator="3"), "single item"),
    (lambda d: d.cite({"locator": "3"}), "needs an 'id'"),
    (lambda d: d.cite("doe", note=-1), "footnote number"),
])
def test_bad_citations_say_what_is_wrong(call: object, message: str) -> None:
    doc = Document(ITEMS, "apa")
    with pytest.raises(RenderError, match=re.escape(message)):
        call(doc)  # type: ignore[operator]


def test_records_without_ids_are_listed_and_repeated_ids_reported() -> None:
    records = [Article(title="A"), Article(id="item-1", title="B"), Article(id="x", title="C"),
               Article(id="x", title="D")]
    with pytest.warns(citekit.CitekitWarning, match="'x' is given to more than one record"):
        doc = Document(records, "apa")
    assert doc.bibliography_ids() == ["item-1'", "item-1", "x"]
    assert len(doc.bibliography()) == 3
