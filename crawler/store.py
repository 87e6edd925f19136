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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit

from crawler.dates.fields import date_fields
from crawler.items import FIELD_NAMES, SCHEMA_VERSION
from crawler.redaction import redact
from crawler.text import title_key

# Item fields plus what the store keeps about each row.
STORE_COLUMNS = ("tags", "title_key", "content_hash", "first_seen", "last_seen", "seq")
ROW_COLUMNS = FIELD_NAMES + STORE_COLUMNS
# What `scrapy export` and GET /api/items give (crawler/export.schema.json): the title key is the store's own.
EXPORT_COLUMNS = tuple(c for c in ROW_COLUMNS if c != "title_key")
_CONTENT_FIELDS = (
    *("url", "title", "excerpt", "published_at", "published_date", "published_raw"),
    *("modified_at", "modified_date", "author", "body", "image"),
)
# JSON arrays: jsonb on PostgreSQL, JSON text on SQLite.
JSON_COLUMNS = ("tags", "article_tags")
# Instants and days: timestamptz and date on PostgreSQL, ISO 8601 text on SQLite (which has no such types).
INSTANT_COLUMNS = ("published_at", "modified_at", "crawled_at", "first_seen", "last_seen")
DAY_COLUMNS = ("published_date", "modified_date")
_UPDATED_FIELDS = tuple(f for f in FIELD_NAMES if f not in ("id", "listing_url", "position", "crawled_at", "tag"))
_DATE_FIELDS = ("at", "date", "precision")
# Fields an article page gives and a listing-only copy must not erase (see _merge).
_ARTICLE_PAGE_FIELDS = frozenset(
    {
        *(f"published_{f}" for f in _DATE_FIELDS),
        "published_raw",
        "date_source",
        *(f"modified_{f}" for f in _DATE_FIELDS),
        "modified_raw",
        "author",
        "body",
        "image",
        "article_tags",
    }
)
_V1_COLUMNS = (
    *("schema_version", "id", "url", "title", "excerpt", "published_at", "published_raw", "date_source"),
    *("modified_at", "modified_raw", "author", "body", "image", "article_tags", "tag", "site", "listing_url"),
    *("position", "crawled_at", "tags", "title_key", "content_hash", "first_seen", "last_seen", "seq"),
)
_V1_INTEGERS = {"schema_version", "position", "seq"}
_V1_NOT_NULL = {"id", "schema_version", "url", "title", "site", "tags", "content_hash"}
_V1_NOT_NULL |= {"first_seen", "last_seen", "seq"}


def _migrate_dates_to_v2(cur: Any, placeholder: str) -> None:
    """Schema version 2 for stored rows: ``published_at``/``modified_at`` become instants or null,
    their day and precision are filled, and every row changed gets one new ``seq`` so a consumer
    following the cursor receives it again as version 2.

    The site's zone is not stored, so the day is taken at the offset the row carries: the
    site's own when the crawl knew its zone."""
    p = placeholder
    seq = cur.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM items").fetchone()[0]
    names = ("id", "published_at", "published_raw", "modified_at", "modified_raw", *_CONTENT_FIELDS)
    rows = cur.execute(f"SELECT {', '.join(dict.fromkeys(names))} FROM items").fetchall()
    updates = []
    for values in rows:
        row = dict(zip(dict.fromkeys(names), values, strict=True))
        for prefix in ("published", "modified"):
            fields = date_fields(row[f"{prefix}_at"], row[f"{prefix}_raw"])
            row.update(zip((f"{prefix}_{f}" for f in _DATE_FIELDS), fields[:3], strict=True))
        updates.append(
            (
                *(row[f"{prefix}_{f}"] for prefix in ("published", "modified") for f in _DATE_FIELDS),
                content_hash(row),
                seq,
                row["id"],
            )
        )
    assigned = ", ".join(f"{prefix}_{f} = {p}" for prefix in ("published", "modified") for f in _DATE_FIELDS)
    cur.executemany(
        f"UPDATE items SET {assigned}, content_hash = {p}, seq = {p}, schema_version = {SCHEMA_VERSION} WHERE id = {p}",
        updates,
    )


class Migration(NamedTuple):
    """One schema version: SQL for both backends, SQL for one backend only, then a Python step."""

    version: int
    statements: tuple[str, ...] = ()
    postgresql: tuple[str, ...] = ()
    data: Callable[[Any, str], None] | None = None
    sqlite: tuple[str, ...] = ()


def _typed(column: str, sql_type: str) -> str:
    return f"ALTER COLUMN {column} TYPE {sql_type} USING {column}::{sql_type}"


