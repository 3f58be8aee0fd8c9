from __future__ import annotations

import re
import socket
import time
import urllib.request
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

import citekit
from citekit import Article, CitekitWarning, Date, DatePart, Name, ParseError
from citekit.errors import OptionError
from citekit.example import EXAMPLE
from citekit.formats import get_format, sniff_format
from citekit.formats.rdf import (
    BIBO,
    CITEKIT,
    DATE_TERMS,
    DCTERMS,
    EDTF,
    FOAF,
    PREFIXES,
    ROLE_TERMS,
    TEXT_TERMS,
    TYPE_CLASSES,
    doi_iri,
)
from citekit.testing import articles

from .conftest import shared_path

SYNTAXES = {"turtle": "turtle", "rdfxml": "xml", "jsonld": "json-ld", "nt": "nt"}


def _quiet_load(path: Path, fmt: str | None = None) -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        return citekit.load(path, format=fmt)


def _graph(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=SYNTAXES[fmt])


# -- round trips ---------------------------------------------------------------------------


@given(article=articles())
def test_round_trip_is_identity_in_every_serialisation(article: Article) -> None:
    # one generated article through all four (generating articles costs more than
    # the round trips)
    for fmt in sorted(SYNTAXES):
        text = citekit.dumps([article], fmt)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CitekitWarning)  # our own output bends nothing
            assert citekit.loads(text, fmt) == [article], fmt


@pytest.mark.parametrize("fmt", sorted(SYNTAXES))
def test_every_format_declares_it_keeps_everything(fmt: str) -> None:
    assert get_format(fmt).keeps is None


@settings(max_examples=40)
@given(batch=articles().flatmap(lambda a: articles().map(lambda b: [a, b, a])))
def test_several_articles_keep_their_order_even_with_one_doi_twice(batch: list[Article]) -> None:
    for fmt in ("turtle", "rdfxml"):
        assert citekit.loads(citekit.dumps(batch, fmt), fmt) == batch


@settings(max_examples=40)
@given(article=articles())
def test_flat_dublin_core_keeps_what_it_declares(article: Article) -> None:
    fmt = get_format("dc")
    text = citekit.dumps([article], "dc")
    graph = Graph().parse(data=text, format="xml")
    assert {str(p).rsplit("/", 1)[0] for p in graph.predicates()} <= {
        "http://purl.org/dc/elements/1.1"}
    back = citekit.loads(text, "dc")[0]
    assert fmt.keeps
    for variable in fmt.keeps:
        assert back.get(variable) == article.get(variable), variable


def test_flat_dublin_core_of_a_journal_article() -> None:
    article = Article(id="a", title="On X", doi="10.1234/x",
                      names={"author": [Name(family="Doe", given="Jane")]},
                      container_title="Journal of Y", volume="5", issue="20", page="47-60",
                      dates={"issued": Date.from_parts(2019, 12, 20)}, issn="2339-7950")
    back = citekit.loads(citekit.dumps([article], "dc"), "dc")[0]
    assert back.author == (Name(family="Doe", given="Jane"),)
    assert (back.container_title, back.volume, back.issue, back.page, back.issn) == (
        "Journal of Y", "5", "20", "47-60", "2339-7950")
    assert back.issued == Date.from_parts(2019, 12, 20)


def test_writer_option_profile_and_unknown_option() -> None:
    text = citekit.dumps([EXAMPLE], "turtle", profile="dc")
    assert "http://purl.org/dc/elements/1.1/" in text and "bibo" not in text
    with pytest.raises(OptionError):
        citekit.dumps([EXAMPLE], "turtle", pretty=True)


# -- what the graph says -------------------------------------------------------------------


def test_example_turtle_has_title_doi_keywords_abstract_and_licence() -> None:
    graph = _graph(citekit.dumps([EXAMPLE], "turtle"), "turtle")
    subject = URIRef("https://doi.org/10.33898/rdp.v5i20.1072")
    assert (subject, ns.RDF.type, BIBO.AcademicArticle) in graph
    assert (subject, DCTERMS.title, Literal(EXAMPLE.title)) in graph
    assert (subject, BIBO.doi, Literal("10.33898/rdp.v5i20.1072")) in graph
    assert {str(o) for o in graph.objects(subject, DCTERMS.subject)} == set(EXAMPLE.keywords)
    assert (subject, DCTERMS.abstract, Literal(EXAMPLE.abstract)) in graph
    assert (subject, DCTERMS.license,
            URIRef("https://creativecommons.org/licenses/by-nc/4.0/")) in graph


