"""RDF: Articles as DCMI Terms + BIBO + FOAF graphs, in Turtle, RDF/XML, JSON-LD and
N-Triples, plus a flat "simple Dublin Core" profile.

Writing follows the Bibliographic Ontology's conventions: an item is a
``bibo:AcademicArticle`` (or the class :data:`TYPE_CLASSES` gives its CSL type),
with ``dcterms:title``, authors as an ordered ``bibo:authorList`` of
``foaf:Person``/``foaf:Organization`` nodes (and ``dcterms:creator`` for
consumers that only read Dublin Core), ``dcterms:isPartOf`` its journal (a
``bibo:Journal`` with title and ``bibo:issn``), ``bibo:volume``,
``bibo:issue``, ``bibo:pageStart``/``bibo:pageEnd``, ``bibo:doi``,
``dcterms:issued`` typed by its precision (``xsd:date``, ``xsd:gYearMonth``,
``xsd:gYear``), ``dcterms:abstract``, ``dcterms:subject`` per keyword and
``dcterms:license`` as an IRI. What no standard vocabulary can say (name
particles, the exact CSL date, a keyword order, ``extra``) is written with
citekit's own terms (:data:`CITEKIT`), so a round trip through any of the four
serialisations loses nothing.

The subject IRI is the DOI's ``https://doi.org/`` IRI when there is a DOI, else
the URL (when it is a valid IRI), else ``urn:citekit:<id>``.

Reading accepts what other tools write: Zotero RDF (``bib:``, ``dc:``, ``prism:``,
``z:itemType``), Zotero's Bibliontology RDF, schema.org (RDF/XML or JSON-LD), and
simple Dublin Core. Predicates the mapping does not know are kept in
``extra["rdf:<predicate IRI>"]`` and written back out.

Safety: RDF/XML goes through :mod:`citekit.formats._safexml` (no external
entities, no DTD, no network; entity bombs fail fast) before rdflib sees it;
JSON-LD ``@context`` references to remote documents are never fetched: the
well-known schema.org context is replaced by a local equivalent and any other
remote context is dropped with a warning.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote
from uuid import uuid4

from lxml import etree
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from citekit.errors import OptionError, ParseError, Problem, ValidationError, warn
from citekit.formats import Format
from citekit.formats._dublincore import from_dc, parse_date_text, to_dc
from citekit.formats._safexml import decode_xml, first_element, parse_xml
from citekit.model import (
    CSL_TYPES,
    RESERVED_EXTRA_KEYS,
    Article,
    Date,
    DatePart,
    FrozenMap,
    Name,
    freeze,
    normalize_doi,
    thaw,
)

__all__ = [
    "BIBO",
    "CITEKIT",
    "CLASS_TYPES",
    "DATE_TERMS",
    "FORMATS",
    "ROLE_TERMS",
    "TEXT_TERMS",
    "TYPE_CLASSES",
    "from_graph",
    "to_graph",
]

# -- vocabularies --------------------------------------------------------------------------

DCTERMS = Namespace("http://purl.org/dc/terms/")
DC = Namespace("http://purl.org/dc/elements/1.1/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
PRISM12 = Namespace("http://prismstandard.org/namespaces/1.2/basic/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VCARD_NW = Namespace("http://nwalsh.com/rdf/vCard#")  # the vCard terms Zotero RDF uses
DCMITYPE = Namespace("http://purl.org/dc/dcmitype/")
SCHEMA = Namespace("http://schema.org/")
SCHEMA_S = Namespace("https://schema.org/")
ZOTERO = Namespace("http://www.zotero.org/namespaces/export#")
BIB = Namespace("http://purl.org/net/biblio#")
CC = Namespace("http://creativecommons.org/ns#")
RES = Namespace("http://purl.org/vocab/resourcelist/schema#")
#: citekit's own terms, for what no standard vocabulary says (documented in the docs).
CITEKIT = Namespace("https://citekit.readthedocs.io/ns#")
#: The Library of Congress EDTF datatype, for dates XML Schema types cannot express.
EDTF = URIRef("http://id.loc.gov/datatypes/edtf/EDTF")
_EDTF_ALT = URIRef("http://id.loc.gov/datatypes/edtf")

#: Base IRI relative references in a document are resolved against.
BASE = "https://citekit.invalid/document"

PREFIXES: dict[str, Namespace] = {
    "dcterms": DCTERMS, "bibo": BIBO, "foaf": FOAF, "prism": PRISM, "vcard": VCARD,
    "dcmitype": DCMITYPE, "citekit": CITEKIT, "xsd": Namespace(str(XSD)),
    "rdfs": Namespace(str(RDFS)),
}

# -- the mapping (one table per kind of value) ---------------------------------------------

#: CSL type -> the class written as ``rdf:type``.
TYPE_CLASSES: dict[str, URIRef] = {
    "article": BIBO.Article,
    "article-journal": BIBO.AcademicArticle,
    "article-magazine": BIBO.Article,
    "article-newspaper": BIBO.Article,
    "bill": BIBO.Bill,
    "book": BIBO.Book,
    "broadcast": BIBO.AudioVisualDocument,
    "chapter": BIBO.Chapter,
    "classic": BIBO.Book,
    "collection": BIBO.Collection,
    "dataset": DCMITYPE.Dataset,
    "document": BIBO.Document,
    "entry": BIBO.BookSection,
    "entry-dictionary": BIBO.BookSection,
    "entry-encyclopedia": BIBO.BookSection,
    "event": BIBO.Event,
    "figure": BIBO.Image,
    "graphic": BIBO.Image,
    "hearing": BIBO.Hearing,
    "interview": BIBO.Interview,
    "legal_case": BIBO.LegalCaseDocument,
    "legislation": BIBO.Legislation,
    "manuscript": BIBO.Manuscript,
    "map": BIBO.Map,
    "motion_picture": BIBO.Film,
    "musical_score": BIBO.Document,
    "pamphlet": BIBO.Document,
    "paper-conference": BIBO.Article,
    "patent": BIBO.Patent,
    "performance": BIBO.Performance,
    "periodical": BIBO.Periodical,
    "personal_communication": BIBO.PersonalCommunicationDocument,
    "post": BIBO.Webpage,
    "post-weblog": BIBO.Webpage,
    "regulation": BIBO.Legislation,
    "report": BIBO.Report,
    "review": BIBO.Article,
    "review-book": BIBO.Article,
    "software": DCMITYPE.Software,
    "song": BIBO.AudioDocument,
    "speech": BIBO.Document,
    "standard": BIBO.Standard,
    "thesis": BIBO.Thesis,
    "treaty": BIBO.LegalDocument,
    "webpage": BIBO.Webpage,
}
assert set(TYPE_CLASSES) == CSL_TYPES

#: Class -> CSL type when reading. A CSL type whose class reads back as another type
#: is also written as ``citekit:cslType`` (the docs table marks them).
CLASS_TYPES: dict[URIRef, str] = {
    BIBO.AcademicArticle: "article-journal",
    BIBO.Article: "article",
    BIBO.Bill: "bill",
    BIBO.Book: "book",
    BIBO.EditedBook: "book",
    BIBO.Proceedings: "book",
    BIBO.AudioVisualDocument: "broadcast",
    BIBO.Chapter: "chapter",
    BIBO.BookSection: "chapter",
    BIBO.Collection: "collection",
    DCMITYPE.Dataset: "dataset",
    BIBO.Document: "document",
    BIBO.Event: "event",
    BIBO.Image: "graphic",
    DCMITYPE.StillImage: "graphic",
    DCMITYPE.Image: "graphic",
    BIBO.Hearing: "hearing",
    BIBO.Interview: "interview",
    BIBO.LegalCaseDocument: "legal_case",
    BIBO.LegalDecision: "legal_case",
    BIBO.Legislation: "legislation",
    BIBO.Statute: "legislation",
    BIBO.Manuscript: "manuscript",
    BIBO.Map: "map",
    BIBO.Film: "motion_picture",
    DCMITYPE.MovingImage: "motion_picture",
    BIBO.Patent: "patent",
    BIBO.Performance: "performance",
    BIBO.Periodical: "periodical",
    BIBO.Journal: "periodical",
    BIBO.Magazine: "periodical",
    BIBO.Newspaper: "periodical",
    BIBO.PersonalCommunicationDocument: "personal_communication",
    BIBO.PersonalCommunication: "personal_communication",
    BIBO.Letter: "personal_communication",
    BIBO.Email: "personal_communication",
    BIBO.Report: "report",
    DCMITYPE.Software: "software",
    BIBO.AudioDocument: "song",
    DCMITYPE.Sound: "song",
    BIBO.Slideshow: "speech",
    BIBO.Standard: "standard",
    BIBO.Specification: "standard",
    BIBO.Thesis: "thesis",
    BIBO.LegalDocument: "treaty",
    BIBO.Webpage: "webpage",
    BIBO.Website: "webpage",
    DCMITYPE.Text: "document",
    # Zotero RDF
    BIB.Article: "article-journal",
    BIB.Book: "book",
    BIB.BookSection: "chapter",
    BIB.Report: "report",
    BIB.Thesis: "thesis",
    BIB.Letter: "personal_communication",
    BIB.Manuscript: "manuscript",
    BIB.Interview: "interview",
    BIB.Legislation: "legislation",
    BIB.Patent: "patent",
    BIB.Illustration: "graphic",
    BIB.Image: "graphic",
    BIB.Recording: "song",
    BIB.Data: "dataset",
    BIB.Document: "document",
    BIB.ConferenceProceedings: "paper-conference",
    # schema.org (both schemes)
    **{ns[name]: csl for ns in (SCHEMA, SCHEMA_S) for name, csl in {
        "ScholarlyArticle": "article-journal", "Article": "article",
        "NewsArticle": "article-newspaper", "BlogPosting": "post-weblog",
        "SocialMediaPosting": "post", "Book": "book", "Chapter": "chapter",
        "Dataset": "dataset", "SoftwareSourceCode": "software",
        "SoftwareApplication": "software", "WebPage": "webpage", "WebSite": "webpage",
        "Thesis": "thesis", "Report": "report", "Movie": "motion_picture",
        "MusicRecording": "song", "Map": "map", "CreativeWork": "document",
        "Legislation": "legislation", "Review": "review", "Periodical": "periodical",
        "PresentationDigitalDocument": "speech", "Event": "event",
    }.items()},
}

#: Zotero's ``z:itemType`` -> CSL type.
ZOTERO_TYPES: dict[str, str] = {
    "artwork": "graphic", "audioRecording": "song", "bill": "bill", "blogPost": "post-weblog",
    "book": "book", "bookSection": "chapter", "case": "legal_case", "computerProgram": "software",
    "conferencePaper": "paper-conference", "dataset": "dataset", "dictionaryEntry":
    "entry-dictionary", "document": "document", "email": "personal_communication",
    "encyclopediaArticle": "entry-encyclopedia", "film": "motion_picture", "forumPost": "post",
    "hearing": "hearing", "instantMessage": "personal_communication", "interview": "interview",
    "journalArticle": "article-journal", "letter": "personal_communication",
    "magazineArticle": "article-magazine", "manuscript": "manuscript", "map": "map",
    "newspaperArticle": "article-newspaper", "patent": "patent", "podcast": "song",
    "preprint": "article", "presentation": "speech", "radioBroadcast": "broadcast",
    "report": "report", "standard": "standard", "statute": "legislation", "thesis": "thesis",
    "treaty": "treaty", "tvBroadcast": "broadcast", "videoRecording": "motion_picture",
    "webpage": "webpage",
}

#: CSL type -> the class of its container node (``dcterms:isPartOf``).
CONTAINER_CLASSES: dict[str, URIRef] = {
    "article-journal": BIBO.Journal,
    "article-magazine": BIBO.Magazine,
    "article-newspaper": BIBO.Newspaper,
    "review": BIBO.Journal,
    "review-book": BIBO.Journal,
    "chapter": BIBO.Book,
    "paper-conference": BIBO.Proceedings,
    "entry": BIBO.ReferenceSource,
    "entry-dictionary": BIBO.ReferenceSource,
    "entry-encyclopedia": BIBO.ReferenceSource,
    "post": BIBO.Website,
    "post-weblog": BIBO.Website,
    "webpage": BIBO.Website,
    "legal_case": BIBO.CourtReporter,
}
_SERIES_CLASSES = frozenset({BIBO.Series, BIB.Series, SCHEMA.CreativeWorkSeries,
                             SCHEMA_S.CreativeWorkSeries, SCHEMA.BookSeries})
_ISSUE_CLASSES = frozenset({BIBO.Issue, SCHEMA.PublicationIssue, SCHEMA.PublicationVolume,
                            SCHEMA_S.PublicationIssue, SCHEMA_S.PublicationVolume, BIB.Part})
_CONTAINER_KINDS = frozenset({*CONTAINER_CLASSES.values(), BIBO.Periodical, BIB.Journal,
                              SCHEMA.Periodical, SCHEMA_S.Periodical})
_PERSON_CLASSES = frozenset({FOAF.Person, SCHEMA.Person, SCHEMA_S.Person})
_ORG_CLASSES = frozenset({FOAF.Organization, FOAF.Agent, SCHEMA.Organization,
                          SCHEMA_S.Organization})
_NOT_ITEMS = _PERSON_CLASSES | _ORG_CLASSES | frozenset({
    ZOTERO.Attachment, ZOTERO.UserItem, ZOTERO.Collection, ZOTERO.AutomaticTag, BIB.Memo,
    DCTERMS.URI, DCTERMS.LCC, VCARD.Address, VCARD_NW.Address, BIB.Conference,
    RDF.Seq, RDF.Bag, RDF.Alt, RDF.List, BIBO.Journal, BIB.Journal, BIBO.Issue})


@dataclass(frozen=True)
class Term:
    """One text variable: where it is written (``node``: the item, its ``container``
    or its ``series``), with which predicate, and what else is accepted when reading."""

    variable: str
    predicate: URIRef
    node: str = "item"
    read: tuple[URIRef, ...] = ()
    #: also looked up on the item's ancestors (issue, journal) when absent on the item
    inherited: tuple[URIRef, ...] = ()

    @property
    def predicates(self) -> tuple[URIRef, ...]:
        return (self.predicate, *self.read)


#: The text variables. ``page``, ``publisher``, ``publisher-place``, ``license``,
#: ``keyword``, ``DOI``/``URL``/``ISBN`` found in identifiers, names and dates have
#: their own handling (see :data:`ROLE_TERMS`, :data:`DATE_TERMS`).
TEXT_TERMS: tuple[Term, ...] = (
    Term("title", DCTERMS.title, read=(DC.title, SCHEMA.name, SCHEMA.headline, SCHEMA_S.name)),
    Term("title-short", BIBO.shortTitle, read=(ZOTERO.shortTitle,)),
    Term("original-title", CITEKIT.originalTitle),
    Term("container-title", DCTERMS.title, "container", (DC.title, SCHEMA.name, SCHEMA_S.name)),
    Term("container-title-short", BIBO.shortTitle, "container",
         (DCTERMS.alternative, ZOTERO.shortTitle)),
    Term("collection-title", DCTERMS.title, "series", (DC.title, SCHEMA.name, SCHEMA_S.name)),
    Term("collection-number", BIBO.locator, read=(ZOTERO.seriesNumber,)),
    Term("volume", BIBO.volume, read=(PRISM.volume, PRISM12.volume, SCHEMA.volumeNumber),
         inherited=(BIBO.volume, PRISM.volume, PRISM12.volume, SCHEMA.volumeNumber,
                    SCHEMA_S.volumeNumber)),
    Term("issue", BIBO.issue, read=(PRISM.issueIdentifier, SCHEMA.issueNumber),
         inherited=(BIBO.issue, PRISM.number, PRISM12.number, SCHEMA.issueNumber,
                    SCHEMA_S.issueNumber)),
    Term("number", BIBO.number, read=(PRISM.number, PRISM12.number)),
    Term("edition", BIBO.edition, read=(PRISM.edition, PRISM12.edition, SCHEMA.bookEdition)),
    Term("DOI", BIBO.doi, read=(PRISM.doi, PRISM12.doi)),
    Term("URL", BIBO.uri, read=(PRISM.url, SCHEMA.url, SCHEMA_S.url)),
    Term("ISSN", BIBO.issn, "container", (BIBO.eissn, PRISM.issn, PRISM.eIssn, PRISM12.issn,
                                           SCHEMA.issn, SCHEMA_S.issn)),
    Term("ISBN", BIBO.isbn, read=(BIBO.isbn13, BIBO.isbn10, PRISM.isbn, SCHEMA.isbn)),
    Term("PMID", BIBO.pmid),
    Term("PMCID", CITEKIT.pmcid),
    Term("abstract", DCTERMS.abstract, read=(SCHEMA.abstract, SCHEMA.description,
                                              SCHEMA_S.description, DCTERMS.description,
                                              DC.description)),
    Term("language", DCTERMS.language, read=(DC.language, SCHEMA.inLanguage,
                                              SCHEMA_S.inLanguage, ZOTERO.language)),
    Term("note", RDFS.comment),
)
_TEXT_ATTRS = {"title": "title", "title-short": "title_short",
               "original-title": "original_title", "container-title": "container_title",
               "container-title-short": "container_title_short",
               "collection-title": "collection_title", "collection-number": "collection_number",
               "volume": "volume", "issue": "issue", "number": "number", "edition": "edition",
               "DOI": "doi", "URL": "url", "ISSN": "issn", "ISBN": "isbn", "PMID": "pmid",
               "PMCID": "pmcid", "abstract": "abstract", "language": "language",
               "note": "note"}

#: Page predicates: the full string, and the first and last page.
PAGES, PAGE_START, PAGE_END = BIBO.pages, BIBO.pageStart, BIBO.pageEnd
_PAGES_READ = (BIBO.pages, PRISM.pageRange, PRISM12.pageRange, BIB.pages, SCHEMA.pagination)
_START_READ = (BIBO.pageStart, PRISM.startingPage, PRISM12.startingPage, SCHEMA.pageStart,
               SCHEMA_S.pageStart)
_END_READ = (BIBO.pageEnd, PRISM.endingPage, PRISM12.endingPage, SCHEMA.pageEnd,
             SCHEMA_S.pageEnd)


@dataclass(frozen=True)
class RoleTerm:
    """A name role: its ordered list predicate and the plain (unordered) predicate
    written beside it for Dublin Core consumers."""

    role: str
    list_predicate: URIRef
    predicate: URIRef | None = None
    read_lists: tuple[URIRef, ...] = ()
    read: tuple[URIRef, ...] = ()


def _camel(role: str) -> str:
    head, *rest = role.split("-")
    return head + "".join(p.capitalize() for p in rest)


_ROLE_STANDARD: dict[str, tuple[URIRef, URIRef | None, tuple[URIRef, ...],
                                tuple[URIRef, ...]]] = {
    "author": (BIBO.authorList, DCTERMS.creator, (BIB.authors,),
               (DC.creator, SCHEMA.author, SCHEMA_S.author, SCHEMA.creator, FOAF.maker)),
    "editor": (BIBO.editorList, BIBO.editor, (BIB.editors,), (SCHEMA.editor,)),
    "contributor": (BIBO.contributorList, DCTERMS.contributor, (BIB.contributors,),
                    (DC.contributor, SCHEMA.contributor, SCHEMA_S.contributor)),
    "translator": (CITEKIT.translatorList, BIBO.translator, (), (SCHEMA.translator,)),
    "interviewer": (CITEKIT.interviewerList, BIBO.interviewer, (), ()),
    "recipient": (CITEKIT.recipientList, BIBO.recipient, (), ()),
    "director": (CITEKIT.directorList, BIBO.director, (), (SCHEMA.director,)),
    "performer": (CITEKIT.performerList, BIBO.performer, (), ()),
    "producer": (CITEKIT.producerList, BIBO.producer, (), (SCHEMA.producer,)),
    "organizer": (CITEKIT.organizerList, BIBO.organizer, (), ()),
    "composer": (CITEKIT.composerList, None, (), (SCHEMA.composer,)),
    "illustrator": (CITEKIT.illustratorList, None, (), (SCHEMA.illustrator,)),
}


#: Zotero RDF's creator lists outside ``bib:authors``/``editors``/``contributors``
#: (``z:<creatorType>s``) -> CSL role, read only.
ZOTERO_ROLES: dict[str, str] = {
    "translators": "translator", "seriesEditors": "collection-editor",
    "bookAuthors": "container-author", "interviewers": "interviewer",
    "recipients": "recipient", "directors": "director", "producers": "producer",
    "performers": "performer", "castMembers": "performer", "composers": "composer",
    "reviewedAuthors": "reviewed-author", "guests": "guest", "wordsBy": "script-writer",
    "scriptwriters": "script-writer", "inventors": "author", "artists": "author",
    "programmers": "author", "cartographers": "author", "presenters": "author",
    "podcasters": "author", "sponsors": "author", "interviewees": "author",
    "attorneyAgents": "contributor", "counsels": "contributor", "cosponsors": "contributor",
    "commenters": "contributor",
}


def _role_terms() -> dict[str, RoleTerm]:
    from citekit.model import NAME_VARIABLES

    terms = {}
    for role in NAME_VARIABLES:
        list_p, plain, read_lists, read = _ROLE_STANDARD.get(
            role, (CITEKIT[_camel(role) + "List"], None, (), ()))
        zotero = tuple(ZOTERO[k] for k, v in ZOTERO_ROLES.items() if v == role)
        read_lists = (*read_lists, *(z for z in zotero if z not in read_lists))
        terms[role] = RoleTerm(role, list_p, plain, read_lists, read)
    return terms


#: Name role -> predicates (every CSL name variable has an ordered list predicate).
ROLE_TERMS: dict[str, RoleTerm] = _role_terms()

#: Name part -> predicate on a ``foaf:Person`` node, and what is accepted when reading.
NAME_PARTS: dict[str, tuple[URIRef, ...]] = {
    "given": (FOAF.givenName, FOAF.givenname, FOAF.firstName, SCHEMA.givenName,
              SCHEMA_S.givenName),
    "family": (FOAF.familyName, FOAF.family_name, FOAF.surname, FOAF.lastName,
               SCHEMA.familyName, SCHEMA_S.familyName),
    "dropping_particle": (CITEKIT.droppingParticle,),
    "non_dropping_particle": (CITEKIT.nonDroppingParticle,),
    "suffix": (CITEKIT.suffix, SCHEMA.honorificSuffix),
    "literal": (CITEKIT.literal,),
}
NAME_FLAGS: dict[str, URIRef] = {"comma_suffix": CITEKIT.commaSuffix,
                                 "static_ordering": CITEKIT.staticOrdering,
                                 "parse_names": CITEKIT.parseNames}
_FULL_NAME = (FOAF.name, SCHEMA.name, SCHEMA_S.name, RDFS.label, RDF.value)

#: Date variable -> (predicate written, predicates also read).
DATE_TERMS: dict[str, tuple[URIRef, tuple[URIRef, ...]]] = {
    "issued": (DCTERMS.issued, (DCTERMS.date, DC.date, SCHEMA.datePublished,
                                SCHEMA_S.datePublished, PRISM.publicationDate,
                                PRISM.coverDate, PRISM12.publicationDate)),
    "accessed": (CITEKIT.accessed, (ZOTERO.accessDate,)),
    "submitted": (DCTERMS.dateSubmitted, ()),
    "available-date": (DCTERMS.available, ()),
    "original-date": (CITEKIT.originalDate, ()),
    "event-date": (CITEKIT.eventDate, ()),
}
_DATES_EXACT = CITEKIT.dates  # JSON: the CSL form of dates the literal does not capture

#: ``extra`` keys (CSL variables without a field) written with a standard term when
#: their value is text or an integer.
EXTRA_TERMS: dict[str, URIRef] = {
    "number-of-pages": BIBO.numPages,
    "number-of-volumes": BIBO.numVolumes,
    "chapter-number": BIBO.chapter,
    "section": BIBO.section,
    "version": PRISM.versionIdentifier,
}

PUBLISHER = DCTERMS.publisher
_PUBLISHER_READ = (DCTERMS.publisher, DC.publisher, SCHEMA.publisher, SCHEMA_S.publisher)
_PLACE_READ = (VCARD.locality, VCARD_NW.locality, SCHEMA.location, CITEKIT.place)
LICENSE = DCTERMS.license
_LICENSE_READ = (DCTERMS.license, CC.license, SCHEMA.license, SCHEMA_S.license)
RIGHTS = DCTERMS.rights
_RIGHTS_READ = (DCTERMS.rights, DC.rights)
KEYWORD = DCTERMS.subject
_KEYWORD_READ = (DCTERMS.subject, DC.subject, SCHEMA.keywords, SCHEMA_S.keywords,
                 SCHEMA.about, PRISM.keyword)
_KEYWORD_LIST = CITEKIT.keywordList  # the keyword order, when it is not alphabetical
_MAIN_ENTITY = (SCHEMA.mainEntity, SCHEMA_S.mainEntity)
_IS_PART_OF = (DCTERMS.isPartOf, SCHEMA.isPartOf, SCHEMA_S.isPartOf, DC.isPartOf)
_IDENTIFIERS = (DCTERMS.identifier, DC.identifier, SCHEMA.identifier, OWL.sameAs,
                SCHEMA.sameAs, SCHEMA_S.sameAs)
_ID, _CSL_TYPE, _POSITION, _EXTRA = CITEKIT.id, CITEKIT.cslType, CITEKIT.position, CITEKIT.extra

_KNOWN: frozenset[Node] = frozenset({
    RDF.type, ZOTERO.itemType, _ID, _CSL_TYPE, _POSITION, _EXTRA, _DATES_EXACT, _KEYWORD_LIST,
    *(p for t in TEXT_TERMS if t.node == "item" for p in t.predicates),
    *_PAGES_READ, *_START_READ, *_END_READ,
    *(p for r in ROLE_TERMS.values() for p in (r.list_predicate, r.predicate, *r.read_lists,
                                               *r.read) if p is not None),
    *(p for pred, read in DATE_TERMS.values() for p in (pred, *read)),
    *EXTRA_TERMS.values(), *_PUBLISHER_READ, *_LICENSE_READ, *_RIGHTS_READ, *_KEYWORD_READ,
    *_IS_PART_OF, *_IDENTIFIERS,
})

# -- IRIs ---------------------------------------------------------------------------------

_HTTP_IRI = re.compile(
    r"^https?://[^\s/?#@:<>\"{}|\\^`%\[\]]+(?::\d{1,5})?"
    r"(?:[/?#](?:[^\s<>\"{}|\\^`%\x00-\x1f\x7f\[\]]|%[0-9A-Fa-f]{2})*)?$"
)
_DOI_IRI = re.compile(r"^https?://(dx\.)?doi\.org/", re.IGNORECASE)
_IRI_SAFE = "/!$&'()*+,;=:@-._~"


def is_http_iri(text: str) -> bool:
    """Whether ``text`` is an absolute http(s) IRI that every RDF parser accepts."""
    if not _HTTP_IRI.match(text):
        return False
    fragment = text.split("#", 1)
    return len(fragment) == 1 or "#" not in fragment[1]


def doi_iri(doi: str) -> str:
    """The ``https://doi.org/`` IRI of a bare DOI (characters IRIs forbid are escaped)."""
    return "https://doi.org/" + quote(doi, safe=_IRI_SAFE)


