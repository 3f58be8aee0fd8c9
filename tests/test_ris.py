"""RIS: the real exports of ../shared/corpus/ris, vendor quirks, the mapping table, and
the round trips (RIS -> CSL-JSON -> RIS, and Article -> RIS -> Article)."""

from __future__ import annotations

import re
import string
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citekit
from citekit import Article, CitekitWarning, Date, DatePart, Name, ParseError
from citekit.formats import get_format, ris
from citekit.testing import articles, texts

from .conftest import ROOT, shared_path

# Records per corpus file (the TY lines SOURCES.md counts).
CORPUS_COUNTS = {
    "manubot_bibliography.ris": 2,
    "zotero-translators_RIS_case01.ris": 1,
    "zotero-translators_RIS_case02.ris": 1,
    "zotero-translators_RIS_case03.ris": 48,
    "zotero-translators_RIS_case04.ris": 1,
    "zotero-translators_RIS_case05.ris": 39,
    "zotero-translators_RIS_case06.ris": 1,
    "zotero-translators_RIS_case07.ris": 1,
    "zotero-translators_RIS_case08.ris": 1,
    "zotero-translators_RIS_case09.ris": 1,
    "zotero-translators_RIS_case10.ris": 2,
    "zotero-translators_RIS_case11.ris": 1,
    "zotero-translators_RIS_case12.ris": 1,
    "zotero_book_and_child_note.ris": 1,
}


def quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        return fn(*args, **kwargs)


def corpus(name: str) -> Path:
    return shared_path("corpus", "ris", name)


def one(text: str) -> Article:
    (article,) = quiet(citekit.loads, text, "ris")
    return article


# -- the corpus -------------------------------------------------------------------------


def test_every_corpus_file_is_counted() -> None:
    folder = shared_path("corpus", "ris")
    assert sorted(p.name for p in folder.glob("*.ris")) == sorted(CORPUS_COUNTS)


@pytest.mark.parametrize("name", sorted(CORPUS_COUNTS))
def test_corpus_file_loads_every_record(name: str) -> None:
    records = quiet(citekit.load, corpus(name))
    assert len(records) == CORPUS_COUNTS[name]
    assert len({a.id for a in records}) == len(records)


@pytest.mark.parametrize("name", sorted(CORPUS_COUNTS))
def test_ris_to_csljson_to_ris_keeps_everything(name: str) -> None:
    """Every record survives RIS -> CSL-JSON -> RIS unchanged, and every tag of the
    input is in the output (or the tag the specification now uses for it)."""
    path = corpus(name)
    first = quiet(citekit.load, path)
    via_json = citekit.loads(citekit.dumps(first, "csl-json"), "csl-json")
    assert via_json == first
    written = quiet(citekit.dumps, via_json, "ris")
    assert quiet(citekit.loads, written, "ris") == first
    source, _ = ris._records(path.read_text(encoding="utf-8-sig"), None)
    output, _ = ris._records(written, None)
    assert len(source) == len(output)
    for (_, ty, entries), (_, ty_out, entries_out) in zip(source, output, strict=True):
        assert ty.strip() == ty_out.strip() or not ty.strip()
        out_tags = {e.tag for e in entries_out}
        for entry in entries:
            if entry.tag in out_tags:
                continue
            variable = ris._reading(entry.tag, ty.strip().upper())
            if entry.tag == "M3" and ris._doi_in(entry.value):
                variable = "DOI"
            synonym = ris._writing(variable, ty_out.strip().upper()) if variable else None
            assert synonym in out_tags or (entry.tag == "EP" and "SP" in out_tags), (
                f"{name}:{entry.line}: {entry.tag} is not in the output")


def test_case04_endnote_quirks_are_read_with_a_warning() -> None:
    """The deliberately broken file: one space before the dash, untagged
    continuation lines, 'ER -' at the end of the file without a newline."""
    with pytest.warns(CitekitWarning, match="one space before the dash"):
        (a,) = citekit.load(corpus("zotero-translators_RIS_case04.ris"))
    assert a.title and a.title.startswith("Rapid identification of thousands")
    assert a.container_title == "Molecular Ecology Resources"
    assert len(a.author) == 7 and a.author[3] == Name(family="KONING", given="A. P. JASON",
                                                     dropping_particle="de")
    attachments = a.extra["ris:L1"]
    assert attachments.splitlines()[1] == "internal-pdf://sm001-1634838528/sm001.pdf"
    assert len(attachments.splitlines()) == 4


