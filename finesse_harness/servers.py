"""Run any WSGI app on a free 127.0.0.1 port in a background thread (moto's ThreadedMotoServer shape), speaking
HTTP/1.1 with keep-alive; start the gadget server the way the harness and benchmarks need it (own URL as
PUBLIC_URL; in a thread or its own process)."""

import contextlib
import io
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any, Self, cast
from wsgiref.handlers import SimpleHandler
from wsgiref.headers import Headers
from wsgiref.util import is_hop_by_hop

import requests
from flask import Flask
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

import gadget_plugin
import mock_controlhub

# A request body up to this size is read before the app runs, so the connection is clean for the next request
# whatever the app reads of it; a larger or chunked body is handed to the app as a stream and ends the connection.
BODY_BUFFER_BYTES = 8 * 1024 * 1024
# What the client still sends of a body the app left unread is read (and dropped) for up to this long of silence
# before the connection closes: closing with unread data would reset it before the client reads the answer.
DRAIN_SECONDS = 0.01
DRAIN_BYTES = 64 * 1024 * 1024
# A connection that carries no new request (or stalls mid-request) for this long is closed, so an idle client
# does not hold the connection's thread until the server stops (nginx's keepalive_timeout default).
IDLE_TIMEOUT_SECONDS = 75.0
ACCESS_LOG = logging.getLogger("werkzeug")


class _Response(SimpleHandler):
    """The standard library's WSGI response writer (status line, headers, the length of a one-part body, a 500 on
    an app error) with HTTP/1.1 status lines and, for a body of unknown length (a stream), chunked transfer coding
    with each part sent as the app yields it (RFC 9112 §7.1). ``keep_alive`` turns false when the request or the
    app asked for the connection to close, the request's body was not read whole, or a stream broke off."""

    os_environ: dict[str, str] = {}  # wsgiref's default copies the process environment into every request
    origin_server = True
    http_version = "1.1"
    # wsgiref's own per-request attributes, which its stubs leave out
    environ: dict[str, Any]
    status: str
    headers: Headers
    headers_sent: bool

    def __init__(self, handler: "KeepAliveHandler", environ: dict[str, Any], keep_alive: bool) -> None:
        super().__init__(environ["wsgi.input"], cast(IO[bytes], handler.wfile), sys.stderr, environ, multithread=True)
        self.server_software = handler.server_version
        self.request = handler
        self.keep_alive = keep_alive
        self.chunked = False
        self.status_code = "-"

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        """PEP 3333's ``start_response``, dropping the hop-by-hop headers an app may not set (wsgiref would answer
        500) after honouring ``Connection: close`` by ending the connection after this response."""
        connection = ",".join(value for name, value in headers if name.lower() == "connection")
        if "close" in (token.strip().lower() for token in connection.split(",")):
            self.keep_alive = False
        end_to_end = [(name, value) for name, value in headers if not is_hop_by_hop(name)]
        return super().start_response(status, end_to_end, exc_info)

    def cleanup_headers(self) -> None:
        """Chunk a body of unknown length; add ``Connection: close`` when this response ends the connection."""
        super().cleanup_headers()
        self.status_code = self.status.split(" ", 1)[0]
        if "Content-Length" not in self.headers and self._has_body():
            if self.environ["SERVER_PROTOCOL"] == "HTTP/1.1":
                self.chunked = True
                self.headers["Transfer-Encoding"] = "chunked"
            else:
                self.keep_alive = False  # an HTTP/1.0 client reads such a body until the connection closes
        if not self.request.body_read:
            self.keep_alive = False  # the unread rest of the body stands between this request and the next
        if not self.keep_alive:
            self.headers["Connection"] = "close"

    def _has_body(self) -> bool:
        status_code = self.status.split(" ", 1)[0]
        return self.environ["REQUEST_METHOD"] != "HEAD" and status_code not in ("204", "304")

    def write(self, data: bytes) -> None:
        """Send the headers before the first part, then the part (framed as a chunk when chunked) at once."""
        if not self.headers_sent:
            self.bytes_sent = len(data)  # a one-part body's length (wsgiref's cleanup_headers reads it)
            self.send_headers()
        else:
            self.bytes_sent += len(data)
        if self.chunked:
            if not data:
                return  # an empty chunk would end the body
            data = b"%x\r\n%b\r\n" % (len(data), data)
        self._write(data)
        self._flush()

    def finish_content(self) -> None:
        """End a chunked body with the last chunk. A response that has no body (HEAD, 204, 304) and sent nothing
        keeps the length the app gave, if any: wsgiref's ``Content-Length: 0`` would misstate a HEAD's."""
        if not self.headers_sent and not self._has_body():
            self.send_headers()
            return
        super().finish_content()
        if self.chunked:
            self._write(b"0\r\n\r\n")
            self._flush()

    def handle_error(self) -> None:
        """A 500 when nothing was sent yet; a response broken off midway ends the connection."""
        if self.headers_sent:
            self.keep_alive = False
        super().handle_error()


