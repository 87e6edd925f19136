"""The item every spider emits: one place for the field names the feed, the
database and the JSON Schema (``crawler/item.schema.json``) agree on."""

from __future__ import annotations

from typing import Any, TypedDict, cast


class ArticleItem(TypedDict):
    """One entry of a tag archive, optionally completed from its article page.

    A plain dict, typed: ItemAdapter, the feed exporter and the store handle
    dicts several times faster than dataclasses (measured in bench/crawl.py).
    Unknown values stay ``None``: a missing field is never invented.
    """

    schema_version: int
    id: str | None
    url: str | None
    title: str | None
    excerpt: str | None
    published_at: str | None
    published_date: str | None
    published_precision: str | None
    published_raw: str | None
    date_source: str | None
    modified_at: str | None
    modified_date: str | None
    modified_precision: str | None
    modified_raw: str | None
    author: str | None
    body: str | None
    image: str | None
    article_tags: list[str] | None
    tag: str | None
    site: str | None
    listing_url: str | None
    position: int | None
    crawled_at: str | None


FIELD_NAMES: tuple[str, ...] = tuple(ArticleItem.__annotations__)
# Bumped whenever a field is added, renamed or changes meaning (crawler/item.schema.json).
SCHEMA_VERSION = 2


def new_item(**fields: Any) -> ArticleItem:
    """An item with every field present, ``None`` where not given; a typo is an error."""
    unknown = set(fields) - set(FIELD_NAMES)
    if unknown:
        raise TypeError(f"unknown item fields: {', '.join(sorted(unknown))}")
    item: dict[str, Any] = dict.fromkeys(FIELD_NAMES)
    item["schema_version"] = SCHEMA_VERSION
    item.update(fields)
    return cast(ArticleItem, item)


# Where a date came from: these machine-readable sources hold ISO 8601; the others
# ("listing-text", "article-text") hold what a reader sees, for the Arabic text parser.
STRUCTURED_DATE_SOURCES = frozenset({"json-ld", "meta", "time-tag", "microdata"})
