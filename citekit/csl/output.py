"""Output formats: serialisations of the rendered blob tree.

``text`` (plain Unicode), ``html`` (the reference processor's markup: each
bibliography entry a ``<div class="csl-entry">``, ``csl-left-margin`` and
``csl-right-inline`` for a second-field-aligned number, ``<i>``, ``<b>``,
small caps as a styled ``<span>``, ``&#38;`` escaping) and ``markdown``.

A blob's decorations wrap its content; its affixes go outside them; display
wrappers (``@display``) go outside the affixes of a group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from citekit.csl.richtext import Blob, QuoteTerms

__all__ = ["FORMATS", "OutputFormat", "get_output_format", "serialise"]

_SUPERSCRIPT_CHARS = (
    "\u00aa\u00b2\u00b3\u00b9\u00ba\u02b0\u02b1\u02b2\u02b3\u02b4\u02b5\u02b6\u02b7\u02b8"
    "\u02e0\u02e1\u02e2\u02e3\u02e4\u1d2c\u1d2d\u1d2e\u1d30\u1d31\u1d32\u1d33\u1d34\u1d35"
    "\u1d36\u1d37\u1d38\u1d39\u1d3a\u1d3c\u1d3d\u1d3e\u1d3f\u1d40\u1d41\u1d42\u1d43\u1d44"
    "\u1d45\u1d46\u1d47\u1d48\u1d49\u1d4a\u1d4b\u1d4c\u1d4d\u1d4f\u1d50\u1d51\u1d52\u1d53"
    "\u1d54\u1d55\u1d56\u1d57\u1d58\u1d59\u1d5a\u1d5b\u1d5c\u1d5d\u1d5e\u1d5f\u1d60\u1d61"
    "\u2070\u2071\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b\u207c\u207d\u207e\u207f"
    "\u2120\u2122\u3192\u3193\u3194\u3195\u3196\u3197\u3198\u3199\u319a\u319b\u319c\u319d"
    "\u319e\u319f\u02c0\u02c1\u06e5\u06e6"
)


def _base_of(char: str) -> str:
    decomposition = unicodedata.decomposition(char)
    if decomposition.startswith("<super>"):
        return "".join(chr(int(code, 16)) for code in decomposition.split()[1:])
    if char == "\u207b":
        return "\u2212"
    if char in "\u06e5\u06e6":
        return {"\u06e5": "\u0648", "\u06e6": "\u064a"}[char]
    return char


#: superscript characters -> what HTML puts in ``<sup>`` instead
SUPERSCRIPTS = {c: _base_of(c) for c in _SUPERSCRIPT_CHARS}
_SUPERSCRIPT_RE = re.compile("[" + re.escape(_SUPERSCRIPT_CHARS) + "]")


_DOUBLE_SPACE = re.compile(r"\s\s")


def _html_escape(text: str) -> str:
    if not text:
        return ""
    text = text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")
    # as the reference processor's HTML escaping: every pair of white-space
    # characters becomes a no-break space and a space (a raw U+00A0)
    text = _DOUBLE_SPACE.sub("\u00a0 ", text)
    if _SUPERSCRIPT_RE.search(text):
        text = _SUPERSCRIPT_RE.sub(lambda m: "<sup>" + SUPERSCRIPTS[m.group(0)] + "</sup>", text)
    return text


def _text_escape(text: str) -> str:
    return text


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})


def _markdown_escape(text: str) -> str:
    return text.translate(_MARKDOWN_SPECIAL)


@dataclass(frozen=True)
class OutputFormat:
    """How one output format writes decorations, displays and entries."""

    name: str
    escape: object
    #: (attribute, value) -> (before, after); missing means "no markup"
    tags: dict[tuple[str, str], tuple[str, str]]
    displays: dict[str, tuple[str, str]]
    entry_open: str = ""
    entry_close: str = ""
    body_open: str = ""
    body_close: str = ""
    entry_sep: str = "\n"

    def text(self, value: str) -> str:
        escape = self.escape
        assert callable(escape)
        result: str = escape(value)
        return result

    def entry(self, content: str, fold: bool = True) -> str:
        """One bibliography entry; with ``fold``, on one line (the line breaks of
        display divisions folded to spaces)."""
        text = self.entry_open + content + self.entry_close
        return re.sub(r"\n\s*", " ", text) if fold else text

    def body(self, entries: Sequence[str]) -> str:
        """A whole bibliography from its entries (as :meth:`entry` made them)."""
        if self.name == "html":
            return self.body_open + "".join(f"  {e}\n" for e in entries) + self.body_close
        return self.body_open + self.entry_sep.join(entries) + self.body_close


TEXT = OutputFormat(
    "text", _text_escape, {},
    displays={"block": ("\n", ""), "left-margin": ("", ""), "right-inline": (" ", ""),
              "indent": ("\n    ", "")},
)

HTML = OutputFormat(
    "html", _html_escape,
    {
        ("@font-style", "italic"): ("<i>", "</i>"),
        ("@font-style", "oblique"): ("<em>", "</em>"),
        ("@font-style", "normal"): ('<span style="font-style:normal;">', "</span>"),
        ("@font-variant", "small-caps"): ('<span style="font-variant:small-caps;">', "</span>"),
        ("@font-variant", "normal"): ('<span style="font-variant:normal;">', "</span>"),
        ("@font-weight", "bold"): ("<b>", "</b>"),
        ("@font-weight", "normal"): ('<span style="font-weight:normal;">', "</span>"),
        ("@text-decoration", "none"): ('<span style="text-decoration:none;">', "</span>"),
        ("@text-decoration", "underline"): ('<span style="text-decoration:underline;">',
                                            "</span>"),
        ("@vertical-align", "sup"): ("<sup>", "</sup>"),
        ("@vertical-align", "sub"): ("<sub>", "</sub>"),
        ("@vertical-align", "baseline"): ('<span style="baseline">', "</span>"),
    },
    displays={"block": ('\n\n    <div class="csl-block">', "</div>\n"),
              "left-margin": ('\n    <div class="csl-left-margin">', "</div>"),
              "right-inline": ('<div class="csl-right-inline">', "</div>\n  "),
              "indent": ('<div class="csl-indent">', "</div>\n  ")},
    entry_open='<div class="csl-entry">', entry_close="</div>",
    body_open='<div class="csl-bib-body">\n', body_close="</div>",
)

MARKDOWN = OutputFormat(
    "markdown", _markdown_escape,
    {
        ("@font-style", "italic"): ("*", "*"),
        ("@font-style", "oblique"): ("*", "*"),
        ("@font-weight", "bold"): ("**", "**"),
        ("@vertical-align", "sup"): ("^", "^"),
        ("@vertical-align", "sub"): ("~", "~"),
    },
    displays={"block": ("\n", ""), "left-margin": ("", ""), "right-inline": (" ", ""),
              "indent": ("\n    ", "")},
    entry_sep="\n\n",
)

FORMATS: dict[str, OutputFormat] = {"text": TEXT, "html": HTML, "markdown": MARKDOWN}


def get_output_format(name: str) -> OutputFormat:
    """The output format called ``name`` (``text``, ``html`` or ``markdown``)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown output format {name!r}; expected one of "
                         f"{', '.join(FORMATS)}") from None


