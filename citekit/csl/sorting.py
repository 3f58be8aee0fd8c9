"""Sorting: ``cs:sort`` and ``cs:key`` -- citekit's own sort keys and comparison
(CSL 1.0.2, "Sorting").

* A ``variable`` key on a name variable sorts by the names in sort order
  (family, then given), all of them; a date variable by year, month, day (and
  the range end); a number variable numerically; any other variable by its
  text. A ``macro`` key sorts by the macro rendered for sorting: names in sort
  order (``names-min``, ``names-use-first`` and ``names-use-last`` on the key
  override the et-al settings) and dates as sortable numbers; a macro that
  renders a date sorts by its dates only.
* Keys compare like the reference processor's locale-aware comparison: case,
  accents and punctuation are ignored, digit runs compare as numbers, and
  keys compare word by word (a space sorts before any letter: "Mac Lane"
  before "Macintyre"); Cyrillic short i is a letter of its own. An empty key
  sorts last whatever the direction; items with equal keys keep their
  registration order.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cmp_to_key, lru_cache
from typing import Any

from citeproc import model as _model

from citekit.csl.element import Element, State, register
from citekit.csl.richtext import Blob

__all__ = ["Key", "Sort", "collation_key", "compare_keys", "date_sort_key"]

_SPECIAL = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                          "ß": "ss", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ł": "l",
                          "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "ħ": "h", "Ħ": "h"})


#: symbols the root collation orders (the rest follow by code point); ``|`` is
#: also the separator of a sort key's words and name parts
_SYMBOL_ORDER = ("`\u00b4^\u00a8\u00b0\u00a9\u00ae+\u00b1\u00f7\u00d7<=>\u00ac|\u00a6~"
                 "\u00a2$\u00a3\u00a5\u20ac")

_MARKUP_TAG = re.compile(r"</?(?:i|b|sup|sub|span)(?:\s[^>]*)?>")


@lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[tuple[int, Any], ...]:
    """A comparison key that ignores case, accents, punctuation and spaces, and
    compares runs of digits as numbers, as the reference processor's collator
    does (base sensitivity, punctuation ignored, numeric). A run of digits ends
    at any character, ignored ones included: "2 1" is two numbers. ``|``, the
    separator of a sort key's words and name parts, and other symbols (``=``,
    ``+``, ``$``) are not ignored: they sort before digits, and digits before
    letters ("Name|of" < "Name1" < "Names")."""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    if "\u0306" in decomposed:
        # Cyrillic short i is a letter of its own (after i) in the Unicode root
        # collation, not i with a breve
        decomposed = decomposed.replace("\u0438\u0306", "\u0439").replace(
            "\u0418\u0306", "\u0419")
    parts: list[tuple[int, Any]] = []
    letters: list[str] = []
    digits = ""
    for char in decomposed:
        if char.isdigit() and char.isascii():
            if letters:
                parts.append((2, "".join(letters).casefold()))
                letters = []
            digits += char
            continue
        if digits:
            parts.append((1, int(digits)))
            digits = ""
        category = unicodedata.category(char)
        if category[0] in ("M", "P", "Z", "C"):
            continue
        if category[0] == "S":
            # symbols count, before digits and letters, in the root order
            if letters:
                parts.append((2, "".join(letters).casefold()))
                letters = []
            rank = _SYMBOL_ORDER.find(char)
            parts.append((0, rank if rank >= 0 else 100 + ord(char)))
            continue
        letters.append(char)
    if digits:
        parts.append((1, int(digits)))
    if letters:
        parts.append((2, "".join(letters).casefold()))
    return tuple(parts)


def compare_keys(a: list[Any], b: list[Any], directions: list[bool]) -> int:
    """Compare two key lists (``directions`` True for descending)."""
    for left, right, descending in zip(a, b, directions, strict=False):
        if left == right:
            continue
        if left is None:
            return 1
        if right is None:
            return -1
        result = int(left > right) - int(left < right)
        if result:
            return -result if descending else result
    return 0


def date_sort_key(date: Any, parts: tuple[str, ...] = ("year", "month", "day")) -> str:
    """A date as digits that sort chronologically (negative years first); empty
    for a date without a year."""
    if date is None or not date.start or not date.start[0]:
        return ""
    out = []
    for values in (date.start, date.end):
        for position, name in enumerate(("year", "month", "day")):
            value = values[position] if values and name in parts else 0
            if name == "year":
                if value < 0:
                    out.append(f"0{9999 + value:04d}")
                else:
                    out.append(f"1{value:04d}")
            else:
                out.append(f"{value:02d}")
    return "".join(out)


@register("sort")
class Sort(Element, _model.Sort):  # type: ignore[misc]
    """``cs:sort``."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.keys = [k for k in self if isinstance(k, Key)]

    def sort(self, items: list[Any], key_for: Any) -> list[Any]:
        """Sort ``items`` (stable); ``key_for(item, key)`` computes one key value."""
        directions = [k.descending for k in self.keys]
        decorated = [([key_for(entry, key) for key in self.keys], entry) for entry in items]
        def compare(a: tuple[list[Any], Any], b: tuple[list[Any], Any]) -> int:
            return compare_keys(a[0], b[0], directions)

        decorated.sort(key=cmp_to_key(compare))
        return [entry for _, entry in decorated]


