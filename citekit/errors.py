"""citekit's exceptions and warnings.

Everything citekit raises on bad input is a :class:`CitekitError`; problems it
can recover from (a string where a number belongs, a key used twice) are
reported as :class:`CitekitWarning` and the data is kept. Each says *where*
(file, line, column or field) and *what was expected*.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citekit.model import Article

__all__ = [
    "CitekitError",
    "CitekitWarning",
    "OptionError",
    "ParseError",
    "Problem",
    "RenderError",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UnknownStyleError",
    "ValidationError",
    "warn",
]


def _where(source: str | None, line: int | None, column: int | None) -> str:
    parts = [p for p in (source, line, column) if p is not None]
    return ":".join(str(p) for p in parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: what, and where."""

    message: str
    source: str | None = None
    line: int | None = None
    column: int | None = None
    entry: str | None = None

    def __str__(self) -> str:
        where = _where(self.source, self.line, self.column)
        entry = f" (entry {self.entry})" if self.entry else ""
        return f"{where + ': ' if where else ''}{self.message}{entry}"


class CitekitError(Exception):
    """Base class of every error citekit raises on purpose."""


class ParseError(CitekitError, ValueError):
    """Input that cannot be read (or entries of it that cannot).

    ``source``, ``line`` and ``column`` locate the first problem; ``problems``
    lists every rejected entry when a file was read in part, and ``articles``
    holds the entries that *were* read, so a caller can keep them.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        problems: Sequence[Problem] = (),
        articles: Sequence[Article] = (),
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.articles: tuple[Article, ...] = tuple(articles)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = _where(self.source, self.line, self.column)
        text = f"{where + ': ' if where else ''}{self.message}"
        if len(self.problems) > 1 or (self.problems and str(self.problems[0]) not in text):
            text += "".join(f"\n  {p}" for p in self.problems)
        return text


class ValidationError(CitekitError, ValueError):
    """A value that does not fit the model or a format's schema; names the field."""

    def __init__(self, field: str, message: str, *, entry: str | None = None) -> None:
        self.field = field
        self.message = message
        self.entry = entry
        super().__init__(str(self))

    def __str__(self) -> str:
        entry = f"entry {self.entry!r}, " if self.entry else ""
        return f"{entry}field {self.field!r}: {self.message}"


class _LookupFailure(CitekitError, LookupError):
    kind = "item"

    def __init__(self, name: str, suggestions: Sequence[str] = (), detail: str = "") -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"unknown {self.kind} {self.name!r}"
        if self.detail:
            text += f": {self.detail}"
        if self.suggestions and not all(s in self.detail for s in self.suggestions):
            text += f" (did you mean: {', '.join(self.suggestions)}?)"
        return text


class UnknownStyleError(_LookupFailure):
    """A style id, alias or path that does not resolve; ``suggestions`` holds close ids."""

    kind = "style"


class UnknownLocaleError(_LookupFailure):
    """A locale tag with no CSL locale file."""

    kind = "locale"


class UnknownFormatError(_LookupFailure):
    """A format name that is not registered, or input whose format could not be told.

    ``suggestions`` lists the registered formats (or the ones that were tried).
    """

    kind = "format"


class OptionError(CitekitError, TypeError):
    """An option a reader or writer does not take (``dumps(..., ascii=True)`` for a
    format without that option)."""


class RenderError(CitekitError):
    """A style that cannot render an item (a broken style, not bad data)."""


class CitekitWarning(UserWarning):
    """Something in the input was bent to fit, and kept; says where and what."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
        entry: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        self.entry = entry
        super().__init__(str(self))

    def __str__(self) -> str:
        where = _where(self.source, self.line, None)
        context = ", ".join(
            part for part in (f"entry {self.entry!r}" if self.entry else "",
                              f"field {self.field!r}" if self.field else "") if part
        )
        text = f"{where + ': ' if where else ''}{self.message}"
        return f"{text} ({context})" if context else text


def warn(message: str, *, stacklevel: int = 2, **where: Any) -> None:
    """Issue a :class:`CitekitWarning` (``where``: source, line, field, entry)."""
    warnings.warn(CitekitWarning(message, **where), stacklevel=stacklevel + 1)
