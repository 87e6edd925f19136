"""The crawl plan, ``crawls.toml``: every archive a scheduled run crawls.

    [defaults]                  # optional; any per-entry option below
    max_pages = 20
    follow_articles = true

    [[crawl]]                   # one archive by its URL
    url = "https://www.example.com/tag/قمة/"
    tag = "قمة"                 # optional, as are tz and date_order

    [[crawl]]                   # or a site profile and its tags
    site = "youm7"
    tags = ["مصر", "الاقتصاد"]

The file is checked as a whole: every problem is reported at once, each naming
its entry, so an operator fixes the plan in one go. Pure: no Scrapy.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Options an entry or [defaults] may set, with the type TOML must give them.
OPTIONS: dict[str, type] = {
    "tag": str,
    "tz": str,
    "date_order": str,
    "max_pages": int,
    "follow_articles": bool,
    "incremental": bool,
    "known_pages_to_stop": int,
}
ENTRY_KEYS = {"url", "site", "tags", *OPTIONS}


class PlanError(ValueError):
    """A plan that cannot run; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Archive:
    """One archive of the plan: spider arguments as ``-a`` would give them, and where it came from."""

    entry: int
    args: dict[str, str]

    @property
    def label(self) -> str:
        return self.args.get("url") or f"{self.args['site']} «{self.args['tag']}»"


def as_argument(value: object) -> str:
    """A TOML value as the string a ``-a`` spider argument would be."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def check_options(where: str, table: dict[str, Any], allowed: set[str], problems: list[str]) -> dict[str, str]:
    """The options of one table as spider arguments; wrong keys and types go to ``problems``."""
    found = {}
    for key, value in table.items():
        if key not in allowed:
            problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
        elif key in OPTIONS:
            expected = OPTIONS[key]
            # bool is an int to Python, but max_pages = true is a mistake in a plan.
            if isinstance(value, expected) and (expected is bool or not isinstance(value, bool)):
                found[key] = as_argument(value)
            else:
                problems.append(f"{where}: {key} must be {expected.__name__}, not {type(value).__name__}")
    return found


def entry_archives(index: int, raw: object, defaults: dict[str, str], problems: list[str]) -> list[Archive]:
    """The archives of one ``[[crawl]]`` entry (a site with three tags gives three)."""
    where = f"crawl #{index}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a table, not {type(raw).__name__}")
        return []
    options = {**defaults, **check_options(where, raw, ENTRY_KEYS, problems)}
    url, site, tags = raw.get("url"), raw.get("site"), raw.get("tags")
    if (url is None) == (site is None):
        problems.append(f'{where}: give either url = "https://…" or site = "PROFILE" with tags = [...]')
        return []
    if url is not None:
        if not isinstance(url, str) or not url.strip():
            problems.append(f"{where}: url must be a non-empty string")
            return []
        if tags is not None:
            problems.append(f'{where}: tags goes with site, not url (use tag = "…")')
        return [Archive(index, {"url": url.strip(), **options})]
    if not isinstance(site, str) or not site.strip():
        problems.append(f"{where}: site must be a profile name")
        return []
    if "tag" in raw:
        problems.append(f'{where}: with site, list the tags as tags = ["…"]')
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip() for t in tags):
        problems.append(f'{where}: site {site!r} needs tags = ["…", …], a non-empty list of tag names')
        return []
    options.pop("tag", None)
    return [Archive(index, {"site": site.strip(), "tag": tag.strip(), **options}) for tag in tags]


def parse_plan(data: dict[str, Any]) -> tuple[list[Archive], list[str]]:
    """The archives of a parsed plan's well-formed entries, and every problem found in the others."""
    problems: list[str] = []
    unknown = set(data) - {"defaults", "crawl"}
    if unknown:
        problems.append(f"unknown top-level key(s) {', '.join(sorted(unknown))} (allowed: defaults, crawl)")
    raw_defaults = data.get("defaults", {})
    if not isinstance(raw_defaults, dict):
        problems.append("[defaults] must be a table")
        raw_defaults = {}
    defaults = check_options("[defaults]", raw_defaults, set(OPTIONS) - {"tag"}, problems)
    entries = data.get("crawl")
    if not isinstance(entries, list) or not entries:
        problems.append("no archives: add at least one [[crawl]] table")
        entries = []
    archives = [a for i, raw in enumerate(entries, start=1) for a in entry_archives(i, raw, defaults, problems)]
    return archives, problems


def read_plan(path: Path) -> tuple[list[Archive], list[str]]:
    """Read and check ``crawls.toml``: the well-formed archives, and every problem (prefixed with
    the file's name) so a caller can add its own checks of those archives and report all at once."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanError([f"{path}: cannot read the plan ({exc.strerror or exc})"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError([f"{path}: not valid TOML ({exc})"]) from None
    archives, problems = parse_plan(data)
    return archives, [f"{path}: {problem}" for problem in problems]