_OUTER = frozenset({"@display", "@bibliography", "@cite"})


_NORMALISABLE = frozenset({"@font-style", "@font-variant", "@font-weight"})


def serialise(blob: Blob, fmt: OutputFormat, quotes: QuoteTerms,
              inherited: dict[str, str] | None = None) -> str:
    """The string for ``blob`` in ``fmt``. ``inherited`` is the formatting of the
    enclosing blobs: a ``normal`` with nothing to undo prints nothing (CSL 1.0.2
    "Formatting": "normal" resets formatting set on an enclosing element)."""
    outer = inherited or {}
    decorations = blob.decorations
    if decorations:
        kept = [(attr, value) for attr, value in decorations
                if value != "normal" or attr not in _NORMALISABLE
                or outer.get(attr, "normal") != "normal"]
        if kept:
            outer = dict(outer)
            outer.update(kept)
        decorations = kept
    kids = blob.blobs
    if isinstance(kids, str):
        if not kids:
            return ""
        body = fmt.text(kids)
        body = _decorate(body, decorations, fmt, quotes, outer=None)
        return fmt.text(blob.prefix) + body + fmt.text(blob.suffix)
    parts = [p for p in (serialise(child, fmt, quotes, outer) for child in kids) if p]
    if not parts:
        return ""
    body = fmt.text(blob.delimiter).join(parts)
    body = _decorate(body, decorations, fmt, quotes, outer=False)
    body = fmt.text(blob.prefix) + body + fmt.text(blob.suffix)
    return _decorate(body, decorations, fmt, quotes, outer=True)


def _decorate(body: str, decorations: list[tuple[str, str]], fmt: OutputFormat,
              quotes: QuoteTerms, outer: bool | None) -> str:
    for attr, value in decorations:
        if outer is not None and (attr in _OUTER) != outer:
            continue
        if attr == "@quotes":
            if value == "true":
                body = quotes.open + body + quotes.close
            elif value == "inner":
                body = quotes.open_inner + body + quotes.close_inner
        elif attr == "@display":
            before, after = fmt.displays.get(value, ("", ""))
            body = before + body + after
        elif attr in ("@bibliography", "@cite", "@class"):
            continue
        else:
            tag = fmt.tags.get((attr, value))
            if tag is not None:
                body = tag[0] + body + tag[1]
    return body
