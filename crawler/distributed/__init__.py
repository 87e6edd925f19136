"""Distributed crawling: several workers share one run through Redis (``REDIS_URL``).

Built on scrapy-redis's scheduler and dupefilter, with a Redis Streams consumer
group as the queue so that a worker's requests are leases, not deletions: a worker
that dies mid-crawl loses nothing, its leases expire and another worker takes them.
Requests travel as JSON, never pickle. See docs/operations.md.
"""