def test_continuation_line_joins_the_title() -> None:
    a = quiet(citekit.load, corpus("zotero-translators_RIS_case01.ris"))[0]
    # Zotero's expected import of this test case
    assert a.title == "Blood-brain barrier breach following cortical contusion in the rat"
    assert a.page == "476-481"
    assert a.container_title == "J.Neurosurg."
    assert a.issued == Date(start=DatePart(1996))
    assert a.keywords == ("cortical contusion", "blood-brain barrier", "horseradish peroxidase",
                          "head trauma", "hippocampus", "rat")
    assert a.extra["ris:RP"] == "Not In File"


def test_deprecated_y1_loses_to_da_and_is_kept() -> None:
    a = quiet(citekit.load, corpus("zotero-translators_RIS_case08.ris"))[0]
    assert a.issued == Date(start=DatePart(1950, 1, 1))
    assert a.extra["ris:Y1"] == "1900/01/01"


def test_mixed_author_tags_keep_their_order() -> None:
    a = quiet(citekit.load, corpus("zotero-translators_RIS_case09.ris"))[0]
    assert [n.family for n in a.author] == ["Georgiev", "Bello", "Carmi", "Cohen"]


def test_scopus_export_crlf_and_unknown_year() -> None:
    first, second = quiet(citekit.load, corpus("zotero-translators_RIS_case10.ris"))
    assert first.doi == "10.1016/S0027-9684(15)31340-7"
    assert first.note == "Cited By :10\n\nExport Date: 13 July 2022"
    assert first.issued == Date(start=DatePart(2008))
    assert second.issued is None and second.extra["ris:PY"] == "0000"


def test_atypon_line_separator_becomes_a_space() -> None:
    a = quiet(citekit.load, corpus("zotero-translators_RIS_case06.ris"))[0]
    assert "Communication: Potential" in (a.title or "")
    assert a.container_title == "Augmentative and Alternative Communication"
    assert a.container_title_short == "Augment Altern Commun"
    assert a.issued == Date(start=DatePart(2014, 6, 1))
    assert a.accessed == Date(start=DatePart(2014, 12, 17))
    assert "ris:M3" not in a.extra  # the M3 DOI is the DO DOI
    assert "ris:JF" not in a.extra  # the same journal name as T2


def test_book_series_isbn_and_citavi_tags() -> None:
    a = quiet(citekit.load, corpus("zotero-translators_RIS_case07.ris"))[0]
    assert a.type == "book"
    assert a.isbn == "9783642002304" and a.issn is None
    assert a.collection_title == "Bibliothek des Eigentums"
    assert a.extra["ris:H1"] == ("UB Mannheim", "UB Leipzig")


def test_endnote_reference_type_template() -> None:
    """case03 is EndNote's export of one record per reference type, each field
    holding its own label: the labels show which variable each tag feeds."""
    records = {a.extra.get("ris:TY", ris.CSL_TO_RIS.get(a.type)): a
               for a in quiet(citekit.load, corpus("zotero-translators_RIS_case03.ris"))}
    book = records["BOOK"]
    assert book.collection_title == "Series Title"
    assert [str(n) for n in book.editor] == ["Editor"]
    assert book.names["collection-editor"] == (Name(family="Editor", given="Series"),)
    chapter = records["CHAP"]
    assert chapter.container_title == "Book Title"
    assert chapter.collection_title == "Series Title"
    assert records["EDBOOK"].editor and not records["EDBOOK"].author
    assert records["THES"].extra["genre"] == "Thesis Type"
    assert records["PCOMM"].names["recipient"] == (Name(literal="Recipient"),)
    assert records["JOUR"].container_title == "Journal"


def test_ris_type_variants_are_written_back() -> None:
    records = quiet(citekit.load, corpus("zotero-translators_RIS_case03.ris"))
    text = quiet(citekit.dumps, records, "ris")
    source = corpus("zotero-translators_RIS_case03.ris").read_text()
    assert re.findall(r"^TY  - (\S+)", text, re.M) == re.findall(r"^TY  - (\S+)", source,
                                                                  re.M)


# -- what real exporters write -----------------------------------------------------------------

