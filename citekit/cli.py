"""The ``citekit`` command.

``citekit format``  renders a reference list (or in-text citations) in one or more styles;
``citekit convert`` converts between the registered formats;
``citekit styles``  searches the style catalogue;
``citekit formats`` lists the formats.

Exit status: 0 on success, 2 on bad usage or bad input (after writing whatever
could be read), with one clear line per problem on stderr.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from citekit import __version__
from citekit.csl.catalog import CREDIT, find_style, list_styles
from citekit.errors import CitekitError, CitekitWarning, ParseError
from citekit.example import EXAMPLE, HOW_TO_CITE_STYLES
from citekit.formats import (
    available_formats,
    dumps,
    format_for_path,
    get_format,
    load,
    read_bytes,
)
from citekit.model import Article
from citekit.render import bibliography, citations

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Reporter:
    """Prints warnings and errors on stderr, one line each, and remembers failure."""

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.failed = False
        self._seen: set[str] = set()

    def warning(self, message: str) -> None:
        if not self.quiet and message not in self._seen:
            self._seen.add(message)
            print(f"citekit: warning: {message}", file=self.stream)

    def error(self, message: str) -> None:
        self.failed = True
        print(f"citekit: error: {message}", file=self.stream)

    @contextmanager
    def catching_warnings(self) -> Iterator[None]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CitekitWarning)
            yield
        for w in caught:
            if issubclass(w.category, CitekitWarning):
                self.warning(str(w.message))
            else:
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _read_inputs(args: argparse.Namespace, report: _Reporter) -> list[Article]:
    """Every Article of every input, in order; rejected entries are reported."""
    if args.example:
        return [EXAMPLE]
    inputs = args.inputs or ["-"]
    articles: list[Article] = []
    for name in inputs:
        with report.catching_warnings():
            try:
                if name == "-":
                    articles += read_bytes(sys.stdin.buffer.read(), format=args.source_format,
                                           source="<stdin>")
                else:
                    articles += load(name, format=args.source_format)
            except ParseError as exc:
                if exc.problems:
                    for problem in exc.problems:
                        report.error(str(problem))
                else:
                    report.error(str(exc))
                articles += exc.articles
    return articles


def _cmd_format(args: argparse.Namespace, report: _Reporter) -> None:
    articles = _read_inputs(args, report)
    if not articles:
        if not report.failed:
            report.error("no records to format")
        return
    styles = args.style or (list(HOW_TO_CITE_STYLES) if args.example else ["apa"])
    infos = [find_style(s) for s in styles]  # fail early on an unknown style
    blocks: list[str] = []
    for style, info in zip(styles, infos, strict=True):
        with report.catching_warnings():
            if args.citations:
                lines = citations(articles, style, args.locale, args.to)
            else:
                lines = bibliography(articles, style, args.locale, args.to)
        body = _join(lines, args.to, args.citations)
        if len(styles) > 1:
            body = _heading(info.title, args.to) + body
        blocks.append(body)
    separator = "\n\n" if args.to != "html" else "\n"
    sys.stdout.write(separator.join(blocks) + "\n")


def _join(lines: Sequence[str], to: str, citations_only: bool) -> str:
    from citekit.csl.output import get_output_format

    fmt = get_output_format(to)
    if citations_only:
        return "\n".join(lines) if to != "markdown" else "\n\n".join(lines)
    return str(fmt.body(lines))


def _heading(title: str, to: str) -> str:
    if to == "html":
        escaped = title.replace("&", "&#38;").replace("<", "&#60;")
        return f"<h2>{escaped}</h2>\n"
    if to == "markdown":
        return f"## {title}\n\n"
    return f"{title}\n{'-' * len(title)}\n"


def _cmd_convert(args: argparse.Namespace, report: _Reporter) -> None:
    target = args.target_format
    if target is None:
        fmt = format_for_path(args.output) if args.output else None
        if fmt is None:
            raise CitekitError("name the output format with --to (or an -o file whose "
                               "extension names it)")
        target = fmt.name
    get_format(target)  # fail on an unknown format before reading anything
    articles = _read_inputs(args, report)
    with report.catching_warnings():
        text = dumps(articles, target, **_writer_options(args.option))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


def _writer_options(pairs: Sequence[str]) -> dict[str, object]:
    """``["ascii=true", "indent=4"]`` -> ``{"ascii": True, "indent": 4}``."""
    options: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CitekitError(f"-O expects KEY=VALUE, got {pair!r}")
        lowered = value.strip().lower()
        parsed: object = value
        if lowered in ("true", "yes", "on"):
            parsed = True
        elif lowered in ("false", "no", "off"):
            parsed = False
        elif lowered.lstrip("-").isdigit():
            parsed = int(lowered)
        options[key.strip().replace("-", "_")] = parsed
    return options


def _cmd_styles(args: argparse.Namespace, report: _Reporter) -> None:
    rows = list_styles(args.query)
    for style_id, title, parent in rows:
        alias = f"  [uses {parent}]" if parent else ""
        print(f"{style_id}\t{title}{alias}")
    print(f"{len(rows)} styles. {CREDIT}", file=sys.stderr)
    if not rows:
        report.failed = True


def _cmd_formats(args: argparse.Namespace, report: _Reporter) -> None:
    for fmt in available_formats():
        modes = ("r" if fmt.parse else "-") + ("w" if fmt.dump else "-")
        aliases = f" (also: {', '.join(fmt.aliases)})" if fmt.aliases else ""
        exts = " ".join("." + e for e in fmt.extensions)
        print(f"{fmt.name}\t{modes}\t{exts}\t{fmt.description}{aliases}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citekit",
        description="Bibliographic metadata: convert between formats and render citations.",
        epilog=CREDIT,
    )
    parser.add_argument("--version", action="version", version=f"citekit {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true",
                        help="do not print warnings about input that was bent to fit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("inputs", nargs="*", metavar="INPUT",
                       help="input files ('-' or none: standard input); several are merged")
        p.add_argument("--from", dest="source_format", metavar="FMT",
                       help="input format (default: from the extension, else sniffed)")
        p.add_argument("--example", action="store_true",
                       help="use the bundled example article instead of an input")

    fmt = sub.add_parser("format", parents=[common],
                         help="render a reference list or in-text citations",
                         description="Render the records of INPUT as a reference list.")
    inputs(fmt)
    fmt.add_argument("--style", action="append", metavar="ID",
                     help="CSL style id, journal alias or .csl path; repeat for several "
                     "(default: apa; with --example the 'How to Cite' set)")
    fmt.add_argument("--locale", metavar="TAG", help="locale, e.g. en-GB, de, pt-BR "
                     "(default: the style's own)")
    fmt.add_argument("--to", choices=("text", "html", "markdown"), default="text",
                     help="output format (default: text)")
    fmt.add_argument("--citations", action="store_true",
                     help="print one in-text citation per record instead of the list")
    fmt.set_defaults(run=_cmd_format)

    conv = sub.add_parser("convert", parents=[common], help="convert records between formats",
                          description="Convert the records of INPUT to another format.")
    inputs(conv)
    conv.add_argument("--to", dest="target_format", metavar="FMT",
                      help="output format (`citekit formats` lists them)")
    conv.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    conv.add_argument("-O", "--option", action="append", default=[], metavar="KEY=VALUE",
                      help="an option for the output format's writer (repeatable), "
                      "e.g. -O ascii=true")
    conv.set_defaults(run=_cmd_convert)

    styles = sub.add_parser("styles", parents=[common], help="search the CSL style catalogue",
                            description="List style ids and titles matching QUERY "
                            "(id, title or ISSN), dependent styles included. " + CREDIT)
    styles.add_argument("query", nargs="?", help="text to look for")
    styles.set_defaults(run=_cmd_styles)

    formats = sub.add_parser("formats", parents=[common],
                             help="list the formats citekit reads and writes")
    formats.set_defaults(run=_cmd_formats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    report = _Reporter(sys.stderr, args.quiet)
    try:
        args.run(args, report)
    except CitekitError as exc:
        report.error(str(exc).replace("\n", "\n  "))
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return EXIT_BAD_INPUT if report.failed else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
