"""The intermediate rich-text tree every rendering produces.

A rendered citation or bibliography entry is a tree of :class:`Blob` objects,
as in the reference processor: a blob holds either a string (a leaf) or a list
of child blobs, plus the *affixes* (``prefix``, ``suffix``), the *delimiter*
that joins its children and the *decorations* (CSL formatting: ``font-style``,
``font-variant``, ``font-weight``, ``text-decoration``, ``vertical-align``,
``quotes``, ``display``). Punctuation is normalised on that tree
(:mod:`citekit.csl.punctuation`) before it is serialised to text, HTML or
Markdown (:mod:`citekit.csl.output`): the three formats are serialisations of
one result.

Field values may carry CSL rich-text markup (``<i>``, ``<b>``, ``<sup>``,
``<sub>``, ``<sc>``, ``<span style="font-variant:small-caps;">``,
``<span class="nocase">``, ``<span class="nodecor">``) and straight or curly
quotation marks. :func:`parse_markup` turns such a string into blobs (CSL
1.0.2, appendix "Rich text markup within fields"). A decoration that comes
from markup is *relative* ("flip-flop"): ``<i>`` inside italic text renders
upright and a quoted phrase inside quotes takes the inner quotation marks,
relative to the decorations of the element rendering the value and of the
layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = ["Blob", "QuoteTerms", "parse_markup", "plain_text", "strip_markup"]


Decoration = tuple[str, str]


class Blob:
    """One node of a rendered result.

    ``blobs`` is the content: a string (a leaf) or a list of child blobs.
    ``num`` is set on numeric leaves that may be collapsed into ranges
    (citation numbers, year suffixes).
    """

    __slots__ = ("blobs", "decorations", "delimiter", "kind", "num", "prefix", "suffix")

    def __init__(self, blobs: str | list[Blob] | None = None, *, prefix: str = "",
                 suffix: str = "", delimiter: str = "",
                 decorations: Sequence[Decoration] = (), kind: str = "") -> None:
        self.blobs: str | list[Blob] = [] if blobs is None else blobs
        self.prefix = prefix
        self.suffix = suffix
        self.delimiter = delimiter
        self.decorations: list[Decoration] = list(decorations)
        self.num: int | None = None
        #: What produced the blob, for passes that need to know (``names``, ``date``...).
        self.kind = kind

    @property
    def is_leaf(self) -> bool:
        return isinstance(self.blobs, str)

    def __repr__(self) -> str:
        parts = []
        if self.prefix:
            parts.append(f"prefix={self.prefix!r}")
        if self.suffix:
            parts.append(f"suffix={self.suffix!r}")
        if self.delimiter:
            parts.append(f"delimiter={self.delimiter!r}")
        if self.decorations:
            parts.append(f"decorations={self.decorations!r}")
        return f"Blob({self.blobs!r}{''.join(', ' + p for p in parts)})"

    def text(self) -> str:
        """The plain text of the blob (affixes and delimiters included, no markup)."""
        if isinstance(self.blobs, str):
            body = self.blobs
        else:
            body = self.delimiter.join(t for t in (b.text() for b in self.blobs) if t)
        if not body:
            return ""
        return self.prefix + body + self.suffix

    def leaves(self) -> Iterator[Blob]:
        """The leaf blobs, in order."""
        if isinstance(self.blobs, str):
            yield self
        else:
            for child in self.blobs:
                yield from child.leaves()

    def copy(self) -> Blob:
        """A deep copy."""
        blobs = self.blobs if isinstance(self.blobs, str) else [b.copy() for b in self.blobs]
        new = Blob(blobs, prefix=self.prefix, suffix=self.suffix, delimiter=self.delimiter,
                   decorations=self.decorations, kind=self.kind)
        new.num = self.num
        return new


@dataclass(frozen=True)
class QuoteTerms:
    """The locale's quotation marks."""

    open: str = "\u201c"
    close: str = "\u201d"
    open_inner: str = "\u2018"
    close_inner: str = "\u2019"


# -- markup in field values ---------------------------------------------------------------

_NOCASE = '<span class="nocase">'
_NODECOR = '<span class="nodecor">'
_SMALLCAPS = '<span style="font-variant:small-caps;">'

#: opener -> (kind, closer, attribute, value when not nested, flip table)
_TAGS: dict[str, tuple[str, str, str, str, dict[str, str]]] = {
    _NOCASE: ("nocase", "</span>", "", "", {}),
    _NODECOR: ("nodecor", "</span>", "@class", "nodecor", {}),
    _SMALLCAPS: ("tag", "</span>", "@font-variant", "small-caps",
                 {"small-caps": "normal", "normal": "small-caps"}),
    "<sc>": ("tag", "</sc>", "@font-variant", "small-caps",
             {"small-caps": "normal", "normal": "small-caps"}),
    "<i>": ("tag", "</i>", "@font-style", "italic", {"italic": "normal", "normal": "italic"}),
    "<b>": ("tag", "</b>", "@font-weight", "bold", {"bold": "normal", "normal": "bold"}),
    "<sup>": ("tag", "</sup>", "@vertical-align", "sup", {"sub": "sup", "sup": "sup"}),
    "<sub>": ("tag", "</sub>", "@vertical-align", "sub", {"sup": "sub", "sub": "sub"}),
}
_QUOTE_FLIP = {"true": "inner", "inner": "true", "false": "true"}
_TAG_CLOSERS = frozenset(t[1] for t in _TAGS.values())
_STRAIGHT = (' "', " '", '"', "'")