def _subject_candidates(article: Article) -> list[str]:
    out = []
    if article.doi:
        out.append(doi_iri(article.doi))
    if article.url and is_http_iri(article.url):
        out.append(article.url)
    out.append("urn:citekit:" + quote(article.id, safe=""))
    return out


def _id_from_subject(node: Node, index: int) -> str:
    if not isinstance(node, URIRef):
        return f"item-{index + 1}"
    text = str(node)
    if text.startswith("urn:citekit:"):
        return unquote(text[len("urn:citekit:"):])
    if _DOI_IRI.match(text):
        return normalize_doi(text)
    if text.startswith(BASE + "#"):
        return text[len(BASE) + 1:]
    return text


# -- CSL dates and JSON values --------------------------------------------------------------


def _date_to_json(date: Date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if date.start is not None:
        out["date-parts"] = [list(p.as_tuple()) for p in (date.start, date.end) if p]
    for key in ("season", "literal", "raw"):
        if getattr(date, key) is not None:
            out[key] = getattr(date, key)
    if date.circa:
        out["circa"] = True
    return out


def _date_from_json(value: Any) -> Date | None:
    if not isinstance(value, Mapping):
        return None
    try:
        points = [DatePart(*p) for p in value.get("date-parts", [])][:2]
        return Date(start=points[0] if points else None,
                    end=points[1] if len(points) > 1 else None,
                    season=value.get("season"), circa=bool(value.get("circa")),
                    literal=value.get("literal"), raw=value.get("raw"))
    except (ValidationError, TypeError):
        return None


def _date_literal(date: Date) -> Literal | None:
    """The standard literal for a date: XML Schema typed when it is a plain point,
    EDTF-typed when it has structure XML Schema lacks, plain text otherwise."""
    start = date.start
    if start is not None:
        simple = (date.end is None and not date.circa and date.season is None
                  and date.literal is None and date.raw is None
                  and (start.month is None or start.month <= 12) and 1 <= start.year <= 9999)
        if simple:
            kind = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}[len(start.as_tuple())]
            return Literal(start.isoformat(), datatype=kind)
        edtf = date.to_edtf()
        assert edtf is not None
        return Literal(edtf, datatype=EDTF)
    text = date.literal or date.raw
    return Literal(text) if text else None


