"""No password reaches the log, in any spelling of a connection string."""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Iterator

import pytest

from crawler.redaction import install_redaction, redact
from tests.support import run_crawl, scrapy_command

SECRET = "s3cret-Pa55"
SPELLINGS = [
    f"postgresql://akhbar:{SECRET}@db.internal:5432/news",
    f"postgres://akhbar@db.internal/news?sslmode=require&password={SECRET}",
    f"postgresql://akhbar@db.internal/news?password={SECRET}&sslmode=require",
    f"host=db.internal port=5432 user=akhbar password={SECRET} dbname=news",
    f"host=db.internal password='{SECRET} with space' dbname=news",
    f"host=db.internal password = {SECRET}",
    f"PGPASSWORD={SECRET} psql",
    f"redis://:{SECRET}@127.0.0.1:6379/0",
    f"rediss://worker:{SECRET}@cache.internal:6380/1",
    f"redis://127.0.0.1:6379/0?password={SECRET}",
    f"{{'REDIS_URL': 'redis://:{SECRET}@10.0.0.5:6379'}}",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_redact_hides_every_spelling(text):
    clean = redact(text)
    assert SECRET not in clean
    assert "***" in clean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://akhbar:s3cret@db.internal:5432/news", "postgresql://akhbar:***@db.internal:5432/news"),
        ("redis://:pw@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("host=h password=pw dbname=d", "host=h password=*** dbname=d"),
        ("postgresql://u@h/d?password=pw&sslmode=require", "postgresql://u@h/d?password=***&sslmode=require"),
    ],
)
def test_redact_keeps_the_rest_readable(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://postgres@127.0.0.1/test",
        "https://www.example.com/tag/قمة/?page=2",
        "Crawled 12 pages (at 3 pages/min), scraped 40 items",
    ],
)
def test_redact_leaves_text_without_secrets_alone(text):
    assert redact(text) == text


@pytest.fixture
def redacted_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root = logging.getLogger("redaction-test")
    root.handlers, root.propagate = [handler], False
    before = logging.getLogRecordFactory()
    install_redaction()
    installed = logging.getLogRecordFactory()
    install_redaction()  # idempotent: the filter runs once per record
    assert logging.getLogRecordFactory() is installed
    yield root, stream
    logging.setLogRecordFactory(before)


@pytest.mark.parametrize("text", SPELLINGS)
def test_filter_redacts_messages_arguments_and_tracebacks(redacted_log, text):
    root, stream = redacted_log
    child = root.getChild("store")  # a child logger's record is filtered by the handler too
    child.error("connecting to %s failed", text)
    child.warning(f"inline: {text}")
    try:
        raise ConnectionError(f"cannot reach {text}")
    except ConnectionError:
        child.exception("giving up")
    child.info("stack", stack_info=True, extra={"unused": text})
    out = stream.getvalue()
    assert SECRET not in out
    assert out.count("***") >= 3
    assert "ConnectionError: cannot reach" in out  # the traceback is still written


SPIDER = textwrap.dedent(
    """
    import logging
    import scrapy

    SPELLINGS = {spellings!r}

    class SecretLogger(scrapy.Spider):
        name = "secret_logger"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.logger.error("spider built; database %s unavailable", SPELLINGS[0])  # before any component

        async def start(self):
            for text in SPELLINGS:
                self.logger.error("database %s unavailable", text)
                logging.getLogger("redis").warning("queue at " + text)
                try:
                    raise RuntimeError("connection to " + text + " refused")
                except RuntimeError:
                    self.logger.exception("traceback follows")
            return
            yield
    """
)


def test_a_crawl_logs_no_password_in_any_spelling(tmp_path):
    spider = tmp_path / "secret_logger.py"
    spider.write_text(SPIDER.format(spellings=SPELLINGS), encoding="utf-8")
    db = f"DATABASE_URL=sqlite:///{tmp_path / 'db.sqlite3'}"
    result = scrapy_command("runspider", str(spider), "-s", db, "-s", "AKHBAR_FEED_URI=")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    assert output.count("unavailable") == len(SPELLINGS) + 1  # every line was written...
    assert output.count("RuntimeError: connection to") == len(SPELLINGS)
    assert SECRET not in output  # ...and none carries the password


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://akhbar@127.0.0.1:1/test?password={SECRET}",
        f"host=127.0.0.1 port=1 user=akhbar password={SECRET} dbname=test",
    ],
)
def test_a_failed_store_logs_no_password(tmp_path, url):
    args = {"url": "https://www.seed-news.example/tag/x/"}
    result = run_crawl(args, tmp_path / "o.jsonl", "REPLAY_MODE=replay", f"DATABASE_URL={url}")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "password=***" in output
    assert SECRET not in output
