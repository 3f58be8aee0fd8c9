"""``text-case``: lowercase, uppercase, capitalize-first, capitalize-all, sentence
and title (CSL 1.0.2, "Text-case").

The transformations work on a field value *with its rich-text markup*: the
text is cut at markup tags, quotation marks, brackets and the punctuation
``- – — / . , ; ? ! :``, and only the pieces outside ``<span class="nocase">``,
``<span class="nodecor">``, small caps, ``<sc>``, ``<sub>`` and ``<sup>`` are
changed, so words the data protects keep their case.

Title case follows the reference processor: every word of more than one letter
that is not a stop word (:data:`STOP_WORDS`) gets an upper-case first letter,
as do the first word, a word after ``:``, ``?`` or ``!``, and a stop word that
ends the title; nothing is lower-cased. A word right after an unmatched
quotation mark keeps its original first letter. Sentence case capitalises
the first word and lower-cases the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["STOP_WORDS", "apply_text_case"]

#: Words title case leaves in lower case (unless first, last or after ``:?!``).
STOP_WORDS = (
    "about", "above", "across", "afore", "after", "against", "al", "along", "alongside",
    "amid", "amidst", "among", "amongst", "anenst", "apropos", "apud", "around", "as",
    "aside", "astride", "at", "athwart", "atop", "barring", "before", "behind", "below",
    "beneath", "beside", "besides", "between", "beyond", "but", "by", "circa", "despite",
    "down", "during", "et", "except", "for", "forenenst", "from", "given", "in", "inside",
    "into", "lest", "like", "modulo", "near", "next", "notwithstanding", "of", "off", "on",
    "onto", "out", "over", "per", "plus", "pro", "qua", "sans", "since", "than", "through",
    "throughout", "thruout", "till", "to", "toward", "towards", "under", "underneath",
    "until", "unto", "up", "upon", "versus", "vs.", "v.", "vs", "v", "via", "vis-à-vis",
    "with", "within", "without", "according to", "ahead of", "apart from", "as for", "as of",
    "as per", "as regards", "aside from", "back to", "because of", "close to", "due to",
    "except for", "far from", "inside of", "instead of", "near to", "next to", "on to",
    "out from", "out of", "outside of", "prior to", "pursuant to", "rather than",
    "regardless of", "such as", "that of", "up to", "where as", "or", "yet", "so", "and",
    "nor", "a", "an", "the", "de", "d'", "von", "van", "c", "ca",
)
_STOP = re.compile(r"^(?:" + "|".join(re.escape(w) for w in STOP_WORDS)
                   + r")(?=[!?:]*\s+|-|$)")

_TAGS = re.compile(
    "(\u2018|\u2019|\u201c|\u201d| \"| '|\"|'|[-\u2013\u2014/.,;?!:]|\\[|\\]|\\(|\\)"
    '|<span style="font-variant: small-caps;">|<span class="no(?:case|decor)">|</span>'
    "|</?(?:i|sc|b|sub|sup)>)")
_SPAN_CLASS = re.compile(r'(<span)\s+(class="no(?:case|decor)")[^>]*(>)')
_SPAN_SC = re.compile(r'(<span)\s+(style="font-variant:)\s*(small-caps);?(")[^>]*(>)')
_PROTECTING = {
    '<span style="font-variant: small-caps;">': "</span>",
    '<span class="nocase">': "</span>",
    '<span class="nodecor">': "</span>",
    "<sc>": "</sc>",
    "<sub>": "</sub>",
    "<sup>": "</sup>",
}
_WORD_GAP = re.compile("([\u0020\u00a0\u2000-\u200b\u205f\u3000]+)")
_QUOTES = {' "': (" '", '"'), " '": (' "', "'"), "\u2018": ("\u2018", "\u2019"),
           "\u201c": ("\u201c", "\u201d")}
_QUOTE_TAG = re.compile("(^(?:\u2018|\u2019|\u201c|\u201d|\"|')|(?: \"| ')$)")


def _split(text: str) -> tuple[list[str], list[str]]:
    text = _SPAN_CLASS.sub(r"\1 \2\3", text)
    text = _SPAN_SC.sub(r"\1 \2 \3;\4\5", text)
    pieces = _TAGS.split(text)
    strings = pieces[0::2]
    tags = pieces[1::2]
    for i in range(len(tags) - 1, -1, -1):
        if tags[i] == "'" and strings[i + 1]:
            strings[i + 1] = "'" + strings[i + 1]
            tags[i] = ""
    return strings, tags


def _join(strings: list[str], tags: list[str]) -> str:
    out = [strings[0]]
    for tag, string in zip(tags, strings[1:], strict=True):
        out.append(tag)
        out.append(string)
    return "".join(out)


def capitalise(word: str) -> str:
    """Upper-case the first letter of ``word`` (not a lone Greek letter)."""
    stripped = word.lstrip()
    if not stripped:
        return word
    lead = word[:len(word) - len(stripped)]
    first, rest = stripped[0], stripped[1:]
    if "\u0370" <= first <= "\u03ff" and not rest:
        return word
    return lead + first.upper() + rest


class _Engine:
    """One run of a case transformation over a marked-up string."""

    def __init__(self, words: Callable[[_Engine, str, int, str | None], str], *,
                 quotes: bool, first: bool | None, after_punct: bool | None) -> None:
        self.words = words
        self.quotes: list[tuple[str, str, int | None]] | None = [] if quotes else None
        self.is_first = first
        self.after_punct = after_punct
        self.last_word: tuple[int, int] | None = None

    def run(self, text: str) -> str:
        if not text:
            return ""
        strings, tags = _split(text)
        original = list(strings)
        if strings and strings[0].strip():
            strings[0] = self.words(self, strings[0], 0, tags[0] if tags else None)
        protecting: list[str] = []
        for i, tag in enumerate(tags):
            following = strings[i + 1]
            if tag in _PROTECTING:
                protecting.append(_PROTECTING[tag])
            elif protecting and tag == protecting[-1]:
                protecting.pop()
            if self.after_punct is not None and tag[-1:] in ("!", "?", ":"):
                self.after_punct = True
            if not protecting:
                strings[i + 1] = self.words(self, following, i + 1, None)
            elif following.strip():
                self.last_word = None
            if self.quotes is not None:
                position = self._quote(tag, i)
                if position is not None:
                    strings[position + 1] = (original[position + 1][:1]
                                             + strings[position + 1][1:])
                    self.last_word = None
            if self.is_first and following.strip():
                self.is_first = False
            if self.after_punct and following.strip():
                self.after_punct = False
        if self.quotes:
            for _opener, _closer, position in self.quotes:
                if position is not None:
                    strings[position + 1] = (original[position + 1][:1]
                                             + strings[position + 1][1:])
        if self.last_word is not None:
            index, word_index = self.last_word
            pieces = _WORD_GAP.split(strings[index])
            word = pieces[word_index * 2]
            if len(word) > 1 and _STOP.match(word.lower()):
                pieces[word_index * 2] = capitalise(word)
            strings[index] = "".join(pieces)
        return _join(strings, tags)

    def _quote(self, tag: str, position: int) -> int | None:
        match = _QUOTE_TAG.search(tag)
        if not match or self.quotes is None:
            return None
        mark = match.group(1)
        if mark in ("\u201c", "\u2018", ' "', " '"):
            opener, closer = _QUOTES[mark]
            if not self.quotes or mark == self.quotes[-1][0]:
                self.quotes.append((opener, closer, position))
                return None
            previous = self.quotes.pop()[2]
            self.quotes.append((opener, closer, None))
            return previous
        if self.quotes and mark == self.quotes[-1][1]:
            self.quotes.pop()
            return None
        return position


def _lower_words(engine: _Engine, text: str, index: int, following: str | None) -> str:
    return " ".join(w.lower() if w else w for w in text.split(" "))


def _upper_words(engine: _Engine, text: str, index: int, following: str | None) -> str:
    return " ".join(w.upper() if w else w for w in text.split(" "))


def _sentence_words(engine: _Engine, text: str, index: int, following: str | None) -> str:
    words = text.split(" ")
    for i, word in enumerate(words):
        if word:
            if engine.is_first:
                words[i] = capitalise(word)
                engine.is_first = False
            else:
                words[i] = word.lower()
    return " ".join(words)


#: the spaces that separate words for capitalize-first and capitalize-all
_SPACES = re.compile("([\u00a0 \u2000-\u200b\u205f\u3000]+)")


def _first_words(engine: _Engine, text: str, index: int, following: str | None) -> str:
    # CSL 1.0.2 "capitalize-first": the first word, "if the word is lowercase"
    # (a word with capitals of its own, "iPad", "eBay", stays)
    pieces = _SPACES.split(text)
    for i in range(0, len(pieces), 2):
        word = pieces[i]
        if word and engine.is_first:
            if word == word.lower():
                pieces[i] = capitalise(word)
            engine.is_first = False
            break
    return "".join(pieces)


def _all_words(engine: _Engine, text: str, index: int, following: str | None) -> str:
    # CSL 1.0.2 "capitalize-all": every lowercase word
    pieces = _SPACES.split(text)
    pieces[0::2] = [capitalise(w) if w and w == w.lower() else w for w in pieces[0::2]]
    return "".join(pieces)


def _title_words(engine: _Engine, text: str, index: int, following: str | None) -> str:
    if not text.strip():
        return text
    pieces = _WORD_GAP.split(text)
    words = pieces[0::2]
    for j, word in enumerate(words):
        if not word:
            continue
        last_before_hyphen = j == len(words) - 1 and following == "-"
        if word != word.lower() or any(c.isdigit() for c in word):
            pass  # a word with capitals of its own or digits stays ("iPad", "mRNA", "x2y")
        elif (len(word) > 1 and not _STOP.match(word.lower())) or last_before_hyphen \
                or engine.is_first or engine.after_punct:
            words[j] = capitalise(word)
        engine.after_punct = False
        engine.is_first = False
        engine.last_word = (index, j)
    pieces[0::2] = words
    return "".join(pieces)


def apply_text_case(text: str, case: str) -> str:
    """Apply the CSL ``text-case`` ``case`` to ``text`` (rich text)."""
    if case == "lowercase":
        return _Engine(_lower_words, quotes=False, first=None, after_punct=None).run(text)
    if case == "uppercase":
        return _Engine(_upper_words, quotes=False, first=None, after_punct=None).run(text)
    if case == "capitalize-first":
        return _Engine(_first_words, quotes=True, first=True, after_punct=None).run(text)
    if case == "capitalize-all":
        return _Engine(_all_words, quotes=True, first=None, after_punct=None).run(text)
    if case == "sentence":
        return _Engine(_sentence_words, quotes=True, first=True, after_punct=None).run(text)
    if case == "title":
        return _Engine(_title_words, quotes=True, first=True, after_punct=False).run(text)
    return text
