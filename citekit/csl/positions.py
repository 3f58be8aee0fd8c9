"""Cite positions across a document's citations (CSL 1.0.2, "Choose":
``position``; "Citation-specific options": ``near-note-distance``).

A document is a sequence of citations, each a list of cites (already in the
citation's sort order) and a note number (0 for a citation in the running
text). Each cite gets:

* ``position``: ``first`` for the first cite of its item; ``ibid`` when it
  cites the same item as the cite right before it -- the previous cite of the
  same citation, or the only cite of the previous citation when that citation
  is in the same note or the note just before (and was the only citation of its
  note), or the last cite of the previous citation in the same note --
  ``ibid-with-locator`` when, in that case, the locators differ or only the
  current cite has one; ``subsequent`` otherwise (also when the previous cite
  had a locator and this one has none);
* ``first-reference-note-number``: the note of the item's first cite, for a
  cite in a later note;
* ``near-note``: true for a non-first cite in a note at most
  ``near-note-distance`` notes after the item's previous cite.

Citations in the running text and citations in notes are two separate
sequences (as in word processors: a text citation does not make the next
footnote "ibid"); a note number lower than the previous one starts the
counting afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FIRST", "IBID", "IBID_WITH_LOCATOR", "SUBSEQUENT", "Placed", "PositionTracker",
           "assign_positions", "position_code"]

#: The positions as the conditions compare them (a later one implies the earlier
#: non-first ones: ibid-with-locator is also ibid and subsequent).
FIRST = 0
SUBSEQUENT = 2
IBID = 3
IBID_WITH_LOCATOR = 4

_BY_NAME = {"first": FIRST, "subsequent": SUBSEQUENT, "ibid": IBID,
            "ibid-with-locator": IBID_WITH_LOCATOR}
#: CSL-JSON citation items (citeproc-js) number positions 0-3
_BY_NUMBER = {0: FIRST, 1: SUBSEQUENT, 2: IBID, 3: IBID_WITH_LOCATOR}


def position_code(value: Any) -> int | None:
    """The position a caller gave (a name, or a CSL-JSON position number)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _BY_NUMBER.get(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit():
            return _BY_NUMBER.get(int(text))
        return _BY_NAME.get(text)
    return None


@dataclass
class Placed:
    """A citation in the document: its cites (mutable mappings, sorted) and note."""

    cites: list[dict[str, Any]]
    note: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _locator_key(cite: dict[str, Any]) -> str | None:
    locator = cite.get("locator")
    if not locator:
        return None
    return f"{locator}{cite.get('label') or ''}"


def assign_positions(citations: Sequence[Placed], near_note_distance: int = 5) -> None:
    """Set ``position``, ``near-note`` and ``first-reference-note-number`` on every
    cite of ``citations`` (in document order)."""
    tracker = PositionTracker(near_note_distance)
    for citation in citations:
        tracker.add(citation)


class _Stream:
    """The running state of one sequence of citations (text or notes)."""

    def __init__(self) -> None:
        self.first_ref: dict[str, int] = {}
        self.last_ref: dict[str, int] = {}
        self.cites_in_note: dict[int, int] = {}
        self.previous: Placed | None = None


class PositionTracker:
    """Assigns positions to citations appended one after the other."""

    def __init__(self, near_note_distance: int = 5) -> None:
        self.distance = near_note_distance
        self.text = _Stream()
        self.notes = _Stream()

    def add(self, citation: Placed) -> None:
        """Set the positions of the cites of ``citation``, the next in the document."""
        stream = self.notes if citation.note else self.text
        note = citation.note
        previous = stream.previous
        if previous is not None and previous.note > note:
            stream.first_ref.clear()
            stream.last_ref.clear()
            stream.cites_in_note.clear()
        first_ref, last_ref = stream.first_ref, stream.last_ref
        stream.cites_in_note[note] = stream.cites_in_note.get(note, 0) + len(citation.cites)
        for k, cite in enumerate(citation.cites):
            key = str(cite.get("id"))
            cite.pop("first-reference-note-number", None)
            cite["near-note"] = False
            if key not in first_ref:
                first_ref[key] = note
                last_ref[key] = note
                cite["position"] = FIRST
                continue
            before = _ibid_source(citation, k, previous, key, stream.cites_in_note)
            position = SUBSEQUENT
            if before is not None:
                prev_locator, locator = _locator_key(before), _locator_key(cite)
                if prev_locator is None:
                    position = IBID_WITH_LOCATOR if locator else IBID
                elif locator is None:
                    position = SUBSEQUENT
                elif locator == prev_locator:
                    position = IBID
                else:
                    position = IBID_WITH_LOCATOR
            cite["position"] = position
            if first_ref[key] != note:
                cite["first-reference-note-number"] = first_ref[key]
            if note:
                if note - last_ref[key] <= self.distance:
                    cite["near-note"] = True
                last_ref[key] = note
        stream.previous = citation


def _ibid_source(citation: Placed, k: int, previous: Placed | None, key: str,
                 cites_in_note: dict[int, int]) -> dict[str, Any] | None:
    """The cite the ``k``-th cite of ``citation`` would be "ibid" of, if any."""
    if k > 0:
        before = citation.cites[k - 1]
        return before if str(before.get("id")) == key else None
    if previous is None or not previous.cites:
        return None
    if previous.note != citation.note:
        # the previous citation is in an earlier note: it must be that note's
        # only cite, cite this item alone, and be in the same or the previous note
        only = previous.cites[0]
        if len(previous.cites) == 1 and str(only.get("id")) == key \
                and previous.note >= citation.note - 1 \
                and (cites_in_note.get(previous.note) == 1 or previous.note == 0):
            return only
        return None
    last = previous.cites[-1]
    return last if str(last.get("id")) == key else None
