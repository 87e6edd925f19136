"""Drop items a consumer could not use, and say why in the stats."""

from __future__ import annotations

from collections.abc import Mapping

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from pipelines.base import CrawlerPipeline


def missing_fields(fields: Mapping[str, object]) -> list[str]:
    """The required fields an item lacks: a usable link, a title, and the id and site it is stored under."""
    missing = [name for name in ("id", "site") if not fields.get(name)]
    url = fields.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        missing.append("url")
    if not fields.get("title"):
        missing.append("title")
    return missing


class ValidatePipeline(CrawlerPipeline):
    """Drops an item without a URL or title; ``akhbar/validate/missing_<field>`` counts it."""

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        missing = missing_fields(adapter)
        if missing:
            reason = f"missing_{missing[0]}"
            self.stats.inc_value(f"akhbar/validate/{reason}")
            raise DropItem(f"{reason}: {adapter.get('url') or adapter.get('listing_url')}")
        return item
