from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import citekit
from citekit import Article, CitekitWarning, Date, Name, RenderError, UnknownStyleError
from citekit.csl.catalog import find_locale, find_style, list_styles
from citekit.errors import UnknownLocaleError
from citekit.example import EXAMPLE, HOW_TO_CITE_STYLES

from .conftest import shared_path

REQUIRED_STYLES = [
    "apa", "vancouver", "ieee", "modern-language-association", "chicago-author-date",
    "harvard-cite-them-right", "american-chemical-society",
    "association-for-computing-machinery", "american-medical-association", "nature",
]

SMITH = Article(
    id="smith2019", type="article-journal", title="A study of things",
    container_title="Journal of Studies", volume="12", issue="3", page="45-67",
    doi="10.1234/js.2019.45", names={"author": [Name(family="Smith", given="Jane"),
                                                Name(family="Doe", given="John")]},
    dates={"issued": Date.from_parts(2019, 4)},
)


def test_apa_example_shows_title_and_doi() -> None:
    (entry,) = citekit.bibliography(EXAMPLE, "apa")
    assert "Fractures in the therapeutic alliance" in entry
    assert "https://doi.org/10.33898/rdp.v5i20.1072" in entry


@pytest.mark.parametrize("style", REQUIRED_STYLES)
def test_required_styles_render(style: str) -> None:
    (entry,) = citekit.bibliography(SMITH, style)
    assert "Smith" in entry
    assert "Journal of Studies" in entry or "J Stud" in entry or "J. Stud" in entry


@pytest.mark.parametrize("style", HOW_TO_CITE_STYLES)
def test_how_to_cite_styles_render_the_example(style: str) -> None:
    (entry,) = citekit.bibliography(EXAMPLE, style)
    assert "therapeutic alliance" in entry.lower()
    if style == "associacao-brasileira-de-normas-tecnicas":
        # the ABNT style prints no DOI, only a URL with its access date, and the
        # example page gives no URL (citeproc-js renders the same entry)
        assert entry.rstrip().endswith("[S.d.].")
    else:
        assert "10.33898/rdp.v5i20.1072" in entry


def test_apa_reference_matches_the_manual_form() -> None:
    (entry,) = citekit.bibliography(SMITH, "apa")
    assert entry == ("Smith, J., & Doe, J. (2019). A study of things. Journal of Studies, "
                     "12(3), 45–67. https://doi.org/10.1234/js.2019.45")


def test_vancouver_is_numbered() -> None:
    entries = citekit.bibliography([SMITH, EXAMPLE], "vancouver")
    assert entries[0].startswith("1.") and entries[1].startswith("2.")


def test_citation_cluster() -> None:
    assert citekit.citation(SMITH, "apa") == "(Smith & Doe, 2019)"
    assert citekit.citation([SMITH, EXAMPLE], "vancouver") in ("(1,2)", "(1, 2)", "1,2")


def test_html_and_markdown() -> None:
    (html,) = citekit.bibliography(SMITH, "apa", to="html")
    assert html.startswith('<div class="csl-entry">') and "<i>Journal of Studies</i>" in html
    assert "&#38;" in html
    (md,) = citekit.bibliography(SMITH, "apa", to="markdown")
    assert "*Journal of Studies*" in md


def test_item_without_an_explicit_type_renders() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        (article,) = citekit.loads('[{"id": "t", "title": "Untyped", "author": '
                                   '[{"family": "Roe", "given": "R."}]}]', "csl-json")
    for style in REQUIRED_STYLES:
        (entry,) = citekit.bibliography(article, style)
        assert "Untyped" in entry


def test_unknown_style_suggests_close_ids() -> None:
    with pytest.raises(UnknownStyleError) as info:
        citekit.bibliography(SMITH, "vancuver")
    assert "vancouver" in info.value.suggestions


def test_style_lookup_order() -> None:
    assert find_style("apa").kind == "independent"
    vancouver = find_style("vancouver")
    assert vancouver.id == "nlm-citation-sequence"  # a renamed id
    dependent = find_style("nature-digest")
    assert (dependent.kind, dependent.parent, dependent.default_locale) == \
        ("dependent", "nature", "en-GB")
    assert find_style("http://www.zotero.org/styles/ieee").id == "ieee"


def test_dependent_style_renders_through_its_parent() -> None:
    assert citekit.bibliography(SMITH, "nature-digest") == citekit.bibliography(SMITH, "nature")


def test_style_from_a_file(tmp_path: Path) -> None:
    style = tmp_path / "mini.csl"
    style.write_text(MINI_STYLE)
    assert citekit.bibliography(SMITH, str(style)) == ["Smith, Doe: A study of things"]


def test_style_with_entities_is_refused(tmp_path: Path) -> None:
    style = tmp_path / "evil.csl"
    style.write_text('<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY a "aaaaaaaaaa">'
                     '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
                     + MINI_STYLE.replace("<title>Mini</title>", "<title>&b;</title>"))
    with pytest.raises(UnknownStyleError, match="DOCTYPE"):
        citekit.bibliography(SMITH, str(style))


def test_style_with_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    style = tmp_path / "xxe.csl"
    style.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM '
                     f'"file://{secret}">]>\n'
                     + MINI_STYLE.replace('value=": "', 'value="&x;"'))
    with pytest.raises(UnknownStyleError):
        citekit.bibliography(SMITH, str(style))


def test_locales() -> None:
    assert find_locale("en") == "en-US"
    assert find_locale("pt_br") == "pt-BR"
    assert find_locale("de-de") == "de-DE"
    with pytest.raises(UnknownLocaleError) as info:
        find_locale("xx-YY")
    assert info.value.kind == "locale"
    (german,) = citekit.bibliography(Article(id="b", type="book", title="Buch",
                                             names={"editor": [Name(family="Roe", given="A")]}),
                                     "chicago-author-date", locale="de-DE")
    assert "o.\xa0J." in german  # "ohne Jahr": the German term for "no date"


def test_style_catalogue_lists_dependent_styles_and_titles() -> None:
    rows = list_styles("nature")
    ids = {r[0] for r in rows}
    assert {"nature", "nature-digest"} <= ids
    assert len(list_styles()) > 10_000
    assert any(r[0] == "nature-digest" and r[2] == "nature" for r in rows)


def test_broken_style_is_a_render_error(tmp_path: Path) -> None:
    style = tmp_path / "broken.csl"
    style.write_text(MINI_STYLE.replace('<text macro="title-macro"/>',
                                        '<text macro="missing"/>'))
    with pytest.raises(RenderError, match="broken"):
        citekit.bibliography(SMITH, str(style))


def test_oracle_items_render_in_every_oracle_style() -> None:
    path = shared_path("corpus", "csl-json", "biblatex-examples.citation-js.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CitekitWarning)
        items = citekit.load(path)
    for style in REQUIRED_STYLES:
        entries = citekit.bibliography(items, style)
        assert len(entries) >= 90, style


MINI_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Mini</title><id>mini</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <macro name="title-macro"><text variable="title"/></macro>
  <citation><layout><names variable="author"><name form="short"/></names></layout></citation>
  <bibliography>
    <layout>
      <group delimiter=": ">
        <names variable="author"><name form="short"/></names>
        <text macro="title-macro"/>
      </group>
    </layout>
  </bibliography>
</style>
"""
