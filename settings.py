"""Defaults a careful operator wants; environments change them with -s or env vars."""

import os

BOT_NAME = "akhbar"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# -s REPLAY_MODE=record|replay (see crawler/replay.py); REPLAY_DIR holds the recordings.
ADDONS = {"crawler.replay.ReplayAddon": 0, "crawler.feeds.DefaultFeedAddon": 10}
REPLAY_MODE = os.environ.get("REPLAY_MODE", "off")
REPLAY_DIR = "fixtures/html"

# Politeness for live crawls. Replay switches delays off.
USER_AGENT = "akhbar/0.1 (Arabic news tag-archive crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
RETRY_TIMES = 2

# The extension runs Python sent to a local port; a crawler has no use for it.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedup.DedupPipeline": 300,
    "pipelines.dates.DatesPipeline": 400,
    "pipelines.storage.SQLitePipeline": 800,
}

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///out/akhbar.sqlite3")
AKHBAR_DB_BATCH_SIZE = 500
# IANA zone for printed times without an offset when the site gives none (-a tz= wins).
AKHBAR_TIMEZONE = os.environ.get("AKHBAR_TIMEZONE", "")

FEED_EXPORT_ENCODING = "utf-8"
# Written when the command line names no feed (-o/-O); %(site)s is the spider's site.
AKHBAR_FEED_URI = os.environ.get("AKHBAR_FEED_URI", "out/feeds/%(site)s/%(time)s.jsonl")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
