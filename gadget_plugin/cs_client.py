"""HTTP client of Context Service: bearer tokens, lab-mode header, timeouts, retries, error mapping.

It only ever calls the configured Context Service base URLs with paths it builds itself from fixed
segments and validated ids: the proxy is never an open proxy.
"""

import logging
import re
import time
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote

import requests

from . import budget
from .errors import (
    Conflict,
    GadgetError,
    NotEntitled,
    NotFound,
    NotRegistered,
    PayloadTooLarge,
    RequestClosed,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
    ValidationFailed,
)
from .connection import MachineAccount
from .outcomes import Outcomes
from .tokens import TOKEN_PATH, TokenSource
from .transport import Answer, Transport

log = logging.getLogger(__name__)

OBJECT_TYPES = ("customer", "request", "pod", "detail")
ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
RETRY_STATUSES = {500, 502, 503, 504}
DICTIONARY_LIST_KEYS = ("items", "results", "fields", "fieldsets")
TRACKING_HEADER = "trackingid"
POOL_SIZE = 32  # connections kept per host when the caller does not size the pool
HOSTS = 4  # Context Service, dictionary, identity broker, registration: one pool each


class Session(Protocol):
    """What the client calls to send: ``transport.Transport``, or a test's recording stand-in."""

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = ...,
        json: Any = ...,
        data: dict[str, str] | None = ...,
        headers: dict[str, str] | None = ...,
        timeout: float | None = ...,
    ) -> Answer | requests.Response: ...


