"""The gadget container's outbound HTTP (makeRequest, gadget specs and their files): one URL check for both.

A URL is parsed once, checked, and what is fetched is the URL rebuilt from that same parse, so the check and
the connection cannot disagree: userinfo (``http://allowed@other/``), backslashes (``http://a:1\\@b:2/``, which
``urlsplit`` and ``requests`` read differently) and control characters are refused, a malformed port is a 400
naming ``url``. Redirects are followed by hand and every hop is checked again; nothing a refused target sent
comes back to the caller.
"""

import ipaddress
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from flask import request

from .errors import GatewayTimeout, InvalidInput, ProxyForbidden, UpstreamUnavailable

MAX_REDIRECTS = 5
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """A checked http(s) URL: lower-case scheme and host, explicit port, and the exact URL to fetch."""

    scheme: str
    host: str
    port: int
    url: str

    @property
    def origin(self) -> str:
        """``host:port``, the form of the allow-list settings."""
        return f"{self.host}:{self.port}"


def parse_target(url: str) -> Target:
    """The ``Target`` of ``url``; ``InvalidInput`` naming ``url`` for anything that is not a plain http(s) URL."""
    bad = next((c for c in url if c == "\\" or ord(c) < 0x20 or ord(c) == 0x7F), None)
    if bad is not None:
        raise InvalidInput(f"url must not contain backslashes or control characters, found {bad!r}", "url")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidInput(f"url must be an absolute http(s) address, got {url!r}", "url")
    if "@" in parts.netloc:
        raise InvalidInput("url must not carry a user name or password (the part before @ in the host)", "url")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise InvalidInput(f"url has a malformed port in {parts.netloc!r} (a number from 1 to 65535)", "url") from None
    host = parts.hostname
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return Target(scheme, host, port, urlunsplit((scheme, netloc, parts.path or "/", parts.query, "")))


def send(
    method: str,
    url: str,
    is_allowed: Callable[[Target], bool],
    allow_list: str,
    timeout: float,
    headers: Mapping[str, str] | None = None,
    body: str | None = None,
) -> requests.Response:
    """Send one request to ``url`` and follow up to MAX_REDIRECTS redirects, each hop parsed and passed through
    ``is_allowed(target)`` first (else ``ProxyForbidden`` naming the host and the ``allow_list``); the final
    response."""
    for _ in range(MAX_REDIRECTS + 1):
        target = parse_target(url)
        if not is_allowed(target):
            raise ProxyForbidden(
                f"{target.origin} is not on {allow_list}; the container reaches only this Finesse and allowed hosts",
                "url",
            )
        try:
            response = requests.request(
                method, target.url, headers=headers, data=body, timeout=timeout, allow_redirects=False
            )
        except requests.Timeout as exc:
            raise GatewayTimeout(f"{target.url} did not answer within {timeout} seconds", "url") from exc
        except requests.RequestException as exc:
            raise UpstreamUnavailable(f"{target.url} could not be reached: {type(exc).__name__}", "url") from exc
        if not response.is_redirect:
            return response
        url = urljoin(target.url, response.headers["Location"])
        response.close()
        if response.status_code not in (307, 308):
            method, body = "GET", None
    raise UpstreamUnavailable(f"more than {MAX_REDIRECTS} redirects from {url}", "url")


def is_this_server(target: Target) -> bool:
    """True for this server's own port on its bound address or a loopback name.

    Decided from the socket the server listens on, never from the (client-chosen) Host header.
    """
    environ = request.environ
    if str(target.port) != str(environ.get("SERVER_PORT")):
        return False
    if target.host == environ.get("SERVER_NAME"):
        return True
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(target.host, target.port, proto=socket.IPPROTO_TCP)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)