_SPAN_SMALLCAPS = re.compile(r'(<span)\s+(style="font-variant:)\s*(small-caps);?"[^>]*(>)')
_SPAN_CLASS = re.compile(r'(<span)\s+(class="no(?:case|decor)")[^>]*(>)')

#: Markup any of which makes a value need parsing.
_MARKUP_HINT = re.compile(r"[<\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a]")


def _superscripts() -> dict[str, str]:
    """Unicode superscript characters (compatibility-decomposed as <super>) and
    the characters they raise: "²" is a raised "2"."""
    import sys
    import unicodedata

    table = {}
    for code in range(0xA0, min(sys.maxunicode, 0x2100)):
        char = chr(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition.startswith("<super> "):
            base = "".join(chr(int(h, 16)) for h in decomposition.split()[1:])
            table[char] = base
    # modifier letters that are raised forms without a decomposition
    table.update({"\u02c0": "\u0294", "\u02c1": "\u0295"})
    return table


SUPERSCRIPTS = _superscripts()
_SUPERSCRIPT = re.compile("[" + "".join(SUPERSCRIPTS) + "]")


@dataclass
class _Quote:
    closer: str
    outer: str  # "true" (primary quotes) or "inner"


def _quote_table(terms: QuoteTerms) -> dict[str, _Quote]:
    double = _Quote('"', "true")
    single = _Quote("'", "inner")
    table = {' "': double, '("': double, " '": single, "('": single}
    if terms.open and terms.close and terms.open not in _STRAIGHT:
        table[terms.open] = _Quote(terms.close, "true")
    if terms.open_inner and terms.close_inner and terms.open_inner not in _STRAIGHT:
        table[terms.open_inner] = _Quote(terms.close_inner, "inner")
    return table


_REGEX_CACHE: dict[QuoteTerms, tuple[re.Pattern[str], dict[str, _Quote], frozenset[str]]] = {}


def _tokenizer(terms: QuoteTerms) -> tuple[re.Pattern[str], dict[str, _Quote], frozenset[str]]:
    cached = _REGEX_CACHE.get(terms)
    if cached is None:
        quotes = _quote_table(terms)
        openers = [*_TAGS, *quotes]
        closers: list[str] = []
        for closer in [*(t[1] for t in _TAGS.values()), *(q.closer for q in quotes.values())]:
            if closer not in closers:
                closers.append(closer)
        pattern = re.compile("(" + "|".join(re.escape(t) for t in [*openers, *closers]) + ")")
        cached = (pattern, quotes, frozenset(openers))
        _REGEX_CACHE[terms] = cached
    return cached


def _is_apostrophe(tag: str, following: str) -> bool:
    if tag == "'":
        return bool(following) and following[0] not in ",.?:; "
    return tag == " '" and following.startswith(" ")


def parse_markup(text: str, terms: QuoteTerms = QuoteTerms(),
                 context: dict[str, str] | None = None) -> str | list[Blob]:
    """Parse rich-text markup and quotation marks in a field value.

    Returns ``text`` itself when it has no markup, else a list of blobs.
    ``context`` holds the decorations the value is rendered in (the style's
    layout and the rendering element): markup flips them (``<i>`` in italic
    text is upright, quotes in quoted text take the inner marks). Unbalanced
    tags are kept as literal text; a straight single quote inside a word is an
    apostrophe (’). ``<span class="nocase">`` only protects case and leaves no
    decoration.
    """
    if _SUPERSCRIPT.search(text):
        # a superscript character prints as its base character raised
        text = _SUPERSCRIPT.sub(lambda m: "<sup>" + SUPERSCRIPTS[m.group(0)] + "</sup>", text)
    if not _MARKUP_HINT.search(text):
        return text
    pattern, quotes, openers = _tokenizer(terms)
    leading_space = text.startswith(" ") and not re.match(r"^\s+['\"]", text)
    text = _SPAN_SMALLCAPS.sub(r'\1 \2\3;"\4', text)
    text = _SPAN_CLASS.sub(r"\1 \2\3", " " + text)
    pieces = pattern.split(text)
    strings = pieces[0::2]
    tags = pieces[1::2]
    if not tags:
        return text[1:]
    forced: list[bool] = []
    for i in range(len(tags) - 1):
        if tags[i] in openers:
            if strings[i + 1] == "" and tags[i + 1] in ('"', "'"):
                tags[i + 1] = " " + tags[i + 1]
                forced.append(True)
            else:
                forced.append(False)

    def was_forced(index: int) -> bool:
        return 0 <= index < len(forced) and forced[index]

    def closer_of(tag: str) -> str:
        return _TAGS[tag][1] if tag in _TAGS else quotes[tag].closer

    stack: list[int] = []  # positions of open tags
    for i, tag in enumerate(tags):
        following = strings[i + 1]
        if _is_apostrophe(tag, following):
            strings[i + 1] = (" \u2019" if tag == " '" else "\u2019") + following
            tags[i] = ""
            continue
        if tag in openers:
            stack.append(i)
            continue
        # a closing tag
        while True:
            if stack and closer_of(tags[stack[-1]]) == tag:
                pos = stack.pop()
                if tags[pos] == _NOCASE:
                    tags[pos] = ""
                    tags[i] = ""
                break
            if tag == "'":
                strings[i + 1] = "\u2019" + strings[i + 1]
                tags[i] = ""
                break
            if not stack or (tag not in _TAG_CLOSERS
                             and all(closer_of(tags[p]) != tag for p in stack)):
                # a closing quotation mark nothing opened (an apostrophe, as in
                # "Dilthey’s") is text, and leaves the open tags alone
                strings[i + 1] = tag + strings[i + 1]
                tags[i] = ""
                break
            failed = stack.pop()
            literal = tags[failed][1:] if was_forced(failed - 1) else tags[failed]
            strings[failed + 1] = literal + strings[failed + 1]
            tags[failed] = ""
    for pos in reversed(stack):
        tag = tags[pos]
        strings[pos + 1] = (" \u2019" if tag in (" '", "'") else tag) + strings[pos + 1]
        tags[pos] = ""
    # drop neutralised tags, merging the strings around them
    kept_tags: list[str] = []
    kept_strings = [strings[0]]
    kept_forced: list[bool] = []
    for i, tag in enumerate(tags):
        if tag:
            kept_tags.append(tag)
            kept_strings.append(strings[i + 1])
            kept_forced.append(was_forced(i - 1))
        else:
            kept_strings[-1] += strings[i + 1]
    tags, strings = kept_tags, kept_strings
    # the first quotation mark decides which kind is the primary one
    outer = {'"': "true", "'": "inner"}
    seen_quote = False
    for i, tag in enumerate(tags):
        if tag in (' "', " '", '("', "('"):
            if not seen_quote:
                primary = tag[1]
                outer = {primary: "true", ('"' if primary == "'" else "'"): "inner"}
                seen_quote = True
            if not kept_forced[i]:
                strings[i] += tag[0]
    first = strings[0]
    if leading_space:
        first = " " + first
    for _ in range(2):
        if first.startswith(" "):
            first = first[1:]
    strings[0] = first
    return _build(tags, strings, quotes, outer, context or {})


def _build(tags: list[str], strings: list[str], quotes: dict[str, _Quote],
           outer: dict[str, str], context: dict[str, str]) -> list[Blob]:
    root = Blob([])
    # (node, decorations it set) for each open markup element
    stack: list[tuple[Blob, list[Decoration]]] = [(root, [])]

    def enclosing(attr: str) -> str | None:
        for _node, decorations in reversed(stack):
            for name, value in reversed(decorations):
                if name == attr:
                    return value
        return context.get(attr)

    if strings[0]:
        _children(root).append(Blob(strings[0]))
    for i, tag in enumerate(tags):
        text = strings[i + 1]
        if tag in _TAGS or tag in quotes:
            decorations: list[Decoration]
            if tag in _TAGS:
                kind, _closer, attr, value, flip = _TAGS[tag]
                if kind == "nodecor":
                    decorations = [(a, "normal") for a in
                                   ("@font-weight", "@font-style", "@font-variant")
                                   if enclosing(a) is not None]
                else:
                    current = enclosing(attr)
                    decorations = [(attr, flip.get(current, value) if current else value)]
            else:
                current = enclosing("@quotes")
                straight = tag in (' "', " '", '("', "('")
                base = outer[tag[1]] if straight else quotes[tag].outer
                value = _QUOTE_FLIP.get(current, base) if current else base
                decorations = [("@quotes", value)]
            node = Blob([], decorations=decorations)
            _children(stack[-1][0]).append(node)
            stack.append((node, decorations))
            if text:
                _children(node).append(Blob(text))
        else:
            if len(stack) > 1:
                stack.pop()
            if text:
                _children(stack[-1][0]).append(Blob(text))
    return _children(root)


def _children(blob: Blob) -> list[Blob]:
    assert isinstance(blob.blobs, list)
    return blob.blobs


_TAG_RE = re.compile(r"<[^>]+>")


def strip_markup(text: str) -> str:
    """``text`` without rich-text tags (for sorting and comparisons)."""
    return _TAG_RE.sub("", text) if "<" in text else text


def plain_text(value: str | list[Blob]) -> str:
    """The text of a parsed value."""
    if isinstance(value, str):
        return value
    return "".join(b.text() for b in value)

