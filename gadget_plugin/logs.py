"""Structured logs: one JSON object per line on stderr; one access line per request.

No log line ever carries an Authorization header, a token, a password or the connection data.
"""

import json
import logging
import sys
import time
import uuid

from flask import Flask, Response, g, request

STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", ...extra}`` per record."""

    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")  # the last second formatted: several lines a call share it

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry = {
            "time": self._time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in STANDARD_ATTRS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)

    def _time(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        cached = self._second
        if cached[0] != second:
            cached = self._second = (second, self.formatTime(record, TIME_FORMAT))
        return cached[1]


def configure(level: str | int) -> None:
    """Send the package's logs as JSON to stderr at ``level`` (idempotent)."""
    logger = logging.getLogger("gadget_plugin")
    logger.setLevel(level)
    if not any(getattr(handler, "gadget_json", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.gadget_json = True  # type: ignore[attr-defined]  # the mark e2e/demo_logs.py also sets and reads
        logger.addHandler(handler)
        logger.propagate = False


def register_access_log(app: Flask) -> None:
    """Log method, path, status, duration, agent and a request id for every request."""
    access = logging.getLogger("gadget_plugin.access")

    @app.before_request
    def start_timer() -> None:
        """Note the start time and the request id."""
        g.started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex

    @app.after_request
    def log_request(response: Response) -> Response:
        """Write the access line (its fields gathered only when it is written); echo the request id."""
        if access.isEnabledFor(logging.INFO):
            _log_access(access, response)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response


def _log_access(access: logging.Logger, response: Response) -> None:
    """The access line of the current request."""
    agent = getattr(g, "agent", None)
    access.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
            "agent": agent.id if agent else None,
            "requestId": g.get("request_id"),
        },
    )
