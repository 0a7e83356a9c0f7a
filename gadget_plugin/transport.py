"""The proxy's HTTP transport to Context Service: keep-alive connections per host, ``http11`` on the wire.

``requests.Session.request`` spent more of the proxy's CPU on each call than the call's own HTTP work (merging
session settings, preparing and re-parsing the URL and its parameters, cookies, hooks: with its adapter about
half of a gunicorn worker's CPU under ``bench/bench_load.py``, sampled with py-spy); urllib3 used directly still
spent ≈ 0.4 ms a call (``http11``'s docstring). The proxy needs none of it: it builds its URLs itself from fixed
segments, quoted ids and ``urlencode``, sends no cookies and follows no redirects. ``Transport.request`` takes
the arguments the client used to give ``requests``, answers an ``Answer`` read the same way (``status_code``,
``headers``, ``content``, ``json()``, ``elapsed``) and raises ``requests``' exceptions, so the client, its tests
and a ``requests.Session`` passed in its place all work alike.

A call straight to its host takes an idle connection of that host (one the host closed meanwhile is dropped,
as urllib3 does) or opens one, and gives it back after a whole answer while the host keeps at most
``pool_size`` idle. Through an HTTP proxy (``CS_PROXY_URL``) urllib3's ``ProxyManager`` is kept: the proxy needs
the absolute form, and HTTPS through it a CONNECT tunnel.
"""

import datetime
import json as jsonlib
import ssl
import threading
import time
import weakref
from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

import certifi
import requests
import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError

from . import http11

# What requests sends by default (User-Agent, Accept-Encoding, Accept, Connection), kept for the wire's sake.
DEFAULT_HEADERS = dict(requests.utils.default_headers())
_DEFAULT_FIELDS = {name.lower(): (name, value) for name, value in DEFAULT_HEADERS.items()}
# The fields that frame the request on the wire: the transport's own (``http11.request_head``, ``Host``),
# never a caller's, which would be sent beside them.
FRAMING = frozenset({"host", "content-length", "transfer-encoding"})


class Answer:
    """One HTTP answer: ``status_code``, ``headers`` (case-insensitive), ``content``, ``json()``, ``elapsed``."""

    def __init__(self, status_code: int, headers: Any, content: bytes, elapsed: datetime.timedelta) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.elapsed = elapsed

    def json(self) -> Any:
        """The body parsed as JSON (ValueError when it is not)."""
        return jsonlib.loads(self.content)


class Host:
    """The idle keep-alive connections to one ``scheme://host[:port]``, at most ``keep`` of them."""

    def __init__(self, origin: str, keep: int, tls: ssl.SSLContext | None) -> None:
        scheme, self.name, self.port = http11.split_origin(origin)
        self.header = http11.host_header(scheme, origin.partition("://")[2])
        self.keep = keep
        self.tls = tls if scheme == "https" else None
        self._idle: list[http11.Connection] = []
        self._lock = threading.Lock()
        weakref.finalize(self, _close_all, self._idle)  # a transport dropped without close() leaks no socket

    def take(self, timeout: float | None) -> http11.Connection:
        """The most recently used idle connection the host has not closed, else a new one."""
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                return http11.Connection(self.name, self.port, self.tls, timeout)
            if not connection.dropped():
                return connection
            connection.close()

    def give_back(self, connection: http11.Connection) -> None:
        """Keep a connection that can carry another request (while fewer than ``keep`` are idle), else close it."""
        if connection.reusable:
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append(connection)
                    return
        connection.close()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle = self._idle[:]
            self._idle.clear()
        _close_all(idle)


