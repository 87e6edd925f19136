"""Why distributed mode cannot start, as one line: checked before the crawl, so no traceback."""

from __future__ import annotations

from redis.exceptions import RedisError
from scrapy.settings import Settings
from scrapy_redis.connection import get_redis_from_settings

from crawler.distributed.worker import where


def distributed_problem(settings: Settings) -> str | None:
    """``None`` when ``REDIS_URL`` is unset or the mode can run; else what is wrong."""
    if not settings.get("REDIS_URL"):
        return None
    if not str(settings.get("DATABASE_URL")).startswith(("postgresql://", "postgres://")):
        return "distributed mode (REDIS_URL) needs DATABASE_URL=postgresql://… shared by all workers, not SQLite"
    try:
        server = get_redis_from_settings(settings)
    except ValueError as exc:
        return f"REDIS_URL is not a redis:// URL ({str(exc).split(':')[0]})"
    try:
        server.ping()
    except RedisError as exc:
        return f"Redis {where(server)} unreachable ({type(exc).__name__}): start it or fix REDIS_URL"
    return None
