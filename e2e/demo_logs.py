"""The demo's logs go to files in its instance folder, so the console keeps one line per server and the banner.

``logs/access.log``: one line per request of every server (time, server, method, path, status, milliseconds),
and werkzeug's warnings and errors. ``logs/gadget.log``: the gadget server's own JSON log lines
(gadget_plugin/logs.py), its access lines among them.
"""

import logging
import time

from flask import g, request

LOG_FOLDER = "logs"
ACCESS_LOG = "access.log"
GADGET_LOG = "gadget.log"
ACCESS_LOGGER = "harness.access"


def log_folder(instance):
    """The folder of the demo's log files (created)."""
    folder = instance / LOG_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def route_to_files(instance):
    """Send the access lines, werkzeug's messages and the gadget server's JSON logs to files under ``instance``."""
    folder = log_folder(instance)
    access_file = logging.FileHandler(folder / ACCESS_LOG, encoding="utf-8")
    access_file.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    _only(logging.getLogger(ACCESS_LOGGER), access_file, logging.INFO)
    # werkzeug writes each request line itself (without naming the server): keep only its warnings and errors.
    _only(logging.getLogger("werkzeug"), access_file, logging.WARNING)


def gadget_logs_to_file(instance):
    """Move the gadget server's JSON log handler from stderr to ``logs/gadget.log`` (call after create_app)."""
    logger = logging.getLogger("gadget_plugin")
    for handler in [h for h in logger.handlers if getattr(h, "gadget_json", False)]:
        logger.removeHandler(handler)
        to_file = logging.FileHandler(log_folder(instance) / GADGET_LOG, encoding="utf-8")
        to_file.setFormatter(handler.formatter)
        to_file.gadget_json = True  # gadget_plugin.logs.configure() then leaves the logger alone
        logger.addHandler(to_file)


def log_requests(app, server_name):
    """Write one access line per request of ``app``, naming the server."""
    access = logging.getLogger(ACCESS_LOGGER)

    @app.before_request
    def note_start():
        g.demo_started = time.perf_counter()

    @app.after_request
    def write_line(response):
        elapsed = (time.perf_counter() - g.get("demo_started", time.perf_counter())) * 1000
        # The path only: query strings carry what agents search for (names, phones).
        access.info("%s %s %s %s %.1fms", server_name, request.method, request.path, response.status_code, elapsed)
        return response


def _only(logger, handler, level):
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
