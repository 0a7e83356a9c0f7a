"""The harness's servers speak HTTP/1.1 with keep-alive (issue #14 item 4), over real loopback HTTP.

werkzeug's development server answers every request with ``Connection: close``, so each call of a client (the
proxy calling Context Service, a browser calling the proxy) paid a new TCP connection and a new thread. Each test
here counts the connections a real ``ServerThread`` accepted. The rules of HTTP/1.1 message framing (RFC 9112
§6 and §9.3, persistent connections) decide when a connection may carry another request: the body of each
request must have been read whole, and a response without ``Content-Length`` ends the connection.
"""

import socket
import struct
import threading
import time

import pytest
import requests
from flask import Flask, Response, request

from finesse_harness import servers
from finesse_harness.servers import ServerThread


UPLOAD_LIMIT = 64 * 1024


def make_app():
    """A small app: an answer of known length, one that ignores its body, an echo, a stream and one that sends
    its second part only once the client has read the first."""
    app = Flask(__name__)
    app.config["first_part_read"] = threading.Event()
    app.config["MAX_CONTENT_LENGTH"] = UPLOAD_LIMIT

    @app.get("/hello")
    def hello():
        return "hello"

    @app.post("/ignore-body")
    def ignore_body():
        return "ignored"

    @app.post("/echo")
    def echo():
        return request.get_data()

    @app.get("/stream")
    def stream():
        return Response((f"part {n}\n" for n in range(3)), mimetype="text/plain")

    @app.get("/events")
    def events():
        def parts():
            yield "first\n"
            if app.config["first_part_read"].wait(5):
                yield "second\n"

        return Response(parts(), mimetype="text/event-stream")

    @app.post("/upload")
    def upload():
        return str(len(request.get_data()))

    @app.get("/goodbye")
    def goodbye():
        return "goodbye", {"Connection": "close", "Keep-Alive": "timeout=5"}

    return app


@pytest.fixture()
def server():
    """A started ServerThread of the small app, stopped after the test."""
    with ServerThread(make_app()) as started:
        yield started