WEB_OF_SCIENCE = (
    "\ufeffTY  - JOUR\r\n"
    "AU  - Nakamura, K\r\nAU  - Okafor, C. E.\r\n"
    "TI  - Grain boundary diffusion in\r\n   sintered ceramics\r\n"
    "T2  - JOURNAL OF MATERIALS RESEARCH\r\nM3  - Article\r\n"
    "SN  - 0884-2914\r\nSN  - 2044-5326\r\nJ9  - J MATER RES\r\nJI  - J. Mater. Res.\r\n"
    "DA  - JAN 15\r\nPY  - 2020\r\nVL  - 35\r\nIS  - 2\r\nSP  - 120\r\nEP  - 131\r\n"
    "DO  - 10.1557/jmr.2019.400\r\nAN  - WOS:000512345600001\r\nER  -\r\n\r\n"
)


def test_web_of_science_export() -> None:
    a = one(WEB_OF_SCIENCE)
    assert a.title == "Grain boundary diffusion in sintered ceramics"
    assert a.issued == Date(start=DatePart(2020, 1, 15))  # DA's month and day, PY's year
    assert a.issn == "0884-2914, 2044-5326"
    assert a.extra["genre"] == "Article"
    assert a.extra["ris:J9"] == "J MATER RES" and a.extra["ris:JI"] == "J. Mater. Res."
    assert a.extra["archive_location"] == "WOS:000512345600001"
    assert a.page == "120-131"
    written = citekit.dumps([a], "ris")
    assert written.count("SN  - ") == 2 and "J9  - J MATER RES" in written
    assert one(written) == a


PUBMED_VIA_ZOTERO = (
    "TY  - JOUR\r\nTI  - Eye tracking in augmentative communication\r\n"
    "AU  - Light, Janice\r\nAU  - McNaughton, David\r\n"
    "T2  - Augmentative and alternative communication (Baltimore, Md. : 1985)\r\n"
    "AB  - First paragraph.\r\n\r\nSecond paragraph.\r\n"
    "DA  - 2014/06//\r\nPY  - 2014\r\nDO  - 10.3109/07434618.2014.906498\r\n"
    "DP  - PubMed\r\nVL  - 30\r\nIS  - 2\r\nSP  - 99\r\nEP  - 105\r\n"
    "J2  - Augment Altern Commun\r\nLA  - eng\r\nSN  - 1477-3848\r\n"
    "KW  - Communication Aids for Disabled\r\nKW  - Eye Movements\r\n"
    "N1  - <p>PMID: 24773076</p>\r\nER  - \r\n\r\n"
)


def test_pubmed_record_exported_by_zotero() -> None:
    a = one(PUBMED_VIA_ZOTERO)
    assert a.issued == Date(start=DatePart(2014, 6))
    assert a.abstract == "First paragraph.\n\nSecond paragraph."
    assert a.extra["source"] == "PubMed"
    assert a.language == "eng" and a.issn == "1477-3848"
    assert a.keywords == ("Communication Aids for Disabled", "Eye Movements")
    assert a.note == "<p>PMID: 24773076</p>"
    assert one(citekit.dumps([a], "ris")) == a


ENDNOTE_MAC = ("TY  - CHAP\rAU  - Eco, Umberto\rA2  - Kant, Immanuel\rA3  - Hume, David\r"
               "T1  - A chapter\rT2  - The book\rT3  - The series\rPY  - 1999\r"
               "SN  - 0-19-852663-6\rER  - \r")


def test_endnote_classic_mac_line_ends() -> None:
    a = one(ENDNOTE_MAC)
    assert a.type == "chapter" and a.title == "A chapter"
    assert a.container_title == "The book" and a.collection_title == "The series"
    assert a.editor == (Name(family="Kant", given="Immanuel"),)
    assert a.names["collection-editor"] == (Name(family="Hume", given="David"),)
    assert a.isbn == "0-19-852663-6"


OJS_RECORD = """TY  - JOUR
AU  - Moreno, Ana Lucía
AU  - de la Fuente, Pablo
PY  - 2019/12/01
Y2  - 2024/01/15
TI  - A study of alliance ruptures
JF  - Revista de Psicoterapia
JA  - RDP
VL  - 30
IS  - 114
SE  - Articles
DO  - 10.33898/rdp.v30i114.320
UR  - https://revistadepsicoterapia.com/rdp/article/view/320
SP  - 5-21
AB  - An abstract that Open Journal Systems writes on one line.
ER  -
"""


