"""``mock-controlhub`` / ``python -m mock_controlhub``: run the mock cloud on 127.0.0.1."""

import argparse
import sys

from . import create_app, get_backend
from .config import ConfigError
from .control.seed import seed_demo_data


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, build the app and serve it until interrupted."""
    parser = argparse.ArgumentParser(prog="mock-controlhub", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--db", default="instance/controlhub.sqlite", help="SQLite file, or :memory:")
    parser.add_argument(
        "--instance", default="instance", help="folder that keeps this instance's random secret key (INSTANCE_PATH)"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed demo data with this seed number")
    parser.add_argument("--size", type=int, default=50, help="number of demo customers to seed")
    args = parser.parse_args(argv)

    try:
        app = create_app({"DATABASE": args.db, "INSTANCE_PATH": args.instance})
    except ConfigError as exc:
        sys.exit(f"mock-controlhub: configuration error: {exc}")
    if args.seed is not None:
        seed_demo_data(get_backend(app), seed=args.seed, size=args.size)
    cfg = app.config
    print(
        f"Mock Control Hub:  http://{args.host}:{args.port}/  (admin {cfg['ADMIN_EMAIL']} / {cfg['ADMIN_PASSWORD']})",
        flush=True,
    )
    app.run(host=args.host, port=args.port, threaded=True)
