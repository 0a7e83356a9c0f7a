"""Waiting for what a gadget or the desktop saves asynchronously, from a test: ``eventually``."""

import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Waits(Protocol):
    """What ``eventually`` waits with: a Playwright ``Page`` (or anything with its ``wait_for_timeout``)."""

    def wait_for_timeout(self, timeout: float) -> Any:
        """Wait ``timeout`` milliseconds."""


def eventually(read: Callable[[], T], ok: Callable[[T], object], timeout: float = 5.0, page: Waits | None = None) -> T:
    """Read until ``ok(value)`` holds or ``timeout`` seconds pass; returns the value, fails with the last one.

    With a ``page`` it waits with ``page.wait_for_timeout``: Playwright's sync API runs ``page.on(...)`` and
    ``page.route(...)`` handlers only while a Playwright call waits, so a list they fill never grows during a
    ``time.sleep`` (and a routed request stays unanswered)."""
    deadline = time.monotonic() + timeout
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        if page is None:
            time.sleep(0.1)
        else:
            page.wait_for_timeout(100)
        value = read()
    if not ok(value):
        raise AssertionError(value)  # explicitly: a test helper must fail under ``python -O`` too
    return value
