"""Disambiguation of cites (CSL 1.0.2, "Disambiguation").

Two cites are *ambiguous* when they render the same: citekit renders each
registered item's cite as a subsequent cite without locator or affixes (as
the reference processor does, so that a note style disambiguates its short
form) and groups the items whose renderings are identical. Each group of two or
more items is then worked on in the order the specification gives, each step
only for the cites the previous steps left ambiguous:

1. ``disambiguate-add-names``: names hidden by et-al abbreviation are shown one
   at a time, to all the cites of the group;
2. ``disambiguate-add-givenname`` with ``givenname-disambiguation-rule``
   ``by-cite`` (the default): the given names of the names shown are
   expanded, to initials then to the full given name (with
   ``disambiguate-add-names`` as well, a name is expanded before the next one is
   added). As in the reference processor, the group is worked on as a list
   (items with the fewest names first): after each step the first item is
   compared with the others; an item told apart leaves with the steps that
   helped so far, the rest go on from where the steps are (steps only go
   forward, so an item settled later may show more than it strictly needs);
3. ``disambiguate="true"`` tests are made true for the cites still
   ambiguous, one more at a time in the order a cite evaluates them, until the
   cites are told apart (those never told apart keep them all true);
4. ``disambiguate-add-year-suffix``: the cites still ambiguous get the
   year-suffixes ``a``, ``b``, ``c``... in the order of the bibliography.

The other given-name rules (``all-names``, ``all-names-with-initials``,
``primary-name``, ``primary-name-with-initials``) disambiguate *names* across
the whole document rather than cites: every name shown in the cites (only the
first name of each cite for the ``primary-*`` rules) is registered by family
name; a name whose family name comes with other initials is shown with its
initials, and with its full given name when the initials are shared by
different given names (``*-with-initials`` never goes beyond initials, and
shows only the family name of a name that is not ambiguous).

The outcome for each item is an :class:`AmbigConfig`: how many names each name
list of the cite shows, how far each name's given name is expanded, whether
``disambiguate`` conditions hold, and the year-suffix. The renderer reads it
through :class:`CiteDisambig`, the ``State.disambig`` hooks of
:mod:`citekit.csl.names` and :mod:`citekit.csl.conditions`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AmbigConfig", "CiteDisambig", "Disambiguator", "NameRegistry",
           "assign_year_suffixes"]


@dataclass
class AmbigConfig:
    """The disambiguation settings of one item's cites."""

    #: per name list of the cite (in rendering order): how many names to show
    names: list[int] = field(default_factory=list)
    #: per name list, per name: 0 family name only, 1 initials, 2 full given name
    givens: list[list[int]] = field(default_factory=list)
    #: how many of the ``disambiguate="true"`` tests the cite meets, in the order
    #: they are evaluated, hold (0: none)
    condition: int = 0
    #: the year-suffix (0 for "a"), or None
    year_suffix: int | None = None

    def copy(self) -> AmbigConfig:
        return AmbigConfig(list(self.names), [list(g) for g in self.givens], self.condition,
                           self.year_suffix)

    def given(self, nameset: int, index: int) -> int | None:
        if nameset < len(self.givens) and index < len(self.givens[nameset]):
            return self.givens[nameset][index]
        return None

    def set_given(self, nameset: int, index: int, level: int) -> None:
        while len(self.givens) <= nameset:
            self.givens.append([])
        row = self.givens[nameset]
        while len(row) <= index:
            row.append(-1)
        row[index] = level


@dataclass
class NamesetRecord:
    """What one name list rendered: its size, how many names it showed by
    default, and the names shown (with their default given-name level)."""

    count: int
    shown: int
    names: list[tuple[int, Any, int, str | None]] = field(default_factory=list)


# -- the name registry (global given-name rules) ------------------------------------------

def _strip_periods(text: str | None) -> str:
    if not text:
        return ""
    return re.sub(r"\s+", " ", text.replace(".", " ")).strip()


