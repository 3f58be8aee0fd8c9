"""LaTeX text <-> CSL rich text, for the BibTeX/BibLaTeX format.

Reading (:func:`latex_to_rich`) turns the LaTeX of a BibTeX field into CSL rich
text: accents and symbols become Unicode, ``\\textit{}``/``\\emph{}`` become
``<i>``, ``\\textbf{}`` ``<b>``, ``\\textsc{}`` a small-caps span,
``\\textsuperscript{}``/``\\textsubscript{}`` ``<sup>``/``<sub>``, and a brace
group that protects case (``{DNA}``, ``{B}ayes``) becomes
``<span class="nocase">``. Writing (:func:`rich_to_latex`) does the reverse, in
UTF-8 or, with ``ascii=True``, in pure ASCII.

pylatexenc knows what every accent and symbol macro means; it is also slow (a
fraction of a millisecond for a short string). So this module splits the text
into tokens itself, handles braces, text and the formatting macros CSL rich
text has a tag for, and asks pylatexenc only about the individual macro
snippets (``\\"{o}``, ``\\ss``, ``$\\alpha$``), each once: the answers are
cached. Text without a backslash or a dollar sign never reaches pylatexenc.

A control word that neither citekit nor pylatexenc knows (``\\MF`` from some
@preamble) is kept as written, so nothing is silently lost; the writer writes
such a command back unescaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Union

from pylatexenc import latex2text, latexencode, latexwalker

__all__ = [
    "is_known_macro",
    "latex_to_plain",
    "latex_to_rich",
    "needs_latex",
    "rich_to_latex",
    "strip_tags",
    "unknown_macros",
]

# -- tables -----------------------------------------------------------------------------

NOCASE_OPEN = '<span class="nocase">'
SMALLCAPS_OPEN = '<span style="font-variant:small-caps;">'

#: Macros taking one argument that map to a CSL rich-text tag: name -> (open, close).
_FORMAT_MACROS: dict[str, tuple[str, str]] = {
    **{name: ("<i>", "</i>") for name in (
        "textit", "emph", "textsl", "mkbibemph", "mkbibitalic", "textem")},
    **{name: ("<b>", "</b>") for name in ("textbf", "mkbibbold", "textstrong")},
    **{name: (SMALLCAPS_OPEN, "</span>") for name in ("textsc", "mkbibacro")},
    **{name: ("<sup>", "</sup>") for name in ("textsuperscript", "mkbibsuperscript")},
    **{name: ("<sub>", "</sub>") for name in ("textsubscript", "mkbibsubscript")},
    **{name: (NOCASE_OPEN, "</span>") for name in ("NoCaseChange", "nocase")},
    **{name: ("", "") for name in (
        "textup", "textrm", "textsf", "texttt", "textmd", "textnormal", "mbox", "hbox",
        "text", "textlatin", "foreignlanguage", "mathrm", "mathit", "mathbf", "mathsf",
        "mathtt", "mathcal", "mathbb", "ensuremath", "uppercase", "lowercase",
        "MakeUppercase", "MakeLowercase", "bibstring", "mkbibnamefamily", "mkbibnamegiven",
        "protect", "hyphenation", "acronym", "acro", "textcolor", "fbox", "underline",
        "ul", "uline")},
    **{name: ("\u201c", "\u201d") for name in ("enquote", "mkbibquote", "textquote")},
}
# Macros whose first argument is not printed (a colour name, a language).
_SKIP_FIRST_ARG = frozenset({"textcolor", "foreignlanguage"})

#: Declarations that switch the font until the end of the group: name -> (open, close).
_SWITCHES: dict[str, tuple[str, str]] = {
    **{name: ("<i>", "</i>") for name in ("em", "it", "itshape", "sl", "slshape")},
    **{name: ("<b>", "</b>") for name in ("bf", "bfseries")},
    **{name: (SMALLCAPS_OPEN, "</span>") for name in ("sc", "scshape")},
    **{name: ("", "") for name in (
        "rm", "sf", "tt", "upshape", "mdseries", "normalfont", "rmfamily", "sffamily",
        "ttfamily", "small", "footnotesize", "scriptsize", "tiny", "large", "Large",
        "normalsize", "relax", "selectlanguage")},
}

#: Control words citekit reads itself (pylatexenc lacks them or reads them differently).
_WORDS: dict[str, str] = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2\u03b5", "BibTeX": "BibTeX",
    "BibLaTeX": "BibLaTeX", "biblatex": "biblatex", "AmSTeX": "AmS-TeX",
    "AMSTeX": "AMS-TeX", "AmSLaTeX": "AmS-LaTeX", "AMSLaTeX": "AMS-LaTeX",
    "METAFONT": "METAFONT", "MF": "METAFONT", "METAPOST": "METAPOST", "MP": "METAPOST",
    "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX",
    "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX", "ConTeXt": "ConTeXt", "eTeX": "\u03b5-TeX",
    "SliTeX": "SliTeX", "PiCTeX": "PiCTeX", "LyX": "LyX", "TUB": "TUGboat",
    "textbraceleft": "{", "textbraceright": "}", "textless": "<", "textgreater": ">",
    "textbar": "|", "textquotedbl": '"', "textbackslash": "\\", "textasciitilde": "~",
    "textasciicircum": "^", "textunderscore": "_", "slash": "/", "P": "\u00b6",
    "S": "\u00a7", "pounds": "\u00a3", "copyright": "\u00a9", "textdollar": "$",
    "textpercent": "%", "textampersand": "&", "textnumero": "\u2116",
    "textendash": "\u2013", "textemdash": "\u2014", "relax": "", "unskip": "",
    "ignorespaces": "", "nobreak": "", "allowbreak": "", "break": "", "newline": " ",
    "par": "\n\n", "space": " ", "nobreakspace": "\u00a0", "thinspace": "\u2009",
    "enspace": "\u2002", "quad": "\u2003", "qquad": "\u2003\u2003", "ldots": "\u2026",
    "dots": "\u2026", "textellipsis": "\u2026", "and": "and", "hskip": "", "kern": "",
    "ast": "*", "textasteriskcentered": "*", "textbullet": "\u2022", "textdegree": "\u00b0",
}

#: Control symbols (a backslash and one non-letter).
_SYMBOLS: dict[str, str] = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ",
    "\n": " ", "\t": " ", "\r": " ", "\\": " ", ",": "\u2009", ";": "\u2002", ":": " ",
    "!": "", "-": "", "/": "", "@": "", ">": "", "<": "", "|": "\u2016", "*": "",
}
_ACCENTS = frozenset("\"'`^~=.") | frozenset({"u", "v", "H", "c", "d", "b", "k", "r", "t"})
_SPACING_ACCENTS = {'"': "\u00a8", "'": "\u00b4", "`": "`", "^": "^", "~": "~",
                    "=": "\u00af", ".": "\u02d9"}
#: Control words for letters: ``{\ss}`` and ``{\o}`` are letters, not case-protected words.
_LETTERS = frozenset(
    "i j o O l L ss SS aa AA ae AE oe OE dh DH th TH ng NG dj DJ DH ij IJ".split())
#: Macros whose arguments are dropped (sort keys, index entries).
_DROP_ARGS = {"noopsort": 1, "sortnoop": 1, "SortNoop": 1, "nosort": 1, "index": 1,
              "hspace": 1, "vspace": 1}
#: Commands pylatexenc would flatten but that carry data: kept as written.
_KEEP = frozenset({"cite", "citep", "citet", "citeauthor", "citeyear", "ref", "label",
                   "footnote", "thanks", "eqref", "pageref", "item", "begin", "end"})

_TOKEN = re.compile(r"\\(?:[A-Za-z]+\*?|.?)|[{}$~]|[^\\{}$~]+", re.S)
_MATH_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.?)|[{}^_]|[^\\{}^_]+", re.S)
# Runs of whitespace that become one space: a lone space is left alone (as a match it
# would be replaced by itself, and text has one between every two words)
_WHITESPACE = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")
_LATEX_CHARS = re.compile(r"[\\{}$~]")
_SPECIAL_CHARS = re.compile(r"[\\{}$~\n\t\r]")
_PARAGRAPH = re.compile(r"\n[ \t\r]*\n[ \t\r\n]*")
_TAG = re.compile(r"</?[a-z]+>|<span [^<>]*>")

_L2T = latex2text.LatexNodes2Text(math_mode="text", strict_latex_spaces=False)
_L2T_DB = latex2text.get_default_latex_context_db()
_WALKER_DB = latexwalker.get_default_latex_context_db()


def needs_latex(text: str) -> bool:
    """Whether ``text`` has anything a LaTeX reading changes (else it is read as is)."""
    # plain substring tests: each is a fast C search, faster here than one regex
    return ("\\" in text or "{" in text or "}" in text or "~" in text or "$" in text
            or "\n" in text or "  " in text or "--" in text or "''" in text
            or "``" in text or "\t" in text or "\r" in text)


@lru_cache(maxsize=4096)
def _snippet(source: str) -> str:
    """pylatexenc's Unicode for one small LaTeX snippet (cached)."""
    try:
        return str(_L2T.latex_to_text(source))
    except Exception:  # pylatexenc raises assorted errors on malformed input
        return source


