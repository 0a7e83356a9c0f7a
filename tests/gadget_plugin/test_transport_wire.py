"""The transport's own HTTP/1.1 (``http11.py``) over real sockets: every framing and coding a host may answer
with is read whole, a connection is reused only when the answer allows it, one the host closed while idle is
replaced, and a failure is the ``requests`` exception the client maps (RFC 9112 §6, §7, §9; RFC 9110 §8.4)."""

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import zlib

import pytest
import requests

from gadget_plugin import http11
from gadget_plugin.transport import Transport


class Scripted:
    """A TCP server on 127.0.0.1 answering the n-th request with ``answers[n]`` (raw bytes; None: close the
    connection without answering); ``requests`` holds what each request sent, ``connections`` how many were
    accepted. ``close_after`` closes each connection after that many answers."""

    def __init__(self, answers, close_after=None, tls=None):
        self.answers = list(answers)
        self.close_after = close_after
        self.tls = tls
        self.requests = []
        self.connections = 0
        self.closed = threading.Event()  # set each time the server has closed a connection
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self):
        """The server's base URL."""
        return f"{'https' if self.tls else 'http'}://{'localhost' if self.tls else '127.0.0.1'}:{self.port}"

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn):
        if self.tls:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                conn.close()
                return
        stream = conn.makefile("rb")
        try:
            self._answer(conn, stream)
        finally:
            stream.close()
            conn.close()
            self.closed.set()

    def _answer(self, conn, stream):
        """Answer the requests of one connection in turn, until the script says to close it."""
        served = 0
        while self.answers:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                line = stream.readline()
                if not line:
                    return
                head += line
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            self.requests.append(head + stream.read(length))
            answer = self.answers.pop(0)
            if answer is None:
                return
            conn.sendall(answer)
            served += 1
            if self.close_after and served >= self.close_after:
                return

    def close(self):
        """Stop listening."""
        self.listener.close()


@pytest.fixture()
def scripted():
    """``scripted(answers, …)``: a started ``Scripted`` server, closed after the test."""
    servers = []

    def start(answers, **options):
        servers.append(Scripted(answers, **options))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def answer(body=b"{}", *headers):
    """An HTTP/1.1 200 with ``Content-Length`` and the given extra header lines."""
    lines = [b"HTTP/1.1 200 OK", b"Content-Type: application/json", *headers, b"Content-Length: %d" % len(body)]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def transport():
    """A direct transport (no HTTP proxy) with small pools, certificates checked."""
    return Transport(None, pool_size=2, hosts=4)