# Append new versions; never edit an applied one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        (
            "CREATE TABLE items ("
            + ", ".join(
                f"{name} {'BIGINT' if name in _V1_INTEGERS else 'TEXT'}"
                + (" PRIMARY KEY" if name == "id" else " NOT NULL" if name in _V1_NOT_NULL else "")
                for name in _V1_COLUMNS
            )
            + ")",
            "CREATE INDEX items_site_title ON items (site, title_key)",
            "CREATE INDEX items_seq ON items (seq)",
        ),
    ),
    # Schema version 2: dates a consumer loads without thinking (crawler/dates/fields.py).
    Migration(
        2,
        tuple(
            f"ALTER TABLE items ADD COLUMN {prefix}_{f} TEXT"
            for prefix in ("published", "modified")
            for f in ("date", "precision")
        ),
        data=_migrate_dates_to_v2,
    ),
    # Typed columns on PostgreSQL; SQLite keeps ISO 8601 text and JSON text, which sort and compare right.
    Migration(
        3,
        postgresql=(
            "ALTER TABLE items "
            + ", ".join(
                [_typed(c, "timestamptz") for c in INSTANT_COLUMNS]
                + [_typed(c, "date") for c in DAY_COLUMNS]
                + [_typed(c, "jsonb") for c in JSON_COLUMNS]
                + [_typed(c, "integer") for c in ("schema_version", "position")]
            ),
        ),
    ),
    # A tag's feed asks "which rows of this site carry this tag": jsonb's ? operator uses a GIN index.
    Migration(4, postgresql=("CREATE INDEX items_tags ON items USING gin (tags)",)),
    # SQLite has no index into JSON: one that holds each site's tags and the feed's sort keys
    # answers a tag's count and newest ids without reading a row (bench/web.py: 110 ms -> 3 ms
    # on 100,000 rows), for about 12% more file.
    Migration(
        5,
        sqlite=(
            "CREATE INDEX items_site_tags ON items "
            "(site, tags, published_date, published_at, first_seen, id, seq, last_seen)",
        ),
    ),
    # Each host's learnt listing template (crawler/extract/template.py): a next run starts from it.
    Migration(6, ("CREATE TABLE templates (host TEXT PRIMARY KEY, template TEXT NOT NULL, learnt_at TEXT NOT NULL)",)),
)


class StoredMatch(NamedTuple):
    """What dedup needs to know of a stored row."""

    id: str
    url: str
    published_date: str | None
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

    def connect(self, read_only: bool = False) -> Any: ...
    def lock_for_seq(self, cur: Any) -> None: ...
    def each_tag(self, tags_sql: str) -> str: ...
    def tag_absent(self, tags_sql: str, tag_sql: str) -> str: ...
    def tag_appended(self, tags_sql: str, tag_sql: str) -> str: ...
    def errors(self) -> tuple[type[BaseException], ...]: ...


class SQLiteDialect:
    name = "sqlite"
    placeholder = "?"

    def __init__(self, path: Path, busy_timeout: float | None) -> None:
        self.path = path
        self.busy_timeout = busy_timeout

    def connect(self, read_only: bool = False) -> sqlite3.Connection:
        # isolation_level=None: transactions are explicit, one per batch. Without a busy
        # timeout (a throw-away store in a test), sqlite3's own applies.
        timeout = {} if self.busy_timeout is None else {"timeout": self.busy_timeout}
        if read_only:  # a reader (scrapy serve) must neither create nor change the file
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, **timeout)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, **timeout)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def lock_for_seq(self, cur: Any) -> None:
        pass  # BEGIN IMMEDIATE already holds SQLite's single write lock

    def each_tag(self, tags_sql: str) -> str:
        return f"json_each({tags_sql}) AS each_tag"

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

    def connect(self, read_only: bool = False) -> Any:
        import psycopg

        # Instants come back in UTC whatever the server's zone; the site's day is in published_date.
        options = "-c TimeZone=UTC" + (f" -c search_path={self.schema}" if self.schema else "")
        if read_only:
            options += " -c default_transaction_read_only=on"
        try:
            return psycopg.connect(self.url, connect_timeout=5, options=options)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {redact(self.url)}: {type(exc).__name__}") from None

    def lock_for_seq(self, cur: Any) -> None:
        # Serialize writers so seq numbers commit in order and cursors never skip a batch.
        cur.execute("SELECT pg_advisory_xact_lock(71414)")

    def each_tag(self, tags_sql: str) -> str:
        return f"jsonb_array_elements_text({tags_sql}) AS each_tag(value)"

    def tag_absent(self, tags_sql: str, tag_sql: str) -> str:
        return f"NOT (({tags_sql})::jsonb ? {tag_sql})"

    def tag_appended(self, tags_sql: str, tag_sql: str) -> str:
        return f"(({tags_sql})::jsonb || to_jsonb({tag_sql}::text))"

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


