"""A site's tag as a feed: Atom and RSS 2.0 through feedgen, JSON Feed 1.1 as the JSON it is.

Entries come newest first, as the rows were given. Each entry's link is the article's URL
and its id the item's stable ``id`` as ``urn:akhbar:<id>`` in every format (Atom wants an
IRI; RSS's ``guid`` and JSON Feed's ``id`` carry the same, so a reader that moves between
formats sees one entry). Titles and excerpts stay raw UTF-8 Arabic; HTML content is wrapped
in ``dir="rtl" lang="ar"`` so a reader lays it out right to left. Only what the page said is
claimed: an entry whose time is unknown has no publication time, and its ``updated`` (which
Atom requires) is when akhbar first saw it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from feedgen.feed import FeedGenerator

FORMATS = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def entry_id(row: Mapping[str, Any]) -> str:
    """The Atom id of a row: its stable id as a URN."""
    return f"urn:akhbar:{row['id']}"


def content_html(row: Mapping[str, Any]) -> str:
    """The body (else the excerpt) as right-to-left HTML paragraphs."""
    text = row.get("body") or row.get("excerpt") or ""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return f'<div dir="rtl" lang="ar">{paragraphs}</div>'


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _updated(row: Mapping[str, Any]) -> datetime:
    """When the entry last changed, as far as anyone said: modified, published, else first seen."""
    return datetime.fromisoformat(row.get("modified_at") or row.get("published_at") or row["first_seen"])


def _generator(rows: Sequence[Mapping[str, Any]], site: str, tag: str, self_url: str) -> FeedGenerator:
    """Feed and entries for feedgen; ``rows`` is never empty (an empty tag is a 404)."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(f"{tag} — {site}")
    feed.subtitle(f"«{tag}» على {site}، كما جمعها akhbar")  # RSS requires a description
    feed.language("ar")
    feed.link(href=self_url, rel="self")
    feed.link(href=rows[0]["listing_url"], rel="alternate")
    feed.generator("akhbar")
    feed.updated(max(_updated(r) for r in rows))
    for row in rows:
        entry = feed.add_entry(order="append")  # rows are newest first already
        entry.guid(entry_id(row), permalink=False)  # feedgen's guid is the Atom id too
        entry.title(row["title"])
        entry.link(href=row["url"], rel="alternate")
        if row.get("excerpt"):
            entry.summary(row["excerpt"])
        entry.content(content_html(row), type="html")
        published = _instant(row.get("published_at"))
        if published is not None:
            entry.published(published)
        entry.updated(_updated(row))
        if row.get("author"):
            entry.author(name=row["author"])
        for term in row.get("article_tags") or row.get("tags") or []:
            entry.category(term=term)
    return feed


def atom(rows: Sequence[Mapping[str, Any]], site: str, tag: str, self_url: str) -> bytes:
    return _generator(rows, site, tag, self_url).atom_str(pretty=True, encoding="UTF-8")


def rss(rows: Sequence[Mapping[str, Any]], site: str, tag: str, self_url: str) -> bytes:
    return _generator(rows, site, tag, self_url).rss_str(pretty=True, encoding="UTF-8")


def json_feed(rows: Sequence[Mapping[str, Any]], site: str, tag: str, self_url: str) -> bytes:
    """JSON Feed 1.1: a JSON document, so it is written as one (there is no template to fill)."""
    items = []
    for row in rows:
        item: dict[str, Any] = {
            "id": entry_id(row),
            "url": row["url"],
            "title": row["title"],
            "content_html": content_html(row),
        }
        optional = {
            "summary": row.get("excerpt"),
            "image": row.get("image"),
            "date_published": row.get("published_at"),
            "date_modified": row.get("modified_at"),
            "authors": [{"name": row["author"]}] if row.get("author") else None,
            "tags": row.get("article_tags") or row.get("tags") or None,
            "language": "ar",
        }
        item.update({k: v for k, v in optional.items() if v is not None})
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": f"{tag} — {site}",
        "home_page_url": rows[0]["listing_url"],
        "feed_url": self_url,
        "language": "ar",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


BUILDERS = {"atom": atom, "rss": rss, "json": json_feed}
