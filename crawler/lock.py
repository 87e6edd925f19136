"""One run at a time per store: an exclusive ``flock`` on a file beside it.

The kernel drops a ``flock`` when its holder dies, even under ``kill -9``, so a
crashed run never leaves a stale lock. The holder writes its pid and start time
into the file so that a refused run can say who holds it and since when.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType


class LockHeld(Exception):
    """Another run holds the lock; the message names it."""


class RunLock:
    """``with RunLock(path):`` holds the lock for the block, or raises :class:`LockHeld` at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 4096).decode("utf-8", "replace")
            os.close(fd)
            raise LockHeld(f"another run holds {self.path}: {describe_holder(holder)}") from None
        os.ftruncate(fd, 0)
        since = datetime.now(UTC).isoformat(timespec="seconds")
        os.write(fd, json.dumps({"pid": os.getpid(), "since": since}).encode())
        self.fd = fd
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the flock; the file stays for the next run
            self.fd = None


def describe_holder(text: str) -> str:
    """``pid 1234 since 2026-12-06T01:00:00+00:00`` from the lock file's content, whatever state it is in."""
    try:
        holder = json.loads(text)
        return f"pid {int(holder['pid'])} since {holder['since']}"
    except (ValueError, KeyError, TypeError):
        return "holder unknown (it is still starting)"
