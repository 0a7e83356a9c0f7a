"""The test gadget's own web server (an "external web server" to the mock Finesse), plus an echo API.

``create_app()`` serves the spec, JS, CSS and message bundles of this folder, ``/api/echo`` (what a
``gadgets.io.makeRequest`` call sent) and ``/api/redirect?to=`` (to test the proxy's redirect rules).
Run it by hand with ``python -m e2e.test_gadget.server [--port 5400]``.
"""

import argparse
import pathlib

from flask import Flask, jsonify, redirect, request, send_from_directory

GADGET_DIR = pathlib.Path(__file__).parent
SPEC_PATH = "/test_gadget.xml"


def create_app():
    """The static gadget server with its echo and redirect endpoints."""
    app = Flask(__name__, static_folder=None)

    @app.get("/<path:name>")
    def gadget_file(name):
        """A file of the test gadget (spec, JS, CSS, bundles, deliberately broken specs)."""
        return send_from_directory(GADGET_DIR, name)

    @app.route("/api/echo", methods=["GET", "POST", "PUT", "DELETE"])
    def echo():
        """What the proxy forwarded: method, selected headers, query and body."""
        return jsonify(
            method=request.method,
            args=request.args,
            body=request.get_data(as_text=True),
            headers={
                k: v
                for k, v in request.headers.items()
                if k.lower().startswith("x-") or k.lower() in ("authorization", "content-type")
            },
        )

    @app.route("/api/redirect", methods=["GET", "POST"])
    def redirect_to():
        """A 302 to ``?to=`` (the proxy must not follow it off the allow-list)."""
        return redirect(request.args["to"], code=302)

    return app


def main():
    """Serve the test gadget on 127.0.0.1 (default port 5400)."""
    parser = argparse.ArgumentParser(description="Serve the mock Finesse harness's test gadget.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5400)
    args = parser.parse_args()
    create_app().run(host=args.host, port=args.port, threaded=True)


if __name__ == "__main__":
    main()
