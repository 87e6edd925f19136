"""A feed as consumers load it: pandas and DuckDB read a multi-site feed's dates without help.

The feed is every fixture site's golden output (each is checked against a replayed
crawl in test_fixture_sites.py): several sites, offsets +00:00 to +04:00, days
without times, and null instants side by side.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.support import fixture_site_dirs, read_jsonl


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> tuple[Path, list[dict]]:
    path = tmp_path_factory.mktemp("consumer") / "multi-site.jsonl"
    lines = [(site / "expected.jsonl").read_text(encoding="utf-8") for site in fixture_site_dirs()]
    path.write_text("".join(lines), encoding="utf-8")
    items = read_jsonl(path)
    assert len({item["site"] for item in items}) >= 5
    offsets = {item["published_at"][19:] for item in items if item["published_at"]}
    assert len(offsets) >= 3, offsets  # the mix that broke version 1 loaders
    assert any(item["published_at"] is None and item["published_date"] for item in items)
    return path, items


def test_pandas_reads_an_instant_column_and_a_day_column(feed):
    path, items = feed
    df = pd.read_json(path, lines=True, dtype={"published_date": str})
    published = pd.to_datetime(df["published_at"], format="ISO8601", utc=True)
    assert str(published.dtype).startswith("datetime64") and str(published.dt.tz) == "UTC"
    want = [datetime.fromisoformat(i["published_at"]) if i["published_at"] else None for i in items]
    assert [None if pd.isna(v) else v.to_pydatetime() for v in published] == want
    days = pd.to_datetime(df["published_date"], format="%Y-%m-%d")
    assert [None if pd.isna(v) else v.date() for v in days] == [
        date.fromisoformat(i["published_date"]) if i["published_date"] else None for i in items
    ]
    crawled = pd.to_datetime(df["crawled_at"], format="ISO8601", utc=True)
    assert crawled.notna().all()


def test_duckdb_types_the_columns_on_its_own(feed):
    path, items = feed
    relation = duckdb.sql(f"SELECT * FROM read_json_auto('{path}')")
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["published_date"] == "DATE"
    assert types["crawled_at"] == "TIMESTAMP WITH TIME ZONE"
    got = {
        row[0]: row[1:]
        for row in duckdb.sql(
            f"SELECT id, epoch(published_at), published_date FROM read_json_auto('{path}')"
        ).fetchall()
    }
    want = {
        i["id"]: (
            datetime.fromisoformat(i["published_at"]).timestamp() if i["published_at"] else None,
            date.fromisoformat(i["published_date"]) if i["published_date"] else None,
        )
        for i in items
    }
    assert got == want