def test_open_journal_systems_record_reads() -> None:
    a = one(OJS_RECORD)
    assert a.type == "article-journal"
    assert a.author == (Name(family="Moreno", given="Ana Lucía"),
                        Name(family="Fuente", given="Pablo", non_dropping_particle="de la"))
    assert a.issued == Date(start=DatePart(2019, 12, 1))
    assert a.accessed == Date(start=DatePart(2024, 1, 15))
    assert (a.container_title, a.container_title_short) == ("Revista de Psicoterapia", "RDP")
    assert (a.volume, a.issue, a.page) == ("30", "114", "5-21")
    assert a.extra["section"] == "Articles"
    assert a.doi == "10.33898/rdp.v30i114.320"
    assert a.url == "https://revistadepsicoterapia.com/rdp/article/view/320"
    assert a.abstract == "An abstract that Open Journal Systems writes on one line."


def test_open_journal_systems_record_writes() -> None:
    a = one(OJS_RECORD)
    text = citekit.dumps([a], "ris")
    tags = re.findall(r"^([A-Z][A-Z0-9])  - ", text, re.M)
    for tag in ("TY", "AU", "PY", "DA", "TI", "T2", "J2", "VL", "IS", "SE", "DO", "UR", "SP",
                "EP", "AB", "Y2", "ER"):
        assert tag in tags
    assert "AU  - de la Fuente, Pablo" in text
    assert "SP  - 5\nEP  - 21\n" in text
    assert one(text) == a


# -- lenient reading, strict reporting ---------------------------------------------------------


def test_bom_crlf_and_no_blank_line_between_records() -> None:
    text = "\ufeffTY  - BOOK\r\nTI  - One\r\nER  - \r\nTY  - JOUR\r\nTI  - Two\r\nER  - "
    records = citekit.loads(text, "ris")
    assert [(a.type, a.title) for a in records] == [("book", "One"), ("article-journal", "Two")]


def test_missing_er_is_forgiven_with_a_warning() -> None:
    text = "TY  - BOOK\nTI  - One\n\nTY  - JOUR\nTI  - Two\n"
    with pytest.warns(CitekitWarning, match="no 'ER' line") as caught:
        records = citekit.loads(text, "ris", source="x.ris")
    assert [a.title for a in records] == ["One", "Two"]
    assert {w.message.line for w in caught} == {1, 4}  # type: ignore[union-attr]


def test_record_without_ty_is_kept_with_a_warning() -> None:
    with pytest.warns(CitekitWarning, match="no TY"):
        (a,) = citekit.loads("TI  - Lonely\nAU  - Smith, J\nER  - \n", "ris")
    assert a.type == "article-journal" and a.title == "Lonely"


def test_bad_records_are_reported_with_their_lines_and_good_ones_kept() -> None:
    text = ("Exported by some tool\n\nTY  - JOUR\nTI  - Good\nER  - \n\nTY  - BOOK\nER  - \n\n"
            "garbage here\nmore garbage\nTY  - BOOK\nTI  - Also good\nER  - \n")
    with pytest.raises(ParseError) as info:
        citekit.loads(text, "ris", source="refs.ris")
    error = info.value
    assert [a.title for a in error.articles] == ["Good", "Also good"]
    assert [p.line for p in error.problems] == [1, 7, 10]
    assert "refs.ris:7: the record has no fields" in str(error)
    assert "refs.ris:10: text outside any record" in str(error)
    assert "and 1 more lines" in str(error)


def test_text_that_is_not_ris_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no RIS records") as info:
        citekit.loads("@article{x, title={T}}\n", "ris")
    assert info.value.problems[0].line == 1


def test_empty_input_is_no_records() -> None:
    assert citekit.loads("", "ris") == [] and citekit.loads("\n\n", "ris") == []


def test_rispy_record_numbers_are_ignored() -> None:
    text = "1.\nTY  - JOUR\nTI  - T\nER  - \n\n2.\nTY  - BOOK\nTI  - U\nER  - \n"
    assert [a.title for a in citekit.loads(text, "ris")] == ["T", "U"]


def test_rispy_never_reaches_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Any, lines: Any) -> list[dict[str, Any]]:
        raise KeyError("boom")

    monkeypatch.setattr(ris.rispy.RisParser, "parse_lines", broken)
    with pytest.raises(ParseError, match="could not be read"):
        citekit.loads("TY  - JOUR\nER  - \n", "ris")


