"""The format registry, and the entry points that use it.

Each format is a module of ``citekit.formats`` that exposes ``FORMATS``, a tuple
of :class:`Format` records (a module may register several, such as BibTeX and
BibLaTeX). A format declares its name, aliases, file extensions, media type, a
``sniff(text)`` test and its ``parse``/``dump`` pair (and, optionally, a
streaming ``dump_iter``). Third-party packages add formats through the
``citekit.formats`` entry-point group; an entry point names a :class:`Format`,
an iterable of them, or a module with ``FORMATS``.

:func:`load`, :func:`loads`, :func:`dump` and :func:`dumps` find the format by
name or alias, by file extension, or by sniffing the text:

* a file whose extension one format claims is read in that format, unless its
  content is plainly another format's (then a warning says so);
* otherwise every readable format's ``sniff`` scores the first kilobytes;
  the best score wins. When several formats (with different parsers) tie, each
  parses the whole text: the one that reads it cleanly wins, or the first of
  several that read it to the same records; otherwise the input is ambiguous;
* no match, or an ambiguity that parsing does not settle, raises
  :class:`~citekit.errors.UnknownFormatError` naming the candidates.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from citekit.errors import ParseError, UnknownFormatError, warn
from citekit.model import Article

__all__ = [
    "Format",
    "available_formats",
    "dump",
    "dumps",
    "format_for_path",
    "formats_for_path",
    "get_format",
    "iter_dumps",
    "load",
    "loads",
    "refresh_registry",
    "register",
    "sniff_format",
]

#: Modules of the formats that ship with citekit, in sniffing order.
BUILTIN_MODULES: tuple[str, ...] = (
    "citekit.formats.csljson",
    "citekit.formats.bibtex",
    "citekit.formats.ris",
    "citekit.formats.rdf",
    "citekit.formats.html_meta",
    "citekit.formats.oai_dc",
)

ENTRY_POINT_GROUP = "citekit.formats"


class Parser(Protocol):
    def __call__(self, text: str, *, source: str | None = ...,
                 **options: Any) -> list[Article]: ...


class Dumper(Protocol):
    def __call__(self, articles: Sequence[Article], **options: Any) -> str: ...


class StreamDumper(Protocol):
    def __call__(self, articles: Iterable[Article], **options: Any) -> Iterator[str]: ...


_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}


def decode_text(data: bytes, source: str | None = None, *, declared: str | None = None,
                legacy: Sequence[str] = ()) -> str:
    """Decode the bytes of a file.

    UTF-16 with a byte-order mark, else UTF-8 (a leading byte-order mark is
    dropped), else the ``declared`` encoding (what the file says it is), else the
    first of the ``legacy`` encodings that decodes it, with a warning naming it
    and the line of the first byte that is not UTF-8. When nothing fits, a
    :class:`ParseError` gives the line and column of that byte.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    head = data[:bad]
    line = head.count(b"\n") + 1
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    for encoding in legacy:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = _ENCODING_NAMES.get(encoding, encoding)
        warn(f"not UTF-8 (byte 0x{data[bad]:02x}); read as {name}. Check the accented "
             "letters, or convert the file to UTF-8", source=source, line=line)
        return text
    raise ParseError(
        f"not UTF-8 (byte 0x{data[bad]:02x})"
        + (" and no usable encoding declared" if declared is not None else "")
        + "; convert the file to UTF-8",
        source=source, line=line, column=bad - (head.rfind(b"\n") + 1) + 1,
    ) from None


def decode_utf8(data: bytes, source: str | None = None) -> str:
    """Decode UTF-8 (or UTF-16 with a byte-order mark); a :class:`ParseError` that
    gives the line and column of the first byte that is not UTF-8."""
    return decode_text(data, source)


