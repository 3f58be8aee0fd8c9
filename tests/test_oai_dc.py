from __future__ import annotations

import string
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import citekit
from citekit import Article, CitekitWarning, Date, Name, ParseError
from citekit.errors import OptionError
from citekit.example import EXAMPLE
from citekit.formats import get_format, sniff_format
from citekit.formats._dublincore import DC_ELEMENTS
from citekit.testing import articles

from .conftest import shared_path

# A ListRecords page as Open Journal Systems 3 serves it (structure and element use of
# OJS's oai_dc output; the record describes the bundled example article).
OJS_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
  <responseDate>2024-05-01T10:00:00Z</responseDate>
  <request verb="ListRecords" metadataPrefix="oai_dc">https://example.org/index.php/rdp/oai</request>
  <ListRecords>
    <record>
      <header>
        <identifier>oai:ojs.example.org:article/1072</identifier>
        <datestamp>2020-01-10T09:00:00Z</datestamp>
        <setSpec>rdp:ART</setSpec>
      </header>
      <metadata>
        <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
                   xmlns:dc="http://purl.org/dc/elements/1.1/"
                   xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
          <dc:title xml:lang="en-US">Fractures in the therapeutic alliance</dc:title>
          <dc:creator>Safran, Jeremy D.</dc:creator>
          <dc:creator>Muran, J. Christopher</dc:creator>
          <dc:subject xml:lang="en-US">therapeutic alliance</dc:subject>
          <dc:subject xml:lang="en-US">self</dc:subject>
          <dc:description xml:lang="en-US">In this article I argue ...</dc:description>
          <dc:publisher xml:lang="en-US">Revista de Psicoterapia</dc:publisher>
          <dc:date>2019-12-20</dc:date>
          <dc:type>info:eu-repo/semantics/article</dc:type>
          <dc:type>info:eu-repo/semantics/publishedVersion</dc:type>
          <dc:type xml:lang="en-US">Peer-reviewed Article</dc:type>
          <dc:format>application/pdf</dc:format>
          <dc:identifier>https://example.org/index.php/rdp/article/view/1072</dc:identifier>
          <dc:identifier>10.33898/rdp.v5i20.1072</dc:identifier>
          <dc:source xml:lang="en-US"
            >Revista de Psicoterapia; Vol. 5 No. 20 (2019); 47-60</dc:source>
          <dc:source>2339-7950</dc:source>
          <dc:source>1130-5142</dc:source>
          <dc:language>spa</dc:language>
          <dc:relation>https://example.org/index.php/rdp/article/view/1072/1100</dc:relation>
          <dc:rights xml:lang="en-US">https://creativecommons.org/licenses/by-nc/4.0</dc:rights>
        </oai_dc:dc>
      </metadata>
    </record>
    <record>
      <header status="deleted">
        <identifier>oai:ojs.example.org:article/99</identifier>
        <datestamp>2020-01-10T09:00:00Z</datestamp>
      </header>
    </record>
    <resumptionToken completeListSize="120" cursor="0">a1b2c3</resumptionToken>
  </ListRecords>
