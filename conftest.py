"""This project's own fixtures, shared by tests/ and e2e/ (the harness's fixtures come from its plugin)."""

import pytest

from e2e.test_gadget.server import SPEC_PATH, create_app
from finesse_harness.handles import allow_gadget_source, allow_make_request
from finesse_harness.servers import ServerThread

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def test_gadget_server(finesse_server):
    """The test gadget (e2e/test_gadget/) on its own web server, allow-listed for makeRequest and as a gadget
    source; ``.spec_url``."""
    thread = ServerThread(create_app()).start()
    thread.spec_url = thread.url + SPEC_PATH
    allow_make_request(finesse_server, thread.url)
    allow_gadget_source(finesse_server, thread.url)
    yield thread
    thread.stop()