def test_legacy_encodings(tmp_path: Path) -> None:
    latin = tmp_path / "endnote.ris"
    latin.write_bytes("TY  - JOUR\r\nTI  - Caf\xe9 \u2013 \u20ac\r\nER  - \r\n".encode("cp1252"))
    with pytest.warns(CitekitWarning, match="read as Windows-1252"):
        (a,) = citekit.load(latin)
    assert a.title == "Café – €"
    utf16 = tmp_path / "utf16.ris"
    utf16.write_bytes("TY  - JOUR\nTI  - Ünïcode\nER  - \n".encode("utf-16"))
    assert citekit.load(utf16)[0].title == "Ünïcode"


@pytest.mark.parametrize("value, expected", [
    ("2019", Date(start=DatePart(2019))),
    ("2019/03/14/", Date(start=DatePart(2019, 3, 14))),
    ("1990/2/27", Date(start=DatePart(1990, 2, 27))),
    ("2009//", Date(start=DatePart(2009))),
    ("2019///Spring", Date(start=DatePart(2019), season="Spring")),
    ("2019/03/12/T20:12:22Z", Date(start=DatePart(2019, 3, 12), raw="2019/03/12/T20:12:22Z")),
    ("2019-03-14", Date(start=DatePart(2019, 3, 14))),
    ("2019-03/2019-05", Date(start=DatePart(2019, 3), end=DatePart(2019, 5))),
    ("1994~", Date(start=DatePart(1994), circa=True)),
    ("March 2019", Date(start=DatePart(2019, 3))),
    ("14 March 2019", Date(start=DatePart(2019, 3, 14))),
    ("Date Accessed", Date(literal="Date Accessed")),
])
def test_date_forms(value: str, expected: Date) -> None:
    a = one(f"TY  - JOUR\nDA  - {value}\nER  - \n")
    assert a.issued == expected
    assert one(citekit.dumps([a], "ris")) == a


@pytest.mark.parametrize("value, kind", [
    ("0028-0836", "issn"), ("2050-084X", "issn"), ("9783642002304", "isbn"),
    ("0-19-852663-6", "isbn"), ("978-3-642-00230-4", "isbn"),
])
def test_sn_is_told_by_its_shape(value: str, kind: str) -> None:
    for ty in ("JOUR", "BOOK"):
        a = one(f"TY  - {ty}\nSN  - {value}\nER  - \n")
        assert getattr(a, kind) == value


def test_sn_falls_back_on_the_type() -> None:
    assert one("TY  - JOUR\nSN  - ISSN/ISBN\nER  - \n").issn == "ISSN/ISBN"
    assert one("TY  - BOOK\nSN  - ISSN/ISBN\nER  - \n").isbn == "ISSN/ISBN"
    assert one("TY  - RPRT\nSN  - TR-2019-04\nER  - \n").number == "TR-2019-04"


def test_keywords_on_one_line_are_split() -> None:
    assert one("TY  - JOUR\nKW  - a; b; c\nER  - \n").keywords == ("a", "b", "c")
    assert one("TY  - JOUR\nKW  - a, b, c\nER  - \n").keywords == ("a", "b", "c")
    assert one("TY  - JOUR\nKW  - a, b\nKW  - c\nER  - \n").keywords == ("a, b", "c")


def test_a_continuation_line_that_looks_like_a_tag_is_written_safely() -> None:
    a = Article(id="x", abstract="First line\nER  - this is not the end")
    text = citekit.dumps([a], "ris")
    assert "\n ER  - this is not the end\n" in text
    assert one(text).abstract == a.abstract


def test_writer_reports_what_ris_cannot_hold() -> None:
    a = Article(id="x", type="interview", title="T", license="CC-BY-4.0", pmid="123",
                names={"composer": (Name(family="Bach"),)},
                dates={"original-date": Date.from_parts(1720)},
                extra={"bibtex:eprinttype": "arxiv"})
    with pytest.warns(CitekitWarning) as caught:
        citekit.dumps([a, replace(a, id="y")], "ris")
    (message,) = [str(w.message) for w in caught]
    for part in ("license (2 records)", "PMID (2 records)", "composer (2 records)",
                 "original-date (2 records)", "type interview (written as PCOMM)",
                 "extra 'bibtex:eprinttype'"):
        assert part in message