def test_cli_example_to_turtle(capsys: pytest.CaptureFixture[str]) -> None:
    from citekit.cli import main

    assert main(["convert", "--example", "--to", "turtle"]) == 0
    out = capsys.readouterr().out
    assert "<https://doi.org/10.33898/rdp.v5i20.1072>" in out
    assert "dcterms:license <https://creativecommons.org/licenses/by-nc/4.0/>" in out


def test_journal_article_uses_bibo_structure() -> None:
    article = Article(
        id="smith2019", title="A title", container_title="Journal", issn="1234-5678",
        volume="3", issue="2", page="10-19", doi="10.1/abc", language="en",
        publisher="Pub", license="https://creativecommons.org/licenses/by/4.0/",
        names={"author": [Name(family="Smith", given="Ann"), Name(literal="The Group")]},
        dates={"issued": Date.from_parts(2019, 3)}, keywords=("a", "b"))
    graph = _graph(citekit.dumps([article], "turtle"), "turtle")
    s = URIRef(doi_iri("10.1/abc"))
    journal = graph.value(s, DCTERMS.isPartOf)
    assert (journal, ns.RDF.type, BIBO.Journal) in graph
    assert graph.value(journal, DCTERMS.title) == Literal("Journal")
    assert graph.value(journal, BIBO.issn) == Literal("1234-5678")
    assert graph.value(s, BIBO.volume) == Literal("3")
    assert graph.value(s, BIBO.issue) == Literal("2")
    assert graph.value(s, BIBO.pageStart) == Literal("10")
    assert graph.value(s, BIBO.pageEnd) == Literal("19")
    assert graph.value(s, BIBO.pages) is None  # start and end say it all
    assert graph.value(s, DCTERMS.issued) == Literal("2019-03", datatype=ns.XSD.gYearMonth)
    authors = list(graph.items(graph.value(s, BIBO.authorList)))
    assert graph.value(authors[0], FOAF.familyName) == Literal("Smith")
    assert graph.value(authors[0], FOAF.givenName) == Literal("Ann")
    assert (authors[1], ns.RDF.type, FOAF.Organization) in graph
    assert set(graph.objects(s, DCTERMS.creator)) == set(authors)
    assert graph.value(s, CITEKIT.id) == Literal("smith2019")  # not derivable from the IRI
    assert graph.value(s, CITEKIT.keywordList) is None  # alphabetical: no order to keep


@pytest.mark.parametrize(("parts", "datatype"), [
    ((2019,), ns.XSD.gYear), ((2019, 3), ns.XSD.gYearMonth),
    ((2019, 3, 14), ns.XSD.date)])
def test_issued_is_typed_by_precision(parts: tuple[int, ...], datatype: URIRef) -> None:
    article = Article(id="x", dates={"issued": Date.from_parts(*parts)})
    graph = _graph(citekit.dumps([article], "nt"), "nt")
    (value,) = graph.objects(None, DCTERMS.issued)
    assert value.datatype == datatype
    assert graph.value(None, CITEKIT.dates) is None


def test_ranges_and_approximate_dates_are_edtf() -> None:
    article = Article(id="x", dates={"issued": Date(start=DatePart(2019, 3),
                                                    end=DatePart(2019, 5), circa=True)})
    graph = _graph(citekit.dumps([article], "turtle"), "turtle")
    (value,) = graph.objects(None, DCTERMS.issued)
    assert (str(value), value.datatype) == ("2019-03~/2019-05~", EDTF)


@pytest.mark.parametrize("csl_type", sorted(TYPE_CLASSES))
def test_every_csl_type_has_a_class_and_comes_back(csl_type: str) -> None:
    article = Article(id="x", type=csl_type, title="T")
    graph = _graph(citekit.dumps([article], "turtle"), "turtle")
    assert TYPE_CLASSES[csl_type] in set(graph.objects(None, ns.RDF.type))
    assert citekit.loads(citekit.dumps([article], "turtle"), "turtle")[0].type == csl_type