class Transport:
    """Keep-alive connections, at most ``pool_size`` idle per host (up to ``hosts`` hosts), through ``proxy_url``
    when given; TLS certificates checked against certifi's bundle (requests' own) unless ``verify_tls`` is off."""

    def __init__(self, proxy_url: str | None, pool_size: int, hosts: int, verify_tls: bool = True) -> None:
        self.pool_size = pool_size
        self.hosts = hosts
        self.proxy: urllib3.ProxyManager | None = None
        if proxy_url:
            options: dict[str, Any] = {"num_pools": hosts, "maxsize": pool_size, "block": False, "retries": False}
            if verify_tls:
                options.update(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
            else:
                options.update(cert_reqs="CERT_NONE")
            self.proxy = urllib3.ProxyManager(proxy_url, **options)
        self.tls = http11.tls_context(verify_tls, certifi.where())
        self._hosts: OrderedDict[str, Host] = OrderedDict()  # "scheme://host:port" → its idle connections
        self._lock = threading.Lock()

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Answer:
        """One call, never retried nor redirected; ``requests.Timeout`` / ``requests.ConnectionError`` when it
        gets no answer."""
        fields = _fields(headers)
        body = None
        if json is not None:
            body = jsonlib.dumps(json, allow_nan=False).encode()
            fields.setdefault("content-type", ("Content-Type", "application/json"))
        elif data is not None:
            body = urlencode(data).encode()
            fields.setdefault("content-type", ("Content-Type", "application/x-www-form-urlencoded"))
        sent = dict(fields.values())
        if params:
            url += "?" + urlencode(params, doseq=True)
        started = time.perf_counter()
        scheme, sep, rest = url.partition("://")
        origin, slash, path = rest.partition("/")
        if self.proxy is not None:
            return self._through_proxy(self.proxy, method, url, body, sent, timeout, started)
        if not sep or scheme not in ("http", "https"):
            raise requests.exceptions.InvalidURL(f"not an http(s) URL: {url[:80]!r}")
        status, answer_headers, content = self._straight(
            f"{scheme}://{origin}", method, slash + path, body, sent, timeout
        )
        return Answer(status, answer_headers, content, datetime.timedelta(seconds=time.perf_counter() - started))

    def _straight(
        self, origin: str, method: str, target: str, body: bytes | None, headers: dict[str, str], timeout: float | None
    ) -> tuple[int, Any, bytes]:
        host = self._host(origin)
        try:
            connection = host.take(timeout)
        except TimeoutError as exc:
            raise requests.ConnectTimeout(f"{origin}: {exc}") from None
        except OSError as exc:  # refused, unresolvable, TLS refused
            raise requests.ConnectionError(f"{origin}: {type(exc).__name__}: {exc}") from None
        try:
            answer = connection.exchange(method, target or "/", {**host.header, **headers}, body, timeout)
        except TimeoutError as exc:
            connection.close()
            raise requests.ReadTimeout(f"{origin}: {exc}") from None
        except OSError as exc:
            connection.close()
            raise requests.ConnectionError(f"{origin}: {type(exc).__name__}: {exc}") from None
        except BaseException:
            connection.close()
            raise
        host.give_back(connection)
        return answer

    def _host(self, origin: str) -> Host:
        """The origin's connections; the least recently used host's are closed beyond ``hosts`` hosts."""
        with self._lock:
            host = self._hosts.get(origin)
            if host is None:
                host = self._hosts[origin] = Host(origin, self.pool_size, self.tls)
                if len(self._hosts) > self.hosts:
                    self._hosts.popitem(last=False)[1].close()
            else:
                self._hosts.move_to_end(origin)
            return host

    def _through_proxy(
        self,
        manager: urllib3.ProxyManager,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float | None,
        started: float,
    ) -> Answer:
        try:
            raw = manager.urlopen(  # body and query are encoded above: no need for request()'s encoders
                method,
                url,
                body=body,
                headers=headers,
                timeout=urllib3.Timeout(connect=timeout, read=timeout),
                redirect=False,
                retries=False,
            )
        except NewConnectionError as exc:  # a subclass of ConnectTimeoutError: refused, unresolvable
            raise requests.ConnectionError(str(exc)) from None
        except ConnectTimeoutError as exc:
            raise requests.ConnectTimeout(str(exc)) from None
        except ReadTimeoutError as exc:
            raise requests.ReadTimeout(str(exc)) from None
        except (HTTPError, OSError) as exc:
            raise requests.ConnectionError(f"{type(exc).__name__}: {exc}") from None
        elapsed = datetime.timedelta(seconds=time.perf_counter() - started)
        return Answer(raw.status, raw.headers, raw.data, elapsed)


def _fields(headers: dict[str, str] | None) -> dict[str, tuple[str, str]]:
    """``{lower-cased name: (name, value)}`` of ``DEFAULT_HEADERS`` with the caller's ``headers`` over them, names
    compared case-insensitively (RFC 9110 §5.1; the caller's spelling kept); the caller's ``FRAMING`` fields are
    left out: the transport computes them."""
    fields = dict(_DEFAULT_FIELDS)
    for name, value in (headers or {}).items():
        lower = name.lower()
        if lower not in FRAMING:
            fields[lower] = (name, value)
    return fields


def _close_all(connections: list[http11.Connection]) -> None:
    """Close these connections."""
    for connection in connections:
        connection.close()
