"""Site profiles: what a person knows about one site, declared in TOML instead of coded.

A profile (``crawler/sites/<name>.toml``) names the site's hosts, its tag URL
template, its time zone, date order and language, and optionally CSS selectors
that override single fields of the generic extraction (``crawler.extract``).
Everything is checked when the file loads, so a typo fails at start-up with the
file and key named, never as a silently empty field halfway through a crawl.
The format is documented in ``docs/profiles.md``.

Pure: no Scrapy, no network. The spider and ``scrapy inspect`` read profiles
through :func:`profile_by_name` and :func:`profile_for_url`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from cssselect import SelectorError
from parsel.csstranslator import css2xpath

from crawler.dates import ORDERS, load_timezone
from crawler.urls import site_of

# Through importlib.resources, so the shipped profiles are found inside an installed package or a
# scrapyd egg (a zip), not only in a checkout.
SITES_DIR: Traversable = resources.files("crawler") / "sites"
_PSEUDO_ELEMENT = re.compile(r"::(text|attr\([^)]*\))\s*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and every problem in it."""


@dataclass(frozen=True)
class ListingSelectors:
    """CSS selectors for an archive page. ``entry`` selects each card; the field
    selectors are relative to a card; ``next_page`` is relative to the page."""

    entry: str | None = None
    title: str | None = None
    link: str | None = None
    date: str | None = None
    excerpt: str | None = None
    next_page: str | None = None


@dataclass(frozen=True)
class ArticleSelectors:
    """CSS selectors for an article page, each relative to the page."""

    title: str | None = None
    date: str | None = None
    modified: str | None = None
    author: str | None = None
    body: str | None = None
    image: str | None = None
    tags: str | None = None


@dataclass(frozen=True)
class SiteProfile:
    """One site as a person describes it; ``None`` selectors leave the field to generic extraction."""

    name: str
    hosts: tuple[str, ...]
    timezone: str
    tag_url: str | None = None
    date_order: str | None = None  # None: not stated, AKHBAR_DATE_ORDER applies
    language: str = "ar"
    site_names: tuple[str, ...] = ()
    listing: ListingSelectors = field(default_factory=ListingSelectors)
    article: ArticleSelectors = field(default_factory=ArticleSelectors)
    path: Traversable | None = None

    def matches(self, url: str) -> bool:
        """True when ``url`` is on one of the profile's hosts (``www.`` or not)."""
        return site_of(url) in {site_of(f"http://{host}/") for host in self.hosts}

    def tag_url_for(self, tag: str) -> str:
        """The first archive page of ``tag``: whitespace becomes ``-`` (the usual slug), then percent-encoded."""
        if not self.tag_url:
            raise ProfileError(
                f"profile {self.name!r} has no tag_url (its tag pages need an id, not a name): "
                "pass the archive's address with -a url="
            )
        slug = "-".join(tag.split())
        if not slug:
            raise ProfileError("-a tag= is empty")
        return self.tag_url.replace("{tag}", quote(slug, safe=""))


_TOP_KEYS = frozenset(f.name for f in fields(SiteProfile)) - {"path"}
_REQUIRED = ("name", "hosts", "timezone")
_SECTIONS: dict[str, type[ListingSelectors] | type[ArticleSelectors]] = {
    "listing": ListingSelectors,
    "article": ArticleSelectors,
}
# Selectors that must give elements: a card to search in, a container to extract text from.
_ELEMENT_ONLY = frozenset({"listing.entry", "article.body"})


def check_selector(css: str) -> str | None:
    """Why ``css`` cannot select anything on a static page, or ``None`` when it can."""
    try:
        xpath = css2xpath(css)
    except SelectorError as exc:
        return f"not a valid CSS selector ({exc})"
    if "[0]" in xpath:
        # cssselect turns :hover, :visited, :focus... into an always-false test.
        return "uses a pseudo-class that never matches in a downloaded page (:hover, :visited, ...)"
    return None


def _check_section(name: str, raw: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"[{name}] must be a table of selectors")
        return {}
    cls = _SECTIONS[name]
    allowed = sorted(f.name for f in fields(cls))
    values: dict[str, str] = {}
    for key, css in raw.items():
        where = f"{name}.{key}"
        if key not in allowed:
            problems.append(f"[{name}] unknown key {key!r} (allowed: {', '.join(allowed)})")
            continue
        if not isinstance(css, str) or not css.strip():
            problems.append(f"{where} must be a non-empty CSS selector string")
            continue
        why = check_selector(css)
        if why:
            problems.append(f"{where} = {css!r}: {why}")
            continue
        if where in _ELEMENT_ONLY and _PSEUDO_ELEMENT.search(css):
            problems.append(f"{where} = {css!r} must select elements, not ::text or ::attr()")
            continue
        values[key] = css.strip()
    if name == "listing" and "entry" not in values:
        relative = sorted(set(values) - {"next_page"})
        if relative:
            problems.append(
                f"listing.{', listing.'.join(relative)} need listing.entry: those selectors are relative to each entry"
            )
    return values


