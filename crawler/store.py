"""The item store: one schema on SQLite (embedded default) or PostgreSQL (shared).

``DATABASE_URL`` picks the backend. Both share the table layout and the
versioned migrations below, so a consumer or an export reads either the same
way. Rows are upserted on ``id`` in batches, one transaction each; a batch gets
one ``seq`` number (taken under a write lock) when it adds or changes rows, which
gives consumers a cursor that only moves forward. The store also answers the
dedup questions ("is this id known?", "which rows carry this title?") from disk,
so memory does not grow with the size of the store.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit

from crawler.items import FIELD_NAMES
from crawler.redaction import redact
from crawler.text import title_key

# Item fields plus what the store keeps about each row.
STORE_COLUMNS = ("tags", "title_key", "content_hash", "first_seen", "last_seen", "seq")
ROW_COLUMNS = FIELD_NAMES + STORE_COLUMNS
_CONTENT_FIELDS = ("url", "title", "excerpt", "published_at", "published_raw", "modified_at", "author", "body", "image")
# Stored as JSON text so both backends share one column type.
JSON_COLUMNS = ("tags", "article_tags")
_UPDATED_FIELDS = tuple(f for f in FIELD_NAMES if f not in ("id", "listing_url", "position", "crawled_at", "tag"))
# Fields an article page gives and a listing-only copy must not erase (see _merge).
_ARTICLE_PAGE_FIELDS = frozenset(
    {
        "published_at",
        "published_raw",
        "date_source",
        "modified_at",
        "modified_raw",
        "author",
        "body",
        "image",
        "article_tags",
    }
)
_INTEGER_COLUMNS = {"schema_version", "position", "seq"}
_NOT_NULL = {"id", "schema_version", "url", "title", "site", "tags", "content_hash", "first_seen"}

# (version, statements). Append new versions; never edit an applied one.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            "CREATE TABLE items ("
            + ", ".join(
                f"{name} {'BIGINT' if name in _INTEGER_COLUMNS else 'TEXT'}"
                + (" PRIMARY KEY" if name == "id" else " NOT NULL" if name in _NOT_NULL | {"last_seen", "seq"} else "")
                for name in ROW_COLUMNS
            )
            + ")",
            "CREATE INDEX items_site_title ON items (site, title_key)",
            "CREATE INDEX items_seq ON items (seq)",
        ),
    ),
)


class StoredMatch(NamedTuple):
    """What dedup needs to know of a stored row."""

    id: str
    url: str
    published_at: str | None
    crawled_at: str | None
    last_seen: str


class StoreError(Exception):
    """A database failure the caller may retry; the message never carries credentials."""


def content_hash(row: Mapping[str, Any]) -> str:
    """Hash of what a reader sees; unchanged content keeps a row's cursor position."""
    payload = json.dumps([row.get(f) for f in _CONTENT_FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


class Dialect(Protocol):
    """What differs between backends: connecting, placeholders, JSON tag merging, locking."""

    name: str
    placeholder: str

    def connect(self) -> Any: ...
    def lock_for_seq(self, cur: Any) -> None: ...
    def tag_absent(self, tags_sql: str, tag_sql: str) -> str: ...
    def tag_appended(self, tags_sql: str, tag_sql: str) -> str: ...
    def errors(self) -> tuple[type[BaseException], ...]: ...


class SQLiteDialect:
    name = "sqlite"
    placeholder = "?"

    def __init__(self, path: Path, busy_timeout: float | None) -> None:
        self.path = path
        self.busy_timeout = busy_timeout

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit, one per batch. Without a busy
        # timeout (a throw-away store in a test), sqlite3's own applies.
        timeout = {} if self.busy_timeout is None else {"timeout": self.busy_timeout}
        conn = sqlite3.connect(self.path, isolation_level=None, **timeout)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def lock_for_seq(self, cur: Any) -> None:
        pass  # BEGIN IMMEDIATE already holds SQLite's single write lock

    def tag_absent(self, tags_sql: str, tag_sql: str) -> str:
        return f"NOT EXISTS (SELECT 1 FROM json_each({tags_sql}) WHERE value = {tag_sql})"

    def tag_appended(self, tags_sql: str, tag_sql: str) -> str:
        return f"json_insert({tags_sql}, '$[#]', {tag_sql})"

    def errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.Error,)


class PostgresDialect:
    name = "postgresql"
    placeholder = "%s"

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema

    def connect(self) -> Any:
        import psycopg

        options = f"-c search_path={self.schema}" if self.schema else None
        try:
            return psycopg.connect(self.url, connect_timeout=5, options=options)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {redact(self.url)}: {type(exc).__name__}") from None

    def lock_for_seq(self, cur: Any) -> None:
        # Serialize writers so seq numbers commit in order and cursors never skip a batch.
        cur.execute("SELECT pg_advisory_xact_lock(71414)")

    def tag_absent(self, tags_sql: str, tag_sql: str) -> str:
        return f"NOT (({tags_sql})::jsonb ? {tag_sql})"

    def tag_appended(self, tags_sql: str, tag_sql: str) -> str:
        return f"((({tags_sql})::jsonb || to_jsonb({tag_sql}::text))::text)"

    def errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error, StoreError)


