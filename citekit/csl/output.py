"""Output formats: plain text, HTML (citeproc-js's markup) and Markdown.

Each format is a formatter namespace of the kind citeproc-py renders through:
``preformat(text)`` escapes literal text, and ``Italic``, ``Oblique``, ``Bold``,
``Light``, ``Underline``, ``Superscript``, ``Subscript`` and ``SmallCaps`` wrap
rendered text. ``entry`` wraps one bibliography entry and ``body`` a list of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

__all__ = ["FORMATS", "OutputFormat", "get_output_format"]

OutputFormat = SimpleNamespace


def _wrapper(before: str, after: str) -> type[str]:
    class Wrapped(str):
        def __new__(cls, text: Any) -> Wrapped:
            return super().__new__(cls, f"{before}{text}{after}")

    return Wrapped


def _identity(text: Any) -> str:
    return str(text)


def _html_escape(text: Any) -> str:
    # citeproc-js escapes with numeric character references
    return str(text).replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})


def _markdown_escape(text: Any) -> str:
    return str(text).translate(_MARKDOWN_SPECIAL)


def _make(name: str, preformat: Callable[[Any], str], tags: dict[str, tuple[str, str]],
          entry: Callable[[str], str], body: Callable[[Sequence[str]], str]) -> OutputFormat:
    fmt = SimpleNamespace(name=name, preformat=preformat, entry=entry, body=body)
    for style in ("Italic", "Oblique", "Bold", "Light", "Underline", "Superscript",
                  "Subscript", "SmallCaps"):
        before, after = tags.get(style, ("", ""))
        setattr(fmt, style, _wrapper(before, after) if before or after else str)
    return fmt


TEXT = _make("text", _identity, {}, entry=str, body=lambda entries: "\n".join(entries))

HTML = _make(
    "html", _html_escape,
    {"Italic": ("<i>", "</i>"), "Oblique": ("<i>", "</i>"), "Bold": ("<b>", "</b>"),
     "Light": ('<span style="font-weight:lighter;">', "</span>"),
     "Underline": ('<span style="text-decoration:underline;">', "</span>"),
     "Superscript": ("<sup>", "</sup>"), "Subscript": ("<sub>", "</sub>"),
     "SmallCaps": ('<span style="font-variant:small-caps;">', "</span>")},
    entry=lambda text: f'<div class="csl-entry">{text}</div>',
    body=lambda entries: '<div class="csl-bib-body">\n'
    + "".join(f"  {e}\n" for e in entries) + "</div>",
)

MARKDOWN = _make(
    "markdown", _markdown_escape,
    {"Italic": ("*", "*"), "Oblique": ("*", "*"), "Bold": ("**", "**"),
     "Superscript": ("^", "^"), "Subscript": ("~", "~")},
    entry=str, body=lambda entries: "\n\n".join(entries),
)

FORMATS: dict[str, OutputFormat] = {"text": TEXT, "html": HTML, "markdown": MARKDOWN}


def get_output_format(name: str) -> OutputFormat:
    """The output format called ``name`` (``text``, ``html`` or ``markdown``)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown output format {name!r}; expected one of "
                         f"{', '.join(FORMATS)}") from None
