"""A TCP relay on 127.0.0.1 in front of a harness server, with faults no HTTP-level mock can play.

``FaultProxy(target_url).start()`` listens on a free loopback port and relays every connection to the target
while ``mode`` is ``"pass"``. ``"hung"``: connections are accepted and never answered (a cloud service that
hangs: what a read timeout, not a refused connection, must catch). ``"down"``: connections are accepted and
reset at once. Changing the mode closes every open connection, so pooled keep-alive connections cannot carry
on in the old mode. Held connections are closed after ``max_hold_seconds`` and at ``stop()``: nothing hangs
for ever, and only loopback addresses are ever used.
"""

import socket
import threading
import time
from typing import Self
from urllib.parse import urlsplit

MODES = ("pass", "hung", "down")
CHUNK = 64 * 1024


class FaultProxy:
    """A switchable relay to ``target_url`` (an ``http://127.0.0.1:port`` URL)."""

    def __init__(self, target_url: str, max_hold_seconds: float = 60) -> None:
        target = urlsplit(target_url)
        if target.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError(f"FaultProxy relays to loopback only, not {target.hostname}")
        self.target = ("127.0.0.1", target.port)
        self.max_hold_seconds = max_hold_seconds
        self._mode = "pass"
        self._open: list[tuple[socket.socket, float]] = []  # (socket, opened at)
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        """Base URL of the relay."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def mode(self) -> str:
        """``pass``, ``hung`` or ``down``."""
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self._mode = mode
        self._close_all()

    def start(self) -> Self:
        """Bind a free port and accept in a daemon thread; returns self."""
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept_loop, name=f"fault-proxy-{self.port}", daemon=True).start()
        threading.Thread(target=self._reap_loop, name=f"fault-proxy-reaper-{self.port}", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._close_all()

    def _accept_loop(self) -> None:
        listener = self._listener
        if listener is None:
            return  # stopped before the loop began
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            if self._mode == "down":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.close()
                continue
            self._track(client)
            if self._mode == "pass":
                threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=10)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self._track(upstream)
        threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
        _pipe(client, upstream)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.append((sock, time.monotonic()))

    def _close_all(self) -> None:
        with self._lock:
            held, self._open = self._open, []
        for sock, _ in held:
            _close(sock)

    def _reap_loop(self) -> None:
        while self._listener is not None:
            time.sleep(1)
            cutoff = time.monotonic() - self.max_hold_seconds
            with self._lock:
                old = [entry for entry in self._open if entry[1] < cutoff]
                self._open = [entry for entry in self._open if entry[1] >= cutoff]
            for sock, _ in old:
                _close(sock)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    """Copy bytes until either side closes."""
    try:
        while True:
            data = source.recv(CHUNK)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
