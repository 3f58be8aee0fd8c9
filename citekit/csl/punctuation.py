"""Punctuation at the seams of a rendered entry, as one pass over the blob tree.

CSL 1.0.2 leaves to the processor what happens where an affix or delimiter
meets punctuation already in the text ("Why?" followed by the suffix ``.``),
and asks it to move punctuation inside closing quotation marks in locales whose
``punctuation-in-quote`` option is true ("Locale options"). The reference
processor settles both on the tree of blobs, in four walks done in this order
(:func:`normalise`):

* *upward*: leading punctuation and spaces of a first child's prefix, and a
  trailing space of a last child's suffix, climb to the parent; a delimiter's
  trailing character is not repeated by the next child's prefix;
* *leftward*: punctuation that opens a sibling's prefix joins the previous
  sibling's suffix (merging the two marks by :data:`MERGE`);
* *downward*: a delimiter's punctuation becomes the children's suffixes, a
  parent's suffix punctuation merges with punctuation its last child ends in,
  duplicated marks and spaces are dropped;
* *quotes*: punctuation next to a quoted element moves inside the quotation
  marks when the locale says so (``.`` and ``,`` only, never ``;`` or ``:``),
  and ``:``, ``,`` and ``;`` move out of them otherwise.

:data:`MERGE` is the table of what two adjacent marks become ("?" then "." is
"?", "." then "," is ".,"...).
"""

from __future__ import annotations

from citekit.csl.richtext import Blob

__all__ = ["MERGE", "normalise", "purge_empty"]

#: first mark -> second mark -> what the pair becomes
MERGE: dict[str, dict[str, str]] = {
    "!": {".": "!", "?": "!?", ":": "!", ",": "!,", ";": "!;"},
    "?": {"!": "?!", ".": "?", ":": "?", ",": "?,", ";": "?;"},
    ".": {"!": ".!", "?": ".?", ":": ".:", ",": ".,", ";": ".;"},
    ":": {"!": "!", "?": "?", ".": ":", ",": ":,", ";": ":;"},
    ",": {"!": ",!", "?": ",?", ":": ",:", ".": ",.", ";": ",;"},
    ";": {"!": "!", "?": "?", ":": ";", ",": ";,", ".": ";"},
}
_BACKWARD: dict[str, dict[str, str]] = {}
for _first, _row in MERGE.items():
    for _second, _pair in _row.items():
        _BACKWARD.setdefault(_second, {})[_first] = _pair

PUNCT = frozenset(MERGE)
PUNCT_OR_SPACE = PUNCT | {" ", "\u00a0"}
#: marks that move into quotation marks (punctuation-in-quote) ...
SWAP_IN = PUNCT - {";", ":"}
#: ... and those that move out of them otherwise
SWAP_OUT = PUNCT - {".", "!", "?"}

_DECORATIONS = frozenset({"@font-style", "@font-variant", "@font-weight", "@text-decoration",
                          "@vertical-align"})


def purge_empty(parent: Blob) -> None:
    """Remove children with no content, bottom-up."""
    if not isinstance(parent.blobs, list):
        return
    kept = []
    for child in parent.blobs:
        purge_empty(child)
        if child.blobs:
            kept.append(child)
    parent.blobs = kept


def normalise(top: Blob, punctuation_in_quote: bool) -> None:
    """Run the four walks over ``top`` (an entry or a cite), in place."""
    _upward(top)
    _leftward(top)
    _downward(top, punctuation_in_quote)
    _quotes(top, punctuation_in_quote)


# -- helpers ------------------------------------------------------------------------------

def _is_number(blob: Blob) -> bool:
    if blob.num is not None:
        return True
    kids = blob.blobs
    return isinstance(kids, list) and len(kids) == 1 and kids[0].num is not None


def _ends_in_number(blob: Blob) -> bool:
    if blob.num is not None:
        return True
    kids = blob.blobs
    if not isinstance(kids, list) or not kids:
        return False
    return _ends_in_number(kids[-1])


def _decorated(blob: Blob, quotes: bool = False) -> bool:
    for attr, _value in blob.decorations:
        if attr in _DECORATIONS:
            return True
        if quotes and attr == "@quotes":
            return True
    return False


