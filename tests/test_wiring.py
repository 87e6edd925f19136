"""The project hangs together: settings point at real code, fixtures are complete."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.items import FIELD_NAMES
from crawler.store import EXPORT_COLUMNS
from tests.support import FIXTURES, ROOT, fixture_site_dirs, load_schema

SETTINGS = get_project_settings()


@pytest.mark.parametrize("path", list(SETTINGS.getdict("ITEM_PIPELINES")))
def test_every_pipeline_loads_with_current_scrapy_conventions(path):
    cls = load_object(path)
    assert callable(getattr(cls, "process_item", None))
    # Scrapy 2.13+ deprecates the spider argument.
    assert cls.process_item.__code__.co_varnames[:2] == ("self", "item")
    assert cls.process_item.__code__.co_argcount == 2


def test_addons_load():
    for path in SETTINGS.getdict("ADDONS"):
        assert callable(getattr(load_object(path), "update_settings", None))


def test_operator_defaults():
    assert SETTINGS["FEED_EXPORT_ENCODING"] == "utf-8"
    assert SETTINGS.getbool("REMOTE_CONTROL_ENABLED") is False
    assert SETTINGS["DATABASE_URL"].startswith(("sqlite:///", "postgresql://"))


def test_scrapy_list_names_every_spider():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["tag_archive"]


def test_schema_documents_exactly_the_item_fields(item_schema):
    schema = item_schema
    assert tuple(schema["properties"]) == FIELD_NAMES
    assert schema["required"] == list(FIELD_NAMES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in FIELD_NAMES:
        assert f"`{field}`" in readme, f"README does not document {field}"


def test_export_schema_matches_the_export_rows(store):
    schema = load_schema("export")
    columns = {d[0] for d in store.conn.execute("SELECT * FROM items LIMIT 0").description}
    assert set(EXPORT_COLUMNS) <= columns
    assert tuple(schema["properties"]) == EXPORT_COLUMNS
    assert schema["required"] == list(EXPORT_COLUMNS)


def test_every_fixture_site_is_complete():
    sites = fixture_site_dirs()
    assert len(sites) >= 9
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(p.name for p in sites)
    for site in sites:
        crawl = json.loads((site / "crawl.json").read_text(encoding="utf-8"))
        assert crawl["url"].startswith("http"), site
        assert (site / "expected.jsonl").stat().st_size > 0, site
        assert (site / "NOTES.md").exists(), site
        for meta_path in site.glob("*.json"):
            if meta_path.name != "crawl.json":
                assert meta_path.with_suffix(".html").exists(), meta_path
                assert {"url", "status", "headers", "fetched_at"} <= set(json.loads(meta_path.read_text()))
