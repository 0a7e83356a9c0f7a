"""Every server a person opens in a browser has a site icon, so the console shows no 404 for /favicon.ico.
(The kit's console-error guard still excuses the icon probe: tests bring servers of their own without one.)"""

import requests


def test_each_server_answers_favicon_ico_with_an_svg_icon(controlhub, finesse, gadget):
    """GET /favicon.ico: 200 image/svg+xml on mock Finesse, mock Control Hub and the gadget server."""
    for server in (finesse, controlhub, gadget):
        response = requests.get(server.url + "/favicon.ico", timeout=10)
        assert response.status_code == 200, server.url
        assert response.headers["Content-Type"].startswith("image/svg+xml")
        assert response.text.lstrip().startswith("<svg")
