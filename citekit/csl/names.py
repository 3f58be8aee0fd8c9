"""Names: ``cs:names``, ``cs:name``, ``cs:name-part``, ``cs:et-al`` and the
``cs:label`` inside ``cs:names`` -- citekit's own implementation (CSL 1.0.2,
"Names").

* [Name options] ``and``, ``delimiter``, ``delimiter-precedes-et-al``,
  ``delimiter-precedes-last``, ``et-al-min``, ``et-al-use-first``,
  ``et-al-use-last``, ``et-al-subsequent-*``, ``initialize``,
  ``initialize-with``, ``name-as-sort-order``, ``sort-separator`` and ``form``
  are read from ``cs:name``, else inherited from ``cs:citation`` /
  ``cs:bibliography``, else from ``cs:style`` ("Inheritable Name Options").
* [Name-part order] display order is given, dropping particle, non-dropping
  particle, family, suffix; inverted ("Doe, John") order puts the
  non-dropping particle with the family name unless
  ``demote-non-dropping-particle`` is ``display-and-sort``. Names in
  non-Latin scripts print family then given without a space.
* [Initialize] given names are reduced to initials with ``initialize-with``
  (``Jean-Paul`` becomes ``J.-P.``, unless ``initialize-with-hyphen`` is
  false); ``initialize="false"`` only normalises the initials already there.
* [et-al] a list of ``et-al-min`` or more names shows the first
  ``et-al-use-first`` and the ``et-al`` term (or an ellipsis and the last
  name with ``et-al-use-last``).
* [Label] the role term, plural for more than one name; ``editor`` and
  ``translator`` with the same names print once with ``editortranslator``.
* [Substitute] see :mod:`citekit.csl.substitute`.

The blob tree built for a name list mirrors the reference processor's, so that
the punctuation pass treats it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from citeproc import model as _model

from citekit.csl.element import ROMANESQUE, Element, State, Token, register
from citekit.csl.item import NameData
from citekit.csl.numbers import Label
from citekit.csl.richtext import Blob

__all__ = ["EtAl", "Name", "NamePart", "Names", "initialize_given"]

NAME_OPTIONS = ("and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min",
                "et-al-use-first", "et-al-use-last", "et-al-subsequent-min",
                "et-al-subsequent-use-first", "initialize", "initialize-with",
                "name-as-sort-order", "sort-separator")

_STARTS_ROMANESQUE = re.compile(
    "^[&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
    "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a"
    "\u021b\u202a-\u202e]")
_NAME_INITIAL = re.compile(
    "^([A-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u042f\u0590-\u05d4\u05d6-\u05ff\u0600-\u06ff"
    "\u0370\u0372\u0376\u0386\u0388-\u03ab\u03e2\u03e4\u03e6\u03e8\u03ea\u03ec\u03ee\u03f4"
    "\u03f7\u03fd-\u03ff])([a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u052f\u0600-\u06ff"
    "\u0370-\u03ff\u1f00-\u1fff]*|)(\\.)?")
_NAME_SPLIT = re.compile(r"([-\s]+)")


# -- initials -----------------------------------------------------------------------------

def _merge_tag(tagged: str, new: str) -> str:
    tags = re.findall(r"(?:-*<[^>]+>-*)", tagged)
    if not tags:
        return new
    tag = "".join(tags)
    match = re.match(r"^(.*[^\s])*(\s+)$", new)
    if match:
        return (match.group(1) or "") + tag + match.group(2)
    return new + tag


def _tag_only(text: str) -> str:
    match = re.search(r"(?:<[^>]+>)+", text)
    return match.group(0) if match else text


def _cleanup(text: str) -> str:
    text = re.sub(r"[\t\n\v\f\r \ufeff\u00a0]+$", "", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"[\t\n\v\f\r ]+", " ", text)


_TAGGED_WORD = re.compile(r"^((?:<[^>]+>)*)(.*?)((?:</[^>]+>)*)$")
_UNIT_SPLIT = re.compile(r"(\s+|-)")


def initialize_given(given: str, terminator: str | None, *, hyphen: bool = True,
                     normalize_only: bool = False) -> str:
    """Initials for ``given`` ending each with ``terminator`` (CSL 1.0.2,
    ``initialize-with``); with ``normalize_only``, only existing initials are
    normalised. Markup around a word stays around its initial
    ("<b>John</b> Quiggly" -> "<b>J.</b> Q.")."""
    if not given:
        return ""
    if "<" in given and ">" in given:
        words = _UNIT_SPLIT.split(re.sub(r"\s+", " ", given.strip()))[0::2]
        wrapped = [_TAGGED_WORD.match(w) for w in words]
        if all(wrapped) and any(m.group(1) or m.group(3) for m in wrapped if m):
            bare = _UNIT_SPLIT.split(re.sub(r"<[^>]+>", "", given))
            result = _initialize_plain("".join(bare), terminator, hyphen, normalize_only)
            units = _UNIT_SPLIT.split(result)
            if len(units[0::2]) == len(wrapped):
                for i, match in enumerate(wrapped):
                    assert match is not None
                    unit = units[2 * i]
                    core = unit.rstrip()
                    units[2 * i] = match.group(1) + core + match.group(3) + unit[len(core):]
                return "".join(units)
    return _initialize_plain(given, terminator, hyphen, normalize_only)


def _initialize_plain(given: str, terminator: str | None, hyphen: bool,
                      normalize_only: bool) -> str:
    if not given:
        return ""
    terminator = terminator or ""
    if given in ("Lord", "Lady") or (
            not _STARTS_ROMANESQUE.match(re.sub(r"^(?:<[^>]+>)*", "", given))
            and "%s" not in terminator):
        return given
    if not hyphen:
        given = given.replace("-", " ")
    given = re.sub(r"\s*-\s*", "-", given)
    given = re.sub(r"\s+", " ", given)
    given = re.sub(r"-([a-z])", "\u2013\\1", given)
    for i in range(len(given) - 2, -1, -1):
        if given[i] == "." and given[i + 1:i + 2] != " ":
            given = given[:i] + ". " + given[i + 1:]
    pieces = _NAME_SPLIT.split(given)
    if len(pieces) == 1:
        tail = re.search(r"[^.]+$", pieces[0])
        if tail and len(tail.group(0)) == 1 and tail.group(0) != tail.group(0).lower():
            pieces[0] += "."
    result = _normalize(pieces, terminator) if normalize_only else _initialize(pieces, terminator)
    return re.sub("\u2013([a-z])", r"-\1", result)


def _normalize(pieces: list[str], terminator: str) -> str:
    abbrev = []
    for i, piece in enumerate(pieces):
        bare = re.sub(r"^(?:<[^>]+>)*", "", piece)
        if len(bare) > 1 and bare.endswith("."):
            pieces[i] = re.sub(r"^(.*)\.(.*)$", r"\1\2", piece)
            abbrev.append(True)
        elif len(piece) == 1 and piece.upper() == piece:
            abbrev.append(True)
        else:
            abbrev.append(False)
    for i in range(0, len(pieces), 2):
        if not abbrev[i]:
            continue
        if i < len(pieces) - 2:
            pieces[i + 1] = _tag_only(pieces[i + 1])
            if not abbrev[i + 2]:
                pieces[i + 1] = _tag_only(pieces[i + 1]) + " "
            if len(pieces[i + 2]) > 1:
                pieces[i + 1] = re.sub("\ufeff$", "", terminator) + pieces[i + 1]
            else:
                pieces[i + 1] = _merge_tag(pieces[i + 1], terminator)
        if i == len(pieces) - 1:
            pieces[i] = pieces[i] + terminator
    return _cleanup("".join(pieces))


def _initialize(pieces: list[str], terminator: str) -> str:
    count = len(pieces)
    for i in range(0, count, 2):
        word = pieces[i]
        if not word:
            continue
        match = _NAME_INITIAL.match(word)
        groups: list[str] | None = None
        if match:
            groups = [match.group(1), match.group(2) or "", match.group(3) or ""]
        elif not _STARTS_ROMANESQUE.match(word) and len(word) > 1 and "%s" in terminator:
            groups = [word[0], word[1:], ""]
        if groups and groups[1] and groups[2]:
            groups = [groups[0] + groups[1], "", groups[2]]
        if groups and groups[0][:1] == groups[0][:1].upper():
            extra = ""
            if groups[1]:
                run = ""
                for char in groups[1]:
                    if char == char.upper():
                        run += char
                    else:
                        break
                if len(run) < len(groups[1]):
                    extra = run.lower()
            pieces[i] = groups[0] + extra
            if i < count - 1:
                if "%s" in terminator:
                    pieces[i] = terminator.replace("%s", pieces[i], 1)
                elif "-" in pieces[i + 1]:
                    pieces[i + 1] = _merge_tag(pieces[i + 1].replace("-", "", 1),
                                               terminator) + "-"
                else:
                    pieces[i + 1] = _merge_tag(pieces[i + 1], terminator)
            elif "%s" in terminator:
                pieces[i] = terminator.replace("%s", pieces[i], 1)
            else:
                pieces.append(terminator)
        elif ROMANESQUE.search(word) and (not groups or not groups[2]):
            pieces[i] = " " + word
    return _cleanup("".join(pieces))


# -- elements -----------------------------------------------------------------------------

@register("name-part")
class NamePart(Element, _model.Name_Part):  # type: ignore[misc]
    """``cs:name-part`` (read by its ``cs:name``)."""


@register("et-al")
class EtAl(Element, _model.Et_Al):  # type: ignore[misc]
    """``cs:et-al``: the term (``et-al`` or ``and others``) and its formatting."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.term = self.get("term", "et-al")