def _date_from_literal(node: Node) -> Date | None:
    if isinstance(node, Literal):
        return parse_date_text(str(node))
    return None


def _to_json(value: Any) -> str:
    return json.dumps(thaw(value), ensure_ascii=False, separators=(",", ":"))


def _json_literal(value: Any) -> Literal:
    return Literal(_to_json(value), datatype=RDF.JSON)


def _from_json(node: Node) -> Any:
    try:
        return json.loads(str(node))
    except ValueError:
        return None


def _term_value(node: Node) -> Any:
    """An RDF term as an ``extra`` value (a JSON-LD-like form for IRIs and typed literals)."""
    if isinstance(node, URIRef):
        return FrozenMap({"@id": str(node)})
    assert isinstance(node, Literal)
    if node.language:
        return FrozenMap({"@value": str(node), "@language": node.language})
    if node.datatype is None or node.datatype == XSD.string:
        return str(node)
    if node.datatype == XSD.integer:
        try:
            return int(str(node))
        except ValueError:
            pass
    return FrozenMap({"@value": str(node), "@type": str(node.datatype)})


def _value_term(value: Any) -> Node | None:
    """Inverse of :func:`_term_value`; None when ``value`` has no RDF term form."""
    if isinstance(value, str):
        return Literal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Literal(str(value), datatype=XSD.integer)
    if isinstance(value, Mapping):
        keys = set(value)
        if keys == {"@id"} and isinstance(value["@id"], str) and is_http_iri(value["@id"]):
            return URIRef(value["@id"])
        if keys == {"@value", "@language"} and all(isinstance(v, str) for v in value.values()) \
                and re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", value["@language"]):
            return Literal(value["@value"], lang=value["@language"])
        if keys == {"@value", "@type"} and all(isinstance(v, str) for v in value.values()) \
                and is_http_iri(value["@type"]) and value["@type"] not in (
                    str(XSD.string), str(XSD.integer)):
            return Literal(value["@value"], datatype=URIRef(value["@type"]))
    return None


