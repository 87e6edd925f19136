"""The run's shared dupefilter: scrapy-redis's, minus the wipe on close.

scrapy-redis deletes the fingerprints when any worker closes, which makes every other
worker crawl the run again. The fingerprints live until the run is finished or cleared
(``run.py``).
"""

from __future__ import annotations

from scrapy_redis.dupefilter import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    """Fingerprints in one Redis set per run; adding them is the queue's atomic push."""

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: other workers still need them."""
