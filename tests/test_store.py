"""The store on both backends: one schema, upserts, tags, cursors, dedup lookups."""

from __future__ import annotations

import json

import pytest

from crawler.items import FIELD_NAMES, new_item
from crawler.redaction import redact
from crawler.store import ROW_COLUMNS, Store, StoredMatch, dialect_for, to_row

ITEM = {
    **new_item(),
    "id": "a" * 40,
    "url": "https://news.example/2021/06/story/",
    "title": "قمة جنيف",
    "excerpt": "ملخص",
    "published_at": "2021-06-16",
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
    assert tuple(d[0] for d in cur.description) == ROW_COLUMNS
    assert [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations")] == [1]


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
    store.write_batch([row(published_at="2021-06-16T10:15:00+03:00", body="نص المقال", author="سارة")])
    store.write_batch([row(published_at="2021-06-16", body=None, author=None)])
    got = stored(store)
    assert (got["published_at"], got["body"], got["author"]) == ("2021-06-16T10:15:00+03:00", "نص المقال", "سارة")


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
    found = StoredMatch("a" * 40, ITEM["url"], ITEM["published_at"], ITEM["crawled_at"], "2021-06-17T09:00:00+00:00")
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
