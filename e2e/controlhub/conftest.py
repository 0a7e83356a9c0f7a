"""Fixtures of the Control Hub browser tests: a page already signed in as the Control Hub admin."""

import re
from urllib.parse import urlsplit

import pytest
import requests


@pytest.fixture(scope="session")
def admin_session_cookie(controlhub_server):
    """The admin's session cookie, signed in once over HTTP (resets keep it valid: it lives in the cookie)."""
    cfg = controlhub_server.app.config
    with requests.Session() as http:
        form = http.get(controlhub_server.url + "/signin", timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        answer = http.post(
            controlhub_server.url + "/signin",
            allow_redirects=False,
            timeout=10,
            data={"csrf_token": token, "email": cfg["ADMIN_EMAIL"], "password": cfg["ADMIN_PASSWORD"]},
        )
        assert answer.status_code == 302, answer.text
        cookie = http.cookies.get("session")
    return {"name": "session", "value": cookie, "domain": urlsplit(controlhub_server.url).hostname, "path": "/"}


@pytest.fixture()
def admin_page(page, controlhub, admin_session_cookie):
    """The Playwright page with the admin signed in to the (reset) mock Control Hub."""
    page.context.add_cookies([admin_session_cookie])
    return page
