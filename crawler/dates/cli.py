"""The date reader as a command: one date text per line on stdin, one ISO value (or an empty line) out::

    python -m crawler.dates --now 2021-12-07T15:00:00+03:00 [--tz Asia/Riyadh] [--order DMY]

Relative forms count from ``--now``, never from the clock; printed times take ``--tz``, else the
offset of ``--now``. It imports no Scrapy, so it starts fast and runs anywhere the package does.
(``python -m pipelines.dates`` is the same command under its older name.)
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import NoReturn, TextIO

from crawler.dates.reader import ORDERS
from crawler.dates.resolve import parse_text
from crawler.dates.zones import load_timezone


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with errors a script can show as they are."""

    def error(self, message: str) -> NoReturn:
        """One line on stderr and exit status 2, not the usage block."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def _now(value: str) -> datetime:
    """``--now``: an instant with an offset, since its offset is the default zone."""
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {value!r}") from None
    if now.tzinfo is None:
        raise argparse.ArgumentTypeError(f"needs an offset, e.g. 2021-12-07T15:00:00+03:00: {value!r}")
    return now


def _zone(value: str) -> tzinfo | None:
    """``--tz``: an IANA zone, checked before any input is read."""
    try:
        return load_timezone(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """Read date texts on stdin, one per line; write one ISO value or an empty line per input."""
    parser = _ArgumentParser(
        prog="python -m crawler.dates",
        description="Arabic news date text -> ISO 8601, one line in, one line out (empty: cannot tell).",
    )
    parser.add_argument("--now", type=_now, required=True, help="reference instant for relative dates, with offset")
    parser.add_argument("--tz", type=_zone, help="IANA zone of printed times (default: the offset of --now)")
    parser.add_argument("--order", type=str.upper, choices=ORDERS, default="DMY", help="numeric date order")
    args = parser.parse_args(argv)
    now, tz, order = args.now, args.tz or args.now.tzinfo, args.order
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")
    write_lines((parse_text(line, now, tz, order) or "" for line in sys.stdin), sys.stdout)
    return 0


def write_lines(lines: Iterable[str], out: TextIO, block: int = 4096) -> None:
    """One line per answer: at once on a terminal, else in blocks (one write per line is a syscall per
    line under ``PYTHONUNBUFFERED``, which costs more than parsing). Pipe a whole input, as with grep."""
    if out.isatty() or sys.stdin.isatty():
        for line in lines:
            out.write(line + "\n")
            out.flush()
        return
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= block:
            out.write("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        out.write("\n".join(chunk) + "\n")
