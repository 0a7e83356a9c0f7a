"""HTTP/1.1 over one kept-alive socket: what the transport sends straight to a host (RFC 9112).

urllib3 over ``http.client`` spent ≈ 0.4 ms of CPU on each Context Service call of a few hundred bytes (its URL
parser re-encoding the target character by character, ``email``'s header parser, its response wrapper and
timeout objects): more than the proxy's own work on the call. This reads and writes the same messages with a
few string operations, ≈ 0.1 ms a call (``bench/bench_proxy.py``'s docstring has the figures). It speaks only
what the proxy needs of its hosts: a request with a ``Content-Length`` body (or none), an answer framed by
``Content-Length`` (repeated with one value allowed, RFC 9110 §8.6), chunked transfer coding or the connection's
end (RFC 9112 §6.3: so is one whose transfer codings do not end with ``chunked``, and ``Transfer-Encoding``
overrides ``Content-Length``), ``gzip``/``deflate`` transfer and content codings, 1xx answers skipped, TLS with
the caller's context. Anything else on the wire is a ``ProtocolError``, and its connection is not reused.
"""

import re
import select
import socket
import ssl
import zlib
from typing import Any

MAX_LINE_BYTES = 65536  # a status line, header line or chunk-size line longer than this is refused
MAX_HEADERS = 200
NO_BODY_STATUSES = (204, 304)
# Characters a request target may carry as they are (RFC 3986); anything else is percent-encoded.
_UNSAFE_TARGET = re.compile(r"[^A-Za-z0-9\-._~:/?\[\]@!$&'()*+,;=%]")  # '#' too: a target has no fragment
_FORBIDDEN_IN_HEADER = re.compile(r"[\r\n\0]")


class Fields(dict[str, str]):
    """An answer's header fields: names compared case-insensitively (kept lower-cased), repeated ones joined
    with ", " (RFC 9110 §5.3)."""

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __setitem__(self, name: str, value: str) -> None:
        super().__setitem__(name.lower(), value)

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name.lower() if isinstance(name, str) else name)

    def get(self, name: str, default: Any = None) -> Any:
        """The field's value, or ``default`` without one."""
        return super().get(name.lower(), default)


class ProtocolError(OSError):
    """The host's answer is not the HTTP/1.1 it should be, or the connection ended before the answer did."""


