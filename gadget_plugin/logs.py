"""Structured logs: one JSON object per line on stderr; one access line per request.

No log line ever carries an Authorization header, a token, a password or the connection data.
"""

import json
import logging
import sys
import time
import uuid

from flask import g, request

STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", ...extra}`` per record."""

    def format(self, record):
        """The record as one line of JSON."""
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in STANDARD_ATTRS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(level):
    """Send the package's logs as JSON to stderr at ``level`` (idempotent)."""
    logger = logging.getLogger("gadget_plugin")
    logger.setLevel(level)
    if not any(getattr(handler, "gadget_json", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.gadget_json = True
        logger.addHandler(handler)
        logger.propagate = False


def register_access_log(app):
    """Log method, path, status, duration, agent and a request id for every request."""
    access = logging.getLogger("gadget_plugin.access")

    @app.before_request
    def start_timer():
        """Note the start time and the request id."""
        g.started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex

    @app.after_request
    def log_request(response):
        """Write the access line; echo the request id."""
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
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response
