"""``scrapy export``: items stored after a cursor, for downstream jobs.

    scrapy export --since 0 [--site S] [--tag T] -o items.jsonl

Writes every row added or changed after ``--since`` (from SQLite or PostgreSQL,
whichever ``DATABASE_URL`` names) as JSON Lines, then prints the next cursor on
standard output. A consumer stores that number and passes it next time, so it
reads each change once without scanning feeds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.redaction import redact
from crawler.store import Store, StoreError, store_from_settings


def export(store: Store, since: int, out: Path, site: str | None, tag: str | None) -> tuple[int, int]:
    """Write rows after ``since`` to ``out`` atomically; returns ``(rows, next cursor)``."""
    cursor, count = since, 0
    partial = out.with_name(out.name + ".part")
    with partial.open("w", encoding="utf-8") as handle:
        for row in store.rows_since(since, site=site, tag=tag):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            cursor, count = max(cursor, row["seq"]), count + 1
    os.replace(partial, out)
    return count, cursor


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, object]] = {"LOG_ENABLED": False}  # stdout carries the cursor

    def syntax(self) -> str:
        return "--since CURSOR [--site SITE] [--tag TAG] -o FILE"

    def short_desc(self) -> str:
        return "Export stored items changed after a cursor; print the next cursor"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--since", type=int, default=0, help="cursor from the previous export (0: all)")
        parser.add_argument("--site", help="only this site")
        parser.add_argument("--tag", help="only rows carrying this tag")
        parser.add_argument("-o", "--output", required=True, help="JSON Lines file to write")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.since < 0:
            raise UsageError("--since must be 0 or a cursor printed by an earlier export")
        assert self.settings is not None
        url = self.settings.get("DATABASE_URL")
        try:
            store = store_from_settings(self.settings).open()
        except StoreError as exc:
            print(f"akhbar export: database {redact(url)} unavailable: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        try:
            count, cursor = export(store, opts.since, Path(opts.output), opts.site, opts.tag)
        finally:
            store.close()
        print(f"exported {count} items to {opts.output}", file=sys.stderr)
        print(cursor)