def _initials(given: str) -> str:
    parts = [p for p in re.split(r"[\s\-\u2010\u2013]+", given) if p]
    return "".join(p[0] for p in parts)


def name_keys(name: Any) -> tuple[str, str, str]:
    """(family key, initials key, given-name key) of a personal name."""
    family = _strip_periods(" ".join(p for p in (name.non_dropping_particle, name.family) if p))
    given = _strip_periods(name.given)
    match = re.search(r"[,!]* ([^,]+)$", given)
    if match and match.group(1) == match.group(1).lower():
        given = given[:match.start()]
    return family, _initials(given), given


class NameRegistry:
    """The personal names shown in a document's cites, by family name, for the
    global given-name disambiguation rules."""

    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.families: dict[str, dict[str, set[str]]] = {}
        #: changes whenever a new name form is registered
        self.version = 0

    def add(self, name: Any, index: int) -> None:
        if name.is_institution or not name.family:
            return
        if self.rule.startswith("primary-") and index > 0:
            return
        family, initials, given = name_keys(name)
        forms = self.families.setdefault(family, {}).setdefault(initials, set())
        if given not in forms:
            forms.add(given)
            self.version += 1

    def level(self, name: Any, index: int, default: int, initialize_with: str | None) -> int:
        """The given-name level of ``name`` (at ``index`` in its list)."""
        if name.is_institution or not name.family or not name.given:
            return default
        if self.rule.startswith("primary-") and index > 0:
            return default
        family, initials, _given = name_keys(name)
        forms = self.families.get(family)
        if forms is None or initials not in forms:
            return default
        if self.rule.endswith("-with-initials"):
            return 1 if len(forms) > 1 else 0
        level = default
        if len(forms) > 1:
            level = 1
        if len(forms[initials]) > 1 or (len(forms) > 1 and initialize_with is None):
            level = 2
        return level


# -- the rendering hooks ------------------------------------------------------------------

class CiteDisambig:
    """``State.disambig``: applies an :class:`AmbigConfig` while one cite renders
    (and records what the name lists rendered)."""

    def __init__(self, config: AmbigConfig | None, *, add_givenname: bool = False,
                 rule: str = "by-cite", registry: NameRegistry | None = None,
                 record: bool = False, register: bool = False,
                 boost_only: bool = False) -> None:
        self.config = config
        self.register = register
        #: in a bibliography entry, a cite's given-name level applies only where
        #: it shows more than the entry's own default
        self.boost_only = boost_only
        self.add_givenname = add_givenname
        self.rule = rule
        self.registry = registry
        self.nameset = -1
        #: how many disambiguate tests this rendering evaluated
        self.conditions_seen = 0
        self.records: list[NamesetRecord] | None = [] if record else None

    def names_shown(self, st: Any, count: int, shown: int) -> int | None:
        """How many of the ``count`` names of the next name list to show (None:
        the style's et-al settings)."""
        self.nameset += 1
        if self.records is not None:
            self.records.append(NamesetRecord(count, shown))
        config = self.config
        if config is None or self.nameset >= len(config.names):
            return None
        return config.names[self.nameset]

    def given_level(self, st: Any, index: int, level: int, name: Any = None,
                    opts: Any = None) -> int | None:
        """The given-name level of the ``index``-th name of the current list."""
        initialize_with = getattr(opts, "initialize_with", None)
        if self.records is not None and self.records and name is not None:
            self.records[-1].names.append((index, name, level, initialize_with))
        if self.register and self.registry is not None and name is not None:
            # every name a disambiguation rendering shows takes part (names added
            # by et-al expansion included)
            self.registry.add(name, index)
        if not self.add_givenname or name is None or name.is_institution:
            return None
        if self.rule == "by-cite":
            config = self.config
            wanted = config.given(max(self.nameset, 0), index) if config is not None else None
            if wanted is None or wanted < 0:
                return None
            if wanted == 1 and initialize_with is None:
                wanted = 2
            return max(level, wanted)
        if self.registry is None:
            return None
        raised = self.registry.level(name, index, level, initialize_with)
        return max(raised, level) if self.boost_only else raised

    def condition(self, st: Any) -> bool:
        """Whether the next ``disambiguate="true"`` test holds: the first
        ``config.condition`` tests of the cite do."""
        self.conditions_seen += 1
        return bool(self.config is not None
                    and self.conditions_seen <= self.config.condition)