def test_a_length_framed_answer_is_read_whole_and_the_connection_carries_the_next_call(scripted):
    server = scripted([answer(b'{"a": 1}', b"trackingid: T-1"), answer(b'{"b": 2}')])
    sender = transport()
    first = sender.request("GET", server.url + "/context/v1/pod", params={"q": 'id:"x y"'})
    second = sender.request("POST", server.url + "/context/v1/pod", json={"type": "activity"})
    assert (first.status_code, first.json(), first.headers["TrackingID"]) == (200, {"a": 1}, "T-1")
    assert second.json() == {"b": 2} and server.connections == 1
    assert server.requests[0].startswith(b"GET /context/v1/pod?q=id%3A%22x+y%22 HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.port}\r\n".encode() in server.requests[0]
    assert server.requests[1].endswith(b'\r\nContent-Length: 20\r\n\r\n{"type": "activity"}')


def test_a_chunked_answer_with_extensions_and_trailers_is_read_whole_and_the_connection_is_reused(scripted):
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4;ext=1\r\n[1, \r\n3\r\n2]\n\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    server = scripted([chunked, answer(b"[]")])
    sender = transport()
    assert sender.request("GET", server.url + "/a").json() == [1, 2]
    assert sender.request("GET", server.url + "/b").json() == []
    assert server.connections == 1


def test_gzip_and_deflate_bodies_are_decoded(scripted):
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server = scripted(
        [
            answer(gzip.compress(b'{"g": 1}'), b"Content-Encoding: gzip"),
            answer(zlib.compress(b'{"d": 1}'), b"Content-Encoding: deflate"),
            answer(raw_deflate.compress(b'{"r": 1}') + raw_deflate.flush(), b"Content-Encoding: deflate"),
        ]
    )
    sender = transport()
    assert [sender.request("GET", server.url + "/x").json() for _ in range(3)] == [{"g": 1}, {"d": 1}, {"r": 1}]


def test_an_answer_framed_by_the_connections_end_is_read_whole_and_the_next_call_opens_another(scripted):
    server = scripted([b'HTTP/1.1 200 OK\r\n\r\n{"end": 1}', answer()], close_after=1)
    sender = transport()
    assert sender.request("GET", server.url + "/x").json() == {"end": 1}
    assert sender.request("GET", server.url + "/y").json() == {}
    assert server.connections == 2


def test_connection_close_and_http_1_0_answers_are_not_reused(scripted):
    server = scripted(
        [answer(b"{}", b"Connection: close"), b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", answer()],
        close_after=1,
    )
    sender = transport()
    for _ in range(3):
        assert sender.request("GET", server.url + "/x").status_code == 200
    assert server.connections == 3


def test_interim_1xx_answers_are_skipped_and_folded_header_lines_are_joined(scripted):
    server = scripted(
        [b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /a\r\n  /b\r\nContent-Length: 2\r\n\r\n{}"]
    )
    created = transport().request("POST", server.url + "/context/v1/pod", json={})
    assert created.status_code == 201 and created.headers["location"] == "/a /b"


def test_a_204_answer_has_no_body_and_keeps_the_connection(scripted):
    server = scripted([b"HTTP/1.1 204 No Content\r\n\r\n", answer()])
    sender = transport()
    assert sender.request("DELETE", server.url + "/x").content == b""
    assert sender.request("GET", server.url + "/y").json() == {}
    assert server.connections == 1


def test_a_kept_connection_the_host_closed_while_idle_is_replaced_before_the_next_call(scripted):
    server = scripted([answer(), answer()], close_after=1)  # the host closes after each answer, saying nothing
    sender = transport()
    sender.request("GET", server.url + "/x")
    assert server.closed.wait(5)  # the host has closed it (its FIN is on the kept connection)
    assert sender.request("POST", server.url + "/y", json={}).status_code == 200
    assert server.connections == 2


@pytest.mark.parametrize(
    "broken",
    [
        None,  # closed without an answer
        b"SSH-2.0-OpenSSH\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}",  # closed 8 bytes short
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  # not a chunk size
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    ],
)
def test_a_broken_answer_is_a_connection_error_and_its_connection_is_not_reused(scripted, broken):
    server = scripted([broken, answer()], close_after=1)
    sender = transport()
    with pytest.raises(requests.ConnectionError):
        sender.request("GET", server.url + "/x")
    assert sender.request("GET", server.url + "/y").json() == {}
    assert server.connections == 2


def test_a_host_that_does_not_answer_in_time_is_a_read_timeout():
    with socket.create_server(("127.0.0.1", 0)) as listener:  # the kernel accepts; nobody ever answers
        with pytest.raises(requests.ReadTimeout):
            transport().request("GET", f"http://127.0.0.1:{listener.getsockname()[1]}/x", timeout=0.2)


def test_a_refused_connection_is_a_connection_error():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(requests.ConnectionError):
        transport().request("GET", f"http://127.0.0.1:{port}/x", timeout=1)


def test_a_header_value_with_a_line_break_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="line break"):
        http11.request_head("GET", "/x", {"Authorization": "Bearer a\r\nX-Evil: 1"}, None)


def test_a_target_with_characters_a_url_may_not_carry_is_percent_encoded():
    assert http11.request_head("GET", "/a b/é#?q=1", {}, None).startswith(b"GET /a%20b/%C3%A9%23?q=1 HTTP/1.1\r\n")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """``(cert, key)`` files of a self-signed certificate for ``localhost`` (made with the openssl command)."""
    if not shutil.which("openssl"):
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def tls_server(scripted, certificate, answers):
    """A scripted server speaking TLS with the test certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return scripted(answers, tls=context)


def test_https_checks_the_hosts_certificate_against_the_trusted_authorities(scripted, certificate):
    server = tls_server(scripted, certificate, [answer()])
    with pytest.raises(requests.ConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        transport().request("GET", server.url + "/x", timeout=2)


def test_https_to_a_trusted_host_is_kept_alive_and_without_verification_any_certificate_is_accepted(
    scripted, certificate
):
    trusted = tls_server(scripted, certificate, [answer(b'{"tls": 1}'), answer(b'{"tls": 2}')])
    sender = transport()
    sender.tls = http11.tls_context(True, str(certificate[0]))  # the test certificate as the one authority
    assert [sender.request("GET", trusted.url + "/x").json() for _ in range(2)] == [{"tls": 1}, {"tls": 2}]
    assert trusted.connections == 1
    unchecked = tls_server(scripted, certificate, [answer()])
    assert Transport(None, 2, 4, verify_tls=False).request("GET", unchecked.url + "/x").json() == {}


def test_bytes_a_host_sent_beyond_an_answer_are_never_read_as_the_next_answer(scripted):
    """The host wrote its answer and stray bytes (here an answer nobody asked for) in one write: they sit in the connection's read buffer, which
    the socket's poll does not see; the next call goes on a fresh connection and gets its own answer."""
    server = scripted([answer(b'{"first": 1}') + answer(b'{"stray": 1}'), answer()])
    sender = transport()
    assert sender.request("GET", server.url + "/x").json() == {"first": 1}
    assert sender.request("GET", server.url + "/y").json() == {}
    assert server.connections == 2


def chunked(data, size=7):
    """``data`` in chunks of ``size`` bytes, with the last chunk."""
    parts = [b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def test_a_gzip_transfer_coding_under_chunked_is_decoded_and_the_connection_is_reused(scripted):
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
    server = scripted([head + chunked(gzip.compress(b'{"tg": 1}')), answer()])
    sender = transport()
    assert sender.request("GET", server.url + "/x").json() == {"tg": 1}
    assert sender.request("GET", server.url + "/y").json() == {} and server.connections == 1


def test_a_transfer_coding_without_chunked_last_is_framed_by_the_connections_end_whatever_its_length_says(scripted):
    """RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; without a final chunked the answer ends with the
    connection, and that connection carries nothing more."""
    body = gzip.compress(b'{"te": 1}')
    server = scripted([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\n" + body, answer()])
    server.close_after = 1
    sender = transport()
    assert sender.request("GET", server.url + "/x").json() == {"te": 1}
    assert sender.request("GET", server.url + "/y").json() == {} and server.connections == 2


@pytest.mark.parametrize("codings", [b"compress, chunked", b"chunked, chunked", b"br"])
def test_a_transfer_coding_the_transport_cannot_undo_is_a_connection_error_naming_it(scripted, codings):
    """RFC 9112 §6.1: a coding other than a last ``chunked`` (or gzip/deflate under it) is refused, and the next
    call goes on a fresh connection."""
    first = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + codings + b"\r\n\r\n" + chunked(b"{}")
    refused_then_answered_afresh(scripted, first, "transfer coding")


def refused_then_answered_afresh(scripted, first, match):
    """The host answers ``first`` and closes: that call is a connection error matching ``match``, the next one
    is answered on a second connection."""
    server = scripted([first, answer()])
    server.close_after = 1
    sender = transport()
    with pytest.raises(requests.ConnectionError, match=match):
        sender.request("GET", server.url + "/x")
    assert sender.request("GET", server.url + "/y").json() == {} and server.connections == 2


def test_a_content_length_repeated_with_one_value_is_that_length(scripted):
    """RFC 9110 §8.6: ``5, 5`` or two identical fields are one valid length; the connection is reused."""
    server = scripted(
        [
            b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n{}",
            b'HTTP/1.1 200 OK\r\nContent-Length: 8\r\nContent-Length: 8\r\n\r\n{"b": 2}',
        ]
    )
    sender = transport()
    assert [sender.request("GET", server.url + "/x").json() for _ in range(2)] == [{}, {"b": 2}]
    assert server.connections == 1


def test_content_lengths_that_differ_are_a_connection_error(scripted):
    """RFC 9110 §8.6: two different lengths cannot both be right: the answer is refused."""
    first = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"
    refused_then_answered_afresh(scripted, first, "Content-Length")


def test_the_callers_host_and_framing_headers_in_any_case_give_way_to_the_computed_ones(scripted):
    """A caller's ``host``, ``content-length``, ``transfer-encoding`` are never sent beside the transport's own;
    its other fields replace the defaults of the same name whatever their case."""
    server = scripted([answer()])
    caller = {"host": "elsewhere", "content-length": "1", "Transfer-Encoding": "chunked", "accept": "text/plain"}
    transport().request("POST", server.url + "/x", json={"a": 1}, headers=caller)
    lines = server.requests[0].split(b"\r\n\r\n")[0].lower().split(b"\r\n")[1:]
    names = [line.split(b":")[0] for line in lines]
    assert sorted(set(names)) == sorted(names)  # no field twice
    assert f"host: 127.0.0.1:{server.port}".encode() in lines and b"content-length: 8" in lines
    assert b"accept: text/plain" in lines and b"transfer-encoding" not in names