def _quoted(blob: Blob) -> bool:
    return any(a == "@quotes" and v != "false" for a, v in blob.decorations)


def _has_quotes_at_end(blob: Blob) -> bool:
    if _quoted(blob):
        return True
    kids = blob.blobs
    if not isinstance(kids, list) or not kids:
        return False
    return _has_quotes_at_end(kids[-1])


def _merges_at_end(mark: str, blob: Blob) -> bool:
    last = blob.suffix[-1:]
    if not last and isinstance(blob.blobs, str):
        last = blob.blobs[-1:]
    merged = _BACKWARD.get(mark, {}).get(last)
    if merged is not None and len(merged) == 1:
        return True
    kids = blob.blobs
    if not isinstance(kids, list) or not kids:
        return False
    return _merges_at_end(mark, kids[-1])


def _ends_with(blob: Blob, mark: str) -> bool:
    if mark not in PUNCT:
        return False
    kids = blob.blobs
    if isinstance(kids, str):
        return kids[-1:] == mark
    if not kids:
        return False
    child = kids[-1]
    last = child.suffix[-1:]
    if not last:
        return _ends_with(child, mark)
    return last == mark


# A slot is a blob and the name of one of its strings: "blobs" (leaf text),
# "prefix" or "suffix".
def _get(blob: Blob, slot: str) -> str:
    value = getattr(blob, slot)
    return value if isinstance(value, str) else ""


def _merge(first: Blob, first_slot: str, second: Blob, second_slot: str,
           rightward: bool = False) -> None:
    """Merge the mark ending ``first``'s slot with the one opening ``second``'s.

    Leftward (the default), the result stays in the first slot; rightward, in
    the second.
    """
    left = _get(first, first_slot)
    right = _get(second, second_slot)
    a, b = left[-1:], right[:1]
    if a == b:
        if rightward:
            setattr(first, first_slot, left[:-1])
        else:
            setattr(second, second_slot, right[1:])
        return
    if rightward:
        if a not in MERGE:
            return
        pair = MERGE[a].get(b)
        if pair is not None:
            setattr(first, first_slot, left[:-1])
            setattr(second, second_slot, pair + right[1:])
        else:
            setattr(second, second_slot, a + right)
            setattr(first, first_slot, left[:-1])
    else:
        if b not in _BACKWARD:
            return
        pair = _BACKWARD[b].get(a)
        if pair is not None:
            setattr(first, first_slot, left[:-1] + pair)
            setattr(second, second_slot, right[1:])
        else:
            setattr(first, first_slot, left + b)
            setattr(second, second_slot, right[1:])


# -- the walks ----------------------------------------------------------------------------

def _drop_doubled_suffix(leaf: Blob, text: str) -> None:
    """A leaf's suffix loses a punctuation mark its text already ends with."""
    first = leaf.suffix[:1]
    if first in PUNCT and first == text[-1:]:
        leaf.suffix = leaf.suffix[1:]


def _upward(parent: Blob) -> None:
    kids = parent.blobs
    if isinstance(kids, str):
        _drop_doubled_suffix(parent, kids)
        return
    if not kids:
        return
    decorated = _decorated(parent, quotes=True)
    last = len(kids) - 1
    for i in range(last, -1, -1):
        child = kids[i]
        _upward(child)
        if i == 0:
            if parent.prefix[-1:] == " " and child.prefix[:1] == " ":
                child.prefix = child.prefix[1:]
            char = child.prefix[:1]
            if not decorated and char in PUNCT_OR_SPACE and not parent.prefix:
                parent.prefix += char
                child.prefix = child.prefix[1:]
        if i == last:
            char = child.suffix[-1:]
            if not decorated and char == " ":
                if parent.suffix[:1] != char:
                    parent.suffix = char + parent.suffix
                child.suffix = child.suffix[:-1]
        if parent.delimiter and i > 0:
            char = parent.delimiter[-1:]
            if char in PUNCT_OR_SPACE and char == child.prefix[:1]:
                child.prefix = child.prefix[1:]