def test_crlf_option_and_unknown_options() -> None:
    text = citekit.dumps([Article(id="x", title="T")], "ris", line_ending="crlf")
    assert text.startswith("TY  - JOUR\r\nTI  - T\r\n") and "\n" not in text.replace("\r\n", "")
    with pytest.raises(citekit.CitekitError, match="line_ending"):
        citekit.dumps([Article(id="x")], "ris", indent=2)


def test_streaming_writer_matches_dump() -> None:
    records = quiet(citekit.load, corpus("zotero-translators_RIS_case05.ris"))
    assert "".join(quiet(lambda: list(ris.dump_iter(iter(records))))) == quiet(ris.dump,
                                                                                records)


def test_missing_ids_become_author_year_keys() -> None:
    text = ("TY  - JOUR\nAU  - Müller, A\nPY  - 2020\nER  - \n"
            "TY  - JOUR\nAU  - Müller, B\nPY  - 2020\nER  - \n"
            "TY  - JOUR\nID  - mueller2020\nER  - \n")
    assert [a.id for a in quiet(citekit.loads, text, "ris")] == ["muller2020", "muller2020a",
                                                                 "mueller2020"]


# -- the table -----------------------------------------------------------------------------


def test_docs_show_the_same_tables_as_the_code() -> None:
    page = (ROOT / "docs" / "formats" / "ris.md").read_text(encoding="utf-8")
    assert ris.mapping_tables_markdown() in page, (
        "docs/formats/ris.md is out of date; paste in ris.mapping_tables_markdown()")


def test_every_written_tag_reads_back_as_its_variable() -> None:
    for ty in sorted(set(ris.RIS_TO_CSL)):
        for variable in ris.KEEPS:
            tag = ris._writing(variable, ty)
            if tag is not None:
                assert ris._reading(tag, ty) == variable, (ty, variable, tag)


def test_every_kept_variable_has_a_tag_in_every_written_type() -> None:
    roles_by_type = {"recipient": {"PCOMM"}, "producer": {"MPCT"}}
    for ty in sorted(set(ris.CSL_TO_RIS.values())):
        for variable in ris.KEEPS - set(roles_by_type):
            assert variable in ris._SPECIAL - {"type"} or ris._writing(variable, ty), (
                ty, variable)


@pytest.mark.parametrize("csl_type", sorted(citekit.model.CSL_TYPES))
def test_type_table(csl_type: str) -> None:
    a = Article(id="x", type=csl_type, title="T")
    text = quiet(citekit.dumps, [a], "ris")
    expected_ty = ris.CSL_TO_RIS.get(csl_type) or ris.NEAREST_TYPES[csl_type]
    assert text.startswith(f"TY  - {expected_ty}\n")
    assert one(text).type == ris.RIS_TO_CSL[expected_ty]


def test_format_is_registered() -> None:
    fmt = get_format("ris")
    assert fmt.keeps == ris.KEEPS and "type" not in fmt.keeps
    assert get_format("refman") is fmt
    assert citekit.formats.format_for_path("export.RIS") is fmt


# -- Article -> RIS -> Article ---------------------------------------------------------------

_CARRIED_ROLES = ("author", "editor", "collection-editor", "translator", "recipient",
                  "producer")
_PARTICLE_WORDS = ris._PARTICLE_WORDS


def _name_fits(name: Name) -> bool:
    """What the 'Family, Given, Suffix' form carries (see the RIS page: names)."""
    if name.literal is not None:
        return "," not in name.literal
    given_words = (name.given or "").split()
    return (not name.comma_suffix and not name.static_ordering and name.parse_names is None
            and not name.extra
            and all(p in _PARTICLE_WORDS for p in
                    (name.non_dropping_particle or "").split() +
                    (name.dropping_particle or "").split())
            and not any(w in _PARTICLE_WORDS for w in given_words)
            and not (name.family or "").startswith(ris._PREFIX_PARTICLES)
            and not (name.dropping_particle and not name.given))


def _date_fits(date: Date) -> bool:
    if date.start is None:
        return ris._read_date(date.literal or "").date == date
    years = [p.year for p in (date.start, date.end) if p is not None]
    return (date.raw is None and 0 not in years
            and (date.season is None or (date.end is None and not date.circa)))


