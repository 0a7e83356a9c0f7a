"""What the proxy's transport puts on the wire (``transport.py``), over real HTTP to small recording servers: the
request target a call sends straight to its host (path and query, on that host's kept-alive connection) and the
absolute form an HTTP proxy (``CS_PROXY_URL``) needs (RFC 9112 §3.2.2)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gadget_plugin.transport import Transport


class Recording(BaseHTTPRequestHandler):
    """Answers ``{}`` to every GET and notes its request target and connection."""

    protocol_version = "HTTP/1.1"  # keep-alive, as Context Service

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.targets.append((self.path, self.client_address))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args):
        """Quiet."""


@pytest.fixture()
def recording_server():
    """``recording_server()``: a started server on 127.0.0.1 whose ``targets`` list what it was sent."""
    servers = []

    def start():
        server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
        server.targets = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def url_of(server):
    """The server's base URL."""
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_calls_straight_to_two_hosts_send_path_and_query_on_each_hosts_kept_connection(recording_server):
    """Calls to Context Service and to the identity broker alternate: each host gets only its own calls, each
    as ``/path?query`` with the parameters encoded, all on one connection per host."""
    cloud, identity = recording_server(), recording_server()
    transport = Transport(None, pool_size=4, hosts=4, verify_tls=False)
    for _ in range(3):
        transport.request("GET", url_of(cloud) + "/context/v1/pod", params={"q": 'tags:"a b"', "maxEntries": 2})
        transport.request("GET", url_of(identity) + "/idb/ping")
    assert [path for path, _ in cloud.targets] == ["/context/v1/pod?q=tags%3A%22a+b%22&maxEntries=2"] * 3
    assert [path for path, _ in identity.targets] == ["/idb/ping"] * 3
    assert len({client for _, client in cloud.targets}) == 1
    assert len({client for _, client in identity.targets}) == 1


def test_calls_through_an_http_proxy_send_the_absolute_url_to_the_proxy(recording_server):
    """With ``CS_PROXY_URL`` every call goes to the proxy, naming the whole URL it is for."""
    proxy = recording_server()
    transport = Transport(url_of(proxy), pool_size=4, hosts=4, verify_tls=False)
    answer = transport.request("GET", "http://cs.example.test:8080/context/v1/pod", params={"q": 'id:"x"'})
    assert answer.status_code == 200 and answer.json() == {}
    assert [path for path, _ in proxy.targets] == ["http://cs.example.test:8080/context/v1/pod?q=id%3A%22x%22"]
