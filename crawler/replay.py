"""Record and replay crawls through Scrapy's own HTTP cache.

``-s REPLAY_MODE=record`` stores every response of a live crawl under
``fixtures/html/<host>/`` (``REPLAY_DIR``); ``-s REPLAY_MODE=replay`` serves the
same crawl from those files and never touches the network: a request with no
recording is ignored and counted (``httpcache/ignore``).

A recording is the body exactly as the server sent it (``<name>.html``, never
re-encoded) and a JSON file beside it with the request URL, status, headers and
fetch time, so a person can open the page in a browser and see its provenance.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy import Request, Spider
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings, Settings
from w3lib.url import canonicalize_url

logger = logging.getLogger(__name__)

MODES = ("off", "record", "replay")
_UNSAFE = re.compile(r"[^\w.-]+")


def replay_key(url: str) -> str:
    """Lookup key of a recording: the canonical URL without its fragment."""
    return canonicalize_url(url, keep_fragments=False)


def recording_name(url: str) -> str:
    """A readable, collision-free file stem for a recorded URL."""
    key = replay_key(url)
    path_and_query = unquote(key.split("/", 3)[3]) if key.count("/") >= 3 else ""
    readable = _UNSAFE.sub("-", path_and_query).strip("-.")[:80] or "index"
    return f"{readable}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def fetch_time(headers: Headers | None) -> datetime | None:
    """The fetch instant a response's ``Date`` header states, if it states one."""
    raw = headers.get(b"Date") if headers is not None else None
    if not raw:
        return None
    try:
        value = parsedate_to_datetime(raw.decode("latin-1"))
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def save_recording(root: Path, request_url: str, response: Response, fetched_at: datetime) -> Path:
    """Write one response under ``root/<host>/``; returns the metadata path."""
    folder = root / _UNSAFE.sub("_", urlsplit(request_url).hostname or "unknown")
    folder.mkdir(parents=True, exist_ok=True)
    stem = recording_name(request_url)
    (folder / f"{stem}.html").write_bytes(response.body)
    headers = {key.decode("latin-1"): [v.decode("latin-1") for v in values] for key, values in response.headers.items()}
    meta = {
        "url": request_url,
        "status": response.status,
        "headers": headers,
        "fetched_at": fetched_at.isoformat(timespec="seconds"),
    }
    meta_path = folder / f"{stem}.json"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta_path


def load_recording(meta_path: Path) -> Response:
    """Rebuild the response a recording holds, ``Date`` header included."""
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    body = meta_path.with_suffix(".html").read_bytes()
    headers = Headers(meta.get("headers") or {})
    if b"Date" not in headers and meta.get("fetched_at"):
        headers[b"Date"] = format_datetime(datetime.fromisoformat(meta["fetched_at"]), usegmt=True)
    url = meta["url"]
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=int(meta.get("status", 200)), headers=headers, body=body)


def index_recordings(root: Path) -> dict[str, Path]:
    """Map each recorded URL's key to its metadata file, across every site folder."""
    index: dict[str, Path] = {}
    for meta_path in sorted(root.glob("*/*.json")):
        if not meta_path.with_suffix(".html").exists():
            continue  # crawl.json and other side files
        url = json.loads(meta_path.read_text(encoding="utf-8")).get("url")
        if url:
            index[replay_key(url)] = meta_path
    return index


class FixtureCacheStorage:
    """An ``HTTPCACHE_STORAGE`` backed by ``fixtures/html``: replays or records."""

    def __init__(self, settings: BaseSettings) -> None:
        self.mode = settings.get("REPLAY_MODE")
        self.root = Path(settings.get("REPLAY_DIR"))
        self._index: dict[str, Path] = {}

    def open_spider(self, spider: Spider) -> None:
        if self.mode == "replay":
            self._index = index_recordings(self.root)
            logger.info("replaying %d recorded responses from %s", len(self._index), self.root)

    def close_spider(self, spider: Spider) -> None:
        self._index = {}

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        if self.mode != "replay":
            return None
        meta_path = self._index.get(replay_key(request.url))
        return load_recording(meta_path) if meta_path is not None else None

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        if self.mode == "record":
            save_recording(self.root, request.url, response, datetime.now(UTC))


def _force(settings: Settings, name: str, value: object) -> None:
    """Set ``name`` above settings.py, but never over what the user passed with ``-s``."""
    if (settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
        settings.set(name, value, priority="cmdline")


class ReplayAddon:
    """Turns ``REPLAY_MODE`` into the HTTP-cache settings that implement it."""

    def update_settings(self, settings: Settings) -> None:
        mode = settings.get("REPLAY_MODE")
        if mode not in MODES:
            raise ValueError(f"REPLAY_MODE must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == "off":
            return
        _force(settings, "HTTPCACHE_ENABLED", True)
        _force(settings, "HTTPCACHE_STORAGE", "crawler.replay.FixtureCacheStorage")
        _force(settings, "HTTPCACHE_POLICY", "scrapy.extensions.httpcache.DummyPolicy")
        _force(settings, "HTTPCACHE_IGNORE_HTTP_CODES", [])
        if mode == "replay":
            # Offline: a request with no recording is dropped, never downloaded.
            _force(settings, "HTTPCACHE_IGNORE_MISSING", True)
            _force(settings, "ROBOTSTXT_OBEY", False)
            _force(settings, "AUTOTHROTTLE_ENABLED", False)
            _force(settings, "DOWNLOAD_DELAY", 0)
