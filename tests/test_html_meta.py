from __future__ import annotations

import socket
import string
import time
import urllib.request
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

import citekit
from citekit import Article, CitekitWarning, Date, DatePart, Name, ParseError
from citekit.example import EXAMPLE
from citekit.formats import get_format, sniff_format
from citekit.formats.html_meta import CITATION_TAGS, DC_TAGS
from citekit.testing import articles

from .conftest import shared_path


def _metas(text: str) -> list[tuple[str, str]]:
    root = lxml_html.document_fromstring(f"<html><head>{text}</head></html>")
    return [(m.get("name"), m.get("content")) for m in root.iter("meta")]


@given(article=articles())
def test_round_trip_keeps_what_the_format_declares(article: Article) -> None:
    keeps = get_format("html-meta").keeps
    assert keeps
    text = citekit.dumps([article], "html-meta")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CitekitWarning)
        (back,) = citekit.loads(text, "html-meta")
    for variable in keeps:
        assert back.get(variable) == article.get(variable), variable


_WORDS = st.text(string.ascii_letters + "ÀÉÎÕÜàéîõüßçøåłĳ'-", min_size=1, max_size=12)
# A family name alone reads back as a literal name (text cannot tell "Plato" the person
# from "UNESCO" the organisation); the docs say so.
_PEOPLE = st.lists(st.builds(Name, family=_WORDS, given=_WORDS), min_size=1, max_size=6)


@given(authors=_PEOPLE, year=st.integers(1, 2100), month=st.integers(1, 12),
       day=st.integers(1, 28))
def test_authors_in_order_and_dates(authors: list[Name], year: int, month: int,
                                    day: int) -> None:
    article = Article(id="x", title="T", names={"author": authors},
                      dates={"issued": Date.from_parts(year, month, day)})
    text = citekit.dumps([article], "html-meta")
    assert [c for n, c in _metas(text) if n == "citation_author"] == [
        f"{a.family}, {a.given}" for a in authors]
    assert ("citation_publication_date", f"{year:04d}/{month:02d}/{day:02d}") in _metas(text)
    (back,) = citekit.loads(text, "html-meta")
    assert back.author == tuple(authors)
    assert back.issued == article.issued


def test_several_articles_come_back_in_order() -> None:
    batch = [Article(id="a", title="A"), Article(id="b", title="B", doi="10.1/b")]
    assert [a.title for a in citekit.loads(citekit.dumps(batch, "html-meta"), "html-meta")] \
        == ["A", "B"]


def test_example_meta_block() -> None:
    metas = _metas(citekit.dumps([EXAMPLE], "html-meta"))
    assert ("citation_title", EXAMPLE.title) in metas
    assert ("citation_doi", "10.33898/rdp.v5i20.1072") in metas
    assert [c for n, c in metas if n == "citation_keywords"] == list(EXAMPLE.keywords)
    assert ("citation_abstract", EXAMPLE.abstract) in metas
    assert ("DC.Identifier.DOI", "10.33898/rdp.v5i20.1072") in metas
    assert ("DC.Rights", "https://creativecommons.org/licenses/by-nc/4.0/") in metas
    assert [c for n, c in metas if n == "DC.Subject"] == list(EXAMPLE.keywords)


