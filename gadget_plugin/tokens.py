"""Context Service access tokens for the proxy, the way Cisco's connectors get them (reference §2.9 [CSU]).

1. ``GetBearerToken`` trades the machine account's name and password for a bearer assertion.
2. The SAML2-bearer grant trades it, with this mode's client id and secret from the connection data (HTTP
   Basic), for an access token and a refresh token with the Context Service (and KMS) scopes.
3. Before the access token expires, the refresh grant renews it; when that fails, or Context Service
   refuses the token (401), the whole chain runs again.

Renewal is single-flight: one thread renews, outside any lock held while others read; threads whose token
is still valid keep using it meanwhile, threads without a usable token wait for that one renewal, at most
for what is left of their time budget. ``singleflight.SingleFlight`` cannot do those two (its followers
always wait, without a bound), so the renewal keeps its own flight, sharing only the ``Flight`` record. No token,
password or secret is ever logged.
"""

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from . import budget, connection
from .errors import GadgetError, NotRegistered
from .singleflight import Flight

TOKEN_PATH = "/idb/oauth2/v1/access_token"
BEARER_PATH = "/idb/token/{org_id}/v2/actions/GetBearerToken/invoke"
SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
SCOPES = (
    "contact-center-context:pod_write contact-center-context:pod_read webex-squared:kms_read "
    "webex-squared:kms_bind webex-squared:kms_write spark:kms"
)
RENEW_MARGIN_SECONDS = 60
WAIT_SECONDS = 30


@dataclass(frozen=True)
class HeldTokens:
    """The access token in hand, its refresh token and when each expires (monotonic seconds)."""

    access: str
    expires_at: float
    refresh: str
    refresh_expires_at: float

    def __repr__(self) -> str:
        return f"HeldTokens(expires_at={self.expires_at}, refresh_expires_at={self.refresh_expires_at}, <hidden>)"

    def usable(self, now: float, margin: float = 0.0) -> bool:
        """True while the access token has more than ``margin`` seconds left."""
        return now < self.expires_at - margin


class Client(Protocol):
    """What the token source needs of the Context Service client (``cs_client.ContextServiceClient``)."""

    lab_mode: bool
    identity_url: str

    def send(
        self,
        method: str,
        base: str,
        path: str,
        auth: bool = ...,
        params: dict[str, Any] | None = ...,
        json: Any = ...,
        data: dict[str, str] | None = ...,
        headers: dict[str, str] | None = ...,
    ) -> Any: ...


