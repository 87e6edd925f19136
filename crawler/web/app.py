"""The Starlette application behind ``scrapy serve``: feeds, the items API and the status page.

It only reads: one read-only store connection, opened on first use and shared under a lock
(requests are short and a feed reader polls, so a pool would buy little). A feed is built
once per change of the store (:class:`FeedCache`); ``ETag`` / ``If-None-Match`` and
``Last-Modified`` / ``If-Modified-Since`` are answered with 304.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from crawler.export import page as api_page
from crawler.export import parse_cursor
from crawler.store import Store
from crawler.web import feeds, queries, status

TEMPLATES = Path(__file__).parent / "templates"


class ServeOptions(NamedTuple):
    """What ``scrapy serve`` reads from settings (defaults live in settings.py)."""

    feed_page_size: int
    api_page_size: int
    api_max_page_size: int
    feeds_root: Path | None
    runs_dir: Path | None


class BuiltFeed(NamedTuple):
    """A feed document as of ``store_seq``, the store's newest batch when it was built."""

    store_seq: int
    etag: str
    last_modified: str | None
    body: bytes


class FeedCache:
    """The last built document of the most recently asked feeds.

    A feed changes only when a batch changes rows (``seq`` moves), so a reader polling an
    unchanged store costs one indexed ``max(seq)`` instead of a scan of the site's rows.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.built: OrderedDict[tuple[str, ...], BuiltFeed] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> BuiltFeed | None:
        built = self.built.get(key)
        if built is not None:
            self.built.move_to_end(key)
        return built

    def put(self, key: tuple[str, ...], built: BuiltFeed) -> None:
        self.built[key] = built
        self.built.move_to_end(key)
        while len(self.built) > self.size:
            self.built.popitem(last=False)


def feed_path(site: str, tag: str, fmt: str) -> str:
    return f"/feeds/{quote(site, safe='')}/{quote(tag, safe='')}.{fmt}"


def _http_date(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso).astimezone(UTC).replace(microsecond=0), usegmt=True)


def _not_modified(request: Request, etag: str, last_modified: str | None) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since counts only without it."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        return datetime.fromisoformat(last_modified).replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def create_app(open_store: Callable[[], Store], options: ServeOptions) -> Starlette:
    """The application; ``open_store`` gives a read-only store (called once, on first use)."""
    holder: dict[str, Store] = {}
    lock = threading.Lock()
    cache = FeedCache()
    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))

    @contextmanager
    def store() -> Iterator[Store]:
        with lock:
            if "store" not in holder:
                holder["store"] = open_store()
            yield holder["store"]

    def feed(request: Request) -> Response:
        site, name = request.path_params["site"], request.path_params["name"]
        tag, _, fmt = name.rpartition(".")
        if fmt not in feeds.FORMATS or not tag:
            raise HTTPException(404, f"no feed format {fmt!r}: use .atom, .rss or .json")
        key = (str(request.url), site, tag, fmt)
        with store() as s:
            latest = queries.latest_seq(s)
            built = cache.get(key)
            if built is None or built.store_seq != latest:
                built = build_feed(s, latest, site, tag, fmt, str(request.url))
                cache.put(key, built)
        headers = {"ETag": built.etag, "Cache-Control": "no-cache"}
        if built.last_modified:
            headers["Last-Modified"] = _http_date(built.last_modified)
        if _not_modified(request, built.etag, built.last_modified):
            return Response(status_code=304, headers=headers)
        return Response(built.body, media_type=feeds.FORMATS[fmt], headers=headers)

    def build_feed(s: Store, latest: int, site: str, tag: str, fmt: str, self_url: str) -> BuiltFeed:
        state = queries.feed_state(s, site, tag)
        if state.items == 0:
            raise HTTPException(404, f"no items for tag {tag!r} on site {site!r}")
        limit = options.feed_page_size
        # The tag's own figures: a change elsewhere in the store rebuilds the feed but keeps its ETag.
        etag = hashlib.sha1(f"{site}\0{tag}\0{fmt}\0{limit}\0{state.items}\0{state.seq}".encode()).hexdigest()
        body = feeds.BUILDERS[fmt](queries.feed_rows(s, site, tag, limit), site, tag, self_url)
        return BuiltFeed(latest, f'"{etag}"', state.last_seen, body)

    def items(request: Request) -> Response:
        params = request.query_params
        try:
            since = parse_cursor(params.get("since", "0"))
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        limit_text = params.get("limit", str(options.api_page_size))
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= options.api_max_page_size:
            raise HTTPException(400, f"limit must be a whole number from 1 to {options.api_max_page_size}")
        site, tag = params.get("site") or None, params.get("tag") or None
        with store() as s:
            if (site or tag) and not queries.known(s, site, tag):
                raise HTTPException(404, f"no items for site {site!r} and tag {tag!r}")
            rows = s.rows_since(since.seq, site=site, tag=tag, limit=int(limit_text) + 1, after_id=since.after_id)
            shown, cursor = api_page(rows, since, int(limit_text))
        return JSONResponse({"items": shown, "next": str(cursor)})

    def home(request: Request) -> Response:
        today = datetime.now(UTC).date()
        with store() as s:
            summaries = queries.tag_summaries(s)
            counts = queries.daily_counts(s)
        runs = status.last_runs(status.run_records(options.feeds_root, options.runs_dir))
        rows = status.status_rows(summaries, counts, runs, today)
        page = templates.get_template("status.html").render(
            rows=rows, feed_path=feed_path, formats=tuple(feeds.FORMATS), today=today.isoformat()
        )
        return HTMLResponse(page)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        with lock:
            if "store" in holder:
                holder.pop("store").close()

    return Starlette(
        routes=[
            Route("/", home),
            Route("/feeds/{site}/{name}", feed),
            Route("/api/items", items),
        ],
        lifespan=lifespan,
    )
