"""Structured logs: one JSON object per line, an access line per request, never a credential or secret."""

import json

from gadget_plugin import connection, get_backend


def test_each_request_logs_one_json_access_line(api, log_lines):
    """method, path, status, duration, agent id and request id."""
    response = api.call("GET", "/status")
    access = [line for line in log_lines() if line["logger"] == "gadget_plugin.access"]
    assert access[-1]["method"] == "GET" and access[-1]["path"] == "/api/v1/status"
    assert access[-1]["status"] == 200 and access[-1]["agent"] == "1001"
    assert access[-1]["requestId"] == response.headers["X-Request-Id"] and access[-1]["ms"] >= 0


def test_logs_never_contain_credentials_or_the_context_service_secret(api, gadget, customer, log_lines, basic):
    """A fresh token fetch, a Context Service error and a refused login leave no secret in the log."""
    gadget.reset()
    api.call("GET", f"/customers/{customer['id']}")
    api.call("GET", "/customers/0b7a5f55-0000-4000-8000-000000000000")
    api.session.headers["Authorization"] = basic("1001", "wrong-password")
    api.call("GET", "/status")
    text = json.dumps(log_lines())
    creds = connection.decode(get_backend(gadget.app).connection_data())
    secrets = [
        creds["prod"].client_secret,
        creds["lab"].client_secret,
        "demo1001",
        "wrong-password",
        basic().split()[1],
        get_backend(gadget.app).cs.tokens.header().split()[1],
    ]
    assert all(secret not in text for secret in secrets)
    assert any(line.get("cs_status") == 404 for line in log_lines())


def test_each_context_service_call_logs_its_tracking_id(api, customer, log_lines):
    """Every call to Context Service logs method, path, status and the answer's ``trackingid`` header, which
    Cisco support asks for [CSU commit fd317df: answers carry ``trackingid``]."""
    api.ok("GET", f"/customers/{customer['id']}")
    calls = [line for line in log_lines() if line["message"] == "context service call"]
    assert calls, log_lines()
    lookup = [line for line in calls if line["cs_path"] == f"/context/v1/customer/{customer['id']}"]
    assert lookup and lookup[-1]["cs_method"] == "GET" and lookup[-1]["cs_status"] == 200
    assert all(line["cs_tracking_id"] for line in calls)


def test_status_probe_and_unknown_ids_log_no_warning(api, gadget, log_lines, faults):
    """The status probe reads an id that never exists: its 404 (like any unknown id's) is an info line, not a
    "context service error" warning every few seconds; a real failure still warns."""
    gadget.reset()
    api.ok("GET", "/status")
    api.call("GET", "/customers/0b7a5f55-0000-4000-8000-000000000000")
    lines = log_lines()
    assert [line for line in lines if line.get("cs_status") == 404 and line["message"] == "context service call"]
    assert not [line for line in lines if line["level"] == "WARNING"], lines
    faults(errorRate=1, status=500, only="GET customer")
    api.call("GET", "/customers/0b7a5f55-0000-4000-8000-000000000000")
    assert [line for line in log_lines() if line["level"] == "WARNING" and line.get("cs_status") == 500]
