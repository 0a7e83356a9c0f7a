"""The one Python client of the mocks' control API (``/_mock/…``): tests, the demo, screenshots, benchmarks.

Both mocks refuse a control call without the request header ``X-Mock-Control: 1`` (a browser cannot send it
cross-site without a CORS preflight, which the mocks refuse too), so every caller goes through here.
"""

from typing import Any

import requests

CONTROL_HEADERS = {"X-Mock-Control": "1"}


def mock_control(
    base_url: str, method: str, path: str, session: requests.Session | None = None, **kwargs: Any
) -> requests.Response:
    """Send ``method`` to ``base_url + "/_mock" + path`` with the control header (10 s timeout unless given);
    ``kwargs`` go to ``requests`` (``json=``, ``data=``, ``headers=``…); the ``requests`` response."""
    kwargs.setdefault("timeout", 10)
    kwargs["headers"] = {**CONTROL_HEADERS, **(kwargs.get("headers") or {})}
    return (session or requests).request(method, f"{base_url}/_mock{path}", **kwargs)
