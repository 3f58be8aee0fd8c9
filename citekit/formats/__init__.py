"""The format registry, and the entry points that use it.

Each format is a module of ``citekit.formats`` that exposes ``FORMATS``, a tuple
of :class:`Format` records (a module may register several, such as BibTeX and
BibLaTeX). A format declares its name, aliases, file extensions, media type, a
``sniff(text) -> bool`` test and its ``parse``/``dump`` pair. Third-party
packages add formats through the ``citekit.formats`` entry-point group; an
entry point names a :class:`Format` or an iterable of them.

:func:`load`, :func:`loads`, :func:`dump` and :func:`dumps` find the format by
name or alias, by file extension, or by sniffing the text.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from citekit.errors import ParseError, UnknownFormatError
from citekit.model import Article

__all__ = [
    "Format",
    "available_formats",
    "dump",
    "dumps",
    "format_for_path",
    "get_format",
    "load",
    "loads",
    "register",
    "sniff_format",
]

#: Modules of the formats that ship with citekit, in sniffing order.
BUILTIN_MODULES: tuple[str, ...] = ("citekit.formats.csljson", "citekit.formats.rdf",
                                    "citekit.formats.html_meta", "citekit.formats.oai_dc")

ENTRY_POINT_GROUP = "citekit.formats"


class Parser(Protocol):
    def __call__(self, text: str, *, source: str | None = ...,
                 **options: Any) -> list[Article]: ...


class Dumper(Protocol):
    def __call__(self, articles: Sequence[Article], **options: Any) -> str: ...


def decode_utf8(data: bytes, source: str | None = None) -> str:
    """Decode UTF-8 (a leading byte-order mark is dropped); a :class:`ParseError`
    that gives the line and column of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        column = exc.start - (head.rfind(b"\n") + 1) + 1
        raise ParseError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert the file to UTF-8",
            source=source, line=line, column=column,
        ) from None


@dataclass(frozen=True)
class Format:
    """A registered format.

    ``parse(text, *, source=None, **options) -> list[Article]`` reads a whole
    document; ``dump(articles, **options) -> str`` writes one. Either may be
    None for a read-only or write-only format. ``sniff(text)`` answers whether
    ``text`` looks like this format (only the first few kilobytes are passed).
    ``decode(data, source)`` turns the bytes of a file into text (UTF-8 by
    default; a format whose files come in legacy encodings supplies its own).
    """

    name: str
    parse: Parser | None = None
    dump: Dumper | None = None
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    media_type: str = "text/plain"
    sniff: Callable[[str], bool] | None = None
    description: str = ""
    decode: Callable[[bytes, str | None], str] = field(default=decode_utf8)
    #: What a round trip through this format preserves: CSL variable names
    #: (``"title"``, ``"author"``, ``"issued"``, ``"DOI"``...), ``"type"`` when every
    #: CSL type comes back unchanged, and ``"extra"`` when :attr:`Article.extra`
    #: survives. None means everything. The format's documentation page states
    #: the rest, and the conversion tests hold the format to this set.
    keeps: frozenset[str] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases."""
        return (self.name, *self.aliases)


_registry: dict[str, Format] = {}
_loaded = False


def _key(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def register(fmt: Format, *, replace: bool = False) -> Format:
    """Add ``fmt`` to the registry (``replace=True`` to override a registered name)."""
    _ensure_loaded()
    _add(fmt, replace=replace)
    return fmt


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
        obj = ep.load()
        for fmt in [obj] if isinstance(obj, Format) else obj:
            _add(fmt, replace=False)


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


def format_for_path(path: str | os.PathLike[str]) -> Format | None:
    """The format whose extension ``path`` has (longest extension wins), or None."""
    lower = os.fspath(path).lower()
    best: tuple[int, Format] | None = None
    for fmt in available_formats():
        for ext in fmt.extensions:
            if lower.endswith("." + ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), fmt)
    return best[1] if best else None


SNIFF_BYTES = 8192


def sniff_format(text: str, *, source: str | None = None,
                 readable: bool = True) -> Format:
    """The one format whose ``sniff`` accepts ``text``.

    Raises :class:`UnknownFormatError` naming the formats tried when none or
    several match (then ``suggestions`` holds the candidates).
    """
    head = text.lstrip("\ufeff")[:SNIFF_BYTES]
    tried = [f for f in available_formats()
             if f.sniff is not None and (f.parse is not None or not readable)]
    matches = [f for f in tried if f.sniff and f.sniff(head)]
    # Formats sharing one parser (a dialect and its parent) are one candidate.
    distinct: list[Format] = []
    for fmt in matches:
        if all(fmt.parse is not other.parse for other in distinct):
            distinct.append(fmt)
    where = source or "input"
    if len(distinct) == 1:
        return distinct[0]
    if not distinct:
        raise UnknownFormatError(
            where, [f.name for f in tried],
            "the text is in no format citekit knows (tried: "
            + ", ".join(f.name for f in tried) + "); name one with format=/--from")
    raise UnknownFormatError(
        where, [f.name for f in distinct],
        "the text could be any of " + ", ".join(f.name for f in distinct)
        + "; name one with format=/--from")


def _resolve_for_reading(format: str | None, text: str | None, path: str | None) -> Format:
    if format is not None:
        fmt = get_format(format)
    else:
        fmt = (format_for_path(path) if path else None) or sniff_format(
            text or "", source=path)
    if fmt.parse is None:
        raise UnknownFormatError(fmt.name, [f.name for f in available_formats() if f.parse],
                                 "this format can be written but not read")
    return fmt


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
    fmt = _resolve_for_reading(format, head, source)
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
    fmt = _resolve_for_reading(format, text, None)
    assert fmt.parse is not None
    return fmt.parse(text.lstrip("\ufeff"), source=source, **options)


def _as_list(articles: Article | Iterable[Article]) -> list[Article]:
    return [articles] if isinstance(articles, Article) else list(articles)


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