def test_cli_example_to_html_meta(capsys: pytest.CaptureFixture[str]) -> None:
    from citekit.cli import main

    assert main(["convert", "--example", "--to", "html-meta"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('<meta name="citation_title" content="Fractures in the therapeutic')
    assert out.count("<meta ") == len(_metas(out)) >= 20


def test_a_full_journal_article() -> None:
    article = Article(
        id="a1", title="On X", container_title="Revista de Psicoterapia",
        container_title_short="Rev. Psicoter.", volume="5", issue="20", page="47-60",
        issn="2339-7950", doi="10.33898/rdp.v5i20.1072", language="es", publisher="Pub",
        url="https://revistadepsicoterapia.com/rdp/article/view/1072",
        names={"author": [Name(family="Safran", given="Jeremy D.")]},
        dates={"issued": Date.from_parts(2019, 12, 20)},
        extra={"html-meta:citation_pdf_url": "https://example.org/a.pdf"})
    metas = _metas(citekit.dumps([article], "html-meta"))
    for pair in [("citation_journal_title", "Revista de Psicoterapia"),
                 ("citation_journal_abbrev", "Rev. Psicoter."),
                 ("citation_volume", "5"), ("citation_issue", "20"),
                 ("citation_firstpage", "47"), ("citation_lastpage", "60"),
                 ("citation_issn", "2339-7950"), ("citation_language", "es"),
                 ("citation_author", "Safran, Jeremy D."),
                 ("citation_publication_date", "2019/12/20"),
                 ("citation_pdf_url", "https://example.org/a.pdf"),
                 ("DC.Creator.PersonalName", "Safran, Jeremy D."),
                 ("DC.Date.issued", "2019-12-20"), ("DC.Source", "Revista de Psicoterapia"),
                 ("DC.Source.Volume", "5"), ("DC.Source.Issue", "20"),
                 ("DC.Source.ISSN", "2339-7950"), ("DC.Identifier.pageNumber", "47-60"),
                 ("DC.Identifier", "a1"), ("DC.Type", "Text.Serial.Journal")]:
        assert pair in metas, pair
    (back,) = citekit.loads(citekit.dumps([article], "html-meta"), "html-meta")
    assert back == article


def test_markup_in_a_title_is_data_not_markup() -> None:
    evil = '"><script>alert(1)</script><meta name="citation_title" content="x'
    article = Article(id="x", title=evil, abstract="<i>fine</i> & <b>bold</b>")
    text = citekit.dumps([article], "html-meta", page=True)
    assert "<script" not in text
    root = lxml_html.document_fromstring(text)
    assert not root.findall(".//script")
    assert [m.get("content") for m in root.iter("meta")
            if m.get("name") == "citation_title"] == [evil]
    (back,) = citekit.loads(text, "html-meta")
    assert (back.title, back.abstract) == (evil, article.abstract)


# -- reading pages ---------------------------------------------------------------------------


def _page(name: str) -> Article:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        (article,) = citekit.load(shared_path("corpus", "html-meta", name))
    return article


def test_dublin_core_page() -> None:
    article = _page("extruct_dublincore_test.html")
    assert article.title == "Expressing Dublin Core\nin HTML/XHTML meta and link elements"
    assert article.author[0].given == "Andy" and article.author[0].family == "Powell"
    assert article.author[0].extra["affiliation"] == ("UKOLN", "University of Bath")
    assert article.issued == Date.from_parts(2003, 11, 1)
    assert article.url == "http://dublincore.org/documents/dcq-html/"
    assert article.abstract and article.abstract.startswith("This document describes how")
    assert article.extra["html-meta:DC.format"] == "text/html"


def test_coins_journal_article_page() -> None:
    article = _page("zotero_metadata_journalArticle-single.html")
    assert article.type == "article-journal"
    assert article.title == "Scarcity or Abundance? Preserving the Past in a Digital Era"
    assert article.author == (Name(family="Rosenzweig", given="Roy"),)
    assert article.container_title == "The American Historical Review"
    assert (article.volume, article.issue, article.page) == ("108", "3", "735-762")
    assert article.issued == Date(start=DatePart(2003, 6))
    assert (article.doi, article.issn) == ("10.2307/3523084", "00028762")


def test_coins_blog_post_page() -> None:
    article = _page("zotero_coins.html")
    assert (article.type, article.title, article.url) == (
        "post-weblog", "Test Page", "https://example.com/test")
    assert article.author == (Name(literal="Zotero"),)
    assert article.issued == Date.from_parts(2017, 2, 21)


def test_json_ld_page() -> None:
    article = _page("extruct_CreativeWork.001.html")
    assert (article.type, article.title, article.isbn) == (
        "book", "The Catcher in the Rye", "0316769487")
    assert article.publisher == "Little, Brown, and Company"
    assert article.issued == Date.from_parts(1991, 5, 1)


def test_citation_tags_win_over_dublin_core() -> None:
    page = """<html><head>
    <meta name="DC.Title" content="DC title">
    <meta name="dc.creator" content="Doe, Jane">
    <meta name="DCTERMS.issued" content="2001-02-03">
    <meta name="citation_title" content="Highwire title">
    <meta name="citation_author" content="Roe, Rick">
    <meta name="citation_author" content="Poe, Edgar">
    <meta name="citation_date" content="2019/3">
    <meta name="citation_keywords" content="a; b; c">
    <meta name="DC.Identifier.DOI" content="https://doi.org/10.1/X">
    </head><body></body></html>"""
    (article,) = citekit.loads(page, "html-meta")
    assert article.title == "Highwire title"
    assert article.author == (Name(family="Roe", given="Rick"), Name(family="Poe", given="Edgar"))
    assert article.issued == Date.from_parts(2019, 3)
    assert article.keywords == ("a", "b", "c")
    assert article.doi == "10.1/X"


def test_page_without_metadata_reads_its_title_with_a_warning() -> None:
    with pytest.warns(CitekitWarning, match="title"):
        (article,) = citekit.loads("<html><head><title> A page </title></head></html>",
                                   "html-meta")
    assert (article.type, article.title) == ("webpage", "A page")
    with pytest.raises(ParseError, match="no bibliographic metadata"):
        citekit.loads("<html><body><p>nothing</p></body></html>", "html-meta")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("citekit tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_entities_in_html_are_not_expanded_or_loaded(no_network: None) -> None:
    levels = "\n".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 9))
    page = f"""<!DOCTYPE html SYSTEM "http://example.invalid/x.dtd" [
<!ENTITY e0 "lollollollollollollollollollol">
{levels}
<!ENTITY x SYSTEM "file:///etc/passwd">
]>
<html><head><meta name="citation_title" content="&e8;&x;"></head></html>"""
    start = time.perf_counter()
    (article,) = citekit.loads(page, "html-meta")
    assert time.perf_counter() - start < 2
    assert article.title is not None and len(article.title) < 100
    assert "root:" not in article.title


def test_sniffing() -> None:
    for path in shared_path("corpus", "html-meta").glob("*.html"):
        assert sniff_format(path.read_text()).name == "html-meta", path.name
    assert sniff_format(citekit.dumps([EXAMPLE], "html-meta")).name == "html-meta"
    sniff = get_format("html-meta").sniff
    assert sniff is not None
    for folder in ("rdf-dc", "other", "crossref-datacite", "csl-json"):
        for path in shared_path("corpus", folder).iterdir():
            assert not sniff(path.read_text(errors="replace")[:8192]), path.name


def test_docs_table_lists_every_tag() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "formats" /
            "html-meta.md").read_text()
    missing = [t.name for t in (*CITATION_TAGS, *DC_TAGS) if f"`{t.name}`" not in docs]
    assert not missing, missing