@register("key")
class Key(Element, _model.Key):  # type: ignore[misc]
    """``cs:key``."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.descending = self.get("sort", "ascending") == "descending"
        self.variable = self.get("variable")
        self.macro = style.macro(self.get("macro")) if self.get("macro") else None
        forced = {"name-as-sort-order": "all"}
        for attr, name in (("names-min", "et-al-min"), ("names-use-first", "et-al-use-first"),
                           ("names-use-last", "et-al-use-last")):
            if self.get(attr) is not None:
                forced[name] = self.get(attr, "")
        self.forced = forced

    def value(self, st: State) -> Any:
        """This key's value for the item ``st`` renders (None when empty)."""
        st.sorting = True
        st.name_options = self.forced
        text = self.variable_key(st) if self.variable else self.macro_key(st)
        if text is None or text == "":
            return None
        if " " in text:
            # word by word: the reference processor joins the words of a sort
            # key with its field separator, which sorts before any letter
            # ("Mac Lane" before "Macintyre", "De la Cruz" before "Delacroix")
            text = text.replace(" ", "|")
        return collation_key(text)

    def variable_key(self, st: State) -> str | None:
        variable = self.variable
        assert variable is not None
        item = st.item
        if variable in item.names:
            return self.names_key(st, variable)
        if variable in ("citation-number",):
            number = getattr(st, "citation_number", None)
            return f"{number:020d}" if number else None
        if variable == "citation-label" and not item.vars.get(variable):
            # the generated trigraph sorts as it prints
            from citekit.csl.variables import citation_label

            return citation_label(st) or None
        date = item.dates.get(variable)
        if date is not None:
            return date_sort_key(date) or None
        value = item.vars.get(variable)
        if value is None:
            return None
        from citekit.csl.numbers import NUMBER_VARIABLES

        if variable in NUMBER_VARIABLES:
            match = re.match(r"\s*(-?[0-9]+)", value)
            if match:
                number = int(match.group(1))
                if number < 0:
                    number = 99999999999999999999 + number
                return f"{number:020d}"
        # rich-text markup is formatting, not text to sort on
        return _MARKUP_TAG.sub("", value) if "<" in value else value

    def names_key(self, st: State, variable: str) -> str | None:
        from citekit.csl.names import Names

        names = Names.render_sort_key(st, variable)
        return names

    def macro_key(self, st: State) -> str | None:
        from citekit.csl.layout import render_macro

        assert self.macro is not None
        out: list[Blob] = []
        st.top = None
        render_macro(self.macro, st, out)
        return "".join(b.text() for b in out)