def dialect_for(database_url: str, schema: str | None = None, busy_timeout: float | None = None) -> Dialect:
    """The backend a ``DATABASE_URL`` names; a clear error for anything else.

    ``schema`` is PostgreSQL's search path; ``busy_timeout`` is how long SQLite waits for a lock.
    A running crawl builds its store with :func:`store_from_settings` instead.
    """
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite" and parts.path.startswith("/") and len(parts.path) > 1:
        return SQLiteDialect(Path(parts.path[1:]), busy_timeout)
    if parts.scheme in ("postgresql", "postgres"):
        return PostgresDialect(database_url, schema)
    raise ValueError(
        "DATABASE_URL must be sqlite:///relative/path.sqlite3, sqlite:////absolute/path "
        f"or postgresql://user@host:port/db, not {redact(database_url)!r}"
    )


class StoreSettings(Protocol):
    """The part of Scrapy's settings a store is built from (read, never defaulted, here)."""

    def get(self, name: str) -> Any: ...
    def getfloat(self, name: str) -> float: ...


def store_from_settings(settings: StoreSettings) -> Store:
    """The (unopened) store ``DATABASE_URL``, ``DATABASE_SCHEMA`` and ``AKHBAR_SQLITE_BUSY_TIMEOUT`` name."""
    return Store(
        dialect_for(
            settings.get("DATABASE_URL"),
            schema=settings.get("DATABASE_SCHEMA") or None,
            busy_timeout=settings.getfloat("AKHBAR_SQLITE_BUSY_TIMEOUT"),
        )
    )


def to_row(item: Mapping[str, Any], seen_at: str) -> dict[str, Any]:
    """A stored row: the item plus its title key, content hash, tag list and sighting times.

    The URL key needs no column: the id is its hash.
    """
    row = dict(item)
    row["tags"] = json.dumps([item["tag"]] if item.get("tag") else [], ensure_ascii=False)
    if item.get("article_tags") is not None:
        row["article_tags"] = json.dumps(item["article_tags"], ensure_ascii=False)
    row["title_key"] = title_key(item.get("title"))
    row["content_hash"] = content_hash(item)
    row["first_seen"] = row["last_seen"] = seen_at
    return row


def _merge(field: str) -> str:
    # A listing-only copy (its article page failed this time) must not replace what an
    # earlier run read from the article itself; otherwise newer non-null values win.
    if field in _ARTICLE_PAGE_FIELDS:
        newer = f"COALESCE(excluded.{field}, items.{field})"
        return f"CASE WHEN excluded.body IS NULL AND items.body IS NOT NULL THEN items.{field} ELSE {newer} END"
    return f"COALESCE(excluded.{field}, items.{field})"


