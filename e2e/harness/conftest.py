"""Fixtures of the harness-security browser tests: a web page of another site (another port of 127.0.0.1)."""

import pytest
from flask import Flask, abort

from finesse_harness.servers import ServerThread


class OtherSite:
    """A web server of another origin that serves whatever page a test gives it (an attacker's page)."""

    def __init__(self):
        self.pages = {}
        app = Flask(__name__)
        app.add_url_rule("/<name>", "page", lambda name: self.pages.get(name) or abort(404))
        self.thread = ServerThread(app).start()
        self.url = self.thread.url

    def serve(self, name, html):
        """Serve ``html`` at ``/<name>``; returns its URL."""
        self.pages[name] = html
        return f"{self.url}/{name}"


@pytest.fixture(scope="session")
def other_site():
    """The other site's server, for the whole run."""
    site = OtherSite()
    yield site
    site.thread.stop()
