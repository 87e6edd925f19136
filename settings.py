"""Defaults a careful operator wants; environments change them with -s or env vars."""

import os

# Scrapy's cookie middleware asks tldextract for the public suffix list at import; an empty URL
# list makes it use the snapshot bundled with the package, so start-up never touches the network.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

# Every relative path below (store, feeds, runs, lock, dead letters, plan) resolves against this
# folder, never the working directory (crawler/home.py). Default: the project's folder.
AKHBAR_HOME = os.environ.get("AKHBAR_HOME") or os.path.dirname(os.path.abspath(__file__))

BOT_NAME = "akhbar"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# The redaction add-on comes first: no component may log a password before its filter is in place.
# HomeAddon makes every path setting absolute under AKHBAR_HOME before the others read them.
ADDONS = {
    "crawler.redaction.RedactionAddon": -10,
    "crawler.home.HomeAddon": -5,
    "crawler.replay.ReplayAddon": 0,
    "crawler.feeds.DefaultFeedAddon": 10,
    "crawler.distributed.addon.DistributedAddon": 20,
}
# -s REPLAY_MODE=record|replay (see crawler/replay.py); REPLAY_DIR holds the recordings.
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
# A run that grows past this closes cleanly (finish reason memusage_exceeded) and exits 1.
MEMUSAGE_LIMIT_MB = 2048
MEMUSAGE_WARNING_MB = 1536
RETRY_TIMES = 2
# 429 and 503 are retried by crawler/politeness.py with Retry-After and per-site exponential backoff
# (base seconds, doubled each attempt, ±jitter, never above the max); Scrapy's retry keeps the rest.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]
AKHBAR_BACKOFF_HTTP_CODES = [429, 503]
AKHBAR_BACKOFF_BASE = 2.0
AKHBAR_BACKOFF_JITTER = 0.25
AKHBAR_BACKOFF_MAX = 120.0  # caps Retry-After too

# The extension runs Python sent to a local port; a crawler has no use for it.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Arabic text decoded right or the page refused and counted (crawler/encoding.py); 585 sits
# inside HttpCompression (590, so it sees decompressed bytes) and outside MetaRefresh (580).
# The SSRF guard (crawler/ssrf.py) at 950 checks only what the HTTP cache (900) does not answer,
# so a replay never resolves a host.
# Robots availability at 110 sits inside RobotsTxt (100) and outside retries (540, 550), so it sees
# the robots.txt fetch after its last retry. The redirect guard (60) turns off-site requests and
# redirect cycles into errbacks before robots.txt of a foreign host is fetched.
DOWNLOADER_MIDDLEWARES = {
    "crawler.redirects.RedirectGuardMiddleware": 60,
    "crawler.politeness.RobotsAvailabilityMiddleware": 110,
    "crawler.politeness.BackoffMiddleware": 540,
    "crawler.encoding.EncodingMiddleware": 585,
    "crawler.ssrf.SsrfGuardMiddleware": 950,
}
# Non-public addresses (loopback, private, link-local, ...) the crawler may fetch: IPs or networks.
# Empty: none. Tests allow their own server with -s AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1.
AKHBAR_ALLOW_PRIVATE_HOSTS: list[str] = []
# Ports any request may use besides the start URLs' own.
AKHBAR_ALLOWED_PORTS = [80, 443]
# A crawler of web pages has no business reading local files, data: URLs, FTP or S3.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dates.DatesPipeline": 300,
    "pipelines.dedup.DedupPipeline": 400,
    "pipelines.storage.StoragePipeline": 800,
}

# sqlite:///out/akhbar.sqlite3 (embedded) or postgresql://user@host:port/db (shared).
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///out/akhbar.sqlite3")
DATABASE_SCHEMA = os.environ.get("DATABASE_SCHEMA", "")  # PostgreSQL search_path, for tests and tenants
AKHBAR_DB_BATCH_SIZE = 500  # rows per transaction...
AKHBAR_DB_BATCH_SECONDS = 5.0  # ...or a batch this old, whichever comes first
AKHBAR_DB_RETRIES = 3
AKHBAR_DB_RETRY_DELAY = 0.5  # seconds, growing with each attempt
AKHBAR_SQLITE_BUSY_TIMEOUT = 5.0  # seconds SQLite waits for another writer's lock
AKHBAR_DEADLETTER_DIR = "out/deadletter"
# Longest title, excerpt and body kept (characters); longer ones are cut at a word, marked with
# "…" and counted (akhbar/caps/<field>). A 1 MB "title" is an attack or a broken page.
AKHBAR_MAX_TITLE_CHARS = 500
AKHBAR_MAX_EXCERPT_CHARS = 2_000
AKHBAR_MAX_BODY_CHARS = 100_000
# Quotes in titles, excerpts and bodies: "ascii" (" and '), "guillemets" («»), or "keep".
AKHBAR_QUOTE_STYLE = "ascii"
# Same title, same site, different URL within this many days: one republished story.
AKHBAR_DEDUP_TITLE_WINDOW_DAYS = 7
# IANA zone for printed times without an offset when the site gives none (-a tz= wins).
AKHBAR_TIMEZONE = os.environ.get("AKHBAR_TIMEZONE", "")
# How numeric dates are written (DMY, MDY or YMD) when neither -a date_order= nor the profile says.
AKHBAR_DATE_ORDER = "DMY"

