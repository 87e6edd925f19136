"""Canonical URL keys: the one definition of "the same page" for ids, dedup and cycles.

Item ids are hashes of these keys, so any change here changes every stored id:
treat the rules as a stable format and extend them only with care.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "ref_src",
        "amp",
    }
)
_TRACKING_PREFIXES = ("utm_",)
_AMP_SUFFIX = re.compile(r"/amp/?$", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


@lru_cache(maxsize=8192)
def url_key(url: str) -> str:
    """Reduce a URL to the form two links to the same article share.

    Cached: the spider keys each URL for its id, and dedup and storage ask
    again moments later. w3lib does the percent-encoding and query ordering; on top of it the key
    folds http/https, drops default ports, tracking parameters, AMP variants,
    the fragment and the trailing slash.
    """
    parts = urlsplit(canonicalize_url(url.strip(), keep_fragments=False))
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = _AMP_SUFFIX.sub("", parts.path).rstrip("/") or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    return urlunsplit(("https", host, path, query, ""))


def item_id(url: str) -> str:
    """Stable item id: the SHA-1 of the URL key, as hex."""
    return hashlib.sha1(url_key(url).encode("utf-8")).hexdigest()


def site_of(url: str) -> str:
    """The site name items carry: the host without a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")
