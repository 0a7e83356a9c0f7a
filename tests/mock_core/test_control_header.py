"""Both mocks refuse the CORS preflight a page of another site needs before it may send ``X-Mock-Control``
(issue #10: a cross-site ``POST /_mock/reset`` wiped Context Service and signed agents out)."""

import pytest
import requests


@pytest.mark.parametrize("mock", ["finesse", "controlhub"])
def test_cors_preflight_to_the_control_api_is_refused(mock, request):
    """OPTIONS /_mock/reset with Origin and Access-Control-Request-Headers: 403 and no CORS allowance."""
    server = request.getfixturevalue(mock)
    response = requests.options(
        server.url + "/_mock/reset",
        timeout=10,
        headers={
            "Origin": "http://127.0.0.1:1",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-mock-control",
        },
    )
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