def _sort_key(value: Any) -> str:
    return json.dumps(thaw(value), sort_keys=True, ensure_ascii=False)


# -- writing -----------------------------------------------------------------------------


class _BlankNodes:
    """Blank nodes numbered in writing order, so that the same articles always give
    the same document."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0

    def __call__(self) -> BNode:
        self.count += 1
        return BNode(f"{self.prefix}{self.count}")

    def list(self, graph: Graph, items: Sequence[Node]) -> BNode:
        """An RDF list (``rdf:first``/``rdf:rest``) of ``items``; returns its head."""
        head = cell = self()
        for index, item in enumerate(items):
            graph.add((cell, RDF.first, item))
            following = self() if index + 1 < len(items) else RDF.nil
            graph.add((cell, RDF.rest, following))
            if isinstance(following, BNode):
                cell = following
        return head


def _name_node(graph: Graph, name: Name, new: _BlankNodes) -> BNode:
    node = new()
    parts_only_literal = name.literal is not None and all(
        getattr(name, p) is None for p in NAME_PARTS if p != "literal")
    if parts_only_literal:
        graph.add((node, RDF.type, FOAF.Organization))
        graph.add((node, FOAF.name, Literal(name.literal)))
    else:
        graph.add((node, RDF.type, FOAF.Person))
        for part, predicates in NAME_PARTS.items():
            value = getattr(name, part)
            if value is not None:
                graph.add((node, predicates[0], Literal(value)))
        graph.add((node, FOAF.name, Literal(str(name))))
    for flag, predicate in NAME_FLAGS.items():
        value = getattr(name, flag)
        if value is True or (flag == "parse_names" and value is False):
            graph.add((node, predicate, Literal(value)))
    if name.extra:
        graph.add((node, _EXTRA, _json_literal(name.extra)))
    return node


def _split_pages(page: str) -> tuple[str, str | None] | None:
    match = re.fullmatch(r"([^\s,;-]+)(?:-([^\s,;-]+))?", page)
    return (match.group(1), match.group(2)) if match else None


def _add_item(graph: Graph, article: Article, subject: URIRef, position: int | None,
              new: _BlankNodes) -> None:
    add = graph.add
    cls = TYPE_CLASSES[article.type]
    add((subject, RDF.type, cls))
    if CLASS_TYPES.get(cls) != article.type:
        add((subject, _CSL_TYPE, Literal(article.type)))
    if _id_from_subject(subject, 0) != article.id:
        add((subject, _ID, Literal(article.id)))
    if position is not None:
        add((subject, _POSITION, Literal(position)))
    nodes: dict[str, Node] = {"item": subject}
    if article.container_title or article.container_title_short or article.issn:
        container = new()
        add((container, RDF.type, CONTAINER_CLASSES.get(article.type, BIBO.Periodical)))
        add((subject, DCTERMS.isPartOf, container))
        nodes["container"] = container
    if article.collection_title:
        series = new()
        add((series, RDF.type, BIBO.Series))
        add((subject, DCTERMS.isPartOf, series))
        nodes["series"] = series
    for term in TEXT_TERMS:
        value = getattr(article, _TEXT_ATTRS[term.variable])
        if value is not None:
            add((nodes[term.node], term.predicate, Literal(value)))
    if article.page is not None:
        split = _split_pages(article.page)
        if split is not None:
            add((subject, PAGE_START, Literal(split[0])))
            if split[1] is not None:
                add((subject, PAGE_END, Literal(split[1])))
        if split is None or "-".join(p for p in split if p) != article.page:
            add((subject, PAGES, Literal(article.page)))
    if article.publisher or article.publisher_place:
        org = new()
        add((org, RDF.type, FOAF.Organization))
        if article.publisher:
            add((org, FOAF.name, Literal(article.publisher)))
        if article.publisher_place:
            address = new()
            add((address, RDF.type, VCARD.Address))
            add((address, VCARD.locality, Literal(article.publisher_place)))
            add((org, VCARD.adr, address))
        add((subject, PUBLISHER, org))
    if article.license is not None:
        if is_http_iri(article.license):
            add((subject, LICENSE, URIRef(article.license)))
        else:
            add((subject, RIGHTS, Literal(article.license)))
    for keyword in article.keywords:
        add((subject, KEYWORD, Literal(keyword)))
    if article.keywords != tuple(sorted(set(article.keywords))):
        add((subject, _KEYWORD_LIST, new.list(graph, [Literal(k) for k in article.keywords])))
    for role, names in article.names.items():
        role_term = ROLE_TERMS[role]
        name_nodes: list[Node] = [_name_node(graph, n, new) for n in names]
        add((subject, role_term.list_predicate, new.list(graph, name_nodes)))
        if role_term.predicate is not None:
            for node in name_nodes:
                add((subject, role_term.predicate, node))
    exact: dict[str, Any] = {}
    for variable, date in article.dates.items():
        literal = _date_literal(date)
        if literal is not None:
            add((subject, DATE_TERMS[variable][0], literal))
        if literal is None or _date_from_literal(literal) != date:
            exact[variable] = _date_to_json(date)
    if exact:
        add((subject, _DATES_EXACT, _json_literal(exact)))
    leftover: dict[str, Any] = {}
    for key, value in article.extra.items():
        if key.startswith("rdf:") and is_http_iri(key[4:]):
            values = value if isinstance(value, tuple) else (value,)
            terms = [_value_term(v) for v in values]
            canonical = tuple(sorted(values, key=_sort_key))
            if values and all(t is not None for t in terms) and values == canonical \
                    and len(set(terms)) == len(terms) and (len(values) > 1) == \
                    isinstance(value, tuple):
                for t in terms:
                    assert t is not None
                    add((subject, URIRef(key[4:]), t))
                continue
        elif key in EXTRA_TERMS and (
            isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
        ):
            value_term = _value_term(value)
            assert value_term is not None
            add((subject, EXTRA_TERMS[key], value_term))
            continue
        leftover[key] = value
    if leftover:
        add((subject, _EXTRA, _json_literal(leftover)))


def _add_flat_dc(graph: Graph, article: Article, subject: URIRef) -> None:
    for element, text in to_dc(article):
        graph.add((subject, DC[element], Literal(text)))


def _new_graph(profile: str) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.bind("rdf", RDF)
    if profile == "dc":
        graph.bind("dc", DC)
    else:
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
    return graph


def to_graph(articles: Sequence[Article], *, profile: str = "bibo",
             blank_prefix: str | None = None) -> Graph:
    """The RDF graph of ``articles``: DCMI Terms + BIBO + FOAF (``profile="bibo"``),
    or the 15 ``dc:`` elements only (``profile="dc"``).

    Blank nodes are numbered after ``blank_prefix`` (a fresh random prefix by default,
    so that graphs from separate calls can be merged without mixing their nodes)."""
    if profile not in ("bibo", "dc"):
        raise OptionError(f"profile must be 'bibo' or 'dc', not {profile!r}")
    graph = _new_graph(profile)
    new = _BlankNodes(blank_prefix if blank_prefix is not None else f"c{uuid4().hex[:12]}x")
    used: set[str] = set()
    for index, article in enumerate(articles):
        candidates = _subject_candidates(article)
        iri = next((c for c in candidates if c not in used), None)
        if iri is None:
            n = 2
            while f"{candidates[-1]}#{n}" in used:
                n += 1
            iri = f"{candidates[-1]}#{n}"
        used.add(iri)
        subject = URIRef(iri)
        if profile == "dc":
            _add_flat_dc(graph, article, subject)
        else:
            _add_item(graph, article, subject, index + 1 if len(articles) > 1 else None, new)
    return graph


# -- reading -----------------------------------------------------------------------------


class _ItemReader:
    """Reads one item node of a graph into an Article."""

    def __init__(self, graph: Graph, node: Node, index: int, source: str | None,
                 cache: dict[Node, dict[Node, list[Node]]] | None = None) -> None:
        self.g = graph
        self.cache = cache if cache is not None else {}
        self.consumed: set[Node] = set()
        self.zotero_dates: dict[str, Date] = {}
        self.used_ids: set[Node] = set()
        self.call_number: str | None = None
        self.node = node
        self.index = index
        self.source = source
        self.entry = _id_from_subject(node, index)

    def warn(self, message: str, field: str | None = None) -> None:
        warn(message, source=self.source, field=field, entry=self.entry, stacklevel=3)

    def props(self, node: Node) -> dict[Node, list[Node]]:
        """All of a node's properties at once (one store lookup instead of one per term)."""
        found = self.cache.get(node)
        if found is None:
            found = {}
            for predicate, obj in self.g.predicate_objects(node):
                found.setdefault(predicate, []).append(obj)
            self.cache[node] = found
        return found

    def objects(self, node: Node, predicates: Sequence[URIRef]) -> list[Node]:
        props = self.props(node)
        out: list[Node] = []
        for predicate in predicates:
            for obj in props.get(predicate, ()):
                if obj not in out:
                    out.append(obj)
        return out

    def text(self, node: Node, predicates: Sequence[URIRef]) -> str | None:
        props = self.props(node)
        for predicate in predicates:
            for obj in props.get(predicate, ()):
                value = self.literal_text(obj)
                if value:
                    return value
        return None

    def literal_text(self, obj: Node) -> str | None:
        if isinstance(obj, Literal):
            return str(obj) if str(obj).strip() else None
        if isinstance(obj, BNode):  # rdf:value / label of a structured value
            for predicate in (RDF.value, RDFS.label, FOAF.name, SCHEMA.name):
                for inner in self.g.objects(obj, predicate):
                    if isinstance(inner, Literal) and str(inner).strip():
                        return str(inner).strip()
        return None

    def types(self, node: Node) -> set[Node]:
        return set(self.props(node).get(RDF.type, ()))

    def members(self, node: Node) -> list[Node]:
        """The members of an RDF list or an ``rdf:Seq``/``rdf:Bag`` container, in order."""
        if (node, RDF.first, None) in self.g:
            return list(Collection(self.g, node))
        numbered = []
        for predicate, obj in self.g.predicate_objects(node):
            text = str(predicate)
            prefix = str(RDF) + "_"
            if text.startswith(prefix) and text[len(prefix):].isdigit():
                numbered.append((int(text[len(prefix):]), obj))
        return [obj for _, obj in sorted(numbered, key=lambda t: t[0])]

    # -- parts --

    def csl_type(self) -> str:
        explicit = self.text(self.node, (_CSL_TYPE,))
        if explicit is not None and explicit in CSL_TYPES:
            return explicit
        if explicit is not None:
            self.warn(f"citekit:cslType {explicit!r} is not a CSL type; the type is taken "
                      "from the class instead", "type")
        zotero = self.text(self.node, (ZOTERO.itemType,))
        if zotero is not None and zotero in ZOTERO_TYPES:
            return ZOTERO_TYPES[zotero]
        found = [CLASS_TYPES[t] for t in self.types(self.node)
                 if isinstance(t, URIRef) and t in CLASS_TYPES]
        specific = sorted({t for t in found if t != "document"})
        if "article-journal" in specific:
            return "article-journal"
        return specific[0] if specific else "document"

    def ancestors(self) -> tuple[list[Node], list[Node], list[Node]]:
        """(containers, issues, series) reachable through ``isPartOf``, nearest first."""
        containers: list[Node] = []
        issues: list[Node] = []
        series: list[Node] = []
        frontier = [self.node]
        seen = {self.node}
        for _ in range(4):
            following = []
            for node in frontier:
                for parent in self.objects(node, _IS_PART_OF):
                    if parent in seen or isinstance(parent, Literal):
                        continue
                    seen.add(parent)
                    kinds = self.types(parent)
                    if kinds & _SERIES_CLASSES:
                        series.append(parent)
                        continue
                    is_issue = kinds & _ISSUE_CLASSES and not kinds & _CONTAINER_KINDS
                    (issues if is_issue else containers).append(parent)
                    following.append(parent)
            frontier = following
        return containers, issues, series

    def name(self, node: Node, role: str) -> Name | None:
        if isinstance(node, Literal):
            from citekit.formats._dublincore import name_from_text

            return name_from_text(str(node))
        parts: dict[str, Any] = {}
        for part, predicates in NAME_PARTS.items():
            value = self.text(node, predicates)
            if value is not None:
                parts[part] = value
        for flag, predicate in NAME_FLAGS.items():
            for obj in self.props(node).get(predicate, ()):
                parts[flag] = str(obj).strip().lower() in ("true", "1")
        extra: dict[str, Any] = {}
        for obj in self.props(node).get(_EXTRA, ()):
            loaded = _from_json(obj)
            if isinstance(loaded, dict):
                extra.update(loaded)
        if isinstance(node, URIRef) and "orcid.org/" in str(node) and "ORCID" not in extra:
            extra["ORCID"] = str(node)
        if not any(k in parts for k in NAME_PARTS):
            full = self.text(node, _FULL_NAME)
            if full is None:
                self.warn("a name node has no name parts or name; skipped", role)
                return None
            if self.types(node) & _ORG_CLASSES:
                parts["literal"] = full
            else:
                from citekit.formats._dublincore import name_from_text

                parsed = name_from_text(full)
                assert parsed is not None
                parts.update({k: getattr(parsed, k) for k in NAME_PARTS
                              if getattr(parsed, k) is not None})
        try:
            return Name(**parts, extra=freeze(extra))
        except ValidationError as exc:
            self.warn(f"a name could not be read ({exc.message}); skipped", role)
            return None

    def names(self) -> dict[str, tuple[Name, ...]]:
        out: dict[str, tuple[Name, ...]] = {}
        for role, term in ROLE_TERMS.items():
            nodes: list[Node] = []
            for predicate in (term.list_predicate, *term.read_lists):
                for head in self.props(self.node).get(predicate, ()):
                    nodes = self.members(head)
                    if nodes:
                        break
                if nodes:
                    break
            if not nodes:
                plain = [term.predicate] if term.predicate is not None else []
                nodes = self.objects(self.node, [*plain, *term.read])
            names = [n for n in (self.name(node, role) for node in nodes) if n is not None]
            if names:
                out[role] = tuple(names)
        return out

    def dates(self, ancestors: Sequence[Node]) -> dict[str, Date]:
        out: dict[str, Date] = {}
        for variable, (predicate, read) in DATE_TERMS.items():
            places = [self.node, *ancestors] if variable == "issued" else [self.node]
            for place in places:
                for obj in self.objects(place, (predicate, *read)):
                    date = _date_from_literal(obj)
                    if date is not None:
                        out[variable] = date
                        break
                if variable in out:
                    break
        for obj in self.props(self.node).get(_DATES_EXACT, ()):
            exact = _from_json(obj)
            if isinstance(exact, dict):
                for variable, value in exact.items():
                    date = _date_from_json(value)
                    if variable in DATE_TERMS and date is not None:
                        out[variable] = date
        return out

    def read(self) -> Article:
        g, node = self.g, self.node
        values: dict[str, Any] = {"type": self.csl_type()}
        explicit_id = self.text(node, (_ID,))
        values["id"] = str(next(iter(g.objects(node, _ID)))) if explicit_id is not None \
            else self.entry
        self.entry = values["id"]
        containers, issues, series = self.ancestors()
        places = {"item": [node], "container": containers[:1], "series": series[:1]}
        for term in TEXT_TERMS:
            attr = _TEXT_ATTRS[term.variable]
            for place in places[term.node]:
                if term.variable == "ISSN":
                    found = sorted({t for t in (self.literal_text(o) for o in self.objects(
                        place, term.predicates)) if t})
                    if found:
                        values[attr] = ", ".join(found)
                    break
                value = self.text(place, term.predicates)
                if value is not None:
                    values[attr] = value
                    break
            if attr not in values and term.inherited:
                for place in [*issues, *containers]:
                    value = self.text(place, term.inherited)
                    if value is not None:
                        values[attr] = value
                        break
        if "collection_title" not in values:
            literal_series = [o for o in self.objects(node, _IS_PART_OF)
                              if isinstance(o, Literal)]
            if literal_series:
                key = "container_title" if values["type"] in CONTAINER_CLASSES \
                    else "collection_title"
                values.setdefault(key, str(literal_series[0]))
        if series and "collection_number" not in values:
            number = self.text(series[0], (BIBO.number, DC.identifier, DCTERMS.identifier,
                                           SCHEMA.position))
            if number is not None:
                values["collection_number"] = number
        zotero_extra = self.zotero(values) if self.text(node, (ZOTERO.itemType,)) else {}
        self.pages(values)
        self.identifiers(values, containers)
        self.publisher(values, containers)
        self.license(values)
        values["keywords"] = self.keywords()
        if self.call_number:
            zotero_extra["call-number"] = self.call_number
        values["names"] = self.names()
        values["dates"] = self.dates([*issues, *containers])
        for user_item in self.g.subjects(RES.resource, node):  # Bibliontology's z:UserItem
            accessed = self.text(user_item, (ZOTERO.accessDate,))
            date = parse_date_text(accessed) if accessed else None
            if date is not None:
                values["dates"].setdefault("accessed", date)
        if self.zotero_dates:
            values["dates"].pop("submitted", None)
            values["dates"].update(self.zotero_dates)
        values["extra"] = {**zotero_extra, **self.extra()}
        event = next((self.text(o, (DC.title, DCTERMS.title, RDFS.label)) for o in
                      self.objects(node, (BIB.presentedAt, BIBO.presentedAt))), None)
        if event:
            values["extra"].setdefault("event-title", event)
        try:
            return Article(**values)
        except ValidationError as exc:
            raise ValidationError(exc.field, exc.message, entry=self.entry) from None

    def pages(self, values: dict[str, Any]) -> None:
        full = self.text(self.node, _PAGES_READ)
        if full is not None:
            values["page"] = full
            return
        start = self.text(self.node, _START_READ)
        end = self.text(self.node, _END_READ)
        if start and end:
            values["page"] = f"{start}-{end}"
        elif start or end:
            values["page"] = start or end

    def zotero(self, values: dict[str, Any]) -> dict[str, Any]:
        """What Zotero RDF puts where other vocabularies mean something else: the access
        date is ``dcterms:dateSubmitted``, the Extra field ``dc:description``, the item's
        genre ``dc:type``; a few fields are ``z:`` properties."""
        extra: dict[str, Any] = {}
        self.consumed.update({DCTERMS.dateSubmitted, DC.description, DC.type})
        accessed = self.text(self.node, (DCTERMS.dateSubmitted,))
        if accessed:
            date = parse_date_text(accessed)
            if date is not None:
                self.zotero_dates["accessed"] = date
        note = self.text(self.node, (DC.description,))
        if note and "note" not in values:
            values["note"] = note
            if values.get("abstract") == note:
                del values["abstract"]
        genre = self.text(self.node, (DC.type,))
        if genre:
            extra["genre"] = genre
        for name, key in (("archive", "archive"), ("libraryCatalog", "source"),
                          ("numPages", "number-of-pages"), ("numberOfVolumes",
                                                            "number-of-volumes")):
            self.consumed.add(ZOTERO[name])
            text = self.text(self.node, (ZOTERO[name],))
            if text:
                extra[key] = text
        return extra

    def identifiers(self, values: dict[str, Any], containers: Sequence[Node]) -> None:
        subject = str(self.node) if isinstance(self.node, URIRef) else ""
        if "doi" not in values and _DOI_IRI.match(subject):
            values["doi"] = normalize_doi(subject)
        if "isbn" not in values and subject.lower().startswith("urn:isbn:"):
            values["isbn"] = subject[9:]
        for place in (self.node, *containers[:1]):
            for obj in self.objects(place, _IDENTIFIERS):
                text = str(obj) if isinstance(obj, URIRef) else self.literal_text(obj)
                if not text:
                    continue
                lower = text.lower()
                if _DOI_IRI.match(text) or lower.startswith(("doi:", "doi ", "info:doi/")) \
                        or re.match(r"^10\.\d{4,}/", text):
                    values.setdefault("doi", normalize_doi(re.sub(r"^doi\s+", "", text,
                                                                  flags=re.I)))
                elif lower.startswith(("isbn ", "urn:isbn:")):
                    values.setdefault("isbn", text.split(" ", 1)[-1].split(":")[-1].strip())
                elif lower.startswith(("issn ", "urn:issn:")):
                    values.setdefault("issn", text.split(" ", 1)[-1].split(":")[-1].strip())
                elif isinstance(obj, BNode) and lower.startswith(("http://", "https://")):
                    values.setdefault("url", text)
                else:
                    continue
                self.used_ids.add(obj)

    def publisher(self, values: dict[str, Any], containers: Sequence[Node]) -> None:
        for place in (self.node, *containers):
            for obj in self.objects(place, _PUBLISHER_READ):
                if isinstance(obj, Literal):
                    if str(obj).strip():
                        values.setdefault("publisher", str(obj))
                    continue
                name = self.text(obj, (FOAF.name, SCHEMA.name, SCHEMA_S.name, RDFS.label))
                if name is not None:
                    values.setdefault("publisher", name)
                place_text = self.text(obj, _PLACE_READ)
                if place_text is None:
                    for address in self.objects(obj, (VCARD.adr, VCARD_NW.adr,
                                                      SCHEMA.address)):
                        place_text = place_text or self.text(
                            address, (VCARD.locality, VCARD_NW.locality,
                                      SCHEMA.addressLocality))
                if place_text is not None:
                    values.setdefault("publisher_place", place_text)
            if "publisher" in values:
                return

    def license(self, values: dict[str, Any]) -> None:
        for obj in self.objects(self.node, (*_LICENSE_READ, *_RIGHTS_READ)):
            text = str(obj) if isinstance(obj, URIRef) else self.literal_text(obj)
            if text:
                values["license"] = text
                return

    def keywords(self) -> tuple[str, ...]:
        for head in self.props(self.node).get(_KEYWORD_LIST, ()):
            items = [str(m) for m in self.members(head) if isinstance(m, Literal)]
            if items:
                return tuple(items)
        found: set[str] = set()
        for predicate in _KEYWORD_READ:
            for obj in self.props(self.node).get(predicate, ()):
                if isinstance(obj, BNode):  # Zotero's automatic tags, call numbers
                    text = self.literal_text(obj)
                    if text and DCTERMS.LCC in self.types(obj):
                        self.call_number = text
                    elif text:
                        found.add(text)
                    continue
                if not isinstance(obj, Literal) or not str(obj).strip():
                    continue
                if predicate in (SCHEMA.keywords, SCHEMA_S.keywords) and "," in str(obj):
                    found.update(k.strip() for k in str(obj).split(",") if k.strip())
                else:
                    found.add(str(obj))
        return tuple(sorted(found))

    def extra(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for obj in self.props(self.node).get(_EXTRA, ()):
            loaded = _from_json(obj)
            if not isinstance(loaded, dict):
                self.warn(f"citekit:extra is not a JSON object; ignored: {str(obj)[:60]!r}")
                continue
            for key, value in loaded.items():
                if key in RESERVED_EXTRA_KEYS:
                    self.warn(f"citekit:extra names the modelled variable {key!r}; kept as "
                              f"extra['citekit:{key}']")
                    key = f"citekit:{key}"
                out[key] = value
        for key, term in EXTRA_TERMS.items():
            for obj in self.props(self.node).get(term, ()):
                value = _term_value(obj)
                if not isinstance(value, Mapping):
                    out.setdefault(key, value)
        unknown: dict[str, list[Any]] = {}
        dropped: list[str] = []
        for pred, obj in self.g.predicate_objects(self.node):
            predicate: Node = pred
            if predicate in self.consumed or predicate in (BIB.presentedAt, BIBO.presentedAt):
                continue
            unused_id = predicate in _IDENTIFIERS and obj not in self.used_ids
            if predicate in _KNOWN and not unused_id and not (predicate in _KEYWORD_READ
                                                              and isinstance(obj, URIRef)):
                continue
            if isinstance(obj, BNode):
                if str(predicate) not in dropped:
                    dropped.append(str(predicate))
                continue
            unknown.setdefault(f"rdf:{predicate}", []).append(_term_value(obj))
        for key, found in unknown.items():
            ordered = sorted(found, key=_sort_key)
            out[key] = ordered[0] if len(ordered) == 1 else tuple(ordered)
        if dropped:
            self.warn("properties with structured (blank node) values were not kept: "
                      + ", ".join(dropped))
        return out


def _is_flat_dc(graph: Graph, node: Node) -> bool:
    predicates = set(graph.predicates(node, None))
    return bool(predicates) and all(str(p).startswith(str(DC)) for p in predicates)


def _find_items(graph: Graph, text: str = "") -> list[Node]:
    parts = {o for p in _IS_PART_OF for o in graph.objects(None, p)}
    main = {o for p in _MAIN_ENTITY for o in graph.objects(None, p)}
    nested = {o for o in graph.objects() if isinstance(o, BNode)} - main
    wrappers = {s for p in _MAIN_ENTITY for s in graph.subjects(p, None)}
    name_nodes = {o for r in ROLE_TERMS.values() for p in (r.predicate, *r.read)
                  if p is not None for o in graph.objects(None, p)}
    items: list[Node] = []
    for node in dict.fromkeys(graph.subjects()):
        if node in parts or node in name_nodes or node in items or node in nested \
                or node in wrappers:
            continue
        kinds = set(graph.objects(node, RDF.type))
        item_type = next((str(o) for o in graph.objects(node, ZOTERO.itemType)), None)
        if item_type in ("attachment", "note") or kinds & _NOT_ITEMS:
            continue
        predicates = set(graph.predicates(node, None))
        if (_ID in predicates or _CSL_TYPE in predicates or kinds & set(CLASS_TYPES)
                or item_type or _is_flat_dc(graph, node)
                or predicates & {DCTERMS.title, DC.title, SCHEMA.name, SCHEMA_S.name}):
            if (node, RDF.first, None) in graph:
                continue
            items.append(node)

    def position(node: Node) -> tuple[int, int]:
        explicit = 0
        for obj in graph.objects(node, _POSITION):
            with suppress(ValueError):
                explicit = int(str(obj))
        return explicit, _text_position(graph, node, text)

    return sorted(items, key=position)


def _text_position(graph: Graph, node: Node, text: str) -> int:
    """Where a node is described in the source text (graphs have no order of their own)."""
    probes: list[str] = []
    if isinstance(node, URIRef):
        iri = str(node)
        probes += [iri, iri[len(BASE):]] if iri.startswith(BASE) else [iri]
    for predicate in (_ID, DCTERMS.title, DC.title, SCHEMA.name, SCHEMA_S.name):
        probes += [str(o) for o in graph.objects(node, predicate) if isinstance(o, Literal)]
    for probe in probes:
        where = text.find(probe) if probe else -1
        if where >= 0:
            return where
    return len(text)


def from_graph(graph: Graph, *, source: str | None = None, text: str = "") -> list[Article]:
    """The Articles an RDF graph describes (see the module docs for what is read).

    Items come in the order citekit wrote them (``citekit:position``), else in the
    order the source ``text`` (when given) first mentions them. Items that cannot
    be read are reported together in one :class:`~citekit.errors.ParseError`, which
    carries the items that were read."""
    articles = []
    problems: list[Problem] = []
    cache: dict[Node, dict[Node, list[Node]]] = {}
    items = _find_items(graph, text)
    for index, node in enumerate(items):
        try:
            if _is_flat_dc(graph, node):
                pairs = [(str(p)[len(str(DC)):], str(o)) for p, o in
                         graph.predicate_objects(node) if isinstance(o, Literal)]
                article, _ = from_dc(pairs, id=_id_from_subject(node, index))
            else:
                article = _ItemReader(graph, node, index, source, cache).read()
        except ValidationError as exc:
            entry = exc.entry or _id_from_subject(node, index)
            problems.append(Problem(f"item {entry!r}: {exc.message} (field {exc.field!r})",
                                    source=source, entry=entry))
            continue
        articles.append(article)
    if problems:
        raise ParseError(f"{len(problems)} of {len(items)} items could not be read",
                         source=source, problems=problems, articles=articles)
    return articles


# -- syntaxes ----------------------------------------------------------------------------

#: Remote JSON-LD contexts citekit knows; they are replaced by these local equivalents.
KNOWN_CONTEXTS: dict[str, dict[str, Any]] = {
    url: {"@vocab": "http://schema.org/"}
    for url in ("http://schema.org", "https://schema.org", "http://schema.org/",
                "https://schema.org/", "https://schema.org/docs/jsonldcontext.json",
                "http://schema.org/docs/jsonldcontext.json")
}


def _local_contexts(value: Any, source: str | None) -> Any:
    """Replace remote ``@context`` references by local ones (or drop them with a warning)
    everywhere in a JSON-LD document, so that nothing is ever fetched."""
    if isinstance(value, list):
        return [_local_contexts(v, source) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "@context":
            cleaned = _clean_context(item, source)
            if cleaned is not None:
                out[key] = cleaned
        elif key == "@import":
            warn(f"JSON-LD @import {item!r} is not fetched; ignored", source=source,
                 field="@context")
        else:
            out[key] = _local_contexts(item, source)
    return out


def _clean_context(context: Any, source: str | None) -> Any:
    if isinstance(context, str):
        if context in KNOWN_CONTEXTS:
            return KNOWN_CONTEXTS[context]
        warn(f"remote JSON-LD context {context!r} is not fetched; terms it defines are "
             "not read", source=source, field="@context")
        return None
    if isinstance(context, list):
        kept = [c for c in (_clean_context(c, source) for c in context) if c is not None]
        return kept or None
    if isinstance(context, dict):
        return _local_contexts(context, source)
    return context


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal; the reader handles those itself."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        logger.setLevel(level)


_SYNTAX_NAMES = {"turtle": "Turtle", "xml": "RDF/XML", "json-ld": "JSON-LD", "nt": "N-Triples"}


def load_graph(text: str, syntax: str, *, source: str | None = None) -> Graph:
    """Parse RDF text (``syntax``: ``turtle``, ``xml``, ``json-ld`` or ``nt``) into a
    graph, safely; :class:`~citekit.errors.ParseError` for text that is not valid."""
    graph = Graph()
    what = _SYNTAX_NAMES[syntax]
    data: str | bytes = text
    if syntax == "xml":
        root = parse_xml(text, source=source, what="RDF/XML")
        data = etree.tostring(root, encoding="utf-8")
    elif syntax == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno,
                             column=exc.colno) from None
        data = json.dumps(_local_contexts(document, source))
    try:
        with _quiet_rdflib():
            graph.parse(data=data, format=syntax, publicID=BASE)
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        message = " ".join(str(exc).split())
        match = re.search(r"line (\d+)", message)
        line = int(match.group(1)) if match else None
        snippet = re.search(r"Invalid line: (.+)$", message)
        if line is None and snippet and isinstance(data, str):
            where = data.find(snippet.group(1).strip()[:60])
            line = data.count("\n", 0, where) + 1 if where >= 0 else None
        raise ParseError(f"not valid {what}: {message[:300]}", source=source,
                         line=line) from None
    return graph


def _parser(syntax: str) -> Any:
    def parse(text: str, *, source: str | None = None, **options: Any) -> list[Article]:
        if options:
            raise OptionError(f"{_SYNTAX_NAMES[syntax]} reading takes no option "
                              + ", ".join(options))
        graph = load_graph(text, syntax, source=source)
        return from_graph(graph, source=source, text=text)

    parse.__doc__ = f"Read {_SYNTAX_NAMES[syntax]} into Articles."
    parse.__name__ = f"parse_{syntax.replace('-', '')}"
    return parse


JSONLD_CONTEXT: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def serialize(graph: Graph, syntax: str) -> str:
    """Serialise a graph as ``syntax`` (``turtle``, ``xml``, ``json-ld``, ``nt``)."""
    if syntax == "json-ld":
        return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2)
    if syntax == "xml":
        return graph.serialize(format="xml")
    if syntax == "nt":  # one statement per line, in a stable order
        lines = graph.serialize(format="nt").splitlines()
        return "".join(line + "\n" for line in sorted(line for line in lines if line.strip()))
    return graph.serialize(format=syntax)