class Store:
    """One connection to the item store, with the operations akhbar needs."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.conn: Any = None
        p = dialect.placeholder
        tag_new = dialect.tag_absent("items.tags", "excluded.tag")
        changed = f"(items.content_hash <> excluded.content_hash OR (excluded.tag IS NOT NULL AND {tag_new}))"
        self._upsert = (
            f"INSERT INTO items ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join(p for _ in ROW_COLUMNS)}) "
            "ON CONFLICT (id) DO UPDATE SET "
            + ", ".join(f"{f} = {_merge(f)}" for f in _UPDATED_FIELDS)
            + ", content_hash = excluded.content_hash, last_seen = excluded.last_seen"
            + f", seq = CASE WHEN {changed} THEN excluded.seq ELSE items.seq END"
            + f", tags = CASE WHEN excluded.tag IS NOT NULL AND {tag_new} "
            f"THEN {dialect.tag_appended('items.tags', 'excluded.tag')} ELSE items.tags END"
        )
        self._touch = f"UPDATE items SET last_seen = {p} WHERE id = {p}"
        self._add_tag = (
            f"UPDATE items SET tags = {dialect.tag_appended('tags', p)}, seq = {p} "
            f"WHERE id = {p} AND {dialect.tag_absent('tags', p)}"
        )

    def open(self) -> Store:
        """Connect and apply pending migrations; raises ``StoreError`` when the database is unreachable."""
        try:
            self.conn = self.dialect.connect()
            self._migrate()
        except self.dialect.errors() as exc:
            self.close()
            raise StoreError(f"{self.dialect.name}: {exc}") from None
        return self

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None

    def _migrate(self) -> None:
        cur = self.conn.cursor()
        self._begin(cur)
        self.dialect.lock_for_seq(cur)  # two crawls starting together must not both migrate
        cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT)")
        done = {row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()}
        for version, statements in MIGRATIONS:
            if version in done:
                continue
            for statement in statements:
                cur.execute(statement)
            cur.execute(
                f"INSERT INTO schema_migrations (version, applied_at) VALUES ({self.dialect.placeholder}, "
                "CURRENT_TIMESTAMP)",
                (version,),
            )
        self._commit(cur)

    def _begin(self, cur: Any) -> None:
        if self.dialect.name == "sqlite":
            cur.execute("BEGIN IMMEDIATE")  # take the write lock now, not halfway through

    def _commit(self, cur: Any) -> None:
        if self.dialect.name == "sqlite":
            cur.execute("COMMIT")
        else:
            self.conn.commit()

    def _rollback(self) -> None:
        if self.conn is None:
            return
        try:
            if self.dialect.name == "sqlite":
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            else:
                self.conn.rollback()
        except self.dialect.errors():
            pass

    def write_batch(
        self, rows: Sequence[Mapping[str, Any]], touches: Sequence[tuple[str, str | None]] = (), seen_at: str = ""
    ) -> int:
        """Upsert ``rows``, then mark ``(id, tag)`` touches seen again at ``seen_at`` (adding the tag
        when the row lacks it), all in one transaction; returns the rows upserted."""
        try:
            cur = self.conn.cursor()
            self._begin(cur)
            self.dialect.lock_for_seq(cur)
            seq = cur.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM items").fetchone()[0]
            params = [tuple(row.get(c) if c != "seq" else seq for c in ROW_COLUMNS) for row in rows]
            if params:
                cur.executemany(self._upsert, params)
            if touches:
                cur.executemany(self._touch, [(seen_at, item_id) for item_id, _tag in touches])
                tagged = [(tag, seq, item_id, tag) for item_id, tag in touches if tag]
                if tagged:
                    cur.executemany(self._add_tag, tagged)
            self._commit(cur)
        except self.dialect.errors() as exc:
            self._rollback()
            raise StoreError(f"{self.dialect.name}: {exc}") from None
        return len(params)

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the store already holds."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join(self.dialect.placeholder for _ in chunk)
            found.update(row[0] for row in self.conn.execute(f"SELECT id FROM items WHERE id IN ({marks})", chunk))
        self._end_read()
        return found

    def matches(self, item_id: str, site: str, title_key: str | None) -> list[StoredMatch]:
        """The row with ``item_id`` and the rows of ``site`` with that title key: one round trip
        answers both dedup questions."""
        p = self.dialect.placeholder
        rows = self.conn.execute(
            f"SELECT id, url, published_at, crawled_at, last_seen FROM items "
            f"WHERE id = {p} OR (site = {p} AND title_key = {p})",
            (item_id, site, title_key),
        ).fetchall()
        self._end_read()
        return [StoredMatch(*row) for row in rows]

    def _end_read(self) -> None:
        # psycopg opens a transaction even for reads; end it so writers are never blocked.
        if self.dialect.name != "sqlite":
            self.conn.commit()

    def count(self) -> int:
        total = self.conn.execute("SELECT count(*) FROM items").fetchone()[0]
        self._end_read()
        return int(total)

    def rows_since(
        self, cursor: int, site: str | None = None, tag: str | None = None, limit: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Rows added or changed after ``cursor``, oldest first, in pages of ``limit``."""
        p = self.dialect.placeholder
        where, params = [f"seq > {p}"], [cursor]
        if site:
            where.append(f"site = {p}")
            params.append(site)
        if tag:
            where.append(f"NOT {self.dialect.tag_absent('tags', p)}")
            params.append(tag)
        after: tuple[int, str] | None = None
        while True:
            if after is None:
                page_where, page_params = where, params
            else:
                page_where = [*where[1:], f"(seq > {p} OR (seq = {p} AND id > {p}))"]
                page_params = [*params[1:], after[0], after[0], after[1]]
            sql = (
                f"SELECT {', '.join(ROW_COLUMNS)} FROM items WHERE {' AND '.join(page_where)} "
                f"ORDER BY seq, id LIMIT {int(limit)}"
            )
            rows = self.conn.execute(sql, page_params).fetchall()
            self._end_read()
            for row in rows:
                record = dict(zip(ROW_COLUMNS, row, strict=True))
                for name in JSON_COLUMNS:
                    record[name] = json.loads(record[name]) if record[name] is not None else None
                yield record
            if len(rows) < limit:
                return
            after = (rows[-1][ROW_COLUMNS.index("seq")], rows[-1][ROW_COLUMNS.index("id")])
