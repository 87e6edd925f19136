"""``REDIS_URL`` set: this process becomes one worker of a shared run (the one switch)."""

from __future__ import annotations

from scrapy.settings import Settings

WORKER = "crawler.distributed.worker.DistributedWorker"
POLITENESS = "crawler.distributed.politeness.SharedHostDelayMiddleware"


class DistributedAddon:
    """Swaps in the leased scheduler, the run's dupefilter, the worker and shared politeness."""

    def update_settings(self, settings: Settings) -> None:
        if not settings.get("REDIS_URL"):
            return
        settings.set("SCHEDULER", "crawler.distributed.scheduler.LeasedScheduler", "addon")
        settings.set("SCHEDULER_QUEUE_CLASS", "crawler.distributed.queue.LeasedStreamQueue", "addon")
        settings.set("DUPEFILTER_CLASS", "crawler.distributed.dupefilter.RunDupeFilter", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")  # no worker's close wipes the run
        settings.set_in_component_priority_dict("EXTENSIONS", WORKER, 0)
        # Early, before the robots.txt and download-delay machinery: every download waits its turn.
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", POLITENESS, 50)
