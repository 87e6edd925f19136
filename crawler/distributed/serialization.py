"""Requests as JSON for the shared queue, and the checks that make a queue entry harmless.

scrapy-redis stores requests with pickle: anyone who can write to Redis runs code on
every worker. Here an entry is JSON from :func:`scrapy.utils.request.request_to_dict`,
and :func:`decode_request` admits only what the tag_archive spider itself writes: a GET
to an http(s) URL, a callback that is one of the spider's own public methods, known
meta keys and the spider's own callback arguments. Anything else raises
:class:`RejectedEntry` with a short reason, which the scheduler counts.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.utils.request import request_from_dict

from crawler.items import FIELD_NAMES
from crawler.profiles import SiteProfile
from crawler.spiders.tag_archive import Chain

# Meta that Scrapy's own middlewares keep across a retry or a redirect; others are dropped on
# the way in, and an entry carrying any other key was not written by a worker.
KEPT_META = frozenset({"depth", "retry_times", "redirect_times", "redirect_ttl", "redirect_urls", "redirect_reasons"})
_FIELDS = frozenset({"url", "callback", "errback", "headers", "method", "body", "cookies", "meta", "encoding"})
_FIELDS |= frozenset({"priority", "dont_filter", "flags", "cb_kwargs"})
_ITEM_FIELDS = frozenset(FIELD_NAMES)
MAX_ENTRY_BYTES = 1024 * 1024


class RejectedEntry(ValueError):
    """A queue entry that is not a request a worker wrote; ``reason`` is a stats key part."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def _encode_value(value: Any) -> Any:
    if isinstance(value, Chain):
        fields = asdict(value) | {"profile": value.profile.name if value.profile else None}
        return {"$chain": fields}
    if isinstance(value, SiteProfile):
        return {"$profile": value.name}
    return value


def encode_request(request: scrapy.Request, spider: scrapy.Spider) -> bytes:
    """JSON bytes of ``request``; callbacks become the names of the spider's methods."""
    data = request.to_dict(spider=spider)
    data["meta"] = {k: v for k, v in data["meta"].items() if k in KEPT_META}
    data["cb_kwargs"] = {k: _encode_value(v) for k, v in data["cb_kwargs"].items()}
    data["body"] = data["body"].decode("latin-1")
    data["headers"] = {k.decode("latin-1"): [v.decode("latin-1") for v in vs] for k, vs in data["headers"].items()}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _own_method(spider: scrapy.Spider, name: Any) -> str | None:
    """``name`` if it is a public method the spider's own class defines (not Scrapy's base)."""
    if name is None:
        return None
    if not isinstance(name, str) or name.startswith("_") or hasattr(scrapy.Spider, name):
        raise RejectedEntry("callback", repr(name)[:80])
    if not any(name in vars(cls) for cls in type(spider).__mro__ if cls is not scrapy.Spider):
        raise RejectedEntry("callback", repr(name)[:80])
    if not callable(getattr(spider, name, None)):
        raise RejectedEntry("callback", repr(name)[:80])
    return name


def _profiles(spider: scrapy.Spider) -> dict[str, SiteProfile]:
    return {p.name: p for p in getattr(spider, "profiles", {}).values() if p is not None}


def _decode_value(value: Any, spider: scrapy.Spider) -> Any:
    if isinstance(value, int | str | float | bool) or value is None:
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise RejectedEntry("cb_kwargs", "not a known argument type")
    (tag, inner), profiles = next(iter(value.items())), _profiles(spider)
    if tag == "$profile" and inner in profiles:
        return profiles[inner]
    if tag == "$chain" and isinstance(inner, dict) and set(inner) == {"site", "tag", "known_pages", "profile"}:
        if not isinstance(inner["site"], str) or not isinstance(inner["known_pages"], int):
            raise RejectedEntry("cb_kwargs", "chain fields")
        if inner["profile"] is not None and inner["profile"] not in profiles:
            raise RejectedEntry("cb_kwargs", "unknown profile")
        tag_value = inner["tag"] if isinstance(inner["tag"], str) else None
        return Chain(inner["site"], tag_value, inner["known_pages"], profiles.get(inner["profile"]))
    raise RejectedEntry("cb_kwargs", f"unknown argument type {str(tag)[:40]!r}")


def _decode_item(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not set(value) <= _ITEM_FIELDS:
        raise RejectedEntry("cb_kwargs", "item fields")
    return value


def decode_request(raw: bytes, spider: scrapy.Spider) -> scrapy.Request:
    """The request in a queue entry, or :class:`RejectedEntry`; never runs code from the entry."""
    if len(raw) > MAX_ENTRY_BYTES:
        raise RejectedEntry("too_large", f"{len(raw)} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RejectedEntry("not_json") from None
    if not isinstance(data, dict):
        raise RejectedEntry("not_json", "not an object")
    if not set(data) <= _FIELDS:
        # "_class" above all: request_from_dict would import whatever it names.
        raise RejectedEntry("fields", ", ".join(sorted(set(data) - _FIELDS))[:80])
    url = data.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise RejectedEntry("url", repr(url)[:80])
    if data.get("method", "GET") != "GET":
        raise RejectedEntry("method", repr(data.get("method"))[:20])
    meta, cb_kwargs = data.get("meta") or {}, data.get("cb_kwargs") or {}
    if not isinstance(meta, dict) or not set(meta) <= KEPT_META:
        raise RejectedEntry("meta", repr(meta)[:80])
    if not isinstance(cb_kwargs, dict) or not all(isinstance(k, str) for k in cb_kwargs):
        raise RejectedEntry("cb_kwargs", "not an object")
    headers = data.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, list) for v in headers.values()):
        raise RejectedEntry("headers")
    data["callback"] = _own_method(spider, data.get("callback"))
    data["errback"] = _own_method(spider, data.get("errback"))
    data["cb_kwargs"] = {k: _decode_item(v) if k == "item" else _decode_value(v, spider) for k, v in cb_kwargs.items()}
    body = data.get("body", "")
    if not isinstance(body, str):
        raise RejectedEntry("body")
    data["body"] = body.encode("latin-1", errors="strict") if body else b""
    try:
        return request_from_dict(data, spider=spider)
    except (TypeError, ValueError) as exc:
        raise RejectedEntry("request", str(exc)[:80]) from None