_ISSNS = st.tuples(st.integers(0, 9999), st.integers(0, 999), st.sampled_from("0123456789X")
                   ).map(lambda t: f"{t[0]:04d}-{t[1]:03d}{t[2]}")
_ISBNS = st.one_of(st.integers(0, 10**10 - 1).map(lambda n: f"978{n:010d}"),
                   st.integers(0, 10**8 - 1).map(lambda n: f"0-{n // 10**6:02d}-{n % 10**6:06d}-X"))
_UNMAPPED = [t for t in ris._ALL_TAGS if t not in ris._ROWS_BY_TAG and t not in ("ER", "TY")]


@st.composite
def ris_articles(draw: st.DrawFn) -> Article:
    """Articles holding what RIS carries (the restrictions follow the RIS page's
    list of what RIS cannot carry)."""
    ty_row = draw(st.sampled_from(ris.TYPES))
    a = draw(articles(types=st.just(ty_row.csl)))
    ty = ty_row.ris
    names = {role: tuple(n for n in ns if _name_fits(n))
             for role, ns in a.names.items()
             if role in _CARRIED_ROLES and ris._writing(role, ty)}
    dates = {v: d for v, d in a.dates.items() if v in ("issued", "accessed") and _date_fits(d)}
    extra: dict[str, Any] = {}
    for key, value in a.extra.items():
        if key in ris.KEEPS and isinstance(value, str) and not ris._doi_in(value):
            extra[key] = value
    for _ in range(draw(st.integers(0, 2))):
        tag = draw(st.sampled_from(_UNMAPPED))
        extra[f"ris:{tag}"] = draw(texts(markup=False) | st.lists(
            texts(markup=False), min_size=2, max_size=3).map(tuple))
    if ty_row.ris != ris.CSL_TO_RIS.get(ty_row.csl):
        extra["ris:TY"] = ty_row.ris
    keywords = a.keywords
    if len(keywords) == 1 and re.search("[,;]", keywords[0]):
        keywords = ()
    return replace(
        a, pmid=None, pmcid=None, license=None,
        issn=draw(st.none() | _ISSNS | st.lists(_ISSNS, min_size=2, max_size=2).map(", ".join)),
        isbn=draw(st.none() | _ISBNS),
        keywords=keywords,
        names={r: ns for r, ns in names.items() if ns}, dates=dates, extra=extra)


@given(ris_articles())
def test_article_to_ris_to_article_is_identity(article: Article) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CitekitWarning)  # nothing is dropped or bent
        text = citekit.dumps([article], "ris")
        assert citekit.loads(text, "ris") == [article]


@settings(max_examples=40)
@given(st.lists(ris_articles(), min_size=2, max_size=3))
def test_several_records_round_trip(records: list[Article]) -> None:
    text = citekit.dumps(records, "ris")
    assert text.count("\nER  - \n") == len(records)
    assert quiet(citekit.loads, text, "ris") == records


@given(articles())
def test_any_article_can_be_written(article: Article) -> None:
    """Whatever an Article holds, writing it never fails and reading it back works."""
    text = quiet(citekit.dumps, [article], "ris")
    (back,) = quiet(citekit.loads, text, "ris")
    assert back.id == article.id and back.title == article.title
    for role in ("author", "editor", "translator"):  # every name is written, one a line
        assert len(back.names.get(role, ())) == len(article.names.get(role, ()))


def test_names_carry_particles_and_suffixes() -> None:
    cases = [
        Name(family="Gogh", given="Vincent", non_dropping_particle="van"),
        Name(family="Fontaine", given="Jean", dropping_particle="de"),
        Name(family="Alembert", given="Jean", non_dropping_particle="d'"),
        Name(family="King", given="Martin Luther", suffix="Jr."),
        Name(family="Plato"),
        Name(literal="World Health Organization"),
    ]
    a = Article(id="x", names={"author": tuple(cases)})
    text = citekit.dumps([a], "ris")
    assert "AU  - van Gogh, Vincent\nAU  - Fontaine, Jean de\nAU  - d'Alembert, Jean\n" in text
    assert "AU  - King, Martin Luther, Jr.\nAU  - Plato,\nAU  - World Health Organization\n" \
        in text
    assert one(text) == a


def test_ids_keep_their_characters() -> None:
    a = Article(id=string.ascii_letters + "-_:.", title="T")
    assert one(citekit.dumps([a], "ris")).id == a.id
