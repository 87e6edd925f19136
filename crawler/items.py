"""The item every spider emits: one place for the field names the feed, the
database and the JSON Schema (``crawler/item.schema.json``) agree on."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class ArticleItem:
    """One entry of a tag archive, optionally completed from its article page.

    Unknown values stay ``None``: a missing field is never invented.
    """

    id: str | None = None
    url: str | None = None
    title: str | None = None
    excerpt: str | None = None
    published_at: str | None = None
    published_raw: str | None = None
    date_source: str | None = None
    author: str | None = None
    body: str | None = None
    tag: str | None = None
    site: str | None = None
    listing_url: str | None = None
    position: int | None = None
    crawled_at: str | None = None


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ArticleItem))

# Where a date came from: machine-readable sources hold ISO 8601, text sources
# hold what a reader sees and go through the Arabic text parser.
STRUCTURED_DATE_SOURCES = frozenset({"json-ld", "meta", "time-tag", "microdata"})
TEXT_DATE_SOURCES = frozenset({"listing-text", "article-text"})
