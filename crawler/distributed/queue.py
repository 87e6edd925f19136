"""The run's request queue: a Redis stream read through a consumer group, so a taken request is a lease.

scrapy-redis pops a request and it is gone; a worker killed mid-crawl loses it. Here
``XREADGROUP`` hands an entry to one worker and keeps it in the group's pending list
until that worker ``XACK``\\ s it; an entry whose lease was not renewed for the lease
length is taken over with ``XAUTOCLAIM`` by any worker. Adding a request and recording
its fingerprint in the dupefilter is one atomic script, so no kill can leave a request
marked seen but never queued.
"""

from __future__ import annotations

import json
from typing import Any

import scrapy
from redis import Redis
from redis.exceptions import ResponseError
from scrapy_redis.queue import Base

from crawler.distributed.serialization import encode_request

GROUP = "workers"
FIELD = "r"

# KEYS: dupefilter set, stream. ARGV: fingerprint ('' = do not filter), entry.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', 'r', ARGV[2])
return 1
"""
# KEYS: stream. ARGV: group, consumer, entry ids. Resets the idle time of the entries this
# consumer still holds; returns the ids another worker has taken over meanwhile.
_RENEW = """
local lost = {}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
"""


# KEYS: stream. ARGV: group, consumer, entry ids. Acknowledges and deletes the entries this consumer
# still holds; an entry another worker took over stays with it (XACK alone ignores the owner).
_ACK = """
local acked = 0
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == ARGV[2] then
    redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
    redis.call('XDEL', KEYS[1], ARGV[i])
    acked = acked + 1
  end
end
return acked
"""


class LeasedStreamQueue(Base):
    """scrapy-redis's queue interface over a stream and its consumer group; entries are JSON."""

    def __init__(self, server: Redis, spider: scrapy.Spider, key: str, serializer: Any = None) -> None:
        # Base wants a serializer; encode_request/decode_request do the JSON with their checks.
        super().__init__(server, spider, key, serializer=json)
        self.consumer = ""
        self.lease_ms = 0
        self._push = server.register_script(_PUSH)
        self._renew = server.register_script(_RENEW)
        self._ack = server.register_script(_ACK)

    def join(self, consumer: str, lease_seconds: float) -> None:
        """Read as ``consumer``; leases idle longer than ``lease_seconds`` are taken over."""
        self.consumer, self.lease_ms = consumer, int(lease_seconds * 1000)
        self._ensure_group()

    def _ensure_group(self) -> None:
        try:
            self.server.xgroup_create(self.key, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def __len__(self) -> int:
        """Entries queued or leased: acknowledged entries are deleted, so the stream holds only work left."""
        return int(self.server.xlen(self.key))

    def push(self, request: scrapy.Request, fingerprint: str | None, seen_key: str) -> bool:
        """Queue ``request`` unless ``fingerprint`` is already in the set ``seen_key``; False when it was.

        ``fingerprint=None`` queues unconditionally (``dont_filter``, retries)."""
        data = encode_request(request, self.spider)
        return bool(self._push(keys=[seen_key, self.key], args=[fingerprint or "", data]))

    def pop(self, timeout: int = 0) -> tuple[str, bytes, bool] | None:
        """The next new entry, else an expired lease of another worker: ``(entry id, data, reclaimed)``."""
        try:
            got = self.server.xreadgroup(GROUP, self.consumer, {self.key: ">"}, count=1)
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            return None  # the run was ended by another worker: nothing left to take
        for _stream, entries in got or []:
            for entry_id, fields in entries:
                return _text(entry_id), fields.get(FIELD.encode(), b""), False
        _next, claimed, *_deleted = self.server.xautoclaim(
            self.key, GROUP, self.consumer, self.lease_ms, start_id="0-0", count=1
        )
        for entry_id, fields in claimed:
            if fields:  # a deleted entry comes back empty
                return _text(entry_id), fields.get(FIELD.encode(), b""), True
        return None

    def renew(self, entry_ids: list[str]) -> list[str]:
        """Extend this worker's leases; the ids it no longer holds."""
        if not entry_ids:
            return []
        return [_text(i) for i in self._renew(keys=[self.key], args=[GROUP, self.consumer, *entry_ids])]

    def ack(self, entry_ids: list[str]) -> int:
        """Work done: out of the pending list and out of the stream, for the entries still ours."""
        if not entry_ids:
            return 0
        return int(self._ack(keys=[self.key], args=[GROUP, self.consumer, *entry_ids]))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
