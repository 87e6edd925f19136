"""Golden replay: every recorded fixture site, crawled offline, field by field.

Each site's ``expected.jsonl`` is written by hand from the pages (see
fixtures/README.md), not produced by the crawler.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from crawler.items import FIELD_NAMES
from tests.support import FIXTURES, fixture_site_dirs, read_jsonl


@pytest.mark.parametrize("site_dir", fixture_site_dirs(), ids=lambda p: p.name)
def test_replay_matches_expected_output(site_dir: Path, crawl, item_schema, tmp_path):
    args = json.loads((site_dir / "crawl.json").read_text(encoding="utf-8"))
    items, stats = crawl(args, REPLAY_MODE="replay", REPLAY_DIR=str(FIXTURES))
    expected = read_jsonl(site_dir / "expected.jsonl")

    raw_feed = (tmp_path / "out.jsonl").read_bytes()
    assert b"\\u0" not in raw_feed, "feed must be UTF-8, not \\uXXXX escapes"
    for item in items:
        jsonschema.validate(item, item_schema)
        assert tuple(item) == FIELD_NAMES, "no missing or unexpected fields"

    got = {item["url"]: item for item in items}
    want = {item["url"]: item for item in expected}
    assert sorted(got) == sorted(want), "the crawl found other entries than the page holds"
    mismatches = [
        f"{url}\n    {field}: got {got[url][field]!r}\n    {' ' * len(field)}  want {want[url][field]!r}"
        for url in want
        for field in FIELD_NAMES
        if got[url].get(field) != want[url].get(field)
    ]
    assert not mismatches, "\n".join(mismatches)
    assert stats.get("log_count/ERROR") is None
