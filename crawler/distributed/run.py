"""A run's Redis keys, and run generations: a finished run's keys are never reused.

All keys of a run start with ``akhbar:<AKHBAR_REDIS_RUN>:<spider>``. A counter under
``…:gen`` numbers the runs; the queue (``…:<gen>:requests``), the fingerprints
(``…:<gen>:seen``) and the summed stats (``…:<gen>:stats``) belong to one generation.
Ending a run moves the counter on and deletes its queue and fingerprints, atomically, so
the next command starts a fresh run while a slow worker of the old one still adds its
numbers to the old run's stats.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

STATS_TTL = 7 * 24 * 3600  # seconds a run's summed stats stay readable

# KEYS: gen counter, requests, seen. ARGV: the generation being ended.
_END = """
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
"""


@dataclass(frozen=True)
class RunKeys:
    base: str  # akhbar:<run>:<spider>
    gen: int

    @classmethod
    def current(cls, server: Redis, base: str) -> RunKeys:
        """The keys of the run in progress (or about to start) under ``base``."""
        return cls(base, int(server.get(f"{base}:gen") or 0))

    @property
    def requests(self) -> str:
        return f"{self.base}:{self.gen}:requests"

    @property
    def seen(self) -> str:
        return f"{self.base}:{self.gen}:seen"

    @property
    def stats(self) -> str:
        return f"{self.base}:{self.gen}:stats"

    def end(self, server: Redis) -> bool:
        """Finish this generation; False when another worker already did."""
        script = server.register_script(_END)
        return bool(script(keys=[f"{self.base}:gen", self.requests, self.seen], args=[self.gen]))

    def add_stats(self, server: Redis, stats: dict[str, object]) -> None:
        """One worker's numeric stats into the run's sums."""
        pipe = server.pipeline()
        for name, value in stats.items():
            if isinstance(value, int) and not isinstance(value, bool):
                pipe.hincrby(self.stats, name, value)
        pipe.hincrby(self.stats, "akhbar/distributed/workers", 1)
        pipe.expire(self.stats, STATS_TTL)
        pipe.execute()

    def summed_stats(self, server: Redis) -> dict[str, int]:
        return {k.decode(): int(v) for k, v in server.hgetall(self.stats).items()}