@lru_cache(maxsize=1024)
def _argspec(name: str) -> str:
    spec = _WALKER_DB.get_macro_spec(name)
    if spec is None:
        return ""
    parser = getattr(spec, "args_parser", None)
    return str(getattr(parser, "argspec", "") or "")


@lru_cache(maxsize=1024)
def is_known_macro(name: str) -> bool:
    """Whether citekit reads the control word ``\\name`` (else it is kept as written)."""
    if name in _KEEP:
        return False
    if (name in _WORDS or name in _FORMAT_MACROS or name in _SWITCHES or name in _ACCENTS
            or name in _LETTERS or name in _DROP_ARGS or name in _SPECIAL):
        return True
    spec = _L2T_DB.get_macro_spec(name)
    return spec is not None


def _text(chunk: str) -> str:
    """A run of text: TeX ligatures and whitespace (a blank line is a paragraph break)."""
    if "-" in chunk or "'" in chunk or "`" in chunk:
        chunk = (chunk.replace("---", "\u2014").replace("--", "\u2013")
                 .replace("``", "\u201c").replace("''", "\u201d"))
    if "\n" in chunk and _PARAGRAPH.search(chunk):
        return "\n\n".join(_WHITESPACE.sub(" ", part) for part in _PARAGRAPH.split(chunk))
    if "  " in chunk or "\n" in chunk or "\t" in chunk or "\r" in chunk:
        chunk = _WHITESPACE.sub(" ", chunk)
    return chunk


