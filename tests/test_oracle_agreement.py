"""Agreement with the reference CSL processor on the shared item sets
(see tests/oracle_agreement.py): the share of bibliography entries citekit
renders exactly as citeproc-js does, in text and in HTML, per style and item
set, must not fall below the floor. Floors only go up."""

from __future__ import annotations

import pytest

from .conftest import shared_path
from .oracle_agreement import ITEM_SETS, STYLES, compare

#: the lowest share accepted for every style and item set (text and HTML)
FLOOR = 0.97
#: lower floors for the combinations not there yet (style, item set) -> share
KNOWN_GAPS: dict[tuple[str, str], float] = {
    ("apa", "biblatex-examples.citation-js"): 0.86,
    ("apa", "citation-js_biblatex-csl"): 0.89,
    ("nlm-citation-sequence", "biblatex-examples.citation-js"): 0.70,
    ("nlm-citation-sequence", "manubot_manual-references"): 0.50,
    ("nlm-citation-sequence", "citation-js_biblatex-csl"): 0.89,
    ("ieee", "biblatex-examples.citation-js"): 0.76,
    ("ieee", "citation-js_biblatex-csl"): 0.82,
    ("modern-language-association", "biblatex-examples.citation-js"): 0.94,
    ("modern-language-association", "manubot_manual-references"): 0.51,
    ("modern-language-association", "citation-js_biblatex-csl"): 0.96,
    ("chicago-author-date", "biblatex-examples.citation-js"): 0.96,
    ("chicago-author-date", "citation-js_biblatex-csl"): 0.92,
    ("chicago-notes-bibliography", "biblatex-examples.citation-js"): 0.96,
    ("chicago-notes-bibliography", "citation-js_biblatex-csl"): 0.92,
    ("harvard-cite-them-right", "biblatex-examples.citation-js"): 0.89,
    ("harvard-cite-them-right", "citation-js_biblatex-csl"): 0.89,
    ("american-chemical-society", "biblatex-examples.citation-js"): 0.85,
    ("american-chemical-society", "citation-js_biblatex-csl"): 0.89,
    ("association-for-computing-machinery", "biblatex-examples.citation-js"): 0.96,
    ("association-for-computing-machinery", "citation-js_biblatex-csl"): 0.96,
    ("associacao-brasileira-de-normas-tecnicas", "biblatex-examples.citation-js"): 0.94,
    ("associacao-brasileira-de-normas-tecnicas", "citation-js_biblatex-csl"): 0.96,
    ("american-medical-association", "biblatex-examples.citation-js"): 0.71,
    ("american-medical-association", "manubot_manual-references"): 0.50,
    ("american-medical-association", "citation-js_biblatex-csl"): 0.89,
    ("nature", "biblatex-examples.citation-js"): 0.92,
    ("nature", "citation-js_biblatex-csl"): 0.92,
}


@pytest.mark.parametrize("item_set", ITEM_SETS)
@pytest.mark.parametrize("style", STYLES)
def test_agreement(style: str, item_set: str) -> None:
    shared = shared_path("oracle").parent
    result = compare(style, item_set, shared)
    floor = KNOWN_GAPS.get((style, item_set), FLOOR)
    assert result.text_share >= floor, (
        f"{style}/{item_set}: text {result.text_share:.1%} < {floor:.0%}; first difference: "
        f"{next((d for d in result.differences if d[1] == 'text'), None)}")
    assert result.html_share >= floor, (
        f"{style}/{item_set}: html {result.html_share:.1%} < {floor:.0%}; first difference: "
        f"{next((d for d in result.differences if d[1] == 'html'), None)}")