def _string_list(key: str, value: Any, problems: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{key} must be a list of non-empty strings")
        return ()
    return tuple(v.strip() for v in value)


def parse_profile(data: dict[str, Any], source: str = "<profile>", expected_name: str | None = None) -> SiteProfile:
    """Validate one profile's parsed TOML; every problem is reported at once."""
    problems: list[str] = []
    for key in sorted(set(data) - _TOP_KEYS - set(_SECTIONS)):
        problems.append(f"unknown key {key!r} (allowed: {', '.join(sorted(_TOP_KEYS))}, [listing], [article])")
    for key in _REQUIRED:
        if key not in data:
            problems.append(f"missing required key {key!r}")

    name = data.get("name")
    if "name" in data and (not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name)):
        problems.append(f"name must be lower-case letters, digits, '-' or '_', not {name!r}")
    elif expected_name is not None and name is not None and name != expected_name:
        problems.append(f"name {name!r} must match the file name {expected_name!r}")

    hosts = _string_list("hosts", data.get("hosts", []), problems) if "hosts" in data else ()
    for host in hosts:
        if not _HOST.match(host):
            problems.append(f"hosts: {host!r} is not a lower-case host name (no scheme, port or path)")
    if "hosts" in data and not hosts:
        problems.append("hosts must name at least one host")

    timezone = data.get("timezone")
    if "timezone" in data:
        try:
            known = load_timezone(str(timezone)) is not None
        except ValueError:
            known = False
        if not known:
            problems.append(f"timezone {timezone!r} is not an IANA time zone name (e.g. 'Africa/Cairo')")

    date_order = data.get("date_order")
    if date_order is not None and date_order not in ORDERS:
        problems.append(f"date_order must be one of {', '.join(ORDERS)}, not {date_order!r}")

    language = data.get("language", "ar")
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        problems.append(f"language must be a BCP 47 tag such as 'ar' or 'ar-EG', not {language!r}")

    tag_url = data.get("tag_url")
    if tag_url is not None:
        parts = urlsplit(tag_url) if isinstance(tag_url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(f"tag_url must be an http(s) URL, not {tag_url!r}")
        elif tag_url.count("{tag}") != 1 or re.sub(r"\{tag\}", "", tag_url).count("{"):
            problems.append(f"tag_url must hold '{{tag}}' exactly once and no other '{{...}}': {tag_url!r}")
        elif hosts and site_of(tag_url) not in {site_of(f"http://{h}/") for h in hosts}:
            problems.append(f"tag_url host {parts.hostname!r} is not among hosts {list(hosts)}")

    site_names = _string_list("site_names", data["site_names"], problems) if "site_names" in data else ()
    sections = {name: _check_section(name, data[name], problems) for name in _SECTIONS if name in data}

    if problems:
        raise ProfileError(f"{source}: " + "; ".join(problems))
    return SiteProfile(
        name=str(name),
        hosts=hosts,
        timezone=str(timezone),
        tag_url=tag_url,
        date_order=None if date_order is None else str(date_order),
        language=str(language),
        site_names=site_names,
        listing=ListingSelectors(**sections.get("listing", {})),
        article=ArticleSelectors(**sections.get("article", {})),
    )


def load_profile(path: Traversable) -> SiteProfile:
    """Read and validate one ``.toml`` file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be read ({exc.strerror})") from None
    profile = parse_profile(data, str(path), expected_name=path.name.removesuffix(".toml"))
    return SiteProfile(**{f.name: getattr(profile, f.name) for f in fields(profile) if f.name != "path"}, path=path)


def load_profiles(directory: Traversable = SITES_DIR) -> dict[str, SiteProfile]:
    """Every profile in ``directory`` by name; two profiles claiming one host is an error."""
    profiles: dict[str, SiteProfile] = {}
    owner: dict[str, str] = {}
    for path in sorted((p for p in directory.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name):
        profile = load_profile(path)
        for host in profile.hosts:
            site = site_of(f"http://{host}/")
            if owner.get(site, profile.name) != profile.name:
                raise ProfileError(f"{path}: host {host!r} is already claimed by profile {owner[site]!r}")
            owner[site] = profile.name
        profiles[profile.name] = profile
    return profiles


@cache
def default_profiles() -> dict[str, SiteProfile]:
    """The profiles shipped in ``crawler/sites/``, loaded once per process."""
    return load_profiles(SITES_DIR)


def profile_by_name(name_or_path: str) -> SiteProfile:
    """``-a site=``: a shipped profile's name, or the path of a ``.toml`` file being written."""
    if name_or_path.endswith(".toml"):
        return load_profile(Path(name_or_path))
    profiles = default_profiles()
    if name_or_path not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise ProfileError(f"no site profile named {name_or_path!r} in {SITES_DIR} (known: {known})")
    return profiles[name_or_path]


def profile_for_url(url: str, profiles: dict[str, SiteProfile] | None = None) -> SiteProfile | None:
    """The profile whose hosts include ``url``'s host, if any."""
    for profile in (profiles if profiles is not None else default_profiles()).values():
        if profile.matches(url):
            return profile
    return None


def run_zone_and_order(
    profiles: list[SiteProfile | None], tz: str | None = None, date_order: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """``(tz, date_order, why not)`` for a run over start URLs with these profiles; ``None`` where
    nothing says (the dates pipeline then reads ``AKHBAR_TIMEZONE`` / ``AKHBAR_DATE_ORDER``).

    ``-a tz=`` / ``-a date_order=`` win. Otherwise the profiles' values apply when every start
    URL has a profile and they agree; a run mixing zones cannot have one, and says why.
    """
    if date_order is not None and date_order not in ORDERS:
        raise ProfileError(f"-a date_order= must be one of {', '.join(ORDERS)}, not {date_order!r}")
    found = [p for p in profiles if p is not None]
    note = None
    if tz is None and found:
        zones = {p.timezone for p in found}
        if len(zones) == 1 and len(found) == len(profiles):
            tz = zones.pop()
        else:
            note = f"start URLs have different time zones ({', '.join(sorted(zones))} or none): pass -a tz="
    if date_order is None:
        orders = {p.date_order or "not stated" for p in found}
        if len(orders) == 1 and len(found) == len(profiles):
            date_order = found[0].date_order
        elif len(orders) > 1:
            note = (
                note + "; " if note else ""
            ) + f"date orders differ ({', '.join(sorted(orders))}): pass -a date_order="
    return tz, date_order, note
