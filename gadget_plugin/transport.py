"""The proxy's HTTP transport to Context Service: urllib3's keep-alive connection pools, used directly.

``requests.Session.request`` spent more of the proxy's CPU on each call than the call's own HTTP work (merging
session settings, preparing and re-parsing the URL and its parameters, cookies, hooks: with its adapter about
half of a gunicorn worker's CPU under ``bench/bench_load.py``, sampled with py-spy). The proxy needs none of
it: it builds its URLs itself, sends no cookies and follows no redirects. ``Transport.request`` takes the
arguments the client used to give ``requests``, answers an ``Answer`` read the same way (``status_code``,
``headers``, ``content``, ``json()``, ``elapsed``) and raises ``requests``' exceptions, so the client, its tests
and a ``requests.Session`` passed in its place all work alike.

A call goes straight to its host's connection pool with the path and query only: ``PoolManager.urlopen`` parses
and re-encodes the whole absolute URL character by character on every call (a fifth of the proxy's CPU per
Context Service call, measured with cProfile), although the client built it from fixed segments, quoted ids
and ``urlencode``. Through an HTTP proxy (``CS_PROXY_URL``) the manager's own path is kept: the proxy needs
the absolute form.
"""

import datetime
import json as jsonlib
import time
from typing import Any
from urllib.parse import urlencode

import certifi
import requests
import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError

# What requests sends by default (User-Agent, Accept-Encoding, Accept, Connection), kept for the wire's sake.
DEFAULT_HEADERS = dict(requests.utils.default_headers())


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


class Transport:
    """Keep-alive pools of at most ``pool_size`` connections per host (up to ``hosts`` hosts), through
    ``proxy_url`` when given; TLS certificates checked against certifi's bundle (requests' own) unless ``verify_tls`` is off."""

    def __init__(self, proxy_url: str | None, pool_size: int, hosts: int, verify_tls: bool = True) -> None:
        options: dict[str, Any] = {"num_pools": hosts, "maxsize": pool_size, "block": False, "retries": False}
        if verify_tls:
            options.update(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
        else:
            options.update(cert_reqs="CERT_NONE")
        self.pool_size = pool_size
        self.pools = urllib3.ProxyManager(proxy_url, **options) if proxy_url else urllib3.PoolManager(**options)
        self.direct = not proxy_url
        self._hosts: dict[str, urllib3.HTTPConnectionPool] = {}  # "scheme://host:port" → its pool

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
        sent = {**DEFAULT_HEADERS, **(headers or {})}
        body = None
        if json is not None:
            body = jsonlib.dumps(json, allow_nan=False).encode()
            sent.setdefault("Content-Type", "application/json")
        elif data is not None:
            body = urlencode(data).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if params:
            url += "?" + urlencode(params, doseq=True)
        opener, target = self._opener(url)
        started = time.perf_counter()
        try:
            raw = opener(  # body and query are encoded above: no need for request()'s encoders
                method,
                target,
                body=body,
                headers=sent,
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

    def _opener(self, url: str) -> tuple[Any, str]:
        """``(urlopen, target)`` of a call: the host's pool and the path with its query (the manager and the whole
        URL through an HTTP proxy, or for a URL without a path)."""
        scheme, sep, rest = url.partition("://")
        host, slash, path = rest.partition("/")
        if not self.direct or not sep or not slash:
            return self.pools.urlopen, url
        origin = f"{scheme}://{host}"
        pool = self._hosts.get(origin)
        if pool is None or pool.pool is None:  # new, or closed by the manager (more hosts than it keeps)
            pool = self._hosts[origin] = self.pools.connection_from_url(origin)
        return pool.urlopen, "/" + path
