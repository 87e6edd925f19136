"""``scrapy export``: items stored after a cursor, for downstream jobs.

    scrapy export --since 0 [--site S] [--tag T] -o items.jsonl|items.csv|-

Writes every row added or changed after ``--since`` (from SQLite or PostgreSQL,
whichever ``DATABASE_URL`` names) as JSON Lines (or CSV for ``.csv``; ``-`` is standard
output), then prints the next cursor on standard output (on standard error when the
rows go there). A consumer stores that number and passes it next time, so it reads
each change once without scanning feeds. Rows follow ``crawler/export.schema.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.export import Cursor, format_for, parse_cursor, write_rows
from crawler.redaction import redact
from crawler.store import Store, StoreError, store_from_settings


def export(store: Store, since: Cursor, output: str, site: str | None, tag: str | None) -> tuple[int, int]:
    """Write rows after ``since`` to ``output`` (a file, replaced atomically, or ``-``);
    returns ``(rows, next cursor)``."""
    rows = store.rows_since(since.seq, site=site, tag=tag, after_id=since.after_id)
    fmt = format_for(output)
    if output == "-":
        count, cursor = write_rows(rows, sys.stdout, fmt)
        sys.stdout.flush()
        return count, max(cursor, since.seq)
    out = Path(output)
    partial = out.with_name(out.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        count, cursor = write_rows(rows, handle, fmt)
    os.replace(partial, out)
    return count, max(cursor, since.seq)


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, object]] = {"LOG_ENABLED": False}  # stdout carries the cursor

    def syntax(self) -> str:
        return "--since CURSOR [--site SITE] [--tag TAG] -o FILE|-"

    def short_desc(self) -> str:
        return "Export stored items changed after a cursor; print the next cursor"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--since", default="0", help="cursor from the previous export (0: all)")
        parser.add_argument("--site", help="only this site")
        parser.add_argument("--tag", help="only rows carrying this tag")
        parser.add_argument(
            "-o", "--output", required=True, help="file to write: .csv is CSV, - is standard output, else JSON Lines"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        try:
            since = parse_cursor(opts.since)
            format_for(opts.output)
        except ValueError as exc:
            print(f"akhbar export: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        assert self.settings is not None
        url = self.settings.get("DATABASE_URL")
        try:
            store = store_from_settings(self.settings).open()
        except (StoreError, ValueError) as exc:  # unreachable, or a DATABASE_URL akhbar cannot use
            print(f"akhbar export: database {redact(url)} unavailable: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        try:
            count, cursor = export(store, since, opts.output, opts.site, opts.tag)
        finally:
            store.close()
        where = "standard output" if opts.output == "-" else opts.output
        print(f"exported {count} items to {where}", file=sys.stderr)
        print(cursor, file=sys.stderr if opts.output == "-" else sys.stdout)
