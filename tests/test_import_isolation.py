"""Importing citekit must not change citeproc-py for other code in the process:
citekit's corrections live in its own element classes, used only by the parser
citekit creates. A fresh interpreter renders through plain citeproc-py, imports
citekit and renders with it, then renders through plain citeproc-py again."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json, warnings
    warnings.simplefilter("ignore")
    from citeproc import (Citation, CitationItem, CitationStylesBibliography,
                          CitationStylesStyle, formatter, model)
    from citeproc.source.json import CiteProcJSON

    ITEMS = [
        {"id": "Doe2000", "type": "book", "title": "A book", "publisher": "Press",
         "author": [{"family": "Doe", "given": "John"}], "issued": {"date-parts": [[2000]]}},
        {"id": "roe", "type": "article-journal", "title": "An article",
         "container-title": "Journal", "volume": "3", "page": "10-25",
         "author": [{"family": "Roe", "given": "Jane"}, {"family": "Poe", "given": "Al"}],
         "issued": {"date-parts": [[1999, 5]]}},
    ]

    def plain(style_id):
        style = CitationStylesStyle(style_id, validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(ITEMS), formatter.html)
        citation = Citation([CitationItem("Doe2000"), CitationItem("roe")])
        bib.register(citation)
        cite = str(bib.cite(citation, lambda item: None))
        return [cite] + [str(entry) for entry in bib.bibliography()]

    def lookup():
        return sorted((cls.__name__, cls.__module__)
                      for cls in model.CitationStylesElement.__subclasses__())

    def snapshot():
        return {"apa": plain("apa"), "ieee": plain("ieee"), "lookup": lookup(),
                "methods": sorted(k for k in vars(model.Text))}

    before = snapshot()
    import citekit
    from citekit.formats.csljson import from_csl
    articles = [from_csl(item) for item in ITEMS]
    citekit.bibliography(articles, "apa")
    citekit.bibliography(articles, "ieee", to="html")
    citekit.citation(articles, "apa")
    after = snapshot()
    print(json.dumps({"before": before, "after": after}))
""")


def test_importing_citekit_leaves_citeproc_unchanged() -> None:
    completed = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True,
                               text=True, check=True, timeout=300)
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["before"]["apa"]  # citeproc-py did render something
    assert result["before"] == result["after"]