def test_subject_iri_is_doi_then_url_then_urn() -> None:
    def subject(article: Article) -> str:
        graph = _graph(citekit.dumps([article], "nt"), "nt")
        return str(next(iter(graph.subjects(ns.RDF.type, None))))

    assert subject(Article(id="a", doi="10.1/x", url="https://e.org/a")) == "https://doi.org/10.1/x"
    assert subject(Article(id="a", url="https://e.org/a")) == "https://e.org/a"
    assert subject(Article(id="a b/c")) == "urn:citekit:a%20b%2Fc"
    assert subject(Article(id="a", url="not a url")) == "urn:citekit:a"
    sici = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"
    assert subject(Article(id="a", doi=sici)).startswith("https://doi.org/10.1002/(SICI)")
    assert "<" not in subject(Article(id="a", doi=sici))[1:]


# -- a second RDF implementation agrees ----------------------------------------------------


def _oxigraph_graph(text: str, fmt: str) -> Graph:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    rdf_format = {"turtle": pyoxigraph.RdfFormat.TURTLE,
                  "rdfxml": pyoxigraph.RdfFormat.RDF_XML}[fmt]
    quads = list(pyoxigraph.parse(text, format=rdf_format))
    nt = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt.decode("utf-8") if isinstance(nt, bytes) else nt, format="nt")


@pytest.mark.parametrize("fmt", ["turtle", "rdfxml"])
def test_pyoxigraph_reads_the_same_graph_for_the_example(fmt: str) -> None:
    text = citekit.dumps([EXAMPLE], fmt)
    theirs = _oxigraph_graph(text, fmt)
    assert len(theirs) > 10
    assert isomorphic(theirs, _graph(text, fmt))


@settings(max_examples=60)
@given(article=articles())
def test_pyoxigraph_reads_the_same_graph(article: Article) -> None:
    for fmt in ("turtle", "rdfxml"):
        text = citekit.dumps([article], fmt)
        assert isomorphic(_oxigraph_graph(text, fmt), _graph(text, fmt)), fmt


# -- what other tools wrote ----------------------------------------------------------------


def _one(name: str) -> Article:
    (article,) = _quiet_load(shared_path("corpus", "rdf-dc", name))
    return article


def test_bibliontology_rdf() -> None:
    article = _one("zotero-translators_Bibliontology-RDF_case01.rdf")
    assert article.type == "article-journal"
    assert article.title == ("Semiautomatische Katalogisierung und Normdatenverknüpfung mit "
                             "Zotero im Index Theologicus")
    assert article.author == (Name(family="Kim", given="Timotheus Chang-whae"),
                              Name(family="Zumstein", given="Philipp"))
    assert article.issued == Date.from_parts(2016)
    assert article.container_title == "LIBREAS. Library Ideas"
    assert (article.issue, article.issn, article.language) == ("29", "1860-7950", "de")
    assert article.url == "http://libreas.eu/ausgabe29/05kim/"
    assert article.accessed == Date.from_parts(2017, 5, 28)  # from the z:UserItem
    assert article.abstract and article.abstract.startswith("Im Folgenden")


def test_dnb_book_with_dc_elements_and_rda_properties() -> None:
    article = _one("zotero-translators_RDF_case01.rdf")
    assert (article.type, article.title) == ("book", "Das Adam-Smith-Projekt")
    assert article.author == (Name(family="Ronge", given="Bastian"),)
    assert article.issued == Date.from_parts(2015)
    assert (article.publisher, article.isbn) == ("Springer VS", "9783658060268")
    assert article.collection_title == "Edition Theorie und Kritik"
    assert "Liberalismus" in article.keywords
    # properties outside the mapping are kept, and so is the IRI-valued subject
    assert article.extra["rdf:http://rdaregistry.info/Elements/u/P60163"] == "Wiesbaden"
    assert article.extra["rdf:http://purl.org/dc/terms/subject"] == {
        "@id": "http://dewey.info/class/320.512092/e22/"}


