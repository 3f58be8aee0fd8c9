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
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from citekit import __version__
from citekit.csl.catalog import CREDIT, find_style, list_styles
from citekit.errors import CitekitError, CitekitWarning, ParseError
from citekit.example import EXAMPLE, HOW_TO_CITE_STYLES
from citekit.formats import (
    available_formats,
    format_for_path,
    get_format,
    iter_dumps,
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
        self.progress: _Progress | None = None

    def warning(self, message: str) -> None:
        if not self.quiet and message not in self._seen:
            self._seen.add(message)
            self._clear()
            print(f"citekit: warning: {message}", file=self.stream)

    def error(self, message: str) -> None:
        self.failed = True
        self._clear()
        print(f"citekit: error: {message}", file=self.stream)

    def _clear(self) -> None:
        if self.progress is not None:
            self.progress.clear()

    @contextmanager
    def streaming_warnings(self) -> Iterator[None]:
        """Print citekit's warnings as they happen (a long conversion does not hold
        them back to the end)."""
        def show(message: Warning | str, category: type[Warning], filename: str,
                 lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
            if issubclass(category, CitekitWarning):
                self.warning(str(message))
            else:
                original(message, category, filename, lineno, file, line)

        with warnings.catch_warnings():
            warnings.simplefilter("always", CitekitWarning)
            original = warnings.showwarning
            warnings.showwarning = show
            yield

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


class _Progress:
    """A one-line progress report on a terminal's stderr, for long conversions.

    Nothing is shown until ``delay`` seconds have passed, so quick conversions
    print nothing; the line is redrawn at most ten times a second and cleared
    at the end.
    """

    def __init__(self, stream: TextIO, sizes: Sequence[int | None], *, delay: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.sizes = sizes
        self.clock = clock
        self.start = clock()
        self.delay = delay
        self.file = 0
        self.in_file = 0
        self.file_records = 0
        self.written = 0
        self.drawn = False
        self.last = 0.0

    def begin_file(self, index: int, records: int) -> None:
        self.file, self.in_file, self.file_records = index, 0, records
        self.tick(0)

    def tick(self, count: int = 1) -> None:
        self.written += count
        self.in_file += count
        now = self.clock()
        if now - self.start < self.delay or now - self.last < 0.1:
            return
        self.last = now
        self.stream.write("\r" + self.text() + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def text(self) -> str:
        files = len(self.sizes)
        text = f"citekit: {self.written:,} records written"
        if files > 1:
            text += f", file {self.file + 1} of {files}"
        known: list[int] = [s for s in self.sizes if s is not None]
        total = sum(known, 0)
        if len(known) == files and total:
            done = float(sum(known[: self.file], 0))
            if self.file_records:
                done += known[self.file] * min(1.0, self.in_file / self.file_records)
            text += f" ({100 * done / total:.0f}%)"
        return text

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def _iter_input_articles(args: argparse.Namespace, report: _Reporter,
                         progress: _Progress | None) -> Iterator[Article]:
    """The Articles of every input, file by file: only one file's records are held
    at a time. Rejected entries are reported, the good ones yielded."""
    if args.example:
        yield EXAMPLE
        return
    seen: dict[str, str] = {}
    for index, name in enumerate(args.inputs or ["-"]):
        source = "<stdin>" if name == "-" else name
        try:
            if name == "-":
                articles = read_bytes(sys.stdin.buffer.read(), format=args.source_format,
                                      source=source)
            else:
                articles = load(name, format=args.source_format)
        except ParseError as exc:
            for problem in exc.problems or [exc]:
                report.error(str(problem))
            articles = list(exc.articles)
        except CitekitError as exc:
            report.error(str(exc).replace("\n", "\n  "))
            continue
        if progress is not None:
            progress.begin_file(index, len(articles))
        for article in articles:
            earlier = seen.get(article.id)
            if earlier is not None and earlier != source:
                report.warning(f"{source}: id {article.id!r} is also used by a record of "
                               f"{earlier}; both kept")
            seen.setdefault(article.id, source)
            yield article
            if progress is not None:
                progress.tick()
        del articles


class _Output:
    """Standard output, or a file written through a temporary file beside it and
    renamed at the end (an interrupted conversion leaves no half-written file);
    opened only when the first piece of text arrives."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.handle: TextIO | None = None
        self.temp: str | None = None

    def write(self, text: str) -> None:
        if self.path is None:
            sys.stdout.write(text)
            return
        if self.handle is None:
            directory = os.path.dirname(os.path.abspath(self.path))
            fd, self.temp = tempfile.mkstemp(prefix=".citekit-", suffix=".tmp", dir=directory)
            self.handle = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.handle.write(text)

    def commit(self) -> None:
        if self.path is not None and self.handle is None:
            self.write("")  # an empty document is still a document
        if self.handle is not None and self.temp is not None and self.path is not None:
            self.handle.close()
            os.replace(self.temp, self.path)
            self.handle = None

    def abandon(self) -> None:
        if self.handle is not None and self.temp is not None:
            self.handle.close()
            os.unlink(self.temp)
            self.handle = None


def _file_size(name: str) -> int | None:
    if name == "-":
        return None
    try:
        return os.path.getsize(name)
    except OSError:
        return None


def _cmd_convert(args: argparse.Namespace, report: _Reporter) -> None:
    target = args.target_format
    if target is None:
        fmt = format_for_path(args.output) if args.output else None
        if fmt is None:
            raise CitekitError("name the output format with --to (or an -o file whose "
                               "extension names it)")
        target = fmt.name
    if get_format(target).dump is None:  # fail before reading anything
        raise CitekitError(f"{target} can be read but not written")
    options = _writer_options(args.option)
    inputs = [] if args.example else (args.inputs or ["-"])
    progress = None
    if not args.quiet and _is_terminal(sys.stderr):
        progress = _Progress(sys.stderr, [_file_size(n) for n in inputs])
        report.progress = progress
    output = _Output(args.output)
    count = 0

    def counted(articles: Iterable[Article]) -> Iterator[Article]:
        nonlocal count
        for article in articles:
            count += 1
            yield article

    try:
        with report.streaming_warnings():
            for chunk in iter_dumps(counted(_iter_input_articles(args, report, progress)),
                                    target, **options):
                output.write(chunk)
    except BaseException:
        output.abandon()
        raise
    finally:
        if progress is not None:
            progress.clear()
    if count == 0 and report.failed:
        output.abandon()  # nothing was read: leave no empty output file behind
    else:
        output.commit()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


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

    conv = sub.add_parser(
        "convert", parents=[common], help="convert records between formats",
        description="Convert the records of every INPUT, in order, to one output. "
        "Files are read one at a time and written as they are read. Exit status 2 "
        "when any record or input was rejected (the good records are still written).")
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