class TokenSource:
    """Machine-account access tokens for the client's mode, renewed before they expire."""

    def __init__(
        self,
        client: Client,
        read_connection_data: Callable[[], str | None],
        read_machine_account: Callable[[], connection.MachineAccount | None],
    ) -> None:
        self.client = client
        self.read_connection_data = read_connection_data
        self.read_machine_account = read_machine_account
        self._tokens: HeldTokens | None = None
        self._flight: Flight[HeldTokens] | None = None
        self._lock = threading.Lock()

    def credentials(self) -> connection.Credentials:
        """This mode's Credentials from the connection data; NotRegistered when there is none."""
        data = self.read_connection_data()
        if not data:
            raise NotRegistered("Finesse is not registered with Context Service: run 'customer-context register'.")
        try:
            both = connection.decode(data)
        except connection.ConnectionDataError as exc:
            raise NotRegistered(f"The stored connection data is unusable: {exc}") from None
        return both["lab" if self.client.lab_mode else "prod"]

    def machine_account(self) -> connection.MachineAccount:
        """The MachineAccount to authenticate as; NotRegistered naming the settings when there is none."""
        account = self.read_machine_account()
        if account is None:
            raise NotRegistered(
                "No machine account: run 'customer-context register --admin-token …' or set "
                "CUSTOMER_CONTEXT_CS_MACHINE_ACCOUNT_NAME and _PASSWORD."
            )
        return account

    def header(self) -> str:
        """``Bearer <access token>``, renewing (single-flight) when none is held or it is about to expire."""
        now = time.monotonic()
        with self._lock:
            tokens, flight = self._tokens, self._flight
            if tokens is not None and tokens.usable(now, RENEW_MARGIN_SECONDS):
                return f"Bearer {tokens.access}"
            leader = flight is None
            if flight is None:
                flight = self._flight = Flight()
        if not leader:
            if tokens is not None and tokens.usable(now):
                return f"Bearer {tokens.access}"  # still valid: no need to wait for the renewal
            return f"Bearer {self._wait(flight).access}"
        return f"Bearer {self._renew(flight, tokens).access}"

    def invalidate(self) -> None:
        """Forget every token (Context Service refused the access token, or a reset): the next call runs the
        whole chain again."""
        with self._lock:
            self._tokens = None

    def _wait(self, flight: Flight[HeldTokens]) -> HeldTokens:
        """The renewal's tokens, waiting at most WAIT_SECONDS or what is left of the request's time budget."""
        deadline = budget.current()
        if not flight.done.wait(min(WAIT_SECONDS, deadline.remaining()) if deadline else WAIT_SECONDS):
            if deadline is not None and deadline.remaining() <= 0:
                raise deadline.spent("the Context Service token")
            raise NotRegistered(f"No Context Service token within {WAIT_SECONDS} s.")
        return _outcome(flight)

    def _renew(self, flight: Flight[HeldTokens], tokens: HeldTokens | None) -> HeldTokens:
        """Run the renewal outside the lock, publish its result to the waiting threads."""
        try:
            flight.result = self._refreshed(tokens) or self._authenticated()
        except GadgetError as exc:
            flight.error = exc
        with self._lock:
            if flight.result is not None:
                self._tokens = flight.result
            self._flight = None
        flight.done.set()
        return _outcome(flight)

    def _refreshed(self, tokens: HeldTokens | None) -> HeldTokens | None:
        """New tokens from the refresh grant, or None when there is no live refresh token or it is refused."""
        if tokens is None or not tokens.refresh or time.monotonic() >= tokens.refresh_expires_at - RENEW_MARGIN_SECONDS:
            return None
        try:
            return self._grant({"grant_type": "refresh_token", "refresh_token": tokens.refresh}, tokens)
        except GadgetError:
            return None  # refused or failed: authenticate from the start

    def _authenticated(self) -> HeldTokens:
        """GetBearerToken with the machine account, then the SAML2-bearer grant."""
        creds, account = self.credentials(), self.machine_account()
        answer = self.client.send(
            "POST",
            self.client.identity_url,
            BEARER_PATH.format(org_id=creds.org_id),
            auth=False,
            json={"name": account.name, "password": account.password},
        )
        assertion = answer.get("BearerToken") if isinstance(answer, dict) else None
        if not assertion:
            raise NotRegistered("Webex answered GetBearerToken without a BearerToken.")
        return self._grant({"grant_type": SAML2_BEARER, "assertion": assertion, "scope": SCOPES})

    def _grant(self, form: dict[str, str], previous: HeldTokens | None = None) -> HeldTokens:
        creds = self.credentials()
        basic = base64.b64encode(f"{creds.client_id}:{creds.client_secret}".encode()).decode()
        body = self.client.send(
            "POST",
            self.client.identity_url,
            TOKEN_PATH,
            auth=False,
            data=form,
            headers={"Authorization": f"Basic {basic}"},
        )
        now = time.monotonic()
        if not isinstance(body, dict) or not body.get("access_token"):
            raise NotRegistered("Webex answered the token request without an access_token.")
        refresh = body.get("refresh_token") or (previous.refresh if previous else "")
        refresh_expires_at = (
            now + float(body["refresh_token_expires_in"])
            if "refresh_token_expires_in" in body
            else (previous.refresh_expires_at if previous else now + float(body.get("expires_in", 3600)))
        )
        return HeldTokens(
            access=body["access_token"],
            expires_at=now + float(body.get("expires_in", 3600)),
            refresh=refresh,
            refresh_expires_at=refresh_expires_at,
        )


def _outcome(flight: Flight[HeldTokens]) -> HeldTokens:
    """The finished renewal's tokens, or its error raised."""
    if flight.error is not None:
        raise flight.error
    if flight.result is None:  # a renewal ends with one or the other; this only keeps the type honest
        raise NotRegistered("The Context Service token renewal ended without a token.")
    return flight.result
