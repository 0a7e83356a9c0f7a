"""Response headers and the access log of a mock: no framing by other sites, no Referer, no credentials logged.

``protect_pages(app, frameable)`` sends ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'`` on every
response except the paths in ``frameable`` (the mock Finesse's own gadget frames: same origin only), and
``Referrer-Policy: no-referrer`` everywhere, so a URL with credentials never leaves in a ``Referer``.
``redact_access_log()`` keeps credential and token values of query strings out of Werkzeug's access log.
``guard_control_api(bp, refusal)`` makes the control API (``/_mock/``) answer only requests with
``X-Mock-Control: 1``: a page of another site cannot send that header without a CORS preflight, and the
preflight is refused too.
"""

import logging
import re
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, Response, request

CONTROL_HEADER = "X-Mock-Control"
REDACTED = "[redacted]"
# A query parameter (also %-encoded, as inside a url= parameter) whose name says it carries a secret.
SECRET_PARAMETER = re.compile(
    r"((?:[?&;]|%3F|%26)[^=&\s\"]*?(?:pass|pwd|token|secret|auth|credential|key|code|session|sig|ticket)"
    r"[^=&\s\"]*?(?:=|%3D))[^&\s\"]*",
    re.IGNORECASE,
)


def protect_pages(app: Flask, frameable: Iterable[str] = ()) -> None:
    """Add the frame and referrer headers to every response of ``app``; ``frameable`` path prefixes
    may be framed by the same origin only."""

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        same_origin = any(request.path.startswith(prefix) for prefix in frameable)
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN" if same_origin else "DENY")
        ancestors = "frame-ancestors 'self'" if same_origin else "frame-ancestors 'none'"
        policy = response.headers.get("Content-Security-Policy")
        if not policy or "frame-ancestors" not in policy:
            response.headers["Content-Security-Policy"] = f"{policy}; {ancestors}" if policy else ancestors
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def guard_control_api(blueprint: Blueprint, refusal: Callable[[str, str], Exception]) -> None:
    """Refuse every request to ``blueprint`` (preflights included) without ``X-Mock-Control: 1``;
    ``refusal(message, header_name)`` builds the mock's own 403 error."""

    @blueprint.before_request
    def require_control_header() -> None:
        if request.headers.get(CONTROL_HEADER) != "1":
            raise refusal(f"The control API needs the request header {CONTROL_HEADER}: 1.", CONTROL_HEADER)


def redact(text: str) -> str:
    """``text`` with the value of every secret-looking query parameter replaced by ``[redacted]``."""
    return SECRET_PARAMETER.sub(lambda m: m.group(1) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message and arguments through ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact, and let the record through."""
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_access_log() -> None:
    """Install the RedactingFilter on Werkzeug's access log (once per process)."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