</OAI-PMH>
"""


@given(article=articles())
def test_round_trip_keeps_what_the_format_declares(article: Article) -> None:
    keeps = get_format("oai-dc").keeps
    assert keeps
    with warnings.catch_warnings():
        warnings.simplefilter("error", CitekitWarning)
        (back,) = citekit.loads(citekit.dumps([article], "oai-dc"), "oai-dc")
    for variable in keeps:
        assert back.get(variable) == article.get(variable), variable
    assert back.id == article.id  # from the OAI header identifier


_WORDS = st.text(string.ascii_letters + "ÀÉÎÕÜàéîõüßçøåłĳ'-", min_size=1, max_size=12)


@given(authors=st.lists(st.builds(Name, family=_WORDS, given=_WORDS), min_size=1,
                        max_size=6))
def test_creators_come_back_in_order(authors: list[Name]) -> None:
    article = Article(id="x", title="T", names={"author": authors})
    for envelope in ("list", "record"):
        text = citekit.dumps([article], "oai-dc", envelope=envelope)
        assert citekit.loads(text, "oai-dc")[0].author == tuple(authors)


def test_journal_article_round_trip() -> None:
    article = Article(id="a/1", type="article-journal", title="On X", doi="10.1/x",
                      url="https://example.org/a/1",
                      names={"author": [Name(family="Doe", given="Jane")]},
                      container_title="Journal of Y", volume="5", issue="20", page="47-60",
                      issn="2339-7950", dates={"issued": Date.from_parts(2019, 12, 20)},
                      keywords=("b", "a"), language="en", publisher="P",
                      license="https://creativecommons.org/licenses/by/4.0/")
    text = citekit.dumps([article, Article(id="b", title="B")], "oai-dc", date="2024-01-02")
    assert "<responseDate>2024-01-02T00:00:00Z</responseDate>" in text
    assert "<dc:source>Journal of Y; Vol. 5 No. 20 (2019); 47-60</dc:source>" in text
    first, second = citekit.loads(text, "oai-dc")
    assert first == article
    assert (second.id, second.title) == ("b", "B")


def test_ojs_list_records_response() -> None:
    with pytest.warns(CitekitWarning, match="resumptionToken 'a1b2c3'"):
        (article,) = citekit.loads(OJS_RESPONSE, "oai-dc")  # the deleted record is skipped
    assert article.id == "oai:ojs.example.org:article/1072"
    assert article.type == "article-journal"
    assert article.title == "Fractures in the therapeutic alliance"
    assert article.author == (Name(family="Safran", given="Jeremy D."),
                              Name(family="Muran", given="J. Christopher"))
    assert article.keywords == ("therapeutic alliance", "self")
    assert article.issued == Date.from_parts(2019, 12, 20)
    assert article.doi == "10.33898/rdp.v5i20.1072"
    assert article.url == "https://example.org/index.php/rdp/article/view/1072"
    assert (article.container_title, article.volume, article.issue, article.page) == (
        "Revista de Psicoterapia", "5", "20", "47-60")
    assert article.issn == "2339-7950, 1130-5142"
    assert (article.language, article.publisher) == ("spa", "Revista de Psicoterapia")
    assert article.license == "https://creativecommons.org/licenses/by-nc/4.0"
    assert article.extra["dc:format"] == "application/pdf"
    assert article.extra["dc:relation"] == \
        "https://example.org/index.php/rdp/article/view/1072/1100"


def test_a_bare_record() -> None:
    text = citekit.dumps([EXAMPLE], "oai-dc", envelope="record")
    assert text.splitlines()[1].startswith("<oai_dc:dc ")
    (back,) = citekit.loads(text, "oai-dc")
    assert (back.title, back.doi, back.keywords, back.license) == (
        EXAMPLE.title, EXAMPLE.doi, EXAMPLE.keywords, EXAMPLE.license)
    with pytest.raises(OptionError, match="exactly one"):
        citekit.dumps([EXAMPLE, EXAMPLE], "oai-dc", envelope="record")


def test_error_responses() -> None:
    error = """<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
  <responseDate>2024-05-01T10:00:00Z</responseDate>
  <request>https://example.org/oai</request>
  <error code="{code}">{text}</error>
</OAI-PMH>"""
    assert citekit.loads(error.format(code="noRecordsMatch", text="none"), "oai-dc") == []
    with pytest.raises(ParseError, match="badArgument") as info:
        citekit.loads(error.format(code="badArgument", text="bad"), "oai-dc", source="r.xml")
    assert (info.value.source, info.value.line) == ("r.xml", 4)


def test_not_well_formed_and_not_oai() -> None:
    with pytest.raises(ParseError) as info:
        citekit.loads("<OAI-PMH>\n<ListRecords>\n</OAI-PMH>", "oai-dc")
    assert info.value.line == 3
    with pytest.raises(ParseError, match="no oai_dc:dc record"):
        citekit.loads("<a/>", "oai-dc")


def test_billion_laughs_and_external_entities_are_refused() -> None:
    levels = "\n".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY e0 "lollollollollollollollollollol">
{levels}]>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&e9;</dc:title></oai_dc:dc>"""
    with pytest.raises(ParseError, match="entity expansion"):
        citekit.loads(bomb, "oai-dc")
    xxe = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&x;</dc:title></oai_dc:dc>"""
    with pytest.raises(ParseError, match="external entity 'x'"):
        citekit.loads(xxe, "oai-dc")


def test_sniffing() -> None:
    assert sniff_format(OJS_RESPONSE).name == "oai-dc"
    assert sniff_format(citekit.dumps([EXAMPLE], "oai-dc")).name == "oai-dc"
    assert sniff_format(citekit.dumps([EXAMPLE], "oai-dc", envelope="record")).name == "oai-dc"
    sniff = get_format("oai-dc").sniff
    assert sniff is not None
    for folder in ("rdf-dc", "other", "html-meta", "crossref-datacite"):
        for path in shared_path("corpus", folder).iterdir():
            assert not sniff(path.read_text(errors="replace")[:8192]), path.name


def test_docs_table_lists_every_element() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "formats" /
            "oai-dc.md").read_text()
    missing = [e for e in DC_ELEMENTS if f"`dc:{e}`" not in docs]
    assert not missing, missing
