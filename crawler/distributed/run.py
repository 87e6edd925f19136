"""A run's Redis keys, and how a run ends: by name, so a worker that comes late does not start it over.

A run is named by ``AKHBAR_REDIS_RUN`` (empty: the UTC date the worker starts, so a daily
schedule names its runs by itself). Each archive of the run has its own keys,
``akhbar:<run>:<archive>:…`` where ``<archive>`` is a hash of its start URLs: a request is
only ever taken by a spider built with that archive's arguments (tag, zone, date order).
Ending an archive's run deletes its queue (``:requests``) and fingerprints (``:seen``)
and leaves ``:done``, atomically; its summed stats (``:stats``) and ``:done`` stay a week.
A worker that starts an archive already done does nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from redis import Redis

from crawler.runs import archive_key

KEEP_SECONDS = 7 * 24 * 3600  # how long a finished run's stats and done mark stay

# KEYS: done, requests, seen. ARGV: keep seconds, finish time.
_END = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
"""


def run_name(setting: str) -> str:
    """``AKHBAR_REDIS_RUN``, or today's UTC date when it is empty."""
    return setting or datetime.now(UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class RunKeys:
    base: str  # akhbar:<run>:<archive>

    @classmethod
    def of(cls, run: str, start_urls: Sequence[str]) -> RunKeys:
        archive = hashlib.sha1(archive_key(start_urls).encode()).hexdigest()[:16]
        return cls(f"akhbar:{run_name(run)}:{archive}")

    @property
    def requests(self) -> str:
        return f"{self.base}:requests"

    @property
    def seen(self) -> str:
        return f"{self.base}:seen"

    @property
    def stats(self) -> str:
        return f"{self.base}:stats"

    @property
    def done(self) -> str:
        return f"{self.base}:done"

    def finished(self, server: Redis) -> bool:
        return bool(server.exists(self.done))

    def end(self, server: Redis) -> bool:
        """Mark the run done and drop its queue and fingerprints; False when another worker already did."""
        script = server.register_script(_END)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return bool(script(keys=[self.done, self.requests, self.seen], args=[KEEP_SECONDS, now]))

    def add_stats(self, server: Redis, deltas: dict[str, int]) -> None:
        """Add a worker's counts since its last call to the run's sums."""
        pipe = server.pipeline()
        for name, delta in deltas.items():
            pipe.hincrby(self.stats, name, delta)
        pipe.expire(self.stats, KEEP_SECONDS)
        pipe.execute()

    def summed_stats(self, server: Redis) -> dict[str, int]:
        return {k.decode(): int(v) for k, v in server.hgetall(self.stats).items()}