FEED_EXPORT_ENCODING = "utf-8"
# Written when the command line names no feed (-o/-O); the %(...)s are spider attributes.
AKHBAR_FEED_URI = os.environ.get("AKHBAR_FEED_URI", "out/feeds/%(site)s/%(tag_slug)s/%(run_id)s.jsonl")
FEED_EXPORTERS = {"jsonlines": "crawler.feeds.JsonLinesExporter", "jsonl": "crawler.feeds.JsonLinesExporter"}
FEED_STORE_EMPTY = False  # an empty run keeps the previous feeds and writes none
FEED_STORAGES = {"": "crawler.feeds.AtomicFileFeedStorage", "file": "crawler.feeds.AtomicFileFeedStorage"}
# The crawl's store (crawler/store_extension.py): the storage and dedup pipelines use it.
EXTENSIONS = {
    "crawler.store_extension.StoreExtension": 100,
    "crawler.feeds.RunManifest": 500,
    "crawler.alerts.Alerts": 510,
    "crawler.monitors.RunMonitors": 520,
}

# Scheduled runs (docs/operations.md): scrapy crawlall reads the plan; one run at a time per store.
AKHBAR_PLAN = "crawls.toml"
AKHBAR_RUNS_DIR = "out/runs"  # <run id>.json and latest.json
AKHBAR_QUARANTINE_DIR = "out/quarantine"  # .part feeds a killed run left behind
AKHBAR_LOCK_FILE = ""  # empty: beside the SQLite store (<db>.lock), else out/akhbar.lock
AKHBAR_PROGRESS_SECONDS = 10.0
# After a killed run, pages it saw may hold entries it never stored: the session turns this off.
AKHBAR_TRUST_KNOWN_PAGES = True
# A host's listing template (crawler/extract/template.py) serves its later pages; every N-th
# listing page of a host still goes through full generic extraction as a spot check (1: every page).
AKHBAR_TEMPLATE_SPOT_CHECK_PAGES = 10
AKHBAR_RUN_ID = ""  # set by the run session; feeds and reports share it
# Alerts from the monitors (crawler/monitors.py): a command fed the alert JSON, and/or a webhook.
AKHBAR_ALERT_COMMAND = os.environ.get("AKHBAR_ALERT_COMMAND", "")
AKHBAR_ALERT_WEBHOOK = os.environ.get("AKHBAR_ALERT_WEBHOOK", "")
AKHBAR_ALERT_TIMEOUT = 10.0
AKHBAR_MONITOR_HISTORY = 5  # earlier runs whose median item count a run is held against
AKHBAR_MONITOR_ITEM_FALL = 0.5  # warning when items fall by more than this share of that median
AKHBAR_MONITOR_UNPARSED_DATES = 0.10  # warning above this share of unparsed dates
AKHBAR_MONITOR_ARTICLE_FAILURES = 0.20  # warning above this share of failed article pages

# Distributed mode (docs/operations.md): with REDIS_URL=redis://host:port/db set, this process is
# one worker of a shared run; the store must then be PostgreSQL.
REDIS_URL = os.environ.get("REDIS_URL", "")
# The run's name: workers with the same name share it; empty is the UTC date (one run a day).
AKHBAR_REDIS_RUN = os.environ.get("AKHBAR_REDIS_RUN", "")
AKHBAR_LEASE_SECONDS = 60  # a taken request not renewed for this long goes back to the queue
AKHBAR_HOST_INTERVAL = 0.25  # seconds between two requests to one host, across all workers
REDIS_PARAMS = {"socket_timeout": 10, "socket_connect_timeout": 5}  # a lost Redis is noticed in seconds

# scrapy serve: read-only feeds, items API and status page (crawler/web/). Local only by default.
AKHBAR_SERVE_HOST = "127.0.0.1"
AKHBAR_SERVE_PORT = 8080
AKHBAR_FEED_PAGE_SIZE = 50  # newest entries in one feed document
AKHBAR_API_PAGE_SIZE = 100  # /api/items rows without ?limit=
AKHBAR_API_MAX_PAGE_SIZE = 1000

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
COMMANDS_MODULE = "crawler.commands"