@register("name")
class Name(Element, _model.Name):  # type: ignore[misc]
    """``cs:name``: how each name and the list of names read."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.own = {k: v for k, v in self.attrib.items()}
        self.family_token: Token | None = None
        self.given_token: Token | None = None
        for part in self:
            if isinstance(part, NamePart):
                token = Token.of(part)
                if part.get("name") == "family":
                    self.family_token = token
                elif part.get("name") == "given":
                    self.given_token = token


@dataclass
class NameOptions:
    """The name options in force for one cs:names rendering."""

    and_: str | None
    delimiter: str
    delimiter_precedes_et_al: str
    delimiter_precedes_last: str
    et_al_min: int
    #: -1 when the style does not set it
    et_al_use_first: int
    et_al_use_last: bool
    et_al_subsequent_min: int | None
    et_al_subsequent_use_first: int | None
    initialize: bool
    initialize_with: str | None
    name_as_sort_order: str | None
    sort_separator: str
    form: str


def _or(value: str | None, default: str) -> str:
    return default if value is None else value


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def name_options(st: State, name: Name | None) -> NameOptions:
    """Resolve the inheritable name options for ``name`` in the current area."""
    inherited = st.style.inherited(st.area)
    own = name.own if name is not None else {}

    def get(attr: str, inherited_attr: str | None = None) -> str | None:
        if attr in own:
            return str(own[attr])
        return inherited.get(inherited_attr or attr)

    forced = st.name_options or {}
    delimiter = get("delimiter", "name-delimiter")
    if delimiter is None:
        delimiter = ", "
    subsequent_min = get("et-al-subsequent-min")
    subsequent_first = get("et-al-subsequent-use-first")
    opts = NameOptions(
        and_=get("and"),
        delimiter=delimiter,
        delimiter_precedes_et_al=get("delimiter-precedes-et-al") or "contextual",
        delimiter_precedes_last=get("delimiter-precedes-last") or "contextual",
        et_al_min=_int(get("et-al-min"), 0),
        et_al_use_first=_int(get("et-al-use-first"), -1),
        et_al_use_last=get("et-al-use-last") == "true",
        et_al_subsequent_min=_int(subsequent_min, 0) if subsequent_min else None,
        et_al_subsequent_use_first=_int(subsequent_first, 0) if subsequent_first else None,
        initialize=get("initialize") != "false",
        initialize_with=get("initialize-with"),
        name_as_sort_order=get("name-as-sort-order"),
        sort_separator=_or(get("sort-separator"), ", "),
        form=get("form", "name-form") or "long",
    )
    if "name-as-sort-order" in forced:
        opts.name_as_sort_order = forced["name-as-sort-order"]
    if "et-al-min" in forced:
        opts.et_al_min = _int(forced["et-al-min"], opts.et_al_min)
    if "et-al-use-first" in forced:
        opts.et_al_use_first = _int(forced["et-al-use-first"], opts.et_al_use_first)
    if "et-al-use-last" in forced:
        opts.et_al_use_last = forced["et-al-use-last"] == "true"
    return opts


def _wrap(blob: Blob | None, token: Token | None = None) -> Blob | None:
    """``blob`` inside a level carrying ``token`` (the reference processor appends
    a blob to the output that way)."""
    if blob is None:
        return None
    if token is None:
        return Blob([blob])
    return Blob([blob], prefix=token.prefix, suffix=token.suffix,
                decorations=list(token.decorations))


def _join(blobs: Sequence[Blob | None], delimiter: str,
          final: Blob | None = None) -> Blob | None:
    """Join blobs: the delimiter goes on each blob's suffix, ``final`` (an "and"
    or ellipsis joiner) before the last one."""
    items = [b for b in blobs if b is not None and b.blobs]
    if not items:
        return None
    if len(items) == 2:
        if final is None:
            items[0].suffix += delimiter
        else:
            items = [items[0], final, items[1]]
    elif len(items) > 2:
        last = items.pop()
        for blob in items[:len(items) - (1 if final is not None else 0)]:
            blob.suffix += delimiter
        if final is not None:
            items.append(final)
        items.append(last)
    return Blob([Blob([b]) for b in items])


def _text(st: State, text: str | None, token: Token | None) -> Blob | None:
    if not text:
        return None
    return st.text_blob(text, token, not_serious=True, ignore_predecessor=True)


def _is_romanesque(name: NameData, item_language: str | None) -> int:
    family = (name.family or "").replace('"', "")
    result = 2
    if not ROMANESQUE.search(family):
        result = 0
    if not result and name.given and _STARTS_ROMANESQUE.match(name.given):
        result = 1
    if result == 2 and item_language and item_language[:2] in ("ja", "zh"):
        result = 1
    return result


_ET_AL_PARTICLE = re.compile(r"^et.?al[^a-z]$")


@register("names")
class Names(Element, _model.Names):  # type: ignore[misc]
    """``cs:names``."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.variables = self.get("variable", "").split()
        self.name_el: Name | None = None
        self.et_al_el: EtAl | None = None
        self.label_el: Any = None
        self.label_before = False
        self.substitute_el: Any = None
        seen_name = False
        for child in self:
            if isinstance(child, Name):
                self.name_el = child
                seen_name = True
            elif isinstance(child, EtAl):
                self.et_al_el = child
            elif isinstance(child, Label):
                self.label_el = child
                self.label_before = not seen_name
            elif child.tag.endswith("}substitute"):
                self.substitute_el = child
        if self.name_el is None:
            # the implicit cs:name a names element without one gets comes first
            # (as citeproc-js does: AMA's `<names variable="editor"><label/></names>`)
            self.label_before = False
        self.shorthand = self.name_el is None and self.et_al_el is None and \
            self.label_el is None
        #: a names element with children of its own (the reference processor's
        #: start and end tokens, where an empty one has a single token)
        self.has_children = len(self) > 0

    def emit(self, st: State, out: list[Blob]) -> None:
        hook = getattr(st, "names_hook", None)
        if hook is None or st.sorting:
            self.emit_names(st, out)
            return
        # a citation watches its first names (suppress-author, author-only,
        # cite grouping and collapsing): report what this element rendered
        st.names_hook = None
        start = len(out)
        try:
            self.emit_names(st, out)
        finally:
            st.names_hook = hook
        hook(self, st, out[start:])

    def emit_names(self, st: State, out: list[Blob]) -> None:
        from citekit.csl.substitute import emit_substitute

        variables = [v for v in self.variables if v not in st.done_vars]
        if st.substituting:
            st.done_vars.extend(v for v in self.variables if v not in st.done_vars)
        st.tip.variable_attempt = True
        source = self
        parent = getattr(st, "names_parent", None)
        if self.shorthand and parent is not None:
            source = parent
        blob = self.render(st, variables, source)
        if blob is not None:
            st.tip.variable_success = True
            if st.substituting:
                st.substitute_done = True
            out.append(blob)
        elif self.substitute_el is not None:
            emit_substitute(self.substitute_el, st, out, self)
        if self.has_children and st.names_record is None and st.area == "bibliography":
            # subsequent-author-substitute looks at the first names element that
            # ends in an entry, whether it printed anything or not (CSL 1.0.2
            # "subsequent-author-substitute": "the first cs:names element rendered";
            # the reference processor decides at the end of the element)
            st.names_record = False

    # -- rendering ----------------------------------------------------------------------

    def render(self, st: State, variables: list[str], source: Names) -> Blob | None:
        item = st.item
        present = [v for v in variables if item.names.get(v)]
        if not present:
            return None
        name_el = source.name_el
        opts = name_options(st, name_el)
        if opts.form == "count":
            return self.render_count(st, present, opts)
        common_term = None
        # the combined term is for a names element calling exactly editor and
        # translator (the reference processor joins the element's variable
        # names: "container-author editor translator" has no common term)
        if sorted(variables) == ["editor", "translator"] and len(present) == 2 and \
                self._same_names(item.names["editor"], item.names["translator"]) and \
                st.term("editortranslator"):  # an empty term keeps the roles apart
            common_term = "editortranslator"
        record = (st.area == "bibliography" and st.names_record is None
                  and not st.term_predecessor and not st.sorting)
        blobs = []
        per_name: list[Blob] = []
        rendered_names: list[str] = []
        label_blob = None
        for variable in present:
            names = item.names[variable]
            listing = self.render_list(st, variable, names, opts, source, per_name,
                                       rendered_names)
            if listing is None:
                continue
            if source.label_el is not None and not st.sorting:
                term = common_term or variable
                label = source.label_el.names_label_text(st, term, len(names) > 1)
                if label:
                    label_token = source.label_el.token
                    text_blob = st.text_blob(label, label_token, not_serious=True,
                                             ignore_predecessor=True)
                    if text_blob is not None:
                        if source.label_before:
                            listing = Blob([text_blob, listing])
                        else:
                            label_blob = Blob([listing, text_blob])
                            listing = Blob([label_blob])
            blobs.append(listing)
            if common_term:
                break
        if not blobs:
            return None
        # a names shorthand in cs:substitute prints with the affixes, formatting
        # and delimiter of the cs:names it substitutes for
        token = source.token
        level = Blob(blobs, delimiter=source.names_delimiter(st))
        if record:
            st.names_record = (level, per_name, ",".join(rendered_names), label_blob)
        return Blob([level], prefix=token.prefix, suffix=token.suffix,
                    decorations=list(token.decorations), kind="names")

    @staticmethod
    def render_sort_key(st: State, variable: str) -> str | None:
        """The sort key of a name variable: every name, family name first."""
        names = st.item.names.get(variable)
        if not names:
            return None
        demote = st.style.demote_non_dropping_particle
        sep = st.style.sort_sep
        pieces = []
        for name in names:
            if name.is_institution:
                pieces.append(name.literal or "")
                continue
            if demote == "never":
                first = " ".join(p for p in (name.non_dropping_particle, name.family,
                                             name.dropping_particle) if p)
                merged = sep.join(p for p in (first, name.given) if p)
            else:
                second = " ".join(p for p in (name.given, name.dropping_particle,
                                              name.non_dropping_particle) if p)
                merged = sep.join(p for p in (name.family, second) if p)
            pieces.append(" ".join(p for p in (merged, name.suffix) if p))
        return ", ".join(pieces)

    def names_delimiter(self, st: State) -> str:
        delimiter = self.get("delimiter")
        if delimiter is not None:
            return str(delimiter)
        return st.style.inherited(st.area).get("names-delimiter", "")

    @staticmethod
    def _same_names(a: list[NameData], b: list[NameData]) -> bool:
        return len(a) == len(b) and all(x.key() == y.key() for x, y in zip(a, b, strict=True))

    def render_count(self, st: State, variables: list[str], opts: NameOptions) -> Blob | None:
        total = 0
        for variable in variables:
            names = st.item.names[variable]
            shown, _ = self.truncation(st, len(names), opts)
            total += shown
        if not total:
            return None
        return Blob(str(total))

    def truncation(self, st: State, count: int, opts: NameOptions) -> tuple[int, int]:
        """(names to show, 1 if et-al, 2 if ellipsis and last name, 0 otherwise)."""
        et_al_min, use_first = opts.et_al_min, opts.et_al_use_first
        cite = st.cite
        if cite is not None and st.area == "citation" and (cite.get("position") or 0) > 0:
            if opts.et_al_subsequent_min:
                et_al_min = opts.et_al_subsequent_min
            if opts.et_al_subsequent_use_first:
                use_first = opts.et_al_subsequent_use_first
        shown = count
        mode = 0
        # et-al-use-first="0" shows no names at all once et-al-min is reached
        if et_al_min and use_first >= 0 and count >= et_al_min and use_first < count:
            shown = use_first
            mode = 1
            if opts.et_al_use_last and use_first <= et_al_min - 2 and count - use_first > 1:
                mode = 2
        disambig = st.disambig
        if disambig is not None:
            wanted = disambig.names_shown(st, count, shown)
            if wanted is not None and wanted > shown:
                shown = min(wanted, count)
                if shown >= count:
                    mode = 0
        if mode == 0:
            shown = count
        return shown, mode

    def render_list(self, st: State, variable: str, names: list[NameData], opts: NameOptions,
                    source: Names, per_name: list[Blob], rendered_names: list[str]
                    ) -> Blob | None:
        shown_count, mode = self.truncation(st, len(names), opts)
        shown = names[:shown_count]
        if mode == 0 and not opts.et_al_use_last and any(
                n.dropping_particle and _ET_AL_PARTICLE.match(n.dropping_particle)
                for n in shown):
            # a given name ending "et al." stands for names left out: the list
            # closes with the style's et-al term (as the reference processor reads
            # it; with et-al-use-last it asks for the ellipsis and the last name,
            # which a list without truncation already ends with)
            mode = 1
        name_token = source.name_el.token if source.name_el is not None else None
        # cs:name's affixes go around each personal name; an institution (a
        # literal name) takes only its formatting (reference processor)
        institution_token = Token(decorations=list(name_token.decorations)) \
            if name_token is not None else None
        blobs: list[Blob | None] = []
        inverted: list[bool] = []
        for i, name in enumerate(shown):
            if st.area == "bibliography":
                rendered_names.append(name.entered if name.entered is not None else "".join(
                    p for p in (name.non_dropping_particle, name.family, name.given,
                                name.dropping_particle, name.suffix, name.literal) if p))
            if name.is_institution:
                blob = self.render_institution(st, name, opts, source)
                inverted.append(False)
            else:
                blob, was_inverted = self.render_person(st, name, i, opts, source)
                inverted.append(was_inverted)
            if blob is not None:
                per_name.append(blob)
            blobs.append(_wrap(blob, institution_token if name.is_institution else name_token))
        if mode == 2:
            last = names[-1]
            if last.is_institution:
                last_blob = self.render_institution(st, last, opts, source)
            else:
                last_blob, _ = self.render_person(st, last, len(names) - 1, opts, source)
            blobs.append(_wrap(last_blob,
                               institution_token if last.is_institution else name_token))
            return self.join_ellipsis(blobs, opts, inverted)
        if mode == 1:
            return self.join_et_al(st, blobs, opts, source, name_token, inverted)
        if st.sorting:
            return _join(blobs, opts.delimiter)
        return self.join_and(st, blobs, opts, inverted,
                             institution_last=bool(shown) and shown[-1].is_institution)

    def _and_blob(self, st: State, opts: NameOptions, multiple: bool,
                  previous_inverted: bool, institution_last: bool = False) -> Blob | None:
        delimiter = opts.delimiter
        if opts.and_ in ("text", "symbol"):
            term = st.term("and") if opts.and_ == "text" else "&"
            if _STARTS_ROMANESQUE.match(term or ""):
                single, many, suffix = " ", delimiter, " "
            else:
                single = many = suffix = ""
            # before an institution the join is contextual: delimiter-precedes-last
            # is a cs:name option and an institution is not a cs:name (as the
            # reference processor joins "A Commission & B Commission")
            rule = "contextual" if institution_last else opts.delimiter_precedes_last
            if rule == "always":
                single = delimiter
            elif rule == "never":
                if many:
                    many = " "
            elif rule == "after-inverted-name":
                if single:
                    single = delimiter
                if many:
                    many = " "
            prefix = many if multiple else single
            if opts.delimiter_precedes_last == "after-inverted-name" and previous_inverted:
                prefix = delimiter
            blob = _text(st, term, None)
            if blob is None:
                return None
            blob.prefix = prefix
            blob.suffix = suffix
            return blob
        if delimiter:
            blob = Blob(delimiter)
            if opts.delimiter_precedes_last == "after-inverted-name" and previous_inverted:
                blob.prefix = delimiter
            return blob
        return None

    def join_and(self, st: State, blobs: list[Blob | None], opts: NameOptions,
                 inverted: list[bool], institution_last: bool = False) -> Blob | None:
        items = [b for b in blobs if b is not None and b.blobs]
        final = None
        if len(items) > 1:
            final = self._and_blob(st, opts, len(items) > 2,
                                   len(inverted) >= 2 and inverted[len(items) - 2],
                                   institution_last)
        return _join(items, opts.delimiter, final)

    def join_ellipsis(self, blobs: list[Blob | None], opts: NameOptions,
                      inverted: list[bool]) -> Blob | None:
        items = [b for b in blobs if b is not None and b.blobs]
        final = None
        if len(items) > 1:
            prefix = opts.delimiter if len(items) > 2 else " "
            if opts.delimiter_precedes_last == "after-inverted-name" and inverted \
                    and inverted[-1]:
                prefix = opts.delimiter
            final = Blob("\u2026", prefix=prefix, suffix=" ")
        return _join(items, opts.delimiter, final)

    def join_et_al(self, st: State, blobs: list[Blob | None], opts: NameOptions,
                   source: Names, name_token: Token | None, inverted: list[bool]
                   ) -> Blob | None:
        items = [b for b in blobs if b is not None and b.blobs]
        joined = _join(items, opts.delimiter)
        if joined is None:
            return None
        et_al = source.et_al_el
        term_name = et_al.term if et_al is not None else "et-al"
        term = st.term(term_name)
        children: list[Blob] = [joined]
        if term and not st.sorting:
            rule = opts.delimiter_precedes_et_al
            if rule == "always":
                use_delimiter = True
            elif rule == "never":
                use_delimiter = False
            elif rule == "after-inverted-name":
                use_delimiter = bool(inverted and inverted[len(items) - 1])
            else:
                use_delimiter = len(items) > 1
            et_token = et_al.token if et_al is not None else None
            term_blob = _text(st, term, Token(decorations=list(et_token.decorations))
                              if et_token is not None else None)
            if term_blob is not None:
                # a space before the term only when it starts with a Latin-like
                # letter ("Zither et al." but "Zither等")
                space = " " if _STARTS_ROMANESQUE.match(term) else ""
                outer = Blob([term_blob], prefix=opts.delimiter if use_delimiter else space)
                if et_token is not None and (et_token.prefix or et_token.suffix):
                    term_blob.prefix = et_token.prefix
                    term_blob.suffix = et_token.suffix
                children.append(outer)
        token = name_token or Token()
        return Blob(children, prefix=token.prefix, suffix=token.suffix,
                    decorations=list(token.decorations))

    def render_institution(self, st: State, name: NameData, opts: NameOptions,
                           source: Names | None = None) -> Blob | None:
        literal = name.literal or ""
        if st.strip_periods:
            literal = literal.replace(".", "")
        parts = [p for p in re.split(r"\s*\|\s*", literal) if p]
        # an institution takes the family name-part's formatting (its name
        # stands where a family name would)
        name_el = source.name_el if source is not None else None
        family_token = name_el.family_token if name_el is not None else None
        decor = Token(decorations=list(family_token.decorations),
                      text_case=family_token.text_case) if family_token is not None else None
        blobs = [_text(st, part, decor) for part in parts]
        st.tip.variable_success = True
        st.term_predecessor = True
        return _join(blobs, opts.delimiter)

    def render_person(self, st: State, name: NameData, index: int, opts: NameOptions,
                      source: Names) -> tuple[Blob | None, bool]:
        name_el = source.name_el
        family_token = name_el.family_token if name_el is not None else None
        given_token = name_el.given_token if name_el is not None else None
        family_decor = Token(decorations=list(family_token.decorations),
                             text_case=family_token.text_case,
                             strip_periods=family_token.strip_periods) \
            if family_token is not None else None
        given_decor = Token(decorations=list(given_token.decorations),
                            text_case=given_token.text_case,
                            strip_periods=given_token.strip_periods) \
            if given_token is not None else None
        strip_family = st.strip_periods > 0 or bool(family_decor and family_decor.strip_periods)
        strip_given = st.strip_periods > 0 or bool(given_decor and given_decor.strip_periods)

        def strip(text: str | None, flag: bool) -> str | None:
            return text.replace(".", "") if text and flag else text

        level = self.givens_level(st, opts, index, name)
        sorting = st.sorting
        dp_text = name.dropping_particle
        ndp_text = name.non_dropping_particle
        if sorting:
            if ndp_text:
                ndp_text = re.sub("['\u2019]", "", ndp_text, count=1)
            if dp_text:
                dp_text = re.sub("['\u2019]", "", dp_text, count=1)
        comma_dp = name.comma_dropping_particle
        dropping = None
        if dp_text and _ET_AL_PARTICLE.match(dp_text):
            comma_dp = ""
        else:
            dropping = _text(st, strip(dp_text, strip_given), given_decor)
        family = _text(st, strip(name.family, strip_family), family_decor)
        non_dropping = _text(st, strip(ndp_text, strip_family), family_decor)
        given_text = name.given or ""
        if not opts.initialize:
            # CSL 1.0.2 ``initialize``: "false" only normalises the initials
            # already in the given name, and only where ``initialize-with``
            # applies (initials level); without ``initialize-with`` the given
            # name is printed as recorded ("C. Daniel", "J. O.").
            if name.family and given_text and level == 1 \
                    and opts.initialize_with is not None:
                given_text = initialize_given(given_text, opts.initialize_with,
                                              hyphen=st.style.initialize_with_hyphen,
                                              normalize_only=True)
        elif name.family and level == 1:
            given_text = initialize_given(given_text, opts.initialize_with,
                                          hyphen=st.style.initialize_with_hyphen)
        given = _text(st, strip(given_text, strip_given), given_decor)
        suffix_text = name.suffix
        if suffix_text and opts.initialize_with is not None:
            suffix_text = initialize_given(suffix_text, opts.initialize_with,
                                           hyphen=st.style.initialize_with_hyphen,
                                           normalize_only=True)
        suffix_text = strip(suffix_text, strip_family)
        to_suffix = ""
        if suffix_text and suffix_text.endswith("."):
            suffix_text = suffix_text[:-1]
            to_suffix = "."
        suffix = _text(st, suffix_text, None)
        if suffix is not None:
            suffix.suffix = to_suffix + suffix.suffix
        if level == 0:
            dropping = given = suffix = None
        sort_sep = opts.sort_separator
        suffix_sep = ", " if name.comma_suffix else " "
        romanesque = _is_romanesque(name, st.item.vars.get("language"))
        ndp_last = non_dropping.text()[-1:] if non_dropping is not None else ""
        hyphenated = non_dropping is not None and ndp_last in ("\u2019", "'", "-", " ")
        demote = st.style.demote_non_dropping_particle
        inverted = False
        if romanesque == 0:
            blob = _join([non_dropping, family, given], "")
        elif romanesque == 1 or name.static_ordering:
            blob = _join([non_dropping, family, given], " ")
        elif sorting:
            if demote == "never":
                first = _join([non_dropping, family, dropping], " ")
                merged = _join([first, given], st.style.sort_sep)
            else:
                second = _join([given, dropping, non_dropping], " ")
                merged = _join([family, second], st.style.sort_sep)
            blob = _join([merged, suffix], " ")
        elif opts.name_as_sort_order == "all" or (opts.name_as_sort_order == "first"
                                                  and index == 0):
            inverted = True
            if name.given in ("Lord", "Lady"):
                sort_sep = ", "
            if demote in ("always", "display-and-sort"):
                second = _join([given, dropping], comma_dp + " ")
                second = _join([second, non_dropping], " ")
                if second is not None and given_token is not None:
                    second.prefix, second.suffix = given_token.prefix, given_token.suffix
                if family is not None and family_token is not None:
                    family.prefix, family.suffix = family_token.prefix, family_token.suffix
                merged = _join([family, second], sort_sep)
            else:
                first = _join([non_dropping, family], "" if hyphenated else " ")
                if first is not None and family_token is not None:
                    first.prefix, first.suffix = family_token.prefix, family_token.suffix
                second = _join([given, dropping], comma_dp + " ")
                if second is not None and given_token is not None:
                    second.prefix, second.suffix = given_token.prefix, given_token.suffix
                merged = _join([first, second], sort_sep)
            blob = _join([merged, suffix], sort_sep)
        else:
            if dp_text and name.family and not ndp_text and dp_text[-1:] in (
                    "'", "\u02bc", "\u2019", "-"):
                family = _join([dropping, family], "")
                dropping = None
            space = " "
            if opts.initialize_with and re.search("[\u00a0\ufeff]", opts.initialize_with) \
                    and st.locale.lang[:2] in ("fr", "ru", "cs"):
                space = "\u00a0"
            if hyphenated:
                second = _join([non_dropping, family], "")
                second = _join([dropping, second], space)
            else:
                second = _join([dropping, non_dropping, family], space)
            second = _join([second, suffix], suffix_sep)
            if second is not None and family_token is not None:
                second.prefix, second.suffix = family_token.prefix, family_token.suffix
            if given is not None and given_token is not None:
                given.prefix, given.suffix = given_token.prefix, given_token.suffix
            if second is not None and second.prefix:
                comma_dp = ""
            if given is not None and given.suffix[-1:].isspace():
                space = ""  # the given name's suffix already spaces it ("John&#160;Doe")
            blob = _join([given, second], comma_dp + space)
        st.tip.variable_success = True
        st.term_predecessor = True
        return blob, inverted

    def givens_level(self, st: State, opts: NameOptions, index: int,
                     name: NameData | None = None) -> int:
        """0: family name only; 1: initials; 2: full given name."""
        if opts.form == "short":
            level = 0
        elif opts.initialize_with is not None:
            level = 1
        else:
            level = 2
        disambig = st.disambig
        if disambig is not None:
            raised = disambig.given_level(st, index, level, name=name, opts=opts)
            if raised is not None:
                level = raised
        return level


@register("substitute")
class Substitute(Element, _model.Substitute):  # type: ignore[misc]
    """``cs:substitute`` (rendered by :mod:`citekit.csl.substitute`)."""

    def prepare(self, style: Any) -> None:
        super().prepare(style)
        self.kids = self.children_elements()