def read_head(sock):
    """Read from ``sock`` up to the end of one answer's head: ``(head, what came after it)``."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, rest = data.split(b"\r\n\r\n", 1)
    return head.decode(), rest


def raw_call(sock, request_bytes):
    """Send one request on ``sock`` and read one answer of known length: ``(head, body)``."""
    sock.sendall(request_bytes)
    head, body = read_head(sock)
    length = next(int(line.split(":")[1]) for line in head.split("\r\n") if line.lower().startswith("content-length"))
    while len(body) < length:
        body += sock.recv(65536)
    return head, body


def test_calls_one_after_another_share_one_connection(server):
    with requests.Session() as session:
        answers = [session.get(server.url + "/hello", timeout=5) for _ in range(5)]
    assert [answer.text for answer in answers] == ["hello"] * 5
    assert "close" not in answers[0].headers.get("Connection", "")
    assert server.accepted == 1


def test_a_body_the_app_never_read_does_not_spill_into_the_next_request(server):
    with requests.Session() as session:
        ignored = session.post(server.url + "/ignore-body", data=b"GET /hello HTTP/1.1\r\n\r\n" * 50, timeout=5)
        echoed = session.post(server.url + "/echo", data=b"second body", timeout=5)
    assert (ignored.text, echoed.text) == ("ignored", "second body")
    assert server.accepted == 1


def test_a_streamed_answer_is_chunked_and_keeps_its_connection(server):
    with requests.Session() as session:
        streamed = session.get(server.url + "/stream", timeout=5)
        after = session.get(server.url + "/hello", timeout=5)
    assert streamed.text == "part 0\npart 1\npart 2\n"
    assert streamed.headers["Transfer-Encoding"] == "chunked"
    assert after.text == "hello"
    assert server.accepted == 1


def test_each_part_of_a_stream_leaves_as_the_app_yields_it(server):
    with requests.get(server.url + "/events", stream=True, timeout=5) as answer:
        lines = answer.iter_lines()
        assert next(lines) == b"first"  # read while the app still holds back the second part
        server.app.config["first_part_read"].set()
        assert next(lines) == b"second"


def test_a_body_too_large_to_buffer_is_answered_and_ends_its_connection(server, monkeypatch):
    monkeypatch.setattr(servers, "BODY_BUFFER_BYTES", 1024)
    with requests.Session() as session:
        ignored = session.post(server.url + "/ignore-body", data=b"x" * 200_000, timeout=5)
        echoed = session.post(server.url + "/echo", data=b"small", timeout=5)
    assert (ignored.status_code, ignored.text, ignored.headers["Connection"]) == (200, "ignored", "close")
    assert echoed.text == "small"
    assert server.accepted == 2


def test_an_http_1_0_client_gets_its_connection_closed(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        head, body = raw_call(sock, b"GET /hello HTTP/1.0\r\nHost: x\r\n\r\n")
        assert head.startswith("HTTP/1.1 200") and body == b"hello"
        assert sock.recv(1) == b""


def test_pipelined_requests_are_answered_in_order_on_one_connection(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
        )
        data = b""
        while not data.endswith(b"two"):
            data += sock.recv(65536)
    answers = data.split(b"HTTP/1.1 200")[1:]
    assert [answer.rsplit(b"\r\n\r\n", 1)[1] for answer in answers] == [b"one", b"two"]
    assert server.accepted == 1


def test_stopping_the_server_ends_its_idle_connections(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        raw_call(sock, b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        server.stop()
        assert sock.recv(1) == b""  # without it the idle connection would go on serving the stopped app


def test_head_of_a_streamed_route_states_no_length_and_keeps_its_connection(server):
    with requests.Session() as session:
        head = session.head(server.url + "/stream", timeout=5)
        after = session.get(server.url + "/hello", timeout=5)
    assert head.status_code == 200
    assert "Content-Length" not in head.headers  # the GET's length is unknown: 0 would be a false one
    assert after.text == "hello"
    assert server.accepted == 1


def test_an_app_asking_to_close_the_connection_is_answered_and_the_connection_ends(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        head, body = raw_call(sock, b"GET /goodbye HTTP/1.1\r\nHost: x\r\n\r\n")
        assert head.startswith("HTTP/1.1 200") and body == b"goodbye"
        assert "Connection: close" in head.split("\r\n")
        assert "keep-alive:" not in head.lower()  # a hop-by-hop header the app may not set is dropped
        assert sock.recv(1) == b""


def test_an_idle_connection_is_closed_after_the_idle_timeout():
    with ServerThread(make_app(), idle_timeout=0.2) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            raw_call(sock, b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(1) == b""  # within the socket's 5 s: closed by the server, not by this timeout
        with requests.Session() as session:
            assert session.get(server.url + "/hello", timeout=5).text == "hello"


def test_the_default_idle_timeout_is_75_seconds(server):
    assert server.idle_timeout == servers.IDLE_TIMEOUT_SECONDS == 75


def test_a_body_over_the_apps_limit_is_refused_before_100_continue_and_never_sent(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n"
            % (5 * 1024 * 1024)
        )
        head, _ = read_head(sock)
        assert head.startswith("HTTP/1.1 413")  # not "100 Continue": the client keeps its 5 MiB
        assert "Connection: close" in head.split("\r\n")


def test_a_body_within_the_limit_gets_100_continue_then_its_answer_on_a_kept_connection(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        head, rest = read_head(sock)
        assert (head, rest) == ("HTTP/1.1 100 Continue", b"")  # once, and before the body is sent
        head, body = raw_call(sock, b"hello")
        assert head.startswith("HTTP/1.1 200") and body == b"5"
        head, body = raw_call(sock, b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        assert body == b"hello"
    assert server.accepted == 1


def drop_mid_answer(server):
    """Start reading /events, drop the connection with a reset, let the server write its second part to it, and
    wait until the server has ended the connection."""
    sock = socket.create_connection((server.host, server.port))
    sock.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
    read_head(sock)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
    sock.close()
    server.app.config["first_part_read"].set()  # the server now writes to the connection the client dropped
    deadline = time.monotonic() + 5
    while server._server._connections and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not server._server._connections


def test_a_client_gone_mid_answer_is_not_printed_as_an_error(server, capsys):
    """A browser that drops its connection while an answer streams (a page closed, a test ended) is ordinary:
    the server ends that connection without printing a traceback (it printed BrokenPipeError / reset)."""
    drop_mid_answer(server)
    assert "Traceback" not in capsys.readouterr().err


def test_a_client_gone_mid_answer_has_its_socket_closed_when_the_connection_ends(server, monkeypatch):
    """A client gone with part of the answer still unsent (a page closed during a BOSH long poll): the connection's
    socket is closed when the server ends it. The standard library's handler closes its write stream first; that
    close raised (broken pipe), the read stream stayed open and kept the socket open until garbage collection found
    it: pytest's "unclosed socket" ResourceWarning after browser runs."""
    handlers = []
    setup = servers.KeepAliveHandler.setup
    monkeypatch.setattr(servers.KeepAliveHandler, "setup", lambda handler: (handlers.append(handler), setup(handler)))
    drop_mid_answer(server)
    [handler] = handlers
    assert handler.wfile.closed and handler.rfile.closed
    assert handler.connection.fileno() == -1
