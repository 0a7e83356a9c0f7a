"""Run any WSGI app on a free 127.0.0.1 port in a background thread (moto's ThreadedMotoServer shape)."""
import threading

from werkzeug.serving import make_server


class ServerThread:
    """A real HTTP server for one WSGI app, started on demand and stopped cleanly."""

    def __init__(self, app, host="127.0.0.1", port=0):
        self.app = app
        self.host = host
        self.port = port
        self._server = None
        self._thread = None

    def start(self):
        """Bind the socket (port 0 picks a free one) and serve in a daemon thread; returns self."""
        self._server = make_server(self.host, self.port, self.app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"server-{self.port}", daemon=True)
        self._thread.start()
        return self

    @property
    def url(self):
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        return f"http://{self.host}:{self.port}"

    def stop(self):
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