class Connection:
    """One TCP (or TLS) connection to ``host:port``, opened within ``timeout`` seconds; ``reusable`` turns false
    once the connection cannot carry another request."""

    def __init__(self, host: str, port: int, tls: ssl.SSLContext | None, timeout: float | None) -> None:
        sock = socket.create_connection((host, port), timeout=timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # a request leaves in one write
            if tls is not None:
                sock = tls.wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
        self.rfile = sock.makefile("rb")
        self.reusable = True

    def dropped(self) -> bool:
        """True when an idle connection was closed by the host or holds bytes nobody asked for: its socket is
        readable, or bytes the host sent beyond the last answer wait in the read buffer (poll does not see them)."""
        try:
            poller = select.poll()
            poller.register(self.sock, select.POLLIN)
            if poller.poll(0):
                return True
            self.sock.settimeout(0)  # peek reads the socket only when the buffer is empty: it must not wait then
            return bool(self.rfile.peek(1))
        except ssl.SSLWantReadError:  # TLS with nothing to read
            return False
        except (OSError, ValueError):
            return True

    def exchange(
        self, method: str, target: str, headers: dict[str, str], body: bytes | None, timeout: float | None
    ) -> tuple[int, Fields, bytes]:
        """Send one request, read its answer: ``(status, headers, body decoded)``. On any error the connection
        is no longer ``reusable`` (the caller closes it)."""
        self.reusable = False  # until the answer has been read whole
        self.sock.settimeout(timeout)
        self.sock.sendall(request_head(method, target, headers, body) + (body or b""))
        version, status, answer_headers = self._read_head()
        content, framed = b"", True
        if method != "HEAD" and status not in NO_BODY_STATUSES:
            content, framed = self._read_body(answer_headers)
        connection = answer_headers.get("Connection", "").lower()
        self.reusable = framed and (
            (version == "HTTP/1.1" and "close" not in connection)
            or (version == "HTTP/1.0" and "keep-alive" in connection and "Transfer-Encoding" not in answer_headers)
        )
        return status, answer_headers, decoded(content, answer_headers.get("Content-Encoding", ""))

    def close(self) -> None:
        """Close the connection."""
        self.reusable = False
        for part in (self.rfile, self.sock):
            try:
                part.close()
            except OSError:
                pass

    def _read_head(self) -> tuple[str, int, Fields]:
        """The status line and headers of the final answer (1xx interim answers skipped)."""
        while True:
            line = self._line()
            if not line:
                raise ProtocolError("the connection closed before an answer came")
            version, _, rest = line.decode("latin-1").rstrip("\r\n").partition(" ")
            code = rest[:3]
            if not version.startswith("HTTP/1.") or not code.isdigit():
                raise ProtocolError(f"not an HTTP/1.x status line: {line[:80]!r}")
            headers = self._read_headers()
            if not 100 <= int(code) < 200:
                return version, int(code), headers

    def _read_headers(self) -> Fields:
        fields = Fields()
        name = ""
        for _ in range(MAX_HEADERS + 1):
            line = self._line().decode("latin-1")
            if line in ("\r\n", "\n", ""):
                return fields
            if line[0] in " \t" and name:  # an obsolete folded continuation of the previous field
                fields[name] += " " + line.strip()
                continue
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip():
                raise ProtocolError(f"not a header field: {line[:80]!r}")
            name, value = name.lower(), value.strip()
            fields[name] = f"{fields[name]}, {value}" if name in fields else value
        raise ProtocolError(f"more than {MAX_HEADERS} header fields")

    def _read_body(self, headers: Fields) -> tuple[bytes, bool]:
        """The body with its transfer codings undone, and whether its end was framed (the connection can carry
        another request): by ``Content-Length`` or a final ``chunked``, not by the connection's end."""
        codings = headers.get("Transfer-Encoding")
        if codings is not None:
            return self._read_coded(codings, smuggled="Content-Length" in headers)
        length = headers.get("Content-Length")
        if length is None:
            return self.rfile.read(), False  # framed by the connection's end
        value = length
        if "," in length:  # repeated fields are joined: "5, 5" is one length (RFC 9110 §8.6)
            values = {part.strip() for part in length.split(",")}
            value = values.pop() if len(values) == 1 else ""
        if not (value.isascii() and value.isdigit()):
            raise ProtocolError(f"Content-Length is not one number: {length[:40]!r}")
        return self._exactly(int(value)), True

    def _read_coded(self, codings: str, smuggled: bool) -> tuple[bytes, bool]:
        """A body with ``Transfer-Encoding``: de-chunked when ``chunked`` is last, else read to the connection's
        end (RFC 9112 §6.3), then its other codings undone. With a ``Content-Length`` as well (ignored) the
        connection is not reused: the message may be a smuggling attempt (§6.3, §11.2)."""
        names = [name.strip().lower() for name in codings.split(",") if name.strip()]
        chunked = bool(names) and names[-1] == "chunked"
        if chunked:
            names.pop()
        if "chunked" in names:
            raise ProtocolError(f"unsupported transfer coding: chunked applied twice ({codings[:40]!r})")
        content = self._read_chunked() if chunked else self.rfile.read()
        return decoded(content, ",".join(names), "transfer"), chunked and not smuggled

    def _read_chunked(self) -> bytes:
        parts = []
        while True:
            size_line = self._line().split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise ProtocolError(f"not a chunk size: {size_line[:40]!r}") from None
            if size == 0:
                break
            parts.append(self._exactly(size))
            self._exactly(2)  # the CRLF after the chunk's data
        while self._line() not in (b"\r\n", b"\n", b""):  # trailer fields, dropped
            pass
        return b"".join(parts)

    def _exactly(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise ProtocolError(f"the connection closed {size - len(data)} bytes before the answer's end")
        return data

    def _line(self) -> bytes:
        line = self.rfile.readline(MAX_LINE_BYTES + 1)
        if len(line) > MAX_LINE_BYTES:
            raise ProtocolError(f"a line of the answer is longer than {MAX_LINE_BYTES} bytes")
        return line


def request_head(method: str, target: str, headers: dict[str, str], body: bytes | None) -> bytes:
    """The request line and header fields; ``Content-Length`` for a body (and for POST/PUT/PATCH without one).
    A header name or value with CR, LF or NUL is refused (it would smuggle another field or request)."""
    if _UNSAFE_TARGET.search(target):
        target = _UNSAFE_TARGET.sub(lambda match: "".join(f"%{b:02X}" for b in match[0].encode()), target)
    lines = [f"{method} {target} HTTP/1.1"]
    for name, value in headers.items():
        if _FORBIDDEN_IN_HEADER.search(name) or _FORBIDDEN_IN_HEADER.search(value):
            raise ValueError(f"header {name!r} holds a line break or NUL")
        lines.append(f"{name}: {value}")
    if body is not None or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body or b'')}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def decoded(content: bytes, encoding: str, kind: str = "content") -> bytes:
    """The body with its ``kind`` codings (``gzip``, ``deflate``, ``identity``) undone, last applied first."""
    if not encoding:
        return content
    for coding in reversed([part.strip().lower() for part in encoding.split(",") if part.strip()]):
        try:
            if coding in ("gzip", "x-gzip"):
                content = zlib.decompress(content, 16 + zlib.MAX_WBITS)
            elif coding == "deflate":
                content = _inflate(content)
            elif coding != "identity":
                raise ProtocolError(f"unsupported {kind} coding {coding!r}")
        except zlib.error as exc:
            raise ProtocolError(f"the {coding} body does not decode: {exc}") from None
    return content


def _inflate(content: bytes) -> bytes:
    """``deflate`` as servers send it: zlib-wrapped (RFC 9110), or raw as some do."""
    try:
        return zlib.decompress(content)
    except zlib.error:
        return zlib.decompress(content, -zlib.MAX_WBITS)


def tls_context(verify: bool, ca_file: str) -> ssl.SSLContext:
    """The TLS context of every connection: certificates and host names checked against ``ca_file`` unless
    ``verify`` is off."""
    context = ssl.create_default_context(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def split_origin(origin: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of ``scheme://host[:port]`` (an IPv6 host without its brackets)."""
    scheme, _, authority = origin.partition("://")
    host, port = authority, 443 if scheme == "https" else 80
    if authority.startswith("["):
        host, _, rest = authority[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
    elif ":" in authority:
        host, _, number = authority.rpartition(":")
        port = int(number)
    return scheme, host, port


def host_header(scheme: str, authority: str) -> dict[str, Any]:
    """``{"Host": …}`` for the authority as the URL gave it (its default port left out)."""
    default = ":443" if scheme == "https" else ":80"
    return {"Host": authority[: -len(default)] if authority.endswith(default) else authority}
