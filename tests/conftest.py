"""Shared pytest fixtures: real crawls, and the backends the store runs on."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from crawler.store import Store, dialect_for
from tests.support import RedisServer, engine_crawl, load_schema, postgres_url, read_jsonl, service_missing

# Property tests: under CI, the same examples every run (derandomize) and no example database, so
# what a CI run decides depends on the code alone, never on a .hypothesis/ folder left by an
# earlier run or on luck; no deadline, since a shared machine's timing is noise. Locally, random
# exploration goes on and .hypothesis/ (git-ignored) replays a failure until it is fixed.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture
def crawl(tmp_path: Path):
    """Crawl in this process (``engine_crawl``) into ``tmp_path/out.jsonl``: ``(items, stats)``."""

    def _crawl(args: dict[str, str], **settings: object) -> tuple[list[dict], dict[str, object]]:
        crawler = engine_crawl(args, tmp_path / "out.jsonl", settings)
        return read_jsonl(tmp_path / "out.jsonl"), crawler.stats.get_stats()

    return _crawl


@pytest.fixture(scope="session")
def item_schema() -> dict:
    return load_schema("item")


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    """``(url, schema)``: a fresh PostgreSQL schema of the test server, dropped afterwards."""
    import psycopg

    url = postgres_url()
    try:
        admin = psycopg.connect(url, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        service_missing("PostgreSQL at AKHBAR_TEST_POSTGRES_URL", str(exc).splitlines()[0])
    schema = f"akhbar_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url, schema
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path: Path) -> Iterator[Store]:
    """An opened, migrated store on each backend."""
    if request.param == "sqlite":
        opened = Store(dialect_for(f"sqlite:///{tmp_path / 'store.sqlite3'}")).open()
    else:
        url, schema = request.getfixturevalue("pg_schema")
        opened = Store(dialect_for(url, schema=schema)).open()
    yield opened
    opened.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private ``redis-server`` (the binary from the machine), stopped afterwards."""
    server = RedisServer(tmp_path / "redis")
    if server.binary is None:
        service_missing("redis-server binary", "not on PATH; apt-get install redis-server")
    yield server.start()
    server.stop()
