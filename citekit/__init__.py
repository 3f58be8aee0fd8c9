"""citekit: bibliographic metadata in one canonical record.

* :class:`Article` (and :class:`Name`, :class:`Date`) -- the CSL item model;
* :func:`load`, :func:`loads`, :func:`dump`, :func:`dumps` -- read and write any
  registered format (CSL-JSON, and the formats that plug into the registry);
* :func:`bibliography`, :func:`citation` -- render in APA, Vancouver or any CSL style.
"""

from citekit.csl.document import Document
from citekit.errors import (
    CitekitError,
    CitekitWarning,
    ParseError,
    RenderError,
    UnknownFormatError,
    UnknownLocaleError,
    UnknownStyleError,
    ValidationError,
)
from citekit.formats import dump, dumps, load, loads
from citekit.model import Article, Date, DatePart, FrozenMap, Name
from citekit.render import bibliography, citation

__version__ = "0.1.0"

__all__ = [
    "Article",
    "CitekitError",
    "CitekitWarning",
    "Date",
    "DatePart",
    "Document",
    "FrozenMap",
    "Name",
    "ParseError",
    "RenderError",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UnknownStyleError",
    "ValidationError",
    "__version__",
    "bibliography",
    "citation",
    "dump",
    "dumps",
    "load",
    "loads",
]