@dataclass(frozen=True)
class Format:
    """A registered format.

    ``parse(text, *, source=None, **options) -> list[Article]`` reads a whole
    document; ``dump(articles, **options) -> str`` writes one. Either may be
    None for a read-only or write-only format. ``dump_iter(articles, **options)``,
    when given, writes the same text in pieces from any iterable of Articles,
    so that a conversion need not hold every record at once
    (``"".join(dump_iter(a)) == dump(a)``).

    ``sniff(text)`` answers whether ``text`` (the first few kilobytes of the
    input) looks like this format: True or False, or a score between 0 and 1
    for "likely" (the highest score wins; True counts as 1). ``decode(data,
    source)`` turns the bytes of a file into text (UTF-8 by default; a format
    whose files come in legacy encodings supplies its own).
    """

    name: str
    parse: Parser | None = None
    dump: Dumper | None = None
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    media_type: str = "text/plain"
    sniff: Callable[[str], bool | float] | None = None
    description: str = ""
    decode: Callable[[bytes, str | None], str] = field(default=decode_utf8)
    #: What a round trip through this format preserves: CSL variable names
    #: (``"title"``, ``"author"``, ``"issued"``, ``"DOI"``...), ``"type"`` when every
    #: CSL type comes back unchanged, and ``"extra"`` when :attr:`Article.extra`
    #: survives. None means everything. A kept name variable keeps each name's
    #: parts (family, given, particles, suffix, literal); a kept date keeps its
    #: parts, range, season, circa and literal. The format's documentation page
    #: states the rest, and the conversion tests hold the format to this set.
    keeps: frozenset[str] | None = None
    #: Streaming writer (optional): ``dump_iter(articles, **options)`` yields the
    #: text of :attr:`dump` piece by piece from any iterable of Articles.
    dump_iter: StreamDumper | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases."""
        return (self.name, *self.aliases)


_registry: dict[str, Format] = {}
_loaded = False
_runtime: list[tuple[Format, bool]] = []  # formats added with register(), kept on refresh


def _key(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def register(fmt: Format, *, replace: bool = False) -> Format:
    """Add ``fmt`` to the registry (``replace=True`` to override a registered name)."""
    _ensure_loaded()
    _add(fmt, replace=replace)
    _runtime.append((fmt, replace))
    return fmt


def refresh_registry() -> None:
    """Forget the loaded formats and load them again on next use: the built-in
    ones, the installed entry points (a plugin installed since start-up now
    counts) and the formats added with :func:`register`."""
    global _loaded
    _registry.clear()
    _loaded = False
    _ensure_loaded()


def _add(fmt: Format, *, replace: bool) -> None:
    for name in fmt.names:
        existing = _registry.get(_key(name))
        if existing is not None and existing is not fmt and not replace:
            raise ValueError(f"format name {name!r} is already registered by {existing.name!r}")
    for name in fmt.names:
        _registry[_key(name)] = fmt


def _ensure_loaded() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        for fmt in module.FORMATS:
            _add(fmt, replace=False)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        _load_entry_point(ep)
    for fmt, replace in _runtime:
        _add(fmt, replace=replace)


def _load_entry_point(ep: Any) -> None:
    """Add the formats a third-party entry point names; a broken plugin is reported
    (a warning) and skipped rather than breaking citekit."""
    where = f"format plugin {ep.name!r} ({ep.value})"
    try:
        obj = ep.load()
    except Exception as exc:  # any import error of somebody else's package
        warn(f"{where} could not be loaded: {type(exc).__name__}: {exc}; skipped")
        return
    if isinstance(obj, ModuleType):
        obj = getattr(obj, "FORMATS", None)
    items = [obj] if isinstance(obj, Format) else obj
    try:
        formats = list(items) if items is not None else []
    except TypeError:
        formats = []
    if not formats or not all(isinstance(f, Format) for f in formats):
        warn(f"{where} names {type(obj).__name__}, not a citekit.formats.Format or a "
             "list of them; skipped")
        return
    for fmt in formats:
        try:
            _add(fmt, replace=False)
        except ValueError as exc:
            warn(f"{where}: {exc}; skipped")


def available_formats() -> list[Format]:
    """Every registered format, once each, in registration order."""
    _ensure_loaded()
    seen: dict[str, Format] = {}
    for fmt in _registry.values():
        seen.setdefault(fmt.name, fmt)
    return list(seen.values())


def get_format(name: str) -> Format:
    """The format called ``name`` (or with that alias); :class:`UnknownFormatError`
    listing the registered names otherwise."""
    _ensure_loaded()
    fmt = _registry.get(_key(name))
    if fmt is None:
        raise UnknownFormatError(name, [f.name for f in available_formats()],
                                 "not a registered format")
    return fmt


def formats_for_path(path: str | os.PathLike[str]) -> list[Format]:
    """The formats claiming the extension of ``path`` (the longest matching
    extension wins: ``x.csl.json`` before ``x.json``), in registration order."""
    lower = os.fspath(path).lower()
    best: list[Format] = []
    best_length = 0
    for fmt in available_formats():
        length = max((len(ext) for ext in fmt.extensions if lower.endswith("." + ext.lower())),
                     default=0)
        if length > best_length:
            best, best_length = [fmt], length
        elif length and length == best_length:
            best.append(fmt)
    return best


def format_for_path(path: str | os.PathLike[str]) -> Format | None:
    """The format whose extension ``path`` has (longest extension wins), or None."""
    found = formats_for_path(path)
    return found[0] if found else None


SNIFF_BYTES = 8192


def _score(fmt: Format, head: str) -> float:
    if fmt.sniff is None:
        return 0.0
    try:
        result = fmt.sniff(head)
    except Exception:  # a faulty third-party sniffer must not stop the others
        return 0.0
    if result is True:
        return 1.0
    if result is False or result is None:
        return 0.0
    return max(0.0, min(1.0, float(result)))


def _best(candidates: Sequence[Format], head: str) -> list[Format]:
    """The candidates with the highest positive score, one per parser."""
    scores = [(fmt, _score(fmt, head)) for fmt in candidates]
    top = max((score for _, score in scores), default=0.0)
    if top <= 0:
        return []
    best: list[Format] = []
    for fmt, score in scores:
        # Formats sharing one parser (a dialect and its parent) are one candidate.
        if score == top and all(fmt.parse is not other.parse for other in best):
            best.append(fmt)
    return best


def _readable(readable: bool) -> list[Format]:
    return [f for f in available_formats() if f.sniff is not None
            and (f.parse is not None or not readable)]


def _settle(candidates: Sequence[Format], text: str, source: str | None) -> Format | None:
    """Parse ``text`` with each candidate: the one that reads it cleanly, or the first
    of those that read it to the same records; None when that does not decide."""
    results: list[tuple[Format, list[Article] | None, bool]] = []
    for fmt in candidates:
        assert fmt.parse is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                results.append((fmt, fmt.parse(text, source=source), True))
            except ParseError as exc:
                results.append((fmt, list(exc.articles) or None, False))
            except Exception:  # a candidate that cannot read the text at all
                results.append((fmt, None, False))
    clean = [(fmt, arts) for fmt, arts, ok in results if ok and arts]
    if len(clean) == 1:
        return clean[0][0]
    if len(clean) > 1 and all(arts == clean[0][1] for _, arts in clean):
        return clean[0][0]
    if not clean:
        partial = [(fmt, arts) for fmt, arts, _ in results if arts]
        if len(partial) == 1:
            return partial[0][0]
    return None


def sniff_format(text: str, *, source: str | None = None,
                 readable: bool = True) -> Format:
    """The format ``text`` is in, told from its content.

    Every format's ``sniff`` scores the start of ``text``; the best wins. A tie
    between formats with different parsers is settled by parsing ``text`` with
    each. Raises :class:`UnknownFormatError` naming the formats tried when none
    matches, or the candidates when the tie stands (``suggestions`` holds them).
    """
    head = text.lstrip("\ufeff")[:SNIFF_BYTES]
    tried = _readable(readable)
    best = _best(tried, head)
    if len(best) > 1 and readable:
        settled = _settle(best, text.lstrip("\ufeff"), source)
        if settled is not None:
            return settled
    return _one(best, tried, source)


def _one(best: list[Format], tried: list[Format], source: str | None) -> Format:
    where = source or "input"
    if len(best) == 1:
        return best[0]
    if not best:
        raise UnknownFormatError(
            where, [f.name for f in tried],
            "the text is in no format citekit knows (tried: "
            + ", ".join(f.name for f in tried) + "); name one with format=/--from")
    raise UnknownFormatError(
        where, [f.name for f in best],
        "the text could be any of " + ", ".join(f.name for f in best)
        + "; name one with format=/--from")


def _resolve_for_reading(format: str | None, head: str, path: str | None,
                         full: Callable[[Format], str] | None = None) -> Format:
    """The format to read with: named, else claimed by the extension (unless the
    content is plainly another format's), else sniffed. ``full(fmt)`` gives the
    whole text as ``fmt`` decodes it, for settling a tie."""
    fmt = get_format(format) if format is not None else _guess(head, path, full)
    if fmt.parse is None:
        raise UnknownFormatError(fmt.name, [f.name for f in available_formats() if f.parse],
                                 "this format can be written but not read")
    return fmt


def _guess(head: str, path: str | None, full: Callable[[Format], str] | None) -> Format:
    head = head.lstrip("\ufeff")[:SNIFF_BYTES]
    tried = _readable(True)

    def settle(best: list[Format]) -> Format | None:
        if len(best) > 1 and full is not None:
            return _settle(best, full(best[0]), path)
        return best[0] if len(best) == 1 else None

    claimed = [f for f in formats_for_path(path) if f.parse is not None] if path else []
    if len(claimed) == 1 and (claimed[0].sniff is None or _score(claimed[0], head) > 0):
        return claimed[0]
    if len(claimed) > 1:
        chosen = settle(_best(claimed, head))
        if chosen is not None:
            return chosen
    best = _best(tried, head)
    chosen = settle(best)
    if chosen is not None:
        if claimed and chosen not in claimed:
            warn(f"the content looks like {chosen.name}, not {claimed[0].name} as the "
                 f"file name says; read as {chosen.name}", source=path)
        return chosen
    if claimed and not best:
        return claimed[0]  # the parser of the claimed format says what is wrong
    return _one(best, tried, path)


def _resolve_for_writing(format: str | None, path: str | None) -> Format:
    fmt = get_format(format) if format else (format_for_path(path) if path else None)
    if fmt is None:
        raise UnknownFormatError(
            path or "output", [f.name for f in available_formats() if f.dump],
            "cannot tell the format from the file name; name one with format=/--to")
    if fmt.dump is None:
        raise UnknownFormatError(fmt.name, [f.name for f in available_formats() if f.dump],
                                 "this format can be read but not written")
    return fmt


def read_bytes(data: bytes, *, format: str | None = None, source: str | None = None,
               **options: Any) -> list[Article]:
    """Parse the bytes of a file (what :func:`load` does after reading it)."""
    head = data[:SNIFF_BYTES].decode("utf-8", errors="replace")
    decoded: dict[int, str] = {}

    def full(fmt: Format) -> str:
        if id(fmt.decode) not in decoded:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                decoded[id(fmt.decode)] = fmt.decode(data, source)
        return decoded[id(fmt.decode)]

    fmt = _resolve_for_reading(format, head, source, full)
    assert fmt.parse is not None
    return fmt.parse(fmt.decode(data, source), source=source, **options)


def load(path: str | os.PathLike[str], format: str | None = None,
         **options: Any) -> list[Article]:
    """Read the file at ``path`` into Articles.

    The format is ``format`` when given, else the one the file extension names,
    else the one the content looks like. Raises :class:`ParseError` (naming the
    file and line) for what cannot be read; recoverable oddities are
    :class:`~citekit.errors.CitekitWarning` warnings.
    """
    source = os.fspath(path)
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror}", source=source) from None
    return read_bytes(data, format=format, source=source, **options)


def loads(text: str, format: str | None = None, *, source: str | None = None,
          **options: Any) -> list[Article]:
    """Parse ``text`` into Articles (the format is sniffed when not given)."""
    text = text.lstrip("\ufeff")
    fmt = _resolve_for_reading(format, text, None, lambda _fmt: text)
    assert fmt.parse is not None
    return fmt.parse(text, source=source, **options)


def _as_list(articles: Article | Iterable[Article]) -> list[Article]:
    return [articles] if isinstance(articles, Article) else list(articles)


def iter_dumps(articles: Article | Iterable[Article], format: str,
               **options: Any) -> Iterator[str]:
    """Write ``articles`` in ``format`` piece by piece: through the format's
    streaming writer when it has one (consuming ``articles`` lazily), else in
    one piece. ``"".join(iter_dumps(a, f)) == dumps(a, f)``."""
    fmt = _resolve_for_writing(format, None)
    if fmt.dump_iter is not None:
        source = [articles] if isinstance(articles, Article) else articles
        return fmt.dump_iter(source, **options)
    assert fmt.dump is not None
    return iter([fmt.dump(_as_list(articles), **options)])


def dumps(articles: Article | Iterable[Article], format: str, **options: Any) -> str:
    """Write ``articles`` (one Article or several) as text in ``format``."""
    fmt = _resolve_for_writing(format, None)
    assert fmt.dump is not None
    return fmt.dump(_as_list(articles), **options)


def dump(articles: Article | Iterable[Article], path: str | os.PathLike[str],
         format: str | None = None, **options: Any) -> None:
    """Write ``articles`` to ``path`` (UTF-8), in ``format`` or the one the
    extension names."""
    target = os.fspath(path)
    fmt = _resolve_for_writing(format, target)
    assert fmt.dump is not None
    text = fmt.dump(_as_list(articles), **options)
    Path(target).write_text(text, encoding="utf-8")

