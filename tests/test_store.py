"""The store on both backends: one schema, upserts, tags, cursors, dedup lookups."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from crawler.items import FIELD_NAMES, new_item
from crawler.redaction import redact
from crawler.store import MIGRATIONS, ROW_COLUMNS, Store, StoredMatch, dialect_for, to_row

ITEM = {
    **new_item(),
    "id": "a" * 40,
    "url": "https://news.example/2021/06/story/",
    "title": "قمة جنيف",
    "excerpt": "ملخص",
    "published_date": "2021-06-16",
    "published_precision": "day",
    "site": "news.example",
    "tag": "قمة",
    "crawled_at": "2021-06-17T09:00:00+00:00",
}


def row(seen: str = "2021-06-17T09:00:00+00:00", **changes) -> dict:
    return to_row({**ITEM, **changes}, seen)


def stored(store: Store, item_id: str = ITEM["id"]) -> dict:
    return next(r for r in store.rows_since(0) if r["id"] == item_id)


def test_migrations_create_one_schema_and_are_idempotent(store: Store):
    store._migrate()  # applying again changes nothing
    cur = store.conn.execute("SELECT * FROM items LIMIT 0")
    assert sorted(d[0] for d in cur.description) == sorted(ROW_COLUMNS)
    applied = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert applied == [m.version for m in MIGRATIONS]


def test_upsert_keeps_first_seen_and_merges_tags(store: Store):
    store.write_batch([row()])
    store.write_batch([row("2021-06-18T09:00:00+00:00", tag="جنيف", excerpt="ملخص أطول")])
    assert stored(store)["excerpt"] == "ملخص أطول"  # newer content wins
    store.write_batch([row("2021-06-19T09:00:00+00:00", tag="قمة", excerpt=None)])
    got = stored(store)
    assert got["tags"] == ["قمة", "جنيف"]
    assert got["first_seen"] == "2021-06-17T09:00:00+00:00"
    assert got["last_seen"] == "2021-06-19T09:00:00+00:00"
    assert got["excerpt"] == "ملخص أطول"  # a missing value never erases a known one
    assert store.count() == 1


def test_listing_only_copy_does_not_overwrite_article_fields(store: Store):
    exact = {"published_at": "2021-06-16T10:15:00+03:00", "published_precision": "minute"}
    store.write_batch([row(**exact, body="نص المقال", author="سارة")])
    store.write_batch([row(body=None, author=None)])
    got = stored(store)
    # The same instant on both backends (PostgreSQL gives it in UTC).
    assert datetime.fromisoformat(got["published_at"]) == datetime.fromisoformat(exact["published_at"])
    assert (got["published_precision"], got["body"], got["author"]) == ("minute", "نص المقال", "سارة")


def test_cursor_moves_only_for_new_or_changed_rows(store: Store):
    store.write_batch([row(), row(id="b" * 40, url="https://news.example/b/", title="ب")])
    first = [r["id"] for r in store.rows_since(0)]
    cursor = max(r["seq"] for r in store.rows_since(0))
    assert sorted(first) == ["a" * 40, "b" * 40]

    store.write_batch([row("2021-06-18T00:00:00+00:00")])  # seen again, nothing changed
    assert list(store.rows_since(cursor)) == []
    store.write_batch([row(title="قمة جنيف: تحديث")])
    assert [r["title"] for r in store.rows_since(cursor)] == ["قمة جنيف: تحديث"]
    store.write_batch([], touches=[("b" * 40, "وسم جديد")], seen_at="2021-06-20T00:00:00+00:00")
    changed = {r["id"]: r for r in store.rows_since(cursor)}
    assert changed["b" * 40]["tags"] == ["قمة", "وسم جديد"]
    assert changed["b" * 40]["last_seen"] == "2021-06-20T00:00:00+00:00"


def test_rows_since_pages_through_everything_once(store: Store):
    rows = [row(id=f"{i:040x}", url=f"https://news.example/{i}/", title=f"خبر {i}") for i in range(25)]
    store.write_batch(rows[:10])
    store.write_batch(rows[10:])
    got = [r["id"] for r in store.rows_since(0, limit=4)]
    assert got == sorted(got[:10]) + sorted(got[10:])
    assert sorted(got) == sorted(r["id"] for r in rows)


def test_rows_since_filters_by_site_and_tag(store: Store):
    store.write_batch([row(), row(id="c" * 40, url="https://other.example/c/", site="other.example", tag="اقتصاد")])
    assert [r["site"] for r in store.rows_since(0, site="other.example")] == ["other.example"]
    assert [r["id"] for r in store.rows_since(0, tag="قمة")] == ["a" * 40]


def test_dedup_lookups(store: Store):
    store.write_batch([row()])
    assert store.known_ids(["a" * 40, "z" * 40]) == {"a" * 40}
    key = row()["title_key"]
    found = StoredMatch("a" * 40, ITEM["url"], "2021-06-16", ITEM["crawled_at"], "2021-06-17T09:00:00+00:00")
    assert store.matches("z" * 40, "news.example", key) == [found]  # by title
    assert store.matches("a" * 40, "other.example", "x") == [found]  # by id
    assert store.matches("z" * 40, "other.example", key) == []


def test_row_carries_every_item_field_and_json_tags():
    built = row()
    assert set(FIELD_NAMES) <= set(built)
    assert json.loads(built["tags"]) == ["قمة"]
    assert built["title_key"] == "قمه جنيف"


def test_database_url_errors_are_clear_and_redacted():
    with pytest.raises(ValueError, match="DATABASE_URL must be") as info:
        dialect_for("mysql://root:hunter2@db/x")
    assert "hunter2" not in str(info.value)
    assert redact("postgresql://akhbar:s3cret@db.internal:5432/news") == "postgresql://akhbar:***@db.internal:5432/news"
    assert redact("postgresql://postgres@127.0.0.1/test") == "postgresql://postgres@127.0.0.1/test"


V1_ROWS = [
    # (published_at as version 1 stored it, published_raw): a day, a naive time, an instant.
    ("1" * 40, "2021-06-16", "16 يونيو 2021"),
    ("2" * 40, "2021-06-16T10:15:00", "16/06/2021 10:15"),
    ("3" * 40, "2021-06-16T23:15:00+03:00", "2021-06-16T23:15:00+03:00"),
]


def version_1_store(dialect) -> None:
    """A database exactly as version 1 of the schema left it, with three rows."""
    conn = dialect.connect()
    v1_columns = (
        *("schema_version", "id", "url", "title", "published_at", "published_raw", "site", "tags"),
        *("content_hash", "first_seen", "last_seen", "seq", "crawled_at"),
    )
    p = dialect.placeholder
    statements = (
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT)",
        *MIGRATIONS[0].statements,
        "INSERT INTO schema_migrations VALUES (1, '2026-11-01')",
    )
    for statement in statements:
        conn.execute(statement)
    for n, (item_id, published_at, raw) in enumerate(V1_ROWS, 1):
        conn.execute(
            f"INSERT INTO items ({', '.join(v1_columns)}) VALUES ({', '.join(p for _ in v1_columns)})",
            (
                *(1, item_id, f"https://news.example/{n}/", "خبر", published_at, raw, "news.example", '["قمة"]'),
                *("0" * 40, "2026-11-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00", n, "2021-06-17T09:00:00+00:00"),
            ),
        )
    conn.commit()
    conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def dialect(request, tmp_path):
    if request.param == "sqlite":
        return dialect_for(f"sqlite:///{tmp_path / 'v1.sqlite3'}")
    url, schema = request.getfixturevalue("pg_schema")
    return dialect_for(url, schema=schema)


def test_stored_version_1_rows_move_to_version_2_on_start(dialect):
    version_1_store(dialect)
    store = Store(dialect).open()
    try:
        rows = {r["id"]: r for r in store.rows_since(3)}  # every migrated row is after the old cursor
        assert sorted(rows) == [r[0] for r in V1_ROWS]
        day, naive, exact = (rows[r[0]] for r in V1_ROWS)
        assert (day["published_at"], day["published_date"], day["published_precision"]) == (None, "2021-06-16", "day")
        assert (naive["published_at"], naive["published_date"], naive["published_precision"]) == (
            None,
            "2021-06-16",
            "day",
        )
        assert naive["published_raw"] == "16/06/2021 10:15"
        assert datetime.fromisoformat(exact["published_at"]) == datetime.fromisoformat("2021-06-16T23:15:00+03:00")
        assert (exact["published_date"], exact["published_precision"]) == ("2021-06-16", "second")
        assert {r["schema_version"] for r in rows.values()} == {2}
        assert len({r["seq"] for r in rows.values()}) == 1
        assert all(r["content_hash"] != "0" * 40 for r in rows.values())
    finally:
        store.close()


POSTGRES_TYPES = {
    "published_at": "timestamp with time zone",
    "modified_at": "timestamp with time zone",
    "crawled_at": "timestamp with time zone",
    "first_seen": "timestamp with time zone",
    "last_seen": "timestamp with time zone",
    "published_date": "date",
    "modified_date": "date",
    "tags": "jsonb",
    "article_tags": "jsonb",
    "schema_version": "integer",
    "position": "integer",
    "seq": "bigint",
    "title": "text",
    "published_precision": "text",
}


def test_column_types_read_back(store: Store):
    if store.dialect.name == "postgresql":
        got = dict(
            store.conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'items' AND table_schema = current_schema()"
            ).fetchall()
        )
        assert {name: got[name] for name in POSTGRES_TYPES} == POSTGRES_TYPES
    else:  # SQLite keeps ISO 8601 text and JSON text (README, "Database")
        got = {r[1]: r[2] for r in store.conn.execute("PRAGMA table_info(items)")}
        assert {got[c] for c in ("published_at", "published_date", "first_seen", "tags")} == {"TEXT"}
        assert {got[c] for c in ("seq", "position")} == {"BIGINT"}
