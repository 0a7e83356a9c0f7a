"""The proxy's Context Service tokens: the machine-account chain (reference §2.9 [CSU lib/machine-account.js]),
renewal before expiry, one renewal at a time, re-authentication on 401, no secret in the logs."""

import json
import threading
import time


from gadget_plugin import get_backend, tokens


def _counting(monkeypatch, cs, delay=0.0):
    """Count the token calls the client sends (by kind), each slowed by ``delay`` seconds."""
    counts = {"bearer": 0, "saml2": 0, "refresh": 0}
    send = cs.send

    def counted(method, base, path, **kwargs):
        if path.endswith("/GetBearerToken/invoke"):
            counts["bearer"] += 1
        elif path == tokens.TOKEN_PATH:
            counts["saml2" if kwargs["data"]["grant_type"] == tokens.SAML2_BEARER else "refresh"] += 1
        if path.startswith("/idb/"):
            time.sleep(delay)
        return send(method, base, path, **kwargs)

    monkeypatch.setattr(cs, "send", counted)
    return counts


def test_first_token_runs_get_bearer_token_then_the_saml2_bearer_grant(gadget, monkeypatch):
    """No token held: GetBearerToken with the machine account, then the SAML2-bearer grant; no refresh."""
    cs = get_backend(gadget.app).cs
    cs.tokens.invalidate()
    counts = _counting(monkeypatch, cs)
    assert cs.tokens.header().startswith("Bearer ")
    assert counts == {"bearer": 1, "saml2": 1, "refresh": 0}


def test_concurrent_callers_share_one_renewal(gadget, monkeypatch):
    """Eight threads needing a token at once cause one GetBearerToken and one grant (single flight); all get
    the same token."""
    cs = get_backend(gadget.app).cs
    cs.tokens.invalidate()
    counts = _counting(monkeypatch, cs, delay=0.2)
    headers, start = [], threading.Barrier(8)

    def call():
        start.wait()
        headers.append(cs.tokens.header())

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(headers) == 8 and len(set(headers)) == 1
    assert counts == {"bearer": 1, "saml2": 1, "refresh": 0}


def test_token_about_to_expire_is_renewed_with_the_refresh_grant(gadget, monkeypatch):
    """Within the renewal margin the refresh grant renews the token; the machine account is not asked again."""
    cs = get_backend(gadget.app).cs
    cs.tokens.invalidate()
    first = cs.tokens.header()
    held = cs.tokens._tokens
    monkeypatch.setattr(
        cs.tokens,
        "_tokens",
        tokens.HeldTokens(held.access, time.monotonic() + 5, held.refresh, held.refresh_expires_at),
    )
    counts = _counting(monkeypatch, cs)
    renewed = cs.tokens.header()
    assert renewed != first and counts == {"bearer": 0, "saml2": 0, "refresh": 1}


def test_refused_refresh_falls_back_to_the_whole_chain(gadget, monkeypatch):
    """A refresh token Webex no longer accepts: the proxy authenticates from the start instead of failing."""
    cs = get_backend(gadget.app).cs
    cs.tokens.invalidate()
    cs.tokens.header()
    held = cs.tokens._tokens
    monkeypatch.setattr(
        cs.tokens, "_tokens", tokens.HeldTokens(held.access, time.monotonic() + 5, "revoked", held.refresh_expires_at)
    )
    counts = _counting(monkeypatch, cs)
    assert cs.tokens.header().startswith("Bearer ")
    assert counts == {"bearer": 1, "saml2": 1, "refresh": 1}


def test_access_token_refused_with_401_is_replaced_and_the_call_succeeds(api, customer, controlhub, monkeypatch):
    """The cloud stops accepting the held token (it expired on the cloud's clock): the 401 makes the proxy
    authenticate again and the agent's call still succeeds."""
    controlhub.control(
        "POST", "/clock", json={"advanceSeconds": controlhub.app.config["TOKEN_TTL_SECONDS"] + 1}
    ).raise_for_status()
    assert api.ok("GET", f"/customers/{customer['id']}")["id"] == customer["id"]


def test_token_flow_logs_no_password_secret_or_token(gadget, log_lines):
    """The whole chain leaves no machine-account password, client secret, assertion or token in the log."""
    backend = get_backend(gadget.app)
    backend.cs.tokens.invalidate()
    header = backend.cs.tokens.header()
    refresh = backend.cs.tokens._tokens.refresh
    lines = log_lines()
    assert [line for line in lines if line["message"] == "context service call"]  # the calls were logged
    text = json.dumps(lines)
    account = backend.machine_account()
    creds = backend.cs.tokens.credentials()
    for secret in (account.password, creds.client_secret, header.split()[1], refresh):
        assert secret not in text
    assert "password=<hidden>" in repr(account)