def _char_code(text: str) -> str | None:
    """``"4E2D`` (hex), ``'101`` (octal), ``` `a ``` or ``65`` -> the character."""
    text = text.strip()
    try:
        if text.startswith('"'):
            return chr(int(text[1:], 16))
        if text.startswith("'"):
            return chr(int(text[1:], 8))
        if text.startswith("`") and len(text) >= 2:
            return text[-1]
        return chr(int(text))
    except (ValueError, OverflowError):
        return None


class _Reader:
    """Converts one token list; ``unknown`` collects control words kept as written."""

    __slots__ = ("closed", "pos", "tokens", "unknown")

    def __init__(self, tokens: list[str], unknown: set[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.unknown = unknown
        self.closed = False

    # -- structure -------------------------------------------------------------------

    def sequence(self, protected: bool, in_group: bool) -> str:
        out: list[str] = []
        tokens = self.tokens
        while self.pos < len(tokens):
            tok = tokens[self.pos]
            self.pos += 1
            first = tok[0]
            if first == "\\":
                out.append(self.macro(tok, protected))
            elif tok == "{":
                out.append(self.group(protected))
            elif tok == "}":
                if in_group:
                    self.closed = True
                    return "".join(out)
                # a stray closing brace: keep it as text
                out.append("}")
            elif tok == "~":
                out.append("\u00a0")
            elif tok == "$":
                out.append(self.math())
            else:
                out.append(_text(tok))
        self.closed = False
        return "".join(out)

    def group(self, protected: bool) -> str:
        tokens = self.tokens
        if self.pos < len(tokens) and tokens[self.pos] == "}":
            self.pos += 1
            return ""
        head = tokens[self.pos] if self.pos < len(tokens) else ""
        if head.startswith("\\") and len(head) > 1:
            name = head[1:]
            if name in _SWITCHES:
                self.pos += 1
                self.skip_space()
                opening, closing = _SWITCHES[name]
                inner = self.sequence(protected, True)
                return f"{opening}{inner}{closing}" if opening and inner else inner
            if not name[0].isalpha() or name in _LETTERS or name in _ACCENTS:
                # a "special character" ({\"o}, {\ss}, {\&}): a letter, not a protected word
                return self.sequence(protected, True)
            inner = self.sequence(True, True)
            return inner if protected or not inner else f"{NOCASE_OPEN}{inner}</span>"
        inner = self.sequence(True, True)
        return inner if protected or not inner else f"{NOCASE_OPEN}{inner}</span>"

    def skip_space(self) -> None:
        """TeX drops the spaces after a control word."""
        tokens = self.tokens
        if self.pos < len(tokens):
            tok = tokens[self.pos]
            if tok[0] in " \t\r\n":
                rest = tok.lstrip(" \t\r\n")
                if rest:
                    tokens[self.pos] = rest
                else:
                    self.pos += 1

    def skip_empty_group(self) -> None:
        tokens = self.tokens
        if self.pos + 1 < len(tokens) and tokens[self.pos] == "{" and tokens[self.pos + 1] == "}":
            self.pos += 2

    def raw_argument(self) -> str | None:
        """The source of the next argument (a group's content, a control word or one
        character), or None at the end of the text."""
        self.skip_space()
        tokens = self.tokens
        if self.pos >= len(tokens):
            return None
        tok = tokens[self.pos]
        if tok == "{":
            depth = 0
            start = self.pos
            while self.pos < len(tokens):
                t = tokens[self.pos]
                self.pos += 1
                if t == "{":
                    depth += 1
                elif t == "}":
                    depth -= 1
                    if depth == 0:
                        return "".join(tokens[start + 1:self.pos - 1])
            return "".join(tokens[start + 1:])
        if tok == "}":
            return None
        if tok[0] == "\\" or len(tok) == 1:
            self.pos += 1
            return tok
        tokens[self.pos] = tok[1:]
        return tok[0]

    def argument(self, protected: bool) -> str:
        """The next argument, converted (a braced argument does not protect case)."""
        self.skip_space()
        tokens = self.tokens
        if self.pos >= len(tokens):
            return ""
        if tokens[self.pos] == "{":
            self.pos += 1
            return self.sequence(protected, True)
        raw = self.raw_argument()
        return "" if raw is None else _convert(raw, self.unknown, protected)

    def optional_argument(self) -> str | None:
        tokens = self.tokens
        if self.pos < len(tokens) and tokens[self.pos].startswith("["):
            tok = tokens[self.pos]
            end = tok.find("]")
            if end >= 0:
                rest = tok[end + 1:]
                if rest:
                    tokens[self.pos] = rest
                else:
                    self.pos += 1
                return tok[1:end]
        return None

    # -- macros ----------------------------------------------------------------------

    def macro(self, tok: str, protected: bool) -> str:
        name = tok[1:]
        if not name:
            return "\\"
        if not name[0].isalpha():
            if name in _ACCENTS:
                return self.accent(name)
            return _SYMBOLS.get(name, name)
        star = name.endswith("*")
        base = name[:-1] if star else name
        if base in _FORMAT_MACROS or name in _FORMAT_MACROS:
            self.skip_space()
            opening, closing = _FORMAT_MACROS.get(name) or _FORMAT_MACROS[base]
            if base in _SKIP_FIRST_ARG:
                self.optional_argument()
                self.raw_argument()
            inner = self.argument(protected)
            return f"{opening}{inner}{closing}" if (opening or closing) and inner else inner
        if base in _ACCENTS:
            return self.accent(base)
        if base in _WORDS:
            self.skip_space()
            self.skip_empty_group()
            return _WORDS[base]
        if base in _SWITCHES:
            # a switch outside a group applies to the rest of the field
            self.skip_space()
            opening, closing = _SWITCHES[base]
            rest = self.sequence(protected, True)
            if self.closed:
                self.pos -= 1  # the group's closing brace belongs to the caller
            return f"{opening}{rest}{closing}" if opening and rest else rest
        special = _SPECIAL.get(base)
        if special is not None:
            return special(self, protected)
        if base in _DROP_ARGS:
            for _ in range(_DROP_ARGS[base]):
                self.optional_argument()
                self.raw_argument()
            self.skip_space()
            return ""
        if is_known_macro(base):
            spec = _argspec(base)
            parts = [tok]
            for kind in spec:
                if kind == "{":
                    raw = self.raw_argument()
                    if raw is None:
                        break
                    parts.append("{" + raw + "}")
                elif kind == "[":
                    opt = self.optional_argument()
                    if opt is not None:
                        parts.append("[" + opt + "]")
            if len(parts) == 1:
                self.skip_space()
                self.skip_empty_group()
            return _snippet("".join(parts))
        self.unknown.add(base)
        return tok

    def accent(self, name: str) -> str:
        raw = self.raw_argument()
        if not raw:
            return _SPACING_ACCENTS.get(name, "")
        return _accented(name, raw)

    def math(self) -> str:
        tokens = self.tokens
        start = self.pos
        while self.pos < len(tokens) and tokens[self.pos] != "$":
            self.pos += 1
        source = "".join(tokens[start:self.pos])
        if self.pos < len(tokens):
            self.pos += 1  # the closing $
        return _math(source)


def _special_url(reader: _Reader, protected: bool) -> str:
    raw = reader.raw_argument()
    return raw or ""


def _special_href(reader: _Reader, protected: bool) -> str:
    reader.raw_argument()
    return reader.argument(protected)


def _special_symbol(reader: _Reader, protected: bool) -> str:
    raw = reader.raw_argument()
    char = _char_code(raw or "")
    return char if char is not None else "\\symbol{" + (raw or "") + "}"


def _special_char(reader: _Reader, protected: bool) -> str:
    tokens = reader.tokens
    if reader.pos < len(tokens):
        tok = tokens[reader.pos]
        match = re.match(r"\s*(\"[0-9A-Fa-f]+|'[0-7]+|\d+|`.)", tok)
        if match:
            char = _char_code(match.group(1))
            if char is not None:
                rest = tok[match.end():]
                if rest.startswith(" "):
                    rest = rest[1:]
                if rest:
                    tokens[reader.pos] = rest
                else:
                    reader.pos += 1
                return char
    return "\\char"


_SPECIAL: dict[str, Callable[[_Reader, bool], str]] = {
    "url": _special_url,
    "path": _special_url,
    "doi": _special_url,
    "nolinkurl": _special_url,
    "href": _special_href,
    "symbol": _special_symbol,
    "char": _special_char,
}


@lru_cache(maxsize=4096)
def _accented(name: str, raw: str) -> str:
    base = _snippet(raw) if ("\\" in raw or "{" in raw) else raw
    result = _snippet(f"\\{name}{{{raw}}}")
    if not result or result == base:
        return base
    return unicodedata.normalize("NFC", result)


@lru_cache(maxsize=2048)
def _math(source: str) -> str:
    """Inline math: superscripts and subscripts become tags, symbols Unicode."""
    tokens = _MATH_TOKEN.findall(source)
    out: list[str] = []
    i = 0

    def arg(i: int) -> tuple[str, int]:
        while i < len(tokens) and tokens[i].isspace():
            i += 1
        if i >= len(tokens):
            return "", i
        if tokens[i] == "{":
            depth, j = 0, i
            while j < len(tokens):
                if tokens[j] == "{":
                    depth += 1
                elif tokens[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            return _math("".join(tokens[i + 1:j])), j + 1
        tok = tokens[i]
        if tok.startswith("\\"):
            return _math(tok), i + 1
        rest = tok[1:]
        if rest:
            tokens[i] = rest
            return tok[0], i
        return tok, i + 1

    while i < len(tokens):
        tok = tokens[i]
        if tok in ("^", "_"):
            value, i = arg(i + 1)
            tag = "sup" if tok == "^" else "sub"
            out.append(f"<{tag}>{value}</{tag}>" if value else "")
            continue
        if tok in ("{", "}"):
            i += 1
            continue
        if tok.startswith("\\"):
            name = tok[1:]
            if name in _FORMAT_MACROS:
                value, i = arg(i + 1)
                out.append(value)
                continue
            if name in _WORDS:
                out.append(_WORDS[name])
            elif name and not name[0].isalpha():
                out.append(_SYMBOLS.get(name, name))
            else:
                converted = _snippet(f"${tok}$")
                out.append(converted if converted or is_known_macro(name) else tok)
            i += 1
            continue
        out.append(_WHITESPACE.sub(" ", tok))
        i += 1
    return "".join(out)


def _convert(source: str, unknown: set[str], protected: bool = False) -> str:
    reader = _Reader(_TOKEN.findall(source), unknown)
    return reader.sequence(protected, False)


@lru_cache(maxsize=8192)
def _cached_rich(source: str) -> tuple[str, frozenset[str]]:
    unknown: set[str] = set()
    return _convert(source, unknown), frozenset(unknown)


def latex_to_rich(source: str, unknown: set[str] | None = None) -> str:
    """The CSL rich text for the LaTeX ``source`` of a BibTeX field.

    Control words kept as written (because neither citekit nor pylatexenc knows
    them) are added to ``unknown`` when it is given.
    """
    if not needs_latex(source):
        return source
    if "\\" not in source and "$" not in source:
        # no commands: only ligatures, whitespace, ties and brace groups
        if "{" not in source and "}" not in source:
            return _text(source).replace("~", "\u00a0")
        flat = _flat_groups(source)
        if flat is not None:
            return flat
    text, missing = _cached_rich(source)
    if missing and unknown is not None:
        unknown.update(missing)
    return text


_FLAT_GROUP = re.compile(r"\{([^{}]*)\}")


@lru_cache(maxsize=8192)
def _flat_groups(source: str) -> str | None:
    """Text whose only markup is brace groups one level deep (``{DNA} of {B}ayes``):
    the groups become nocase spans. None for anything else."""
    parts = _FLAT_GROUP.split(source)  # text, group, text, group, ..., text
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if "{" in part or "}" in part:
                return None  # nested or unbalanced
            out.append(_text(part).replace("~", "\u00a0"))
        elif part:
            out.append(f"{NOCASE_OPEN}{_text(part).replace('~', chr(0xA0))}</span>")
    return "".join(out)


def unknown_macros(source: str) -> frozenset[str]:
    """The control words in ``source`` that are kept as written."""
    if "\\" not in source:
        return frozenset()
    return _cached_rich(source)[1]


def strip_tags(text: str) -> str:
    """Rich text without its markup."""
    return _TAG.sub("", text) if "<" in text else text


@lru_cache(maxsize=16384)
def latex_to_plain(source: str) -> str:
    """Plain text (no markup) for LaTeX: for name parts and keys."""
    if not needs_latex(source):
        return source
    return strip_tags(_cached_rich(source)[0])


# -- writing ----------------------------------------------------------------------------

_OPENING_TAGS = {
    "<i>": "i", "<b>": "b", "<sup>": "sup", "<sub>": "sub",
    NOCASE_OPEN: "nocase", SMALLCAPS_OPEN: "sc",
}
_CLOSING_TAGS = {"</i>": "i", "</b>": "b", "</sup>": "sup", "</sub>": "sub",
                 "</span>": "span"}
_RICH_TOKEN = re.compile(
    r"<(?:/?(?:i|b|sup|sub)|/span)>|<span class=\"nocase\">"
    r"|<span style=\"font-variant:small-caps;\">")
_LATEX_OF_TAG = {"i": "\\textit{", "b": "\\textbf{", "sup": "\\textsuperscript{",
                 "sub": "\\textsubscript{", "nocase": "{", "sc": "\\textsc{"}

RichNode = Union[str, tuple[str, list["RichNode"]]]  # noqa: UP007 (a runtime alias)


def _rich_tree(text: str) -> list[RichNode]:
    """Parse rich text into text and ``(tag, children)`` nodes; a tag without its
    partner is text."""
    pieces: list[tuple[str, str, str]] = []  # (kind, tag name, source)
    pos = 0
    for match in _RICH_TOKEN.finditer(text):
        if match.start() > pos:
            pieces.append(("text", "", text[pos:match.start()]))
        tag = match.group()
        if tag in _OPENING_TAGS:
            pieces.append(("open", _OPENING_TAGS[tag], tag))
        else:
            pieces.append(("close", _CLOSING_TAGS[tag], tag))
        pos = match.end()
    if pos < len(text):
        pieces.append(("text", "", text[pos:]))
    stack: list[int] = []
    partner: dict[int, int] = {}
    for i, (kind, name, _source) in enumerate(pieces):
        if kind == "open":
            stack.append(i)
        elif kind == "close" and stack:
            top = pieces[stack[-1]][1]
            if top == name or (name == "span" and top in ("nocase", "sc")):
                partner[stack.pop()] = i

    def build(start: int, end: int) -> list[RichNode]:
        nodes: list[RichNode] = []
        i = start
        while i < end:
            kind, name, source = pieces[i]
            if kind == "open" and i in partner:
                nodes.append((name, build(i + 1, partner[i])))
                i = partner[i] + 1
                continue
            if nodes and isinstance(nodes[-1], str):
                nodes[-1] = nodes[-1] + source
            else:
                nodes.append(source)
            i += 1
        return nodes

    return build(0, len(pieces))


_ESCAPES = {"&": "\\&", "%": "\\%", "$": "\\$", "#": "\\#", "_": "\\_",
            "^": "\\^{}", "~": "\\textasciitilde{}", "\u00a0": "~"}
_ESCAPE_CHARS = re.compile(r"[&%$#_^~\u00a0{}\\]|  +")
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
_LIGATURE = re.compile(r"-(?=-)|'(?=')|`(?=`)")
_ASCII_LIGATURES = {"\u2013": "--", "\u2014": "---", "\u201c": "``", "\u201d": "''"}


@lru_cache(maxsize=4096)
def _ascii_char(char: str) -> str:
    """The ASCII LaTeX for one non-ASCII character (one that reads back as it)."""
    latex = _ascii_candidate(char)
    if latex_to_rich(latex) != char:
        latex = f'\\symbol{{"{ord(char):04X}}}'
    return latex


def _ascii_candidate(char: str) -> str:
    if char in _ASCII_LIGATURES:
        return _ASCII_LIGATURES[char]
    if char == "\u00a0":
        return "~"
    latex = str(_ENCODER.unicode_to_latex(char))
    if not latex or not latex.isascii() or latex == char:
        return f'\\symbol{{"{ord(char):04X}}}'
    inner = latex[1:-1] if latex.startswith("{") and latex.endswith("}") else latex
    match = re.match(r"\\([A-Za-z]+|.)", inner)
    if match and (match.group(1) in _ACCENTS or match.group(1) in _LETTERS):
        return "{" + inner + "}"
    if match and match.group(1)[0].isalpha():
        return inner + "{}"
    return "{" + inner + "}" if inner.startswith("\\") else inner


_ENCODER = latexencode.UnicodeToLatexEncoder(
    non_ascii_only=True, unknown_char_policy=lambda char: "",
    unknown_char_warning=False)


def _escape_text(text: str, ascii_only: bool) -> str:
    """LaTeX for plain text (no markup)."""
    braces_balanced = _balanced_literal_braces(text)

    def replace(match: re.Match[str]) -> str:
        s = match.group()
        if s in _ESCAPES:
            return _ESCAPES[s]
        if s == "{":
            return "\\{" if braces_balanced else "\\textbraceleft{}"
        if s == "}":
            return "\\}" if braces_balanced else "\\textbraceright{}"
        if s == "\\":
            return "\\textbackslash{}"
        return " " + "\\ " * (len(s) - 1)  # a run of spaces

    out: list[str] = []
    pos = 0
    # keep control words citekit does not know as they are (read back unchanged)
    for match in _CONTROL_WORD.finditer(text):
        if is_known_macro(match.group(1)):
            continue
        out.append(_ESCAPE_CHARS.sub(replace, text[pos:match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(_ESCAPE_CHARS.sub(replace, text[pos:]))
    result = "".join(out)
    # TeX ligatures (--, '', ``) that are not meant as such are split by a group
    if "--" in result or "''" in result or "``" in result:
        result = _LIGATURE.sub(r"\g<0>{}", result)
    if ascii_only and not result.isascii():
        result = "".join(c if c.isascii() else _ascii_char(c) for c in result)
    return result


def _balanced_literal_braces(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _nodes_to_latex(nodes: list[RichNode], ascii_only: bool) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_escape_text(node, ascii_only))
        else:
            tag, children = node
            inner = _nodes_to_latex(children, ascii_only)
            if tag == "nocase" and inner.startswith("\\"):
                inner = "{}" + inner  # {\&} would be a "special character", not nocase
            out.append(_LATEX_OF_TAG[tag] + inner + "}")
    return "".join(out)


@lru_cache(maxsize=4096)
def rich_to_latex(text: str, ascii_only: bool = False) -> str:
    """The LaTeX for CSL rich text: markup becomes macros (``<i>`` -> ``\\textit{}``,
    a nocase span -> braces), special characters are escaped, and with
    ``ascii_only`` every non-ASCII character becomes a LaTeX command."""
    if "<" not in text:
        return _escape_text(text, ascii_only)
    return _nodes_to_latex(_rich_tree(text), ascii_only)
