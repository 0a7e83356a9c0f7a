"""Agent authentication: the agent's own Finesse credentials, checked against the configured Finesse.

The gadget sends what finesse.js gives it (``Authorization: Basic <b64 id:password>``, or ``Bearer <SSO
token>`` with ``X-Finesse-Agent-Id``). The proxy calls ``GET /finesse/api/User/{id}`` on the configured
Finesse servers with exactly those credentials; a 200 with a matching ``<loginId>`` proves the agent. A
success is cached for a short time under a SHA-256 of the credentials, never the credentials themselves.
"""

import base64
import binascii
import hashlib
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

import requests
from lxml import etree

from . import budget
from .errors import Unauthorized, UpstreamUnavailable

AGENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MAX_CACHED_AGENTS = 10_000  # beyond this, expired entries are swept before adding another


@dataclass(frozen=True)
class Agent:
    """A verified Finesse agent."""

    id: str
    first_name: str
    last_name: str

    @property
    def display_name(self) -> str:
        """``First Last`` or the id when Finesse has no name."""
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.id


class AgentVerifier:
    """Checks agent credentials with Finesse and remembers successes for ``cache_seconds``."""

    def __init__(
        self,
        finesse_urls: Iterable[str],
        timeout: float,
        cache_seconds: float,
        session: requests.Session | None = None,
        verify_tls: bool = True,
    ) -> None:
        self.finesse_urls = list(finesse_urls)
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self.session = session or requests.Session()
        self.session.trust_env = False  # Finesse is called directly, never through an environment proxy
        self.verify_tls = verify_tls
        self._cache: dict[str, tuple[float, Agent]] = {}  # credentials' hash: (expires, agent)
        self._lock = threading.Lock()

    def verify(self, authorization: str | None, agent_id_header: str | None = None) -> Agent:
        """The Agent for these request headers, or Unauthorized naming what is wrong."""
        if not authorization:
            raise Unauthorized("Missing Authorization header: send the agent's Finesse credentials (Basic or Bearer).")
        agent_id = claimed_agent_id(authorization, agent_id_header)
        key = hashlib.sha256(f"{authorization}\n{agent_id}".encode()).hexdigest()
        cached = self._cached(key)
        if cached:
            return cached
        agent = self._ask_finesse(authorization, agent_id)
        with self._lock:
            if len(self._cache) >= MAX_CACHED_AGENTS:
                self._drop_expired()
            self._cache[key] = (time.monotonic() + self.cache_seconds, agent)
        return agent

    def _drop_expired(self) -> None:
        now = time.monotonic()
        for key in [key for key, (expires, _) in self._cache.items() if expires <= now]:
            del self._cache[key]

    def reset(self) -> None:
        """Forget every cached success."""
        with self._lock:
            self._cache.clear()

    def _cached(self, key: str) -> Agent | None:
        with self._lock:
            entry = self._cache.get(key)
            if entry and entry[0] > time.monotonic():
                return entry[1]
            self._cache.pop(key, None)
            return None

    def _ask_finesse(self, authorization: str, agent_id: str) -> Agent:
        last_error: Exception | None = None
        for base in self.finesse_urls:
            try:
                response = self.session.get(
                    f"{base}/finesse/api/User/{quote(agent_id)}",
                    headers={"Authorization": authorization, "Accept": "application/xml"},
                    timeout=budget.capped(self.timeout),
                    verify=self.verify_tls,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                last_error = exc
                continue  # try the secondary Finesse
            if response.status_code == 200:
                return _agent_from_user_xml(response.content, agent_id)
            if response.status_code in (401, 403, 404):
                raise Unauthorized("Finesse did not accept the agent's credentials.")
            last_error = RuntimeError(f"HTTP {response.status_code}")
        raise UpstreamUnavailable(f"Finesse could not verify the agent ({last_error}).")


def claimed_agent_id(authorization: str, agent_id_header: str | None) -> str:
    """The agent id the headers claim: from Basic credentials, or ``X-Finesse-Agent-Id`` with Bearer."""
    scheme, _, value = authorization.partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        agent_id = _basic_user(value.strip())
        if agent_id_header and agent_id_header != agent_id:
            raise Unauthorized("X-Finesse-Agent-Id does not match the Basic credentials.")
    elif scheme == "bearer" and value.strip():
        agent_id = (agent_id_header or "").strip()
        if not agent_id:
            raise Unauthorized("A Bearer token needs the agent id in X-Finesse-Agent-Id.")
    else:
        raise Unauthorized("Authorization must be 'Basic <base64 id:password>' or 'Bearer <token>'.")
    if not AGENT_ID_PATTERN.match(agent_id):
        raise Unauthorized("The agent id is not a valid Finesse user id.")
    return agent_id


def _basic_user(encoded: str) -> str:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized("Basic credentials are not valid base64 of 'id:password'.") from None
    user, sep, password = decoded.partition(":")
    if not sep or not user or not password:
        raise Unauthorized("Basic credentials must be 'id:password'.")
    return user


def _agent_from_user_xml(content: bytes, agent_id: str) -> Agent:
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise UpstreamUnavailable("Finesse answered the User request with something that is not XML.") from None
    login_id = root.findtext("loginId") or root.findtext("id")
    if root.tag != "User" or login_id != agent_id:
        raise Unauthorized("Finesse returned a different user for these credentials.")
    return Agent(id=agent_id, first_name=root.findtext("firstName") or "", last_name=root.findtext("lastName") or "")