class _ContinueInput:
    """``wsgi.input`` of a request sent with ``Expect: 100-continue``: the client holds the body back until the
    server answers ``100 Continue`` (RFC 9110 §10.1.1), which leaves when the app first reads. An app that refuses
    the request unread (a declared length over its limit: 413; 401) answers before the body travels, and the
    connection then closes. Once read, the body is taken as any other (``KeepAliveHandler.take_body``)."""

    def __init__(self, handler: "KeepAliveHandler", environ: dict[str, Any]) -> None:
        self._handler = handler
        self._environ = dict(environ)  # the socket's stream, before wsgi.input is replaced by this object
        self._stream: IO[bytes] | None = None

    def _body(self) -> IO[bytes]:
        if self._stream is None:
            self._handler.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self._handler.wfile.flush()
            self._stream = self._handler.take_body(self._environ)
        return self._stream

    def read(self, size: int = -1) -> bytes:
        """PEP 3333's ``read``."""
        return self._body().read(size)

    def readinto(self, buffer: bytearray) -> int | None:
        """What werkzeug's ``LimitedStream`` reads with."""
        return cast(io.BufferedIOBase, self._body()).readinto(buffer)

    def readline(self, size: int = -1) -> bytes:
        """PEP 3333's ``readline``."""
        return self._body().readline(size)

    def readlines(self, hint: int = -1) -> list[bytes]:
        """PEP 3333's ``readlines``."""
        return self._body().readlines(hint)

    def __iter__(self) -> Any:
        return iter(self._body())


class KeepAliveHandler(WSGIRequestHandler):
    """werkzeug's request handler (its WSGI environ, logging and dropped-connection handling) serving several
    requests per connection. werkzeug's own closes every connection (``Connection: close``) and then waits 10 ms
    per request draining the socket. A connection stays open while the client keeps it so and each request's body
    was read whole; a chunked or very large request body ends it."""

    protocol_version = "HTTP/1.1"
    wbufsize = -1  # the status line, headers and a small body leave in one write
    server: "KeepAliveServer"
    body_read = False  # whether this request's body was read whole (the connection can carry another)

    def setup(self) -> None:
        """Send each answer at once (no Nagle wait for the client's delayed ACK on a reused connection); time out
        after the server's idle timeout."""
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self) -> None:
        """Wait up to the idle timeout for the next request; a connection idle longer closes quietly (the standard
        library would log it as a timed-out request)."""
        try:
            cast(io.BufferedReader, self.rfile).peek(1)
        except TimeoutError:
            self.close_connection = True
            return
        super().handle_one_request()

    def finish(self) -> None:
        """Close both streams. The standard library's write stream close raises when a client left part of the answer
        unsent (broken pipe): the read stream, and the socket, stayed open until garbage collection (ResourceWarning)."""
        with contextlib.suppress(OSError):
            super().finish()
        self.rfile.close()

    def handle_expect_100(self) -> bool:
        """Defer ``100 Continue`` until the app reads the body (``_ContinueInput``); the standard library sends it
        as soon as the request's head is parsed."""
        return True

    def run_wsgi(self) -> None:
        """Serve one request through the app; mark the connection to close when it cannot carry another."""
        environ = self.make_environ()
        if self.request_version == "HTTP/1.1" and self.headers.get("Expect", "").strip().lower() == "100-continue":
            self.body_read = False
            environ["wsgi.input"] = _ContinueInput(self, environ)
        else:
            environ["wsgi.input"] = self.take_body(environ)
        response = _Response(self, environ, keep_alive=not self.close_connection)
        response.run(self.server.app)
        self.wfile.flush()
        if ACCESS_LOG.isEnabledFor(logging.INFO):  # werkzeug formats the line before its logger would drop it
            self.log_request(response.status_code)
        if not response.keep_alive:
            self.close_connection = True
        if not self.body_read:
            self._drain()

    def take_body(self, environ: dict[str, Any]) -> IO[bytes]:
        """The body as the app reads it: read whole when its length is known and modest (``body_read``), so the
        connection is clean for the next request; else the socket's own stream."""
        self.body_read = False
        if environ.get("wsgi.input_terminated"):
            return cast(IO[bytes], environ["wsgi.input"])
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return cast(IO[bytes], environ["wsgi.input"])
        if not 0 <= length <= BODY_BUFFER_BYTES:
            return cast(IO[bytes], environ["wsgi.input"])
        self.body_read = True
        return io.BytesIO(self.rfile.read(length) if length else b"")

    def _drain(self) -> None:
        """Read and drop what the client still sends (until ``DRAIN_SECONDS`` of silence or ``DRAIN_BYTES``)."""
        self.connection.settimeout(DRAIN_SECONDS)
        total = 0
        with contextlib.suppress(OSError):
            while total < DRAIN_BYTES and (chunk := self.connection.recv(65536)):
                total += len(chunk)