def test_schema_org_scholarly_article() -> None:
    article = _one("zotero-translators_RDF_case02.rdf")
    assert article.type == "article-journal"
    assert article.title == "Be Careful What You Wish For: FRBR, Some Lacunae, A Review"
    assert article.author == (Name(family="Smiraglia", given="Richard P."),)
    assert article.issued == Date.from_parts(2012)
    assert article.container_title == "Cataloging & Classification Quarterly"
    assert (article.volume, article.issue, article.page) == ("50", "5", "360-368")
    assert article.doi == "10.1080/01639374.2012.682254"
    assert article.issn == "0163-9374, 1544-4554"
    assert article.publisher == "Taylor & Francis Group"


def test_schema_org_software() -> None:
    with pytest.warns(CitekitWarning, match="no name parts"):
        (article,) = citekit.load(shared_path("corpus", "rdf-dc",
                                              "zotero-translators_RDF_case03.rdf"))
    assert article.type == "software"
    assert article.title and article.title.startswith("CodeMeta")
    # schema:author is an unordered property: RDF keeps no order to compare with
    assert {str(n) for n in article.author} == {"Carl Boettiger", "Matthew B. Jones"}
    assert article.issued == Date.from_parts(2017, 6, 5)
    assert article.license == "https://spdx.org/licenses/Apache-2.0"
    assert article.author[0].extra.get("ORCID", "").startswith("http://orcid.org/")


def test_zotero_rdf_report_treaty_and_book() -> None:
    report = _one("zotero-translators_RDF_case04.rdf")
    assert (report.type, report.title, report.number) == ("report", "Test", "NLR-TP-96-464")
    treaty = _one("zotero-translators_RDF_case05.rdf")
    assert treaty.type == "treaty"
    assert treaty.author == (Name(family="Int'l Mar. Org."),)
    assert (treaty.volume, treaty.page, treaty.issued) == ("34", "243", Date.from_parts(2017))
    book = _one("zotero_book_and_snapshot.rdf")  # the attachment is not an item
    assert (book.type, book.title, book.id) == ("book", "Test", "item_1")


def test_zotero_rdf_export_skips_notes() -> None:
    book, page = _quiet_load(shared_path("corpus", "rdf-dc", "zotero_zotero_rdf.xml"))
    assert (book.type, book.title, book.isbn) == ("book", "A", "1-4214-0283-1")
    assert (page.type, page.title, page.url) == ("webpage", "B", "http://example.com")


@pytest.mark.parametrize("fmt", sorted(SYNTAXES))
def test_corpus_round_trips_through_every_serialisation(fmt: str) -> None:
    for path in sorted(shared_path("corpus", "rdf-dc").iterdir()):
        first = _quiet_load(path, "rdfxml")
        assert first, path.name
        assert citekit.loads(citekit.dumps(first, fmt), fmt) == first, path.name


def test_jsonld_schema_org_context_is_read_locally() -> None:
    text = shared_path("corpus", "html-meta", "extruct_CreativeWork.001.jsonld").read_text()
    with pytest.warns(CitekitWarning, match="offers"):  # nested values are reported
        (article,) = citekit.loads(text, "jsonld")  # the page's main entity
    assert (article.type, article.title) == ("book", "The Catcher in the Rye")
    assert (article.isbn, article.publisher) == ("0316769487", "Little, Brown, and Company")
    assert article.issued == Date.from_parts(1991, 5, 1)


# -- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(SYNTAXES))
def test_own_output_sniffs_as_its_format(fmt: str) -> None:
    text = citekit.dumps([EXAMPLE, Article(id="b", title="B")], fmt)
    assert sniff_format(text).name == fmt


def test_rdf_corpus_sniffs_as_rdfxml() -> None:
    for path in shared_path("corpus", "rdf-dc").iterdir():
        assert sniff_format(path.read_text()).name == "rdfxml", path.name


def test_other_xml_and_json_are_not_claimed() -> None:
    for folder, pattern in (("other", "*.xml"), ("csl-json", "*.json"),
                            ("crossref-datacite", "*")):
        for path in shared_path("corpus", folder).glob(pattern):
            text = path.read_text(errors="replace")[:8192]
            for fmt in ("rdfxml", "turtle", "nt", "jsonld"):
                sniff = get_format(fmt).sniff
                assert sniff is not None
                assert not sniff(text), (fmt, path.name)


