"""Run any WSGI app on a free 127.0.0.1 port in a background thread (moto's ThreadedMotoServer shape); start the
gadget server the way the harness and benchmarks need it (own URL as PUBLIC_URL; in a thread or its own process)."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Self

import requests
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

import gadget_plugin


class ServerThread:
    """A real HTTP server for one WSGI app, started on demand and stopped cleanly."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Bind the socket (port 0 picks a free one) and serve in a daemon thread; returns self."""
        self._server = make_server(self.host, self.port, self.app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"server-{self.port}", daemon=True)
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
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
