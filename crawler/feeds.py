"""The per-run JSON Lines feed every crawl writes unless the user names another.

``scrapy crawl ... -O file.jsonl`` must behave as Scrapy users expect (only that
file), so the default feed is added by an add-on only when ``FEEDS`` is empty,
rather than declared in settings.py where Scrapy would merge both.
"""

from __future__ import annotations

from scrapy.settings import Settings


class DefaultFeedAddon:
    """Adds ``AKHBAR_FEED_URI`` as a UTF-8 JSON Lines feed when no feed is configured."""

    def update_settings(self, settings: Settings) -> None:
        uri = settings.get("AKHBAR_FEED_URI")
        if uri and not settings.getdict("FEEDS"):
            settings.set("FEEDS", {uri: {"format": "jsonlines", "encoding": "utf-8"}}, priority="addon")
