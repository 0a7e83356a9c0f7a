"""Both mocks' Werkzeug access line keeps a query's parameter names but not the values of passwords, tokens
and authorization (``mock_core.web.redact_access_log``; issue #10 item 6: no credentials in the access log)."""

import logging
import time

import pytest
import requests

# (server fixture, path, query parameters, a parameter kept as it is, one shown redacted, the secrets not shown)
CASES = [
    pytest.param(
        "finesse",
        "/gadgets/ifr",
        {
            "url": "http://127.0.0.1:1/g.xml?access_token=tok-in-url",
            "up_authorization": "MTAwMTpkZW1vMTAwMQ==",
            "up_authToken": "sso-token-123",
            "password": "demo1001",
            "mid": "3",
        },
        "mid=3",
        "up_authorization=[redacted]",
        ("MTAwMTpkZW1vMTAwMQ", "sso-token-123", "demo1001", "tok-in-url"),
        id="mock_finesse",
    ),
    pytest.param(
        "controlhub",
        "/signin",
        {"access_token": "tok-123", "client_secret": "s3cr3t", "code": "auth-code-9", "next": "/x"},
        "next=",
        "access_token=[redacted]",
        ("tok-123", "s3cr3t", "auth-code-9"),
        id="mock_controlhub",
    ),
]


def access_log_with(caplog, path, seconds=5):
    """The Werkzeug log's lines once they hold the access line of ``path``: the server logs it after it has
    sent the answer, and the connection is kept alive (not closed after the line), so the test waits."""
    deadline = time.monotonic() + seconds
    while path not in (lines := "\n".join(r.getMessage() for r in caplog.records if r.name == "werkzeug")):
        assert time.monotonic() < deadline, lines
        time.sleep(0.02)
    return lines


@pytest.mark.parametrize(("mock", "path", "params", "kept", "redacted", "secrets"), CASES)
def test_access_log_shows_parameter_names_but_no_credentials_or_tokens(
    mock, path, params, kept, redacted, secrets, caplog, request
):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = request.getfixturevalue(mock)
    requests.get(server.url + path, params=params, timeout=10)
    lines = access_log_with(caplog, path)
    assert kept in lines and redacted in lines
    for secret in secrets:
        assert secret not in lines