def _dumper(syntax: str, default_profile: str = "bibo") -> Any:
    def dump(articles: Sequence[Article], *, profile: str = default_profile,
             **options: Any) -> str:
        if options:
            raise OptionError(f"{_SYNTAX_NAMES[syntax]} writing takes the option profile "
                              f"(bibo or dc), not {', '.join(options)}")
        return serialize(to_graph(articles, profile=profile, blank_prefix="b"), syntax)

    dump.__doc__ = f"Write Articles as {_SYNTAX_NAMES[syntax]}."
    dump.__name__ = f"dump_{syntax.replace('-', '')}"
    return dump


def _dc_dumper() -> Any:
    def dump(articles: Sequence[Article], *, syntax: str = "xml", **options: Any) -> str:
        if options:
            raise OptionError(f"Dublin Core writing takes the option syntax, not "
                              f"{', '.join(options)}")
        if syntax not in _SYNTAX_NAMES:
            raise OptionError(f"syntax must be one of {', '.join(_SYNTAX_NAMES)}")
        return serialize(to_graph(articles, profile="dc", blank_prefix="b"), syntax)

    dump.__doc__ = "Write Articles as simple (unqualified) Dublin Core, in RDF/XML."
    return dump


# -- sniffing ----------------------------------------------------------------------------

