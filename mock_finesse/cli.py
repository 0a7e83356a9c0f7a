"""``mock-finesse`` / ``python -m mock_finesse``: run the mock Finesse on 127.0.0.1."""

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from . import create_app, xmpp
from .config import ConfigError


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, build the app and serve it until interrupted."""
    parser = argparse.ArgumentParser(prog="mock-finesse", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5200)
    parser.add_argument("--gadget-dir", help="folder served at /3rdpartygadget/files/ (GADGET_FILES_DIR)")
    parser.add_argument("--layouts-dir", help="folder to keep default.xml and team_<id>.xml in (LAYOUTS_DIR)")
    parser.add_argument("--prefs-file", help="JSON file that keeps the agents' gadget prefs (PREFS_FILE)")
    parser.add_argument(
        "--xmpp",
        choices=("off", "auto", "prosody"),
        default=os.environ.get("MOCK_FINESSE_XMPP_SERVER", "auto"),
        help="notifications over Prosody: auto = when installed (XMPP_SERVER; default auto)",
    )
    parser.add_argument("--xmpp-dir", help="folder for Prosody's config and data (XMPP_DIR; default a temporary one)")
    parser.add_argument("--xmpp-port", type=int, help="XMPP c2s port (XMPP_C2S_PORT; default a free one)")
    parser.add_argument(
        "--xmpp-http-port", type=int, help="Prosody's own BOSH/WebSocket port (XMPP_HTTP_PORT; default a free one)"
    )
    parser.add_argument(
        "--instance", default="instance", help="folder that keeps this instance's random secret key (INSTANCE_PATH)"
    )
    args = parser.parse_args(argv)

    overrides = {"INSTANCE_PATH": args.instance, "XMPP_SERVER": args.xmpp}
    for key, value in (
        ("XMPP_DIR", args.xmpp_dir),
        ("XMPP_C2S_PORT", args.xmpp_port),
        ("XMPP_HTTP_PORT", args.xmpp_http_port),
    ):
        if value is not None:
            overrides[key] = value
    if args.gadget_dir:
        overrides["GADGET_FILES_DIR"] = args.gadget_dir
    if args.layouts_dir:
        overrides["LAYOUTS_DIR"] = args.layouts_dir
    if args.prefs_file:
        overrides["PREFS_FILE"] = args.prefs_file
    try:
        app = create_app(overrides)
    except ConfigError as exc:
        sys.exit(f"mock-finesse: configuration error: {exc}")
    base = f"http://{args.host}:{args.port}"
    agents = ", ".join(f"{a['id']}/{a['password']}" for a in app.config["AGENTS"])
    print(f"Mock Finesse desktop:  {base}/desktop/  (agents: {agents})", flush=True)
    print(
        f"Layout administration: {base}/cfadmin/  ({app.config['ADMIN_USERNAME']} / "
        f"{app.config['ADMIN_PASSWORD']}); gadget files from {app.config['GADGET_FILES_DIR']}",
        flush=True,
    )
    for line in xmpp.banner_lines(app, base):
        print(line, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that Prosody and its temporary folder go too
    try:
        app.run(host=args.host, port=args.port, threaded=True)
    finally:
        xmpp.stop(app)
