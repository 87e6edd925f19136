"""One data directory, ``AKHBAR_HOME``: every relative path setting resolves against it.

A scheduler starts a crawl from whatever working directory it likes (cron: the
user's home, systemd: ``/``, scrapyd: its own folder). Resolving the store,
feeds, run reports, lock and dead letters against ``AKHBAR_HOME`` (default:
the project's folder, see settings.py) keeps one run's state where the next run
looks for it.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

# Settings that name a file or folder; DATABASE_URL is handled apart (only sqlite URLs hold a path).
PATH_SETTINGS = (
    "AKHBAR_FEED_URI",
    "AKHBAR_DEADLETTER_DIR",
    "AKHBAR_RUNS_DIR",
    "AKHBAR_QUARANTINE_DIR",
    "AKHBAR_LOCK_FILE",
    "AKHBAR_PLAN",
)
SQLITE_PREFIX = "sqlite:///"


def at_home(home: str, value: str) -> str:
    """``value`` made absolute under ``home`` unless it already is absolute or a URI (``s3://``...)."""
    if not value or "://" in value or Path(value).is_absolute():
        return value
    return str(Path(home) / value)


def sqlite_at_home(home: str, url: str) -> str:
    """A relative ``sqlite:///path`` made ``sqlite:////home/path``; other URLs unchanged."""
    if not url.startswith(SQLITE_PREFIX) or url.startswith(SQLITE_PREFIX + "/"):
        return url
    return SQLITE_PREFIX + at_home(home, url.removeprefix(SQLITE_PREFIX))


def resolve_paths(settings: BaseSettings) -> None:
    """Rewrite the path settings in place, each at the priority it was given with.

    Raises ``UsageError`` (one line from a command) when ``AKHBAR_HOME`` is not a folder, as
    inside a scrapyd egg, where the default (the project's folder) is the egg file itself.
    """
    home = settings.get("AKHBAR_HOME")
    if Path(home).exists() and not Path(home).is_dir():
        raise UsageError(f"AKHBAR_HOME={home} is not a folder: set AKHBAR_HOME to where akhbar keeps its data")
    for name in PATH_SETTINGS:
        value = settings.get(name)
        if value:
            settings.set(name, at_home(home, value), priority=settings.getpriority(name) or 0)
    url = settings.get("DATABASE_URL")
    if url:
        settings.set("DATABASE_URL", sqlite_at_home(home, url), priority=settings.getpriority("DATABASE_URL") or 0)


def lock_path(settings: BaseSettings) -> Path:
    """``AKHBAR_LOCK_FILE``, else beside the SQLite store (``<db>.lock``), else ``out/akhbar.lock`` at home."""
    if settings.get("AKHBAR_LOCK_FILE"):
        return Path(settings.get("AKHBAR_LOCK_FILE"))
    url = sqlite_at_home(settings.get("AKHBAR_HOME"), settings.get("DATABASE_URL"))
    if url.startswith(SQLITE_PREFIX):
        database = Path(url.removeprefix(SQLITE_PREFIX))
        return database.with_name(database.name + ".lock")
    return Path(settings.get("AKHBAR_HOME")) / "out" / "akhbar.lock"


class HomeAddon:
    """Applies :func:`resolve_paths` to the process's settings and to every crawler's."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        resolve_paths(settings)

    def update_settings(self, settings: BaseSettings) -> None:
        resolve_paths(settings)