_NT_TERM = r'(?:<[^<>"{}|^`\\\s]*>|_:[A-Za-z0-9_][\w.-]*)'
_NT_LINE = re.compile(
    rf'^\s*{_NT_TERM}\s+<[^<>"{{}}|^`\\\s]*>\s+'
    rf'(?:{_NT_TERM}|"(?:[^"\\\n\r]|\\.)*"(?:\^\^<[^<>\s]*>|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?)'
    r"\s*\.\s*(?:#.*)?$"
)
_TURTLE_START = re.compile(r"^\s*(?:@prefix|@base|PREFIX\s|BASE\s)", re.IGNORECASE)
# Without prefix declarations a Turtle triple starts with an IRI, a blank node or "[".
_TURTLE_TRIPLE = re.compile(r"^\s*(?:<[^<>\s]*>|_:[\w.-]+|\[)\s*(?:<[^<>\s]*>|a\s|\])")


def _content_lines(text: str) -> list[str]:
    lines = text.splitlines()
    if lines and not text.endswith(("\n", "\r")) and len(text) >= 4096:
        lines = lines[:-1]  # the sniffer sees a cut-off head: ignore its last line
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def sniff_ntriples(text: str) -> bool:
    """Every line is one N-Triples statement (or a comment)."""
    lines = _content_lines(text)
    return bool(lines) and all(_NT_LINE.match(line) for line in lines)