# -- the disambiguation run ---------------------------------------------------------------

Render = Callable[[Any, CiteDisambig], str]


class Disambiguator:
    """Works out the :class:`AmbigConfig` of every item of a document.

    ``render(item, hooks)`` renders the item's ambiguity cite with ``hooks`` as
    ``State.disambig`` and returns its plain text; ``bib_order`` maps item ids to
    their place in the bibliography (the order year-suffixes follow).
    """

    def __init__(self, citation: Any, render: Render, bib_order: dict[str, int],
                 uses_condition: bool) -> None:
        self.render_fn = render
        self.bib_order = bib_order
        self.add_names = bool(citation.add_names)
        self.add_givenname = bool(citation.add_givenname)
        self.rule = citation.givenname_rule or "by-cite"
        self.add_year_suffix = bool(citation.add_year_suffix)
        self.uses_condition = uses_condition
        self.registry: NameRegistry | None = None
        if self.add_givenname and self.rule != "by-cite":
            self.registry = NameRegistry(self.rule)
        self.expand_names = self.add_names
        self.expand_givens = self.add_givenname and self.rule == "by-cite"
        self.configs: dict[str, AmbigConfig] = {}
        self.records: dict[str, list[NamesetRecord]] = {}
        self.cache: dict[tuple[Any, ...], str] = {}
        #: the most disambiguate tests an item's cite evaluated
        self.conditions: dict[str, int] = {}

    # -- rendering ----------------------------------------------------------------------

    def hooks(self, config: AmbigConfig | None, record: bool = False,
              register: bool = False) -> CiteDisambig:
        return CiteDisambig(config, add_givenname=self.add_givenname, rule=self.rule,
                            registry=self.registry, record=record, register=register)

    def bibliography_hooks(self, config: AmbigConfig | None) -> CiteDisambig:
        """The hooks of ``item``'s bibliography entry: the ``disambiguate="true"``
        tests its cites meet, and given names as full as its cites show them
        where that is more than the entry's default ("Daniel S" where the entry
        would normalise to "Daniel S." and the cites spell the name out). Name
        lists keep the bibliography's own et-al settings."""
        names_free = AmbigConfig([], [list(g) for g in config.givens] if config else [],
                                 config.condition if config else 0)
        return CiteDisambig(names_free, add_givenname=self.add_givenname, rule=self.rule,
                            registry=self.registry, boost_only=True)

    def render(self, item: Any, config: AmbigConfig) -> str:
        """The ambiguity text of ``item`` under ``config`` (cached)."""
        version = self.registry.version if self.registry is not None else 0
        key = (item.id, tuple(config.names), tuple(tuple(g) for g in config.givens),
               config.condition, version)
        text = self.cache.get(key)
        if text is None:
            hooks = self.hooks(config, register=True)
            text = self.render_fn(item, hooks)
            self.conditions[item.id] = max(self.conditions.get(item.id, 0),
                                           hooks.conditions_seen)
            if self.registry is None or self.registry.version == version:
                self.cache[key] = text
        return text

    # -- the run ------------------------------------------------------------------------

    def run(self, items: Sequence[Any]) -> dict[str, AmbigConfig]:
        """The configuration of each of ``items`` (registered order)."""
        first: dict[str, str] = {}
        for item in items:
            hooks = self.hooks(None, record=True, register=True)
            first[item.id] = self.render_fn(item, hooks)
            self.records[item.id] = hooks.records or []
        for item in items:
            self.configs[item.id] = self.base_config(item)
        if not (self.add_names or self.add_givenname or self.add_year_suffix
                or self.uses_condition):
            return self.configs
        groups: dict[str, list[Any]] = {}
        for item in items:
            # without a name registry, the first rendering is the base one
            text = first[item.id] if self.registry is None else \
                self.render(item, self.configs[item.id])
            groups.setdefault(text, []).append(item)
        for members in groups.values():
            if len(members) > 1:
                self.resolve(members)
        return self.configs

    def base_config(self, item: Any) -> AmbigConfig:
        config = AmbigConfig()
        for record in self.records.get(item.id, []):
            config.names.append(record.shown)
            config.givens.append([level for _index, _name, level, _init in record.names])
        return config

    def resolve(self, members: list[Any]) -> None:
        """Disambiguate one group of items whose cites render the same."""
        classes = [members]
        if self.expand_names or self.expand_givens:
            classes = self.expand(members)
        if self.uses_condition:
            classes = self.by_condition(classes)
        if self.add_year_suffix:
            for group in classes:
                for same in self.partition(group):
                    if len(same) > 1:
                        self.year_suffixes(same)

    def partition(self, group: list[Any], template: AmbigConfig | None = None
                  ) -> list[list[Any]]:
        """``group`` split by rendering (each with its own config, or ``template``)."""
        for _attempt in range(3):
            version = self.registry.version if self.registry is not None else 0
            parts: dict[str, list[Any]] = {}
            for item in group:
                config = template if template is not None else self.configs[item.id]
                parts.setdefault(self.render(item, config), []).append(item)
            if self.registry is None or self.registry.version == version:
                break
            # names first shown in this pass change how the others read
        return list(parts.values())

    # step 1 and 2: names and given names
    def expand(self, members: list[Any]) -> list[list[Any]]:
        """Steps 1 and 2 the way the reference processor walks them: the items,
        fewest names first, are worked on as a list whose first item is checked
        against the others after each step; an item told apart leaves the list
        with the steps that helped so far, and the others go on from where the
        steps are (the steps only ever go forward, so later items may show more
        names than they strictly need)."""
        if len({_names_signature(m) for m in members}) == 1:
            return [members]

        def most(member: Any) -> int:
            records = self.records.get(member.id) or []
            return records[0].count if records else 0

        ordered = sorted(members, key=lambda m: (str(most(m)), str(m.id)))
        base = self.configs[ordered[0].id].copy()
        sets = min(len(self.records.get(m.id, [])) for m in members)
        names_max = most(ordered[0])
        defaults = []
        for k in range(sets):
            shown = self.records[ordered[0].id][k].names
            defaults.append(shown[0][2] if shown else 2)
        failed: list[list[Any]] = []
        lists: list[tuple[AmbigConfig, list[Any]]] = [(base.copy(), ordered)]
        while lists:
            better, items = lists.pop(0)
            cursor = [0, 0]  # name list, name
            clashes = [1, 0]
            fresh = True
            while items:
                maxed = False
                if not fresh:
                    maxed = self._increment(base, cursor, sets, names_max, defaults)
                fresh = False
                # items with the same names read the same under any expansion
                by_names: dict[Any, str] = {}
                texts = {}
                for m in items:
                    signature = _names_signature(m)
                    if signature not in by_names:
                        by_names[signature] = self.render(m, base)
                    texts[id(m)] = by_names[signature]
                first = items[0]
                partners = [m for m in items if texts[id(m)] == texts[id(first)]]
                others = [m for m in items if texts[id(m)] != texts[id(first)]]
                clashes = [clashes[1], len(partners) - 1]
                if clashes[1] == 0 and len(others) == 1:
                    self._capture(better, base, cursor)
                    for item in (first, others[0]):
                        self.configs[item.id] = self._merge(item, better)
                    items = []
                elif clashes[1] == 0:
                    self._capture(better, base, cursor)
                    self.configs[first.id] = self._merge(first, better)
                    items = others
                    fresh = True
                elif len(others) == 1:
                    self._capture(better, base, cursor)
                    self.configs[others[0].id] = self._merge(others[0], better)
                    items = partners
                elif clashes[1] < clashes[0]:
                    self._capture(better, base, cursor)
                    items = partners
                    lists.append((better.copy(), others))
                elif maxed or (sets == 0):
                    for item in partners:
                        self.configs[item.id] = self._merge(item, better)
                    failed.append(partners)
                    if others:
                        lists.append((better.copy(), others))
                    items = []
        return failed

    def _increment(self, base: AmbigConfig, cursor: list[int], sets: int, names_max: int,
                   defaults: list[int]) -> bool:
        """Move one expansion step forward (given name, else one more name, else the
        next name list); True when no step is left."""
        k, index = cursor
        if sets == 0:
            return True
        increment_names = not self.expand_givens
        if self.expand_givens:
            level = base.given(k, index)
            level = defaults[k] if level is None or level < 0 else level
            if level < 2:
                base.set_given(k, index, level + 1)
            else:
                increment_names = True
        next_set = False
        if increment_names:
            if self.expand_names and index < names_max:
                while len(base.names) <= k:
                    base.names.append(names_max)
                base.names[k] += 1
                cursor[1] = index = index + 1
            else:
                next_set = True
        if next_set and k < sets - 1:
            cursor[0] = k = k + 1
            while len(base.names) <= k:
                base.names.append(1)
            base.names[k] = 1
            cursor[1] = index = 0
        current = base.given(k, index)
        given_done = not self.expand_givens or (
            (current if current is not None and current >= 0 else defaults[k]) >= 2)
        return (k >= sets - 1 and (not self.expand_names or index >= names_max)
                and given_done)

    def _capture(self, better: AmbigConfig, base: AmbigConfig, cursor: list[int]) -> None:
        k, index = cursor
        if self.expand_givens:
            level = base.given(k, index)
            if level is not None and level >= 0:
                better.set_given(k, index, level)
        while len(better.names) <= k and k < len(base.names):
            better.names.append(base.names[len(better.names)])
        if k < len(base.names):
            better.names[k] = base.names[k]

    def _merge(self, item: Any, template: AmbigConfig) -> AmbigConfig:
        config = self.configs[item.id].copy()
        config.names = list(template.names)
        config.givens = [list(g) for g in template.givens]
        return config

    # step 3: disambiguate="true"
    def by_condition(self, classes: list[list[Any]]) -> list[list[Any]]:
        """``disambiguate="true"`` tests are made true one more at a time, in the
        order a cite evaluates them, for the cites still ambiguous (as the
        reference processor does); cites still ambiguous with all of them true
        keep them."""
        remaining: list[list[Any]] = []
        for group in classes:
            pending = [group]
            level = 0
            while pending:
                level += 1
                ambiguous: list[list[Any]] = []
                for part in pending:
                    for item in part:
                        self.configs[item.id].condition = level
                    ambiguous.extend(p for p in self.partition(part) if len(p) > 1)
                pending = ambiguous
                if not pending or level >= max(self.conditions.get(item.id, 0)
                                               for part in pending for item in part):
                    break
            remaining.extend(pending)
        return remaining

    # step 4: year-suffix
    def year_suffixes(self, group: list[Any]) -> None:
        ordered = sorted(group, key=lambda item: self.bib_order.get(item.id, 0))
        for index, item in enumerate(ordered):
            self.configs[item.id].year_suffix = index


def _names_signature(item: Any) -> tuple[Any, ...]:
    """All the names of an item (every name variable), for comparing items."""
    return tuple((variable, tuple(name.key() for name in names))
                 for variable, names in sorted(item.names.items()))


def assign_year_suffixes(items: Sequence[Any], ambiguity_key: Callable[[Any], str]
                         ) -> dict[str, int]:
    """item id -> year-suffix index, for the items (in bibliography order) whose
    ``ambiguity_key`` is shared with another item (year-suffixes alone, without
    the other disambiguation steps)."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(ambiguity_key(item), []).append(item)
    suffixes: dict[str, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        for index, item in enumerate(members):
            suffixes[item.id] = index
    return suffixes