class ContextServiceClient:
    """One pooled transport to Context Service for the whole process: per host, ``pool_size`` keep-alive
    connections (as many as calls may run at once, see ``bulkheads.calls_at_once``), so a call finds an open
    connection instead of paying a new one."""

    def __init__(
        self,
        config: dict[str, Any],
        read_connection_data: Callable[[], str | None],
        read_machine_account: Callable[[], MachineAccount | None] = lambda: None,
        session: Session | None = None,
        pool_size: int = POOL_SIZE,
    ) -> None:
        self.base_url = config["CONTEXT_SERVICE_URL"]
        self.dictionary_url = config["DICTIONARY_URL"]
        self.identity_url = config["IDENTITY_URL"]
        self.lab_mode = config["LAB_MODE"]
        self.timeout = config["CS_TIMEOUT_SECONDS"]
        self.retries = config["CS_RETRIES"]
        self.backoff = config["CS_BACKOFF_SECONDS"]
        self.session: Session = session or Transport(config["CS_PROXY_URL"], pool_size, HOSTS, config["VERIFY_TLS"])
        self.tokens = TokenSource(self, read_connection_data, read_machine_account)
        self.outcomes = Outcomes()

    # Object API -------------------------------------------------------------------------------------------
    def create(self, object_type: str, body: dict[str, Any]) -> Any:
        """``POST /context/v1/{type}`` → ``{id, refUrl, lastUpdated}``."""
        return self.send("POST", self.base_url, f"/context/v1/{_type(object_type)}", json=body)

    def get(self, object_type: str, object_id: str) -> Any:
        """``GET /context/v1/{type}/{id}`` → the wire object."""
        return self.send("GET", self.base_url, f"/context/v1/{_type(object_type)}/{_id(object_id)}")

    def update(self, object_type: str, object_id: str, body: dict[str, Any]) -> Any:
        """``PUT /context/v1/{type}/{id}`` with the object's ``lastUpdated`` → the answer body."""
        return self.send("PUT", self.base_url, f"/context/v1/{_type(object_type)}/{_id(object_id)}", json=body)

    def delete(self, object_type: str, object_id: str) -> Any:
        """``DELETE /context/v1/{type}/{id}`` (Context Service allows it in lab mode only) → ``{}``."""
        return self.send("DELETE", self.base_url, f"/context/v1/{_type(object_type)}/{_id(object_id)}")

    def search(self, object_type: str, params: dict[str, Any]) -> list[Any]:
        """``GET /context/v1/{type}?q=…`` → the list of wire objects.

        The real service answers a bare JSON array [CSU test/test.js reads ``rsp.length``, ``rsp[0]``]; an
        envelope holding the list (``objects``, ``data``, ``items`` or ``results``) is read as well."""
        body = self.send("GET", self.base_url, f"/context/v1/{_type(object_type)}", params=params)
        return _listed(body, "objects", "data", "items", "results")

    def ping(self) -> Any:
        """``GET /context/v1/ping`` without a token: is the service reachable?"""
        return self.send("GET", self.base_url, "/context/v1/ping", auth=False)

    # Dictionary -------------------------------------------------------------------------------------------
    def fields(self) -> list[Any]:
        """Every field of the org's dictionary (wire shape)."""
        return _listed(
            self.send(
                "GET", self.dictionary_url, "/dictionary/field/v1/search", params={"q": "id:*", "maxEntries": 1500}
            ),
            *DICTIONARY_LIST_KEYS,
        )

    def fieldsets(self) -> list[Any]:
        """Every fieldset of the org's dictionary (wire shape)."""
        return _listed(
            self.send(
                "GET", self.dictionary_url, "/dictionary/fieldset/v1/search", params={"q": "id:*", "maxEntries": 1500}
            ),
            *DICTIONARY_LIST_KEYS,
        )

    # Transport --------------------------------------------------------------------------------------------
    def send(
        self,
        method: str,
        base: str,
        path: str,
        auth: bool = True,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """One call with retries (idempotent methods only, and only while the request's time budget lasts) and a
        new token once on 401; errors mapped. Object-API outcomes feed the live error rate. ``headers`` are
        added to the request's (the token source's HTTP Basic client credentials)."""
        idempotent = method in ("GET", "HEAD", "DELETE")
        attempts = 1 + (self.retries if idempotent else 0)
        deadline = budget.current()
        what = f"{method} {path}"
        token_retry = auth
        attempt = 0
        while True:
            attempt += 1
            timeout = deadline.timeout_for(self.timeout, what) if deadline else self.timeout
            sent = {
                "Accept": "application/json",
                "cisco-context-labmode": "true" if self.lab_mode else "false",
                **(headers or {}),
            }
            if auth:
                sent["Authorization"] = self.tokens.header()
            try:
                response = self.session.request(
                    method,
                    base + path,
                    params=params,
                    json=json,
                    data=data,
                    headers=sent,
                    timeout=timeout,
                )
            except requests.Timeout:
                self._note(base, path, ok=False)
                if self._retry(attempt, attempts, deadline):
                    continue
                error = (
                    deadline.spent(what)
                    if deadline is not None and timeout < self.timeout
                    else UpstreamTimeout(f"Context Service did not answer {what} within {self.timeout:g} s.")
                )
                if not idempotent:  # the write was sent: only Context Service knows whether it was stored
                    error.message += " It may have been stored: send it again with the same Idempotency-Key."
                raise error from None
            except requests.RequestException as exc:
                self._note(base, path, ok=False)
                if self._retry(attempt, attempts, deadline):
                    continue
                raise UpstreamUnavailable(f"Context Service cannot be reached ({type(exc).__name__}).") from None
            _log_call(method, path, response)
            self._note(base, path, ok=response.status_code < 500)
            if response.status_code in RETRY_STATUSES and self._retry(attempt, attempts, deadline):
                continue
            if response.status_code == 401 and token_retry:
                token_retry = False
                self.tokens.invalidate()
                continue
            return _answer(response, method, path)

    def _retry(self, attempt: int, attempts: int, deadline: budget.Deadline | None) -> bool:
        """Pause before another attempt when one is left and the budget allows it; False: give up now."""
        pause = self.backoff * (2 ** (attempt - 1))
        if attempt >= attempts or (deadline and not deadline.allows(pause)):
            return False
        time.sleep(pause)
        return True

    def _note(self, base: str, path: str, ok: bool) -> None:
        # Only the object API: token calls may share its host (they do in the mock) but say nothing about it.
        if base == self.base_url and path.startswith("/context/"):
            self.outcomes.record(ok)


def _log_call(method: str, path: str, response: Answer | requests.Response) -> None:
    """One line per call with Context Service's ``trackingid`` (what Cisco support asks for); never a token."""
    if not log.isEnabledFor(logging.INFO):
        return  # the line's fields are not even gathered
    log.info(
        "context service call",
        extra={
            "cs_method": method,
            "cs_path": path,
            "cs_status": response.status_code,
            "cs_tracking_id": response.headers.get(TRACKING_HEADER),
            "cs_ms": round(response.elapsed.total_seconds() * 1000, 1),
        },
    )


def _type(object_type: str) -> str:
    if object_type not in OBJECT_TYPES:
        raise ValueError(f"unknown Context Service type {object_type!r}")
    return object_type


def _id(object_id: str) -> str:
    if not isinstance(object_id, str) or not ID_PATTERN.match(object_id):
        raise NotFound(f"No object with id {str(object_id)[:80]!r}.")
    return quote(object_id)


def _listed(body: Any, *keys: str) -> list[Any]:
    """The list an answer holds: the answer itself when it is an array, else the first list under ``keys``."""
    if isinstance(body, list):
        return body
    for key in keys:
        if isinstance(body.get(key), list):
            return body[key]
    return []


def _answer(response: Answer | requests.Response, method: str, path: str) -> Any:
    """The JSON body of a successful answer, or the proxy's error for a failed one."""
    status = response.status_code
    try:
        body = response.json() if response.content else {}
    except ValueError:
        body = None
    if 200 <= status < 300:
        if body is None:
            raise UpstreamError(f"Context Service answered {method} {path} with something that is not JSON.")
        if method == "POST" and isinstance(body, dict) and response.headers.get("Location"):
            body.setdefault("refUrl", response.headers["Location"])  # a create's answer may name it only there
        return body
    raise _mapped_error(status, body if isinstance(body, dict) else {}, method, path)


def _mapped_error(status: int, body: dict[str, Any], method: str, path: str) -> GadgetError:
    wire: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
    wire_type = str(wire.get("type") or "")
    message = str(wire.get("message") or f"HTTP {status}")
    if status == 404:
        # An answer, not a fault (an unknown id, the status probe's id that never exists): the call's info line
        # says it; a warning every few seconds would drown the real ones.
        return NotFound(f"Context Service: {message}")
    log.warning(
        "context service error", extra={"cs_status": status, "cs_type": wire_type, "cs_path": path, "cs_method": method}
    )
    if status in (409, 412):  # a stale lastUpdated: 409 is inferred (reference §2.3), 412 is HTTP's own word for it
        return Conflict(
            "Someone else changed this object; load their changes and try again.", current=wire.get("current")
        )
    if wire_type == "OBJECT_CLOSED":
        return RequestClosed(f"Context Service: {message}")
    if wire_type == "NOT_ENTITLED":
        return NotEntitled("The organisation is not entitled to Context Service.")
    if wire_type == "NOT_REGISTERED":
        return NotRegistered("Finesse is deregistered from Context Service: register it again.")
    if path.endswith("/GetBearerToken/invoke") and status in (400, 401, 403, 404):
        return NotRegistered(
            "Webex refused the machine account (GetBearerToken): check its name and password, "
            "or register again ('customer-context register')."
        )
    if status == 401 and path == TOKEN_PATH:
        return NotRegistered(
            "Context Service does not accept the stored connection data: register again ('customer-context register')."
        )
    if status in (400, 403) and path == TOKEN_PATH:
        return NotRegistered(f"Webex refused the token request: {message}")
    if status == 401:
        return UpstreamError("Context Service refused the proxy's bearer token.")
    if status == 413:
        return PayloadTooLarge(f"Context Service: {message}")
    if status == 400:
        return ValidationFailed(
            f"Context Service refused the data: {message}", field=wire.get("field"), limit=wire.get("limit")
        )
    if status in (502, 503, 504):
        return UpstreamUnavailable(f"Context Service is unavailable (HTTP {status}); try again shortly.")
    if status == 403:
        return UpstreamError(f"Context Service refused the call: {message}")
    if status >= 500:
        return UpstreamError(f"Context Service failed: HTTP {status} {wire_type}".strip())
    return GadgetError(f"Context Service: {message}")
