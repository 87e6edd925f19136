"""Export rows (``crawler/export.schema.json``) written as JSON Lines or CSV; no Scrapy here.

``scrapy export`` and ``GET /api/items`` give the same rows. The output's name picks the
format: ``.csv`` is CSV (lists as JSON text, null as an empty cell), ``-`` is standard
output, anything else JSON Lines. Parquet is refused with a way round it, rather than
written by a heavy dependency few users need.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, NamedTuple, TextIO

from crawler.store import EXPORT_COLUMNS, JSON_COLUMNS

FORMATS = ("jsonl", "csv")


class ExportFormatError(ValueError):
    """An output the export cannot write; the message says what to do instead."""


def format_for(output: str) -> str:
    """``csv`` or ``jsonl`` for an output name; a clear error for formats akhbar does not write."""
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output.rsplit("/", 1)[-1] else ""
    if suffix == "csv":
        return "csv"
    if suffix in ("parquet", "pq"):
        raise ExportFormatError(
            "Parquet is not written by akhbar; export JSON Lines and convert it, e.g. "
            "duckdb -c \"COPY (SELECT * FROM read_json_auto('items.jsonl')) TO 'items.parquet'\""
        )
    return "jsonl"


def _cell(name: str, value: Any) -> Any:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False) if name in JSON_COLUMNS else value


def write_rows(rows: Iterable[Mapping[str, Any]], out: TextIO, fmt: str) -> tuple[int, int]:
    """Write ``rows`` to ``out`` in ``fmt``; returns ``(rows written, largest seq)``."""
    count, cursor = 0, 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow([_cell(name, row[name]) for name in EXPORT_COLUMNS])
            count, cursor = count + 1, max(cursor, row["seq"])
        return count, cursor
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count, cursor = count + 1, max(cursor, row["seq"])
    return count, cursor


class Cursor(NamedTuple):
    """Where a consumer stopped: after batch ``seq``, or inside it after row ``after_id``.

    Written ``SEQ`` or ``SEQ:ID``; a page of ``/api/items`` may end inside a batch (a batch
    can hold a whole migration), so its next cursor may need the id too.
    """

    seq: int
    after_id: str | None = None

    def __str__(self) -> str:
        return f"{self.seq}:{self.after_id}" if self.after_id else str(self.seq)


def parse_cursor(text: str) -> Cursor:
    """A cursor as printed by ``scrapy export`` or returned by ``/api/items``; ValueError otherwise."""
    seq, _, after_id = text.strip().partition(":")
    if not seq.isascii() or not seq.isdigit() or (after_id and not re.fullmatch(r"[0-9a-f]{40}", after_id)):
        raise ValueError(f"not a cursor: {text!r} (expected 0, a seq number, or SEQ:ID as returned)")
    return Cursor(int(seq), after_id or None)


def page(rows: Iterator[dict[str, Any]], since: Cursor, limit: int) -> tuple[list[dict[str, Any]], Cursor]:
    """At most ``limit`` rows and the cursor after them; it carries the last id only when the
    next row belongs to the same batch."""
    taken = list(islice(rows, limit + 1))
    shown, more = taken[:limit], taken[limit:]
    if not shown:
        return shown, since
    last = shown[-1]
    if more and more[0]["seq"] == last["seq"]:
        return shown, Cursor(last["seq"], last["id"])
    return shown, Cursor(last["seq"])