def iso_text(value: Any) -> Any:
    """A typed PostgreSQL value as the ISO 8601 text SQLite holds, so both backends read alike."""
    return value.isoformat() if isinstance(value, date) else value


def decode_row(record: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON-ready values: ISO 8601 text for instants and days, lists for JSON arrays."""
    for name in (*INSTANT_COLUMNS, *DAY_COLUMNS):
        record[name] = iso_text(record[name])
    for name in JSON_COLUMNS:
        if isinstance(record[name], str):
            record[name] = json.loads(record[name])
    return record


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

    def open_read_only(self) -> Store:
        """Connect without writing anything; a store that is missing or not yet migrated to this
        version is a ``StoreError`` (a crawl or ``scrapy export`` migrates it)."""
        try:
            self.conn = self.dialect.connect(read_only=True)
            applied = {row[0] for row in self.conn.execute("SELECT version FROM schema_migrations").fetchall()}
            self._end_read()
        except self.dialect.errors() as exc:
            self.close()
            raise StoreError(f"{self.dialect.name}: {exc}") from None
        missing = sorted({m.version for m in MIGRATIONS} - applied)
        if missing:
            self.close()
            raise StoreError(f"the store lacks migrations {missing}: open it once with scrapy crawl or scrapy export")
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
        for migration in MIGRATIONS:
            version = migration.version
            if version in done:
                continue
            own = migration.postgresql if self.dialect.name == "postgresql" else migration.sqlite
            for statement in (*migration.statements, *own):
                cur.execute(statement)
            if migration.data is not None:
                migration.data(cur, self.dialect.placeholder)
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
            f"SELECT id, url, published_date, crawled_at, last_seen FROM items "
            f"WHERE id = {p} OR (site = {p} AND title_key = {p})",
            (item_id, site, title_key),
        ).fetchall()
        self._end_read()
        return [
            StoredMatch(id_, url, iso_text(day), iso_text(crawled), iso_text(seen))
            for id_, url, day, crawled, seen in rows
        ]

    def template(self, host: str) -> str | None:
        """The listing template learnt for ``host`` (JSON), if a run learnt one."""
        rows = self.read(f"SELECT template FROM templates WHERE host = {self.dialect.placeholder}", (host,))
        return rows[0][0] if rows else None

    def save_template(self, host: str, template: str, learnt_at: str) -> None:
        """Keep ``host``'s listing template, replacing the one it had."""
        p = self.dialect.placeholder
        try:
            cur = self.conn.cursor()
            self._begin(cur)
            cur.execute(
                f"INSERT INTO templates (host, template, learnt_at) VALUES ({p}, {p}, {p}) "
                "ON CONFLICT (host) DO UPDATE SET template = excluded.template, learnt_at = excluded.learnt_at",
                (host, template, learnt_at),
            )
            self._commit(cur)
        except self.dialect.errors() as exc:
            self._rollback()
            raise StoreError(f"{self.dialect.name}: {exc}") from None

    def _end_read(self) -> None:
        # psycopg opens a transaction even for reads; end it so writers are never blocked.
        if self.dialect.name != "sqlite":
            self.conn.commit()

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read-only query, with the transaction psycopg opened for it ended."""
        rows = self.conn.execute(sql, params).fetchall()
        self._end_read()
        return rows

    def count(self) -> int:
        total = self.conn.execute("SELECT count(*) FROM items").fetchone()[0]
        self._end_read()
        return int(total)

    def rows_since(
        self,
        cursor: int,
        site: str | None = None,
        tag: str | None = None,
        limit: int = 1000,
        after_id: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Export rows added or changed after ``cursor`` (and, within batch ``cursor``, after
        ``after_id``), oldest first, read in pages of ``limit``."""
        p = self.dialect.placeholder
        where, params = [f"seq > {p}"], [cursor]
        if site:
            where.append(f"site = {p}")
            params.append(site)
        if tag:
            where.append(f"NOT {self.dialect.tag_absent('tags', p)}")
            params.append(tag)
        after = (cursor, after_id) if after_id is not None else None
        while True:
            if after is None:
                page_where, page_params = where, params
            else:
                page_where = [*where[1:], f"(seq > {p} OR (seq = {p} AND id > {p}))"]
                page_params = [*params[1:], after[0], after[0], after[1]]
            sql = (
                f"SELECT {', '.join(EXPORT_COLUMNS)} FROM items WHERE {' AND '.join(page_where)} "
                f"ORDER BY seq, id LIMIT {int(limit)}"
            )
            rows = self.conn.execute(sql, page_params).fetchall()
            self._end_read()
            for row in rows:
                yield decode_row(dict(zip(EXPORT_COLUMNS, row, strict=True)))
            if len(rows) < limit:
                return
            after = (rows[-1][EXPORT_COLUMNS.index("seq")], rows[-1][EXPORT_COLUMNS.index("id")])
