"""Real database faults: a locked SQLite file, a PostgreSQL that refuses or drops connections."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from crawler.items import new_item
from crawler.run_status import run_failures
from crawler.store import Store, StoreError, dialect_for
from crawler.store_extension import StoreExtension
from tests.support import FIXTURES, make_crawler, run_crawl

SEED = {"url": json.loads((FIXTURES / "www.seed-news.example" / "crawl.json").read_text())["url"], "max_pages": "1"}

ITEMS = [
    new_item(id=f"{i:040x}", url=f"https://n.example/{i}/", title=f"خبر {i}", site="n.example", tag="t")
    for i in range(3)
]


def service_for(settings: dict):
    crawler = make_crawler(settings, url="https://n.example/tag/t/")
    service = crawler.get_extension(StoreExtension)
    service.open()
    return crawler, service


def test_locked_sqlite_mid_run_goes_to_dead_letter_and_fails_the_run(tmp_path, caplog):
    db = tmp_path / "store.sqlite3"
    settings = {
        "DATABASE_URL": f"sqlite:///{db}",
        "AKHBAR_DB_RETRIES": 2,
        "AKHBAR_DB_RETRY_DELAY": 0.01,
        "AKHBAR_SQLITE_BUSY_TIMEOUT": 0.05,
        "AKHBAR_DEADLETTER_DIR": str(tmp_path / "dead"),
    }
    crawler, service = service_for(settings)
    service.add(ITEMS[0])
    service.flush()  # the first batch lands
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the database
    try:
        for item in ITEMS[1:]:
            service.add(item)
        service.flush()
    finally:
        locker.execute("ROLLBACK")
    stats = crawler.stats.get_stats()
    assert stats["akhbar/storage/retries"] == 3
    assert stats["akhbar/storage/deadletter"] == 2
    assert stats["akhbar/run/failed/storage"] == 1
    [dead] = (tmp_path / "dead").glob("*.jsonl")
    rows = [json.loads(line) for line in dead.read_text(encoding="utf-8").splitlines()]
    assert [r["row"]["id"] for r in rows] == [ITEMS[1]["id"], ITEMS[2]["id"]]
    assert "2 items written to" in caplog.text
    service.close()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM items").fetchone()[0] == 1


def test_crawl_exits_non_zero_when_the_database_is_locked_at_start(tmp_path):
    db = tmp_path / "out.sqlite3"  # the database run_crawl gives the crawl
    Store(dialect_for(f"sqlite:///{db}")).open().close()
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        result = run_crawl(
            {"url": "https://www.seed-news.example/tag/x/"},
            tmp_path / "out.jsonl",
            "REPLAY_MODE=replay",
            "AKHBAR_SQLITE_BUSY_TIMEOUT=0.1",
        )
    finally:
        locker.execute("ROLLBACK")
    assert result.returncode == 1
    assert "unavailable, nothing will be crawled: sqlite: database is locked" in result.stderr
    assert "akhbar: crawl failed: database_unavailable" in result.stderr


def test_crawl_exits_non_zero_and_never_logs_the_password_when_postgres_refuses(tmp_path):
    url = "postgresql://akhbar:s3cret-pass@127.0.0.1:1/test"  # nothing listens on port 1
    result = run_crawl(SEED, tmp_path / "o.jsonl", "REPLAY_MODE=replay")
    assert result.returncode == 0  # baseline: the same crawl on SQLite succeeds
    refused = run_crawl(
        SEED,
        tmp_path / "o.jsonl",
        "REPLAY_MODE=replay",
        f"DATABASE_URL={url}",
    )
    output = refused.stdout + refused.stderr
    assert refused.returncode == 1
    assert "s3cret-pass" not in output
    assert "postgresql://akhbar:***@127.0.0.1:1/test unavailable" in output
    assert "akhbar: crawl failed: database_unavailable" in output


def test_postgres_connection_killed_mid_run_is_retried_on_a_new_connection(pg_schema, tmp_path):
    import psycopg

    url, schema = pg_schema
    crawler, service = service_for(
        {
            "DATABASE_URL": url,
            "DATABASE_SCHEMA": schema,
            "AKHBAR_DB_RETRY_DELAY": 0.01,
            "AKHBAR_DEADLETTER_DIR": str(tmp_path / "dead"),
        }
    )
    service.add(ITEMS[0])
    service.flush()
    pid = service.store.conn.info.backend_pid
    with psycopg.connect(url, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    for item in ITEMS[1:]:
        service.add(item)
    service.flush()
    stats = crawler.stats.get_stats()
    assert stats["akhbar/storage/retries"] == 1
    assert stats["akhbar/storage/rows"] == 3
    assert "akhbar/storage/deadletter" not in stats
    assert service.store.count() == 3
    service.close()
    assert not (tmp_path / "dead").exists()


@pytest.mark.parametrize("secret", ["s3cret-pass"])
def test_store_errors_never_carry_the_password(secret):
    with pytest.raises(StoreError) as info:
        Store(dialect_for(f"postgresql://akhbar:{secret}@127.0.0.1:1/test")).open()
    assert secret not in str(info.value)
    assert "***" in str(info.value)


def test_an_old_batch_is_written_without_waiting_for_a_full_one(tmp_path):
    crawler, service = service_for(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}", "AKHBAR_DB_BATCH_SECONDS": 0.3}
    )
    service.flush()  # an empty flush restarts the batch clock: opening may take longer than 0.05 s
    service.add(ITEMS[0])
    service.flush_if_due()  # too young: stays buffered
    assert service.store.count() == 0 and crawler.stats.get_value("akhbar/storage/batches") is None
    time.sleep(0.35)
    service.flush_if_due()
    assert service.store.count() == 1
    assert crawler.stats.get_value("akhbar/storage/batches") == 1
    service.close()


@pytest.mark.parametrize(
    ("stats", "failures"),
    [
        ({"finish_reason": "finished"}, []),
        ({"finish_reason": "finished", "akhbar/run/failed/storage": 1}, ["storage"]),
        ({"finish_reason": "shutdown"}, ["finish_reason=shutdown"]),
    ],
)
def test_what_makes_scrapy_crawl_exit_non_zero(stats, failures):
    assert run_failures(stats) == failures
