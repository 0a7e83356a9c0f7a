"""The direct transport in a real browser: fetch from the Finesse origin passes CORS; other origins are blocked."""

import base64

import pytest

FETCH_STATUS = """async ([url, auth]) => {
  try {
    const response = await fetch(url, {mode: "cors", credentials: "omit",
      headers: {"Authorization": auth, "X-Finesse-Agent-Id": "1001", "Content-Type": "application/json"}});
    return {status: response.status, body: await response.json()};
  } catch (error) {
    return {error: error.name};
  }
}"""
AUTH = "Basic " + base64.b64encode(b"1001:demo1001").decode()


def test_fetch_from_the_finesse_origin_reaches_the_proxy(page, gadget, finesse):
    """A page of the configured Finesse calls /api/v1/status with credentials after a CORS preflight."""
    page.goto(finesse.url + "/desktop/assets/js/jquery.min.js")
    result = page.evaluate(FETCH_STATUS, [gadget.url + "/api/v1/status", AUTH])
    assert result["status"] == 200
    assert result["body"]["available"] is True


@pytest.mark.allow_console_errors(r"CORS policy|Failed to load resource|net::ERR_FAILED")
def test_fetch_from_another_origin_is_blocked_by_the_browser(page, gadget, controlhub):
    """A page of any other origin gets no CORS grant: the browser refuses the answer."""
    page.goto(controlhub.url + "/context/v1/ping")
    result = page.evaluate(FETCH_STATUS, [gadget.url + "/api/v1/status", AUTH])
    assert result == {"error": "TypeError"}
