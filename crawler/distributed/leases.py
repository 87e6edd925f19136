"""Which queue entries this worker holds, and when each one's work is done.

An entry is done when its callback (or errback) has returned all its output, every item
it yielded has come out of the item pipelines, and its follow-up requests are queued
(they are queued as they are yielded). A request that comes back to the scheduler as a
retry or a redirect is done once its replacement is queued. Done entries are
acknowledged only after the store has written them (see ``worker.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import scrapy

LEASE = "akhbar_lease"  # request.meta key: the queue entry a request came from


@dataclass
class Lease:
    outstanding: int = 0  # items yielded and not yet out of the pipelines
    output_done: bool = False


class LeaseBook:
    """This worker's leases; ``done`` holds the entry ids ready to acknowledge."""

    def __init__(self) -> None:
        self.held: dict[str, Lease] = {}
        self.done: list[str] = []
        self.ripe: list[str] = []  # done since before the previous take_done

    def take(self, entry_id: str, request: scrapy.Request) -> scrapy.Request:
        """``request`` from entry ``entry_id``, its callbacks wrapped to report when its work is done."""
        self.held[entry_id] = Lease()
        request.meta[LEASE] = entry_id
        return request.replace(
            callback=self._wrap(entry_id, request.callback), errback=self._wrap(entry_id, request.errback)
        )

    def replaced(self, entry_id: str) -> None:
        """A retry or redirect of the entry's request is queued: the entry is done."""
        self._finish_output(entry_id)

    def item_done(self, entry_id: str) -> None:
        lease = self.held.get(entry_id)
        if lease is not None:
            lease.outstanding -= 1
            self._settle(entry_id, lease)

    def ids(self) -> list[str]:
        """Every entry this worker must keep its lease on: working, or done and not yet acknowledged."""
        return [*self.held, *self.ripe, *self.done]

    def take_done(self, everything: bool = False) -> list[str]:
        """Entries to acknowledge: those done one call ago, or all done ones (``everything``, at close).

        The wait of one call covers the last request a callback yields: the callback's output
        ends when that request is handed on, a moment before the scheduler queues it.
        """
        if everything:
            ready, self.ripe, self.done = [*self.ripe, *self.done], [], []
        else:
            ready, self.ripe, self.done = self.ripe, self.done, []
        return ready

    def _finish_output(self, entry_id: str) -> None:
        lease = self.held.get(entry_id)
        if lease is not None:
            lease.output_done = True
            self._settle(entry_id, lease)

    def _settle(self, entry_id: str, lease: Lease) -> None:
        if lease.output_done and lease.outstanding <= 0:
            del self.held[entry_id]
            self.done.append(entry_id)

    def _wrap(self, entry_id: str, inner: Callable[..., Any] | None) -> Callable[..., Any]:
        book = self

        def leased(result: Any, **kwargs: Any) -> Any:
            try:
                output = inner(result, **kwargs) if inner is not None else result
            except BaseException:
                book._finish_output(entry_id)
                raise
            if isinstance(output, Iterable) and not isinstance(output, str | bytes | dict):
                return book._track(entry_id, output)
            book._finish_output(entry_id)
            return output  # None, or the Failure itself when there is no errback: Scrapy logs it

        leased.inner = inner  # type: ignore[attr-defined]
        return leased

    def _track(self, entry_id: str, output: Iterable[Any]) -> Iterator[Any]:
        try:
            for each in output:
                if not isinstance(each, scrapy.Request) and each is not None:
                    lease = self.held.get(entry_id)
                    if lease is not None:
                        lease.outstanding += 1
                yield each
        finally:
            self._finish_output(entry_id)


def unwrapped(request: scrapy.Request) -> scrapy.Request:
    """A leased request with the spider's own callbacks again, for serializing a retry or redirect."""
    return request.replace(
        callback=getattr(request.callback, "inner", request.callback),
        errback=getattr(request.errback, "inner", request.errback),
    )


def entry_of(response: Any) -> str | None:
    """The lease an item signal's ``response`` (a Response, or a Failure with ``request``) belongs to."""
    request = getattr(response, "request", None)
    return request.meta.get(LEASE) if request is not None else None