def test_ntriples_and_turtle_sniffers_are_disjoint() -> None:
    nt = citekit.dumps([EXAMPLE], "nt")
    turtle = citekit.dumps([EXAMPLE], "turtle")
    assert get_format("nt").sniff(nt) and not get_format("turtle").sniff(nt)  # type: ignore[misc]
    assert get_format("turtle").sniff(turtle) and not get_format("nt").sniff(turtle)  # type: ignore[misc]


# -- bad and hostile input -----------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("citekit tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcterms="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="http://example.org/a"><dcterms:title>&i;</dcterms:title>
  </rdf:Description>
</rdf:RDF>
"""


def test_billion_laughs_fails_fast(no_network: None) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError, match="entity expansion") as info:
        citekit.loads(BILLION_LAUGHS, "rdfxml", source="bomb.rdf")
    assert time.perf_counter() - start < 2
    assert info.value.source == "bomb.rdf"


@pytest.mark.parametrize("declaration", [
    '<!ENTITY x SYSTEM "file:///etc/passwd">',
    '<!ENTITY x PUBLIC "-//X//Y" "http://example.invalid/x.ent">',
    '<!ENTITY % p SYSTEM "http://example.invalid/evil.dtd"> %p;',
])
def test_external_entities_are_refused(declaration: str, no_network: None) -> None:
    text = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ {declaration} ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcterms="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="http://example.org/a"><dcterms:title>&x;</dcterms:title>
  </rdf:Description>
</rdf:RDF>"""
    with pytest.raises(ParseError, match="external") as info:
        citekit.loads(text, "rdfxml")
    assert info.value.line == 2
    assert "root:" not in str(info.value)