class KeepAliveServer(ThreadedWSGIServer):
    """werkzeug's threaded server (a thread per connection) with ``KeepAliveHandler``; it knows its open
    connections, so stopping it ends the idle ones too (they would otherwise go on serving)."""

    def __init__(self, host: str, port: int, app: Flask, idle_timeout: float = IDLE_TIMEOUT_SECONDS) -> None:
        super().__init__(host, port, app, handler=KeepAliveHandler)
        self.idle_timeout = idle_timeout
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.accepted = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        """Note (and count) the connection, then serve it in a thread of its own."""
        with self._lock:
            self._connections.add(request)
            self.accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget the connection and close it."""
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone mid-answer (broken pipe, reset) is ordinary: nothing to print."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End every open connection (its thread sees the end and finishes)."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class ServerThread:
    """A real HTTP server for one WSGI app, started on demand and stopped cleanly."""

    def __init__(
        self, app: Flask, host: str = "127.0.0.1", port: int = 0, idle_timeout: float = IDLE_TIMEOUT_SECONDS
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.idle_timeout = idle_timeout
        self._server: KeepAliveServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Bind the socket (port 0 picks a free one) and serve in a daemon thread; returns self."""
        self._server = KeepAliveServer(self.host, self.port, self.app, self.idle_timeout)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"server-{self.port}", daemon=True)
        self._thread.start()
        return self

    @property
    def accepted(self) -> int:
        """How many TCP connections the server has accepted so far (0 before it starts)."""
        return self._server.accepted if self._server is not None else 0

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        """Stop serving, end the open connections and wait for the thread to end."""
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gadget_server(settings: dict[str, Any]) -> ServerThread:
    """The gadget server (``gadget_plugin``) with ``settings`` on a free port, started; its PUBLIC_URL is that
    port's URL, as the served spec's ``proxyUrl`` comes from configuration only."""
    port = free_port()
    app = gadget_plugin.create_app({"PUBLIC_URL": f"http://127.0.0.1:{port}", **settings})
    return ServerThread(app, port=port).start()


def start_gadget_process(
    settings: dict[str, Any], gunicorn_args: list[str] | None = None, port: int | None = None
) -> tuple[str, Callable[[], None]]:
    """The gadget server in a process of its own on a free port, as it runs outside tests: gunicorn with
    ``gunicorn_args`` (e.g. ``["--workers", "4", "--threads", "32"]``), else ``customer-context serve``.
    ``settings`` become ``CUSTOMER_CONTEXT_*`` variables (PUBLIC_URL: the server's URL); ``port``: a free one
    unless given. ``(url, stop)`` once ``/healthz`` answers."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CUSTOMER_CONTEXT_PUBLIC_URL": url,
        **{
            f"CUSTOMER_CONTEXT_{key}": ",".join(value) if isinstance(value, list) else str(value)
            for key, value in settings.items()
        },
    }
    if gunicorn_args is not None:
        command = [
            "-m",
            "gunicorn",
            *gunicorn_args,
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "gadget_plugin:create_app()",
        ]
    else:
        command = ["-m", "gadget_plugin.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, *command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(100):
        try:
            requests.get(url + "/healthz", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            time.sleep(0.1)

    def stop() -> None:
        process.terminate()
        process.wait(10)

    return url, stop


def serve_controlhub(port: int) -> None:
    """The mock cloud (in-memory SQLite) on 127.0.0.1:``port`` in the foreground on the keep-alive server, until the
    process is ended: ``python -m finesse_harness.servers PORT`` (how ``bench/bench_load.py`` runs it in a process
    of its own; ``mock-controlhub`` runs Flask's development server)."""
    app = mock_controlhub.create_app({"DATABASE": ":memory:"})
    server = KeepAliveServer("127.0.0.1", port, app)
    server.serve_forever()


if __name__ == "__main__":
    serve_controlhub(int(sys.argv[1]))
