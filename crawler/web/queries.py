"""What the web service reads from the store: a tag's entries newest first, how fresh they are,
and the status page's figures per site and tag. Read-only SQL on either backend."""

from __future__ import annotations

from typing import Any, NamedTuple

from crawler.store import EXPORT_COLUMNS, Store, decode_row, iso_text

# Newest first: the site's day, then the instant within it, then when akhbar first saw the entry.
_NEWEST_FIRST = "published_date DESC NULLS LAST, published_at DESC NULLS LAST, first_seen DESC, id"


class FeedState(NamedTuple):
    """Enough to answer a conditional request without building the feed."""

    items: int
    seq: int | None
    last_seen: str | None


class TagSummary(NamedTuple):
    """One site and tag as the store knows them."""

    site: str
    tag: str
    items: int
    unparsed: int  # a date was printed but could not be read
    last_seen: str | None


def _in_tag(store: Store, site: str, tag: str) -> tuple[str, tuple[str, ...]]:
    """``WHERE`` text and parameters for one site's tag.

    On SQLite the JSON array is first searched as text for the quoted tag (a substring search
    in the ``items_site_tags`` index), so ``json_each`` parses only the arrays that may hold it."""
    p = store.dialect.placeholder
    exact = f"site = {p} AND NOT {store.dialect.tag_absent('tags', p)}"
    if store.dialect.name == "sqlite":
        return f"instr(tags, json_quote({p})) > 0 AND {exact}", (tag, site, tag)
    return exact, (site, tag)


def latest_seq(store: Store) -> int:
    """The store's newest batch number (indexed): any change to any row moves it."""
    ((seq,),) = store.read("SELECT COALESCE(max(seq), 0) FROM items")
    return int(seq)


def feed_state(store: Store, site: str, tag: str) -> FeedState:
    """Rows, newest ``seq`` and last sighting of one site's tag (``items == 0``: no such feed)."""
    where, params = _in_tag(store, site, tag)
    ((items, seq, last_seen),) = store.read(
        f"SELECT count(*), max(seq), max(last_seen) FROM items WHERE {where}", params
    )
    return FeedState(int(items), seq, iso_text(last_seen))


def feed_rows(store: Store, site: str, tag: str, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` newest rows of one site's tag, as export rows.

    The newest ids first (from an index on SQLite, without reading rows), then those rows:
    sorting whole rows of a large tag would read every one of them."""
    where, params = _in_tag(store, site, tag)
    ids = [
        r[0]
        for r in store.read(f"SELECT id FROM items WHERE {where} ORDER BY {_NEWEST_FIRST} LIMIT {int(limit)}", params)
    ]
    if not ids:
        return []
    marks = ", ".join(store.dialect.placeholder for _ in ids)
    rows = store.read(f"SELECT {', '.join(EXPORT_COLUMNS)} FROM items WHERE id IN ({marks})", ids)
    by_id = {row[EXPORT_COLUMNS.index("id")]: row for row in rows}
    return [decode_row(dict(zip(EXPORT_COLUMNS, by_id[i], strict=True))) for i in ids]


def tag_summaries(store: Store) -> list[TagSummary]:
    """Every site and tag with its figures, by site then tag."""
    rows = store.read(
        "SELECT site, each_tag.value, count(*), "
        "sum(CASE WHEN published_raw IS NOT NULL AND published_date IS NULL THEN 1 ELSE 0 END), max(last_seen) "
        f"FROM items, {store.dialect.each_tag('items.tags')} "
        "GROUP BY site, each_tag.value ORDER BY site, each_tag.value"
    )
    return [
        TagSummary(site, tag, int(items), int(unparsed), iso_text(seen)) for site, tag, items, unparsed, seen in rows
    ]


def daily_counts(store: Store) -> dict[tuple[str, str], dict[str, int]]:
    """Entries per day (the site's ``published_date``) per site and tag; one row per day that has any."""
    rows = store.read(
        f"SELECT site, each_tag.value, published_date, count(*) FROM items, {store.dialect.each_tag('items.tags')} "
        "WHERE published_date IS NOT NULL GROUP BY site, each_tag.value, published_date"
    )
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for site, tag, day, n in rows:
        counts.setdefault((site, tag), {})[iso_text(day)] = int(n)
    return counts


def known(store: Store, site: str | None, tag: str | None) -> bool:
    """Whether any row has this site and/or tag (an unknown one is a 404, not an empty list)."""
    p = store.dialect.placeholder
    where: list[str] = []
    params: list[Any] = []
    if site:
        where.append(f"site = {p}")
        params.append(site)
    if tag:
        where.append(f"NOT {store.dialect.tag_absent('tags', p)}")
        params.append(tag)
    return bool(store.read(f"SELECT 1 FROM items WHERE {' AND '.join(where)} LIMIT 1", params))