def _leftward(parent: Blob) -> None:
    kids = parent.blobs
    if not isinstance(kids, list) or not kids:
        return
    for i in range(len(kids) - 1, -1, -1):
        _leftward(kids[i])
        if i < len(kids) - 1 and not parent.delimiter:
            child, sibling = kids[i], kids[i + 1]
            char = sibling.prefix[:1]
            if _decorated(child) or _decorated(sibling) or char not in PUNCT:
                continue
            same_as_suffix = char == child.suffix[-1:]
            same_as_text = (not child.suffix and isinstance(child.blobs, str)
                            and child.blobs[-1:] == char)
            if not same_as_suffix and not same_as_text:
                _merge(child, "suffix", sibling, "prefix")
            else:
                sibling.prefix = sibling.prefix[1:]


def _downward(parent: Blob, inside: bool) -> None:
    kids = parent.blobs
    if isinstance(kids, str):
        _drop_doubled_suffix(parent, kids)
        return
    if not kids:
        return
    if parent.delimiter and parent.delimiter[:1] in PUNCT:
        mark = parent.delimiter[0]
        for i in range(len(kids) - 2, -1, -1):
            if kids[i].suffix[-1:] != mark:
                kids[i].suffix += mark
        parent.delimiter = parent.delimiter[1:]
    last = len(kids) - 1
    for i in range(last, -1, -1):
        child = kids[i]
        child_decorated = _decorated(child, quotes=True)
        child_number = _is_number(child)
        if i == last:
            mark = parent.suffix[:1]
            migrate = False
            if mark in PUNCT:
                migrate = _merges_at_end(mark, child)
                if not migrate and inside:
                    migrate = _has_quotes_at_end(child)
            if migrate and not _ends_in_number(child):
                if isinstance(child.blobs, str):
                    _merge(child, "blobs", parent, "suffix")
                else:
                    _merge(child, "suffix", parent, "suffix")
                if parent.suffix[:1] == ".":
                    child.suffix += "."
                    parent.suffix = parent.suffix[1:]
            if child.suffix[-1:] == " " and parent.suffix[:1] == " ":
                parent.suffix = parent.suffix[1:]
            if child.suffix[:1] in PUNCT_OR_SPACE:
                if isinstance(child.blobs, str) and child.blobs[-1:] == child.suffix[:1]:
                    child.suffix = child.suffix[1:]
                if child.suffix[-1:] and child.suffix[-1:] == parent.suffix[:1]:
                    parent.suffix = parent.suffix[:-1]
            if _ends_with(parent, parent.suffix[:1]):
                parent.suffix = parent.suffix[1:]
        elif parent.delimiter:
            char = parent.delimiter[:1]
            if char in PUNCT_OR_SPACE and char == child.suffix[-1:]:
                child.suffix = child.suffix[:-1]
        else:
            sibling = kids[i + 1]
            char = child.suffix[-1:]
            if (not child_number and not child_decorated and char in PUNCT_OR_SPACE
                    and char == sibling.prefix[:1]):
                sibling.prefix = sibling.prefix[1:]
        if (not child_number and not child_decorated and child.suffix[:1] in PUNCT
                and isinstance(child.blobs, str)):
            _merge(child, "blobs", child, "suffix")
        _downward(child, inside)


def _quotes(parent: Blob, inside: bool) -> None:
    kids = parent.blobs
    if not isinstance(kids, list):
        return
    for child in kids:
        if _quoted(child):
            if inside:
                _swap_in(child)
            else:
                _swap_out(child)
        _quotes(child, inside)


def _swap_in(child: Blob) -> None:
    if isinstance(child.blobs, str):
        while child.suffix[:1] in SWAP_IN:
            _merge(child, "blobs", child, "suffix")
    elif child.blobs:
        last = child.blobs[-1]
        while child.suffix[:1] in SWAP_IN:
            _merge(last, "suffix", child, "suffix")


def _swap_out(child: Blob) -> None:
    if isinstance(child.blobs, str):
        while child.blobs[-1:] in SWAP_OUT:
            _merge(child, "blobs", child, "suffix", rightward=True)
    elif child.blobs:
        last = child.blobs[-1]
        while last.suffix[-1:] in SWAP_OUT:
            _merge(last, "suffix", child, "suffix", rightward=True)
