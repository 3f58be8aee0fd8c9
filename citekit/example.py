"""The bundled example: a journal article page, as an :class:`~citekit.Article`.

It holds exactly what the article's landing page states -- title, DOI,
keywords, abstract and licence -- and nothing else: the page names no
authors, date, journal, volume or pages, so the record has none. The licence
the page names ("Creative Commons CC-BY-NC 4.0 International") is recorded by
its canonical identifier, the Creative Commons licence URL.
"""

from __future__ import annotations

from citekit.model import Article

__all__ = ["EXAMPLE", "HOW_TO_CITE_STYLES"]

EXAMPLE = Article(
    id="10.33898/rdp.v5i20.1072",
    type="article-journal",
    title="Fractures in the therapeutic alliance: an area to negotiate an authentic "
    "relationship.",
    doi="10.33898/rdp.v5i20.1072",
    keywords=(
        "therapeutic alliance",
        "therapeutic relationship",
        "therapeutic change process",
        "therapeutic efficacy",
        "therapeutic alliance rupture",
        "corrective emotional experience",
        "self",
        "others",
    ),
    abstract=(
        "In this article I argue that the clarification of the processes involved in working "
        "through breaches or ruptures in the therapeutic alliance, is a vitally important task "
        "for psychotherapy theorists and researchers. I suggest that these inevitable problems "
        "in the therapeutic alliance provide important opportunities for clarifying factors "
        "that may create barriers to authentic relatedness in client everyday lives. "
        "Furthermore, working through these problems can provide clients with valuable "
        "experience in the important tasks of reconciling the needs for relatedness and "
        "agency, and of coming to accept both self and other. The centrality of these tasks to "
        "the human condition has been recognized across the ages and across different "
        "cultures. The current paradigm shift in psychotherapy theory and practice toward more "
        "relational and constructivist perspectives, however, has established a particularly "
        "ripe climate for enhancing our understanding of the client -therapist relationship "
        "through a differentiated exploration of these concerns."
    ),
    license="https://creativecommons.org/licenses/by-nc/4.0/",
)

#: The styles of the "How to Cite" box Open Journal Systems shows, in its order.
HOW_TO_CITE_STYLES: tuple[str, ...] = (
    "apa",
    "vancouver",
    "ieee",
    "modern-language-association",
    "chicago-author-date",
    "harvard-cite-them-right",
    "american-chemical-society",
    "association-for-computing-machinery",
    "american-medical-association",
    "associacao-brasileira-de-normas-tecnicas",
    "turabian-fullnote-bibliography",
)