def sniff_turtle(text: str) -> bool:
    """Turtle that is not plain N-Triples (prefix declarations, or triples that use
    prefixed names, ``a`` or ``;``)."""
    if sniff_ntriples(text):
        return False
    lines = _content_lines(text)
    if not lines:
        return False
    return bool(_TURTLE_START.match(lines[0]) or _TURTLE_TRIPLE.match(lines[0]))


def sniff_rdfxml(text: str) -> bool:
    """XML whose root element is ``rdf:RDF``."""
    root = first_element(text)
    if root is None or root.split(":")[-1] != "RDF":
        return False
    return "http://www.w3.org/1999/02/22-rdf-syntax-ns#" in text


def sniff_jsonld(text: str) -> bool:
    """JSON with JSON-LD keywords (``@context``, ``@graph``, ``@id``)."""
    head = text.lstrip()
    return head.startswith(("{", "[")) and bool(
        re.search(r'"@(context|graph|id)"\s*:', head[:4096]))


_KEEP_ALL = None
_DC_KEEPS = frozenset({"title", "abstract", "publisher", "DOI", "ISBN", "language", "license"})

_RDF_FORMATS = (
    Format(
        name="turtle",
        aliases=("ttl",),
        extensions=("ttl",),
        media_type="text/turtle",
        parse=_parser("turtle"),
        dump=_dumper("turtle"),
        sniff=sniff_turtle,
        description="RDF as Turtle (DCMI Terms, BIBO, FOAF)",
        keeps=_KEEP_ALL,
    ),
    Format(
        name="rdfxml",
        aliases=("rdf-xml", "rdf/xml", "rdf"),
        extensions=("rdf", "owl"),
        media_type="application/rdf+xml",
        parse=_parser("xml"),
        dump=_dumper("xml"),
        sniff=sniff_rdfxml,
        decode=decode_xml,
        description="RDF/XML (DCMI Terms, BIBO, FOAF); reads Zotero RDF and Bibliontology",
        keeps=_KEEP_ALL,
    ),
    Format(
        name="jsonld",
        aliases=("json-ld",),
        extensions=("jsonld",),
        media_type="application/ld+json",
        parse=_parser("json-ld"),
        dump=_dumper("json-ld"),
        sniff=sniff_jsonld,
        description="RDF as JSON-LD (DCMI Terms, BIBO, FOAF; reads schema.org)",
        keeps=_KEEP_ALL,
    ),
    Format(
        name="nt",
        aliases=("ntriples", "n-triples"),
        extensions=("nt",),
        media_type="application/n-triples",
        parse=_parser("nt"),
        dump=_dumper("nt"),
        sniff=sniff_ntriples,
        description="RDF as N-Triples (DCMI Terms, BIBO, FOAF)",
        keeps=_KEEP_ALL,
    ),
)
# The flat profile reads with the RDF/XML reader (one parser: sniffing treats them as one).
FORMATS: tuple[Format, ...] = (*_RDF_FORMATS, Format(
    name="dc",
    aliases=("dublin-core", "simple-dc", "dc-rdfxml"),
    media_type="application/rdf+xml",
    parse=_RDF_FORMATS[1].parse,
    decode=decode_xml,
    dump=_dc_dumper(),
    description="Simple (unqualified) Dublin Core: the 15 dc: elements, in RDF/XML",
    keeps=_DC_KEEPS,
))