def test_internal_entities_and_an_external_dtd_reference_are_fine(no_network: None) -> None:
    text = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF SYSTEM "http://example.invalid/rdf.dtd" [
  <!ENTITY dct "http://purl.org/dc/terms/">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcterms="&dct;">
  <rdf:Description rdf:about="http://example.org/a"><dcterms:title>T</dcterms:title>
  </rdf:Description>
</rdf:RDF>"""
    (article,) = citekit.loads(text, "rdfxml")
    assert article.title == "T"


def test_remote_jsonld_context_is_not_fetched(no_network: None) -> None:
    text = """{"@context": ["http://example.invalid/context.jsonld",
                         {"dct": "http://purl.org/dc/terms/"}],
               "@id": "http://example.org/a", "dct:title": "Kept", "name": "dropped"}"""
    with pytest.warns(CitekitWarning, match="not fetched"):
        (article,) = citekit.loads(text, "jsonld")
    assert article.title == "Kept"


def test_jsonld_import_is_not_fetched(no_network: None) -> None:
    text = """{"@context": {"@import": "http://example.invalid/c.jsonld",
                            "dct": "http://purl.org/dc/terms/"},
               "@id": "http://example.org/a", "dct:title": "Kept"}"""
    with pytest.warns(CitekitWarning, match="@import"):
        (article,) = citekit.loads(text, "jsonld")
    assert article.title == "Kept"


@pytest.mark.parametrize(("fmt", "text", "line"), [
    ("turtle", "@prefix dc: <http://purl.org/dc/terms/> .\n\n<a> dc:title \"x .\n", 3),
    ("nt", "<http://e.org/a> <http://e.org/p> \"x\" .\n<http://e.org/a> broken .\n", 2),
    ("jsonld", '{"@id": "x",\n "a": }', 2),
    ("rdfxml", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a>', 2),
])
def test_bad_input_is_a_parse_error_with_a_line(fmt: str, text: str, line: int) -> None:
    with pytest.raises(ParseError) as info:
        citekit.loads(text, fmt, source="in.txt")
    assert info.value.source == "in.txt"
    assert info.value.line == line


# -- the documented table is the code's table ----------------------------------------------


def _curie(iri: str) -> str:
    for prefix, namespace in {**PREFIXES, "dcterms": DCTERMS, "rdfs": PREFIXES["rdfs"]}.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def test_docs_table_lists_every_written_term() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "formats" / "rdf.md").read_text()
    written = [t.predicate for t in TEXT_TERMS]
    written += [r.list_predicate for r in ROLE_TERMS.values()]
    written += [r.predicate for r in ROLE_TERMS.values() if r.predicate is not None]
    written += [p for p, _ in DATE_TERMS.values()]
    written += list(TYPE_CLASSES.values())
    missing = sorted({_curie(str(p)) for p in written} - set(re.findall(r"`([\w]+:[\w]+)`",
                                                                          docs)))
    assert not missing, missing


@pytest.mark.parametrize("fmt", [*sorted(SYNTAXES), "dc"])
def test_output_is_deterministic(fmt: str) -> None:
    batch = [EXAMPLE, Article(id="b", names={"author": [Name(family="A", given="B")]},
                              keywords=("z", "y"), container_title="J")]
    assert citekit.dumps(batch, fmt) == citekit.dumps(batch, fmt)


def test_graphs_from_separate_calls_do_not_share_blank_nodes() -> None:
    from citekit.formats.rdf import from_graph, to_graph

    one = Article(id="a", names={"author": [Name(family="A", given="B")]})
    two = Article(id="b", names={"author": [Name(family="C", given="D")]})
    merged = to_graph([one]) + to_graph([two])
    assert sorted(from_graph(merged), key=lambda a: a.id) == [one, two]


def test_latin1_rdfxml_with_its_encoding_declared(tmp_path: Path) -> None:
    path = tmp_path / "old.rdf"
    path.write_bytes("""<?xml version="1.0" encoding="ISO-8859-1"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <rdf:Description rdf:about="http://example.org/a"><dc:title>Économie</dc:title>
  </rdf:Description>
</rdf:RDF>""".encode("latin-1"))
    (article,) = citekit.load(path)
    assert article.title == "Économie"


def test_hand_edited_citekit_terms_are_reported_not_trusted() -> None:
    text = """@prefix citekit: <https://citekit.readthedocs.io/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix bibo: <http://purl.org/ontology/bibo/> .
<urn:citekit:a> a bibo:Book ; dcterms:title "A" ; citekit:extra "{\\"title\\": 1}" .
<urn:citekit:b> a bibo:Report ; dcterms:title "B" ; citekit:cslType "nonsense" .
"""
    with pytest.warns(CitekitWarning) as record:
        first, second = citekit.loads(text, "turtle")
    messages = " ".join(str(w.message) for w in record)
    assert "modelled variable 'title'" in messages and "'nonsense'" in messages
    assert (first.type, first.title, first.extra["citekit:title"]) == ("book", "A", 1)
    assert second.type == "report"


# A journal article as Zotero's "Zotero RDF" export writes it (the shape of that
# translator's output: bib:/dc:/prism: 1.2 terms, the journal node named by its ISSN,
# automatic tags, the URL as a dcterms:URI, the access date as dcterms:dateSubmitted,
# the Extra field as dc:description, a collection listing the item).
ZOTERO_RDF_EXPORT = """<rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:z="http://www.zotero.org/namespaces/export#"
 xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:bib="http://purl.org/net/biblio#"
 xmlns:foaf="http://xmlns.com/foaf/0.1/"
 xmlns:link="http://purl.org/rss/1.0/modules/link/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:vcard="http://nwalsh.com/rdf/vCard#"
 xmlns:prism="http://prismstandard.org/namespaces/1.2/basic/">
    <bib:Article rdf:about="http://www.jstor.org/stable/3523084">
        <z:itemType>journalArticle</z:itemType>
        <dcterms:isPartOf rdf:resource="urn:issn:0002-8762"/>
        <bib:authors>
            <rdf:Seq>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Rosenzweig</foaf:surname>
                        <foaf:givenname>Roy</foaf:givenname>
                    </foaf:Person>
                </rdf:li>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Cohen</foaf:surname>
                        <foaf:givenname>Daniel J.</foaf:givenname>
                    </foaf:Person>
                </rdf:li>
            </rdf:Seq>
        </bib:authors>
        <z:translators>
            <rdf:Seq><rdf:li><foaf:Person><foaf:surname>Doe</foaf:surname>
            <foaf:givenname>Jane</foaf:givenname></foaf:Person></rdf:li></rdf:Seq>
        </z:translators>
        <dc:subject>archives</dc:subject>
        <dc:subject>
            <z:AutomaticTag><rdf:value>digital history</rdf:value></z:AutomaticTag>
        </dc:subject>
        <dc:subject>
            <dcterms:LCC><rdf:value>D16.255.C65</rdf:value></dcterms:LCC>
        </dc:subject>
        <dc:title>Scarcity or Abundance? Preserving the Past in a Digital Era</dc:title>
        <dcterms:abstract>It is easy to forget ...</dcterms:abstract>
        <dc:description>PMID: 12345</dc:description>
        <dc:date>2003-06</dc:date>
        <dcterms:dateSubmitted>2017-05-28 14:08:38</dcterms:dateSubmitted>
        <dc:identifier>
            <dcterms:URI><rdf:value>http://www.jstor.org/stable/3523084</rdf:value></dcterms:URI>
        </dc:identifier>
        <bib:pages>735-762</bib:pages>
        <z:language>en</z:language>
        <z:libraryCatalog>JSTOR</z:libraryCatalog>
        <z:shortTitle>Scarcity or Abundance?</z:shortTitle>
        <dc:rights>All rights reserved</dc:rights>
    </bib:Article>
    <bib:Journal rdf:about="urn:issn:0002-8762">
        <prism:volume>108</prism:volume>
        <dc:title>The American Historical Review</dc:title>
        <prism:number>3</prism:number>
        <dc:identifier>DOI 10.1086/529597</dc:identifier>
        <dcterms:alternative>Am. Hist. Rev.</dcterms:alternative>
        <dc:identifier>ISSN 0002-8762</dc:identifier>
    </bib:Journal>
    <bib:Book rdf:about="urn:isbn:978-0-8122-1923-1">
        <z:itemType>book</z:itemType>
        <dc:publisher>
            <foaf:Organization>
                <vcard:adr><vcard:Address><vcard:locality>Philadelphia</vcard:locality>
                </vcard:Address></vcard:adr>
                <foaf:name>University of Pennsylvania Press</foaf:name>
            </foaf:Organization>
        </dc:publisher>
        <dcterms:isPartOf>
            <bib:Series><dc:title>Digital Histories</dc:title>
            <dc:identifier>4</dc:identifier></bib:Series>
        </dcterms:isPartOf>
        <dc:title>Digital History</dc:title>
        <dc:date>2006</dc:date>
        <dc:identifier>ISBN 978-0-8122-1923-1</dc:identifier>
    </bib:Book>
    <z:Collection rdf:about="#collection_1">
        <dc:title>Reading list</dc:title>
        <dcterms:hasPart rdf:resource="http://www.jstor.org/stable/3523084"/>
    </z:Collection>
</rdf:RDF>
"""


def test_zotero_rdf_export_of_a_journal_article_and_a_book() -> None:
    article, book = citekit.loads(ZOTERO_RDF_EXPORT, "rdfxml")  # the collection is no item
    assert article.type == "article-journal"
    assert article.author == (Name(family="Rosenzweig", given="Roy"),
                              Name(family="Cohen", given="Daniel J."))
    assert article.translator == (Name(family="Doe", given="Jane"),)
    assert article.container_title == "The American Historical Review"
    assert article.container_title_short == "Am. Hist. Rev."
    assert (article.volume, article.issue, article.page) == ("108", "3", "735-762")
    assert (article.issn, article.doi) == ("0002-8762", "10.1086/529597")
    assert article.issued == Date(start=DatePart(2003, 6))
    assert article.accessed == Date.from_parts(2017, 5, 28)
    assert "submitted" not in article.dates
    assert article.keywords == ("archives", "digital history")
    assert article.extra["call-number"] == "D16.255.C65"
    assert article.extra["source"] == "JSTOR"
    assert article.note == "PMID: 12345"
    assert article.abstract == "It is easy to forget ..."
    assert (article.url, article.language) == ("http://www.jstor.org/stable/3523084", "en")
    assert (article.title_short, article.license) == ("Scarcity or Abundance?",
                                                      "All rights reserved")
    assert (book.type, book.isbn, book.collection_title, book.collection_number) == (
        "book", "978-0-8122-1923-1", "Digital Histories", "4")
    assert (book.publisher, book.publisher_place) == (
        "University of Pennsylvania Press", "Philadelphia")
    for fmt in SYNTAXES:  # and what was read survives citekit's own formats
        assert citekit.loads(citekit.dumps([article, book], fmt), fmt) == [article, book]
