"""Connections are reused end to end (issue #14 item 4), counted over real HTTP at the servers that accept them.

The proxy's Context Service client keeps its connections to the cloud open between calls (a pool per host, as
big as the bulkheads let calls run at once), and the gadget server keeps an agent's connection open between the
gadget's calls. Before, each Context Service call and each gadget call opened a new TCP connection (the servers
answered ``Connection: close``), which the proxy and the mock cloud paid for in CPU at every call.
"""

from gadget_plugin import get_backend
from gadget_plugin.bulkheads import FANOUT_THREADS_PER_SLOT

from .conftest import AgentClient, basic_auth


def look_up(client):
    """One look-up of a caller nobody has (one Context Service search)."""
    client.ok("GET", "/customers/lookup", params={"phone": "+15550009999"})


def test_proxy_calls_to_context_service_one_after_another_reuse_one_connection(gadget, controlhub_server):
    client = AgentClient(gadget.url, basic_auth())
    look_up(client)  # the pool holds an open connection from here on (and the token is in hand)
    before = controlhub_server.thread.accepted
    for _ in range(4):
        look_up(client)
    assert controlhub_server.thread.accepted == before


def test_gadget_calls_one_after_another_reuse_the_agents_connection(gadget):
    client = AgentClient(gadget.url, basic_auth())
    look_up(client)
    before = gadget.thread.accepted
    for _ in range(4):
        look_up(client)
    assert gadget.thread.accepted == before


def test_the_context_service_pool_holds_every_call_the_bulkheads_let_run_at_once(gadget):
    config = gadget.app.config
    at_once = FANOUT_THREADS_PER_SLOT * sum(
        config[key] for key in ("READ_POOL_SIZE", "WRITE_POOL_SIZE", "PROBE_POOL_SIZE")
    )
    transport = get_backend(gadget.app).cs.session
    assert transport.pool_size >= at_once  # a smaller pool closes the connections beyond it