def test_author_affiliations_and_orcid_follow_their_author() -> None:
    article = Article(id="x", title="T", names={"author": [
        Name(family="Doe", given="Jane", extra={"affiliation": [{"name": "Univ A"}],
                                                "ORCID": "https://orcid.org/0000-0002-1825-0097"}),
        Name(family="Roe", given="Rick", extra={"affiliation": ["Univ B", "Inst C"]})]})
    metas = _metas(citekit.dumps([article], "html-meta"))
    assert metas[1:7] == [
        ("citation_author", "Doe, Jane"), ("citation_author_institution", "Univ A"),
        ("citation_author_orcid", "https://orcid.org/0000-0002-1825-0097"),
        ("citation_author", "Roe, Rick"), ("citation_author_institution", "Univ B"),
        ("citation_author_institution", "Inst C")]
    (back,) = citekit.loads(citekit.dumps([article], "html-meta"), "html-meta")
    assert back.author[0].extra == {"affiliation": ("Univ A",),
                                    "ORCID": "https://orcid.org/0000-0002-1825-0097"}
    assert back.author[1].extra == {"affiliation": ("Univ B", "Inst C")}


def test_page_encodings(tmp_path: Path) -> None:
    """A page says its charset, or is read as a browser reads it, with a warning."""
    page = '<html><head><meta name="citation_title" content="Café Society">{}</head></html>'
    declared = tmp_path / "declared.html"
    declared.write_bytes(page.format('<meta charset="iso-8859-15">').encode("iso-8859-15"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (article,) = citekit.load(declared)
    assert article.title == "Café Society"
    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(page.format("").encode("cp1252"))
    with pytest.warns(CitekitWarning, match="read as Windows-1252"):
        (article,) = citekit.load(undeclared)
    assert article.title == "Café Society"
