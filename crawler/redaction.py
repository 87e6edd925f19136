"""Secrets never reach the log: one filter redacts every record the crawl's log handlers write.

A password can be spelled in a connection string in several ways, and any of them
can end up in a log line, an exception message or a traceback:

- URL user info: ``postgresql://user:secret@host/db``, ``redis://:secret@host:6379/0``;
- a query parameter: ``postgresql://user@host/db?password=secret``;
- libpq keyword strings: ``host=db user=akhbar password=secret`` (quoted values too),
  and environment-style names such as ``PGPASSWORD=secret`` or ``REDIS_PASSWORD=secret``.

:func:`redact` replaces each such value with ``***``. It errs on the side of hiding: a
URL with a port and an ``@`` later in its path loses the part before the ``@``.
:class:`RedactingFilter` applies it to the formatted message, the traceback and the stack
of a record; :func:`install_redaction` runs that one filter on every record the process
makes, and :class:`RedactionAddon` installs it before a crawl's first log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

MASK = "***"

# scheme://user:password@ — the user may be empty (redis://:secret@host).
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:@/?#]*):([^\s@]*)@")
# password=..., PGPASSWORD=..., sslpassword=..., pwd=... in a query or a libpq keyword string;
# the value is a quoted string or runs to whitespace, '&', ';', ',' or a closing quote/bracket.
_KEYWORD = re.compile(
    r"""(?i)\b(\w*(?:password|passwd|pwd)|pass)(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,'")\]}]+)"""
)


def redact(text: str) -> str:
    """``text`` with every password in a URL, query string or keyword DSN replaced by ``***``."""
    # Most log lines have neither sign: each pattern runs only where it could match.
    if "@" in text:
        text = _URL_USERINFO.sub(rf"\1:{MASK}@", text)
    if "=" in text:
        text = _KEYWORD.sub(rf"\1\2{MASK}", text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record so its message, traceback and stack carry no password."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactingFilter()


def _redacting_factory(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        _FILTER.filter(record)
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    return factory


def install_redaction() -> None:
    """Run :class:`RedactingFilter` on every log record the process creates, once.

    The filter runs in the record factory rather than on a handler: Scrapy replaces its root
    handler after add-ons and extensions are built, a spider's ``__init__`` logs before any
    of them, and a user may add handlers of their own (``LOG_FILE``, journald). A record that
    is redacted when it is made is redacted for every handler.
    """
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacts", False):
        logging.setLogRecordFactory(_redacting_factory(current))


class RedactionAddon:
    """Installs redaction before anything of the crawl can log.

    ``update_pre_crawler_settings`` runs when ``scrapy crawl`` (or any CrawlerProcess/Runner)
    starts, before the spider is built; ``update_settings`` covers a crawler built on its own.
    """

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        install_redaction()

    def update_settings(self, settings: BaseSettings) -> None:
        install_redaction()
