"""SQLite storage: every item upserted on its stable ``id``.

The database is chosen by ``DATABASE_URL`` (setting or environment variable),
``sqlite:///out/akhbar.sqlite3`` by default. Rows are written in batches, each
batch one transaction, so a crawl costs one commit per batch, not per item.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.items import FIELD_NAMES
from pipelines.base import CrawlerPipeline

logger = logging.getLogger(__name__)

_CONTENT_FIELDS = tuple(name for name in FIELD_NAMES if name != "id")
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    {", ".join(f"{name} {'INTEGER' if name == 'position' else 'TEXT'}" for name in _CONTENT_FIELDS)},
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
)
"""
_UPSERT = f"""
INSERT INTO items ({", ".join(FIELD_NAMES)}, first_seen, last_seen)
VALUES ({", ".join("?" for _ in FIELD_NAMES)}, ?, ?)
ON CONFLICT(id) DO UPDATE SET
    {", ".join(f"{name} = COALESCE(excluded.{name}, items.{name})" for name in _CONTENT_FIELDS)},
    last_seen = excluded.last_seen
"""


def sqlite_path(database_url: str) -> Path:
    """The file a ``sqlite:///relative`` or ``sqlite:////absolute`` URL names."""
    parts = urlsplit(database_url)
    if parts.scheme != "sqlite" or not parts.path.startswith("/") or len(parts.path) < 2:
        raise ValueError(f"DATABASE_URL must look like sqlite:///out/akhbar.sqlite3, not {database_url!r}")
    return Path(parts.path[1:])


def connect(path: Path) -> sqlite3.Connection:
    """Open (and create) the store; WAL lets readers look while a crawl writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(SCHEMA)
    conn.commit()
    return conn


def upsert_items(conn: sqlite3.Connection, rows: Iterable[Mapping[str, object]], seen_at: str) -> int:
    """Upsert rows in one transaction; returns how many were written."""
    params = [(*(row.get(name) for name in FIELD_NAMES), seen_at, seen_at) for row in rows]
    with conn:
        conn.executemany(_UPSERT, params)
    return len(params)


class SQLitePipeline(CrawlerPipeline):
    """Buffers items and upserts them in batches of ``AKHBAR_DB_BATCH_SIZE``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.path = sqlite_path(crawler.settings.get("DATABASE_URL"))
        self.batch_size = crawler.settings.getint("AKHBAR_DB_BATCH_SIZE", 500)
        self.buffer: list[dict[str, object]] = []
        self.conn: sqlite3.Connection | None = None

    def open_spider(self) -> None:
        self.conn = connect(self.path)

    def close_spider(self) -> None:
        self._flush()
        if self.conn is not None:
            self.conn.close()

    def process_item(self, item: object) -> object:
        self.buffer.append(ItemAdapter(item).asdict())
        if len(self.buffer) >= self.batch_size:
            self._flush()
        return item

    def _flush(self) -> None:
        if not self.buffer or self.conn is None:
            return
        seen_at = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            written = upsert_items(self.conn, self.buffer, seen_at)
        except sqlite3.Error as exc:
            # Counted and logged, never silent; the run's summary turns it into a failure.
            self.stats.inc_value("akhbar/storage/failed_rows", len(self.buffer))
            logger.error("could not store %d items in %s: %s", len(self.buffer), self.path, exc)
        else:
            self.stats.inc_value("akhbar/storage/rows", written)
        self.buffer.clear()
