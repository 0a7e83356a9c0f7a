"""``customer-context``: serve the gadget, bundle it for Finesse, register with Context Service, check a setup."""

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from flask import Flask

from . import connection, create_app, registration
from .bundle import build
from .checks import run_checks
from .config import ConfigError, load_config
from .gadget_spec import TRANSPORTS, SpecError


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; the exit status says whether it worked."""
    parser = argparse.ArgumentParser(prog="customer-context", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the development server (production: gunicorn, see docs)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5300)
    serve.set_defaults(run=cmd_serve)

    bundle = commands.add_parser("bundle", help="write the gadget folder + zip for /3rdpartygadget/files/")
    bundle.add_argument("--proxy-url", required=True, help="public URL of this gadget server (the proxy)")
    bundle.add_argument("-o", "--output", required=True, help="directory to write the folder and zip into")
    bundle.add_argument("--folder", default="CustomerContext", help="folder name under /3rdpartygadget/files/")
    bundle.add_argument("--transport", choices=TRANSPORTS, help="default transport pref of the gadget")
    bundle.set_defaults(run=cmd_bundle)

    register = commands.add_parser("register", help="register with Context Service through Control Hub")
    register.add_argument("--admin-email", help="sign in as this Control Hub admin instead of opening a browser")
    register.add_argument("--callback-port", type=int, default=0, help="port of the one-shot callback listener")
    register.add_argument(
        "--admin-token",
        help="an org admin's bearer token: set up the machine account the proxy "
        "authenticates as (default $CUSTOMER_CONTEXT_ADMIN_TOKEN)",
    )
    register.set_defaults(run=cmd_register)

    deregister = commands.add_parser("deregister", help="deregister from Context Service, forget the connection data")
    deregister.set_defaults(run=cmd_deregister)

    check = commands.add_parser("check", help="check configuration, gadget.xml, Finesse and Context Service")
    check.set_defaults(run=cmd_check)

    args = parser.parse_args(argv)
    try:
        status: int | None = args.run(args)
        return status or 0
    except ConfigError as exc:
        print(f"customer-context: configuration error: {exc}", file=sys.stderr)
        return 2


def cmd_serve(args: argparse.Namespace) -> None:
    """Development server (threaded)."""
    app = serve_app(args.host, args.port)
    print(f"Customer Context gadget: {app.config['PUBLIC_URL']}/gadget.xml", flush=True)
    app.run(host=args.host, port=args.port, threaded=True)


def serve_app(host: str, port: int) -> Flask:
    """The app ``serve`` runs: unless PUBLIC_URL is configured, the bind address is it (127.0.0.1 for a
    wildcard bind)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return create_app(defaults={"PUBLIC_URL": f"http://{shown}:{port}"})


def cmd_bundle(args: argparse.Namespace) -> int:
    """Write the bundle; print the paths and the layout line."""
    config = load_config()
    try:
        built = build(config["GADGET_SPEC"], args.proxy_url.rstrip("/"), args.output, args.folder, args.transport)
    except SpecError as exc:
        print(f"customer-context: {exc}", file=sys.stderr)
        return 1
    print(
        f"Folder: {built['folder']}\nZip:    {built['zip']}\n"
        f"Upload the folder to /3rdpartygadget/files/ on Finesse, then add to the team's desktop layout:\n"
        f"  {built['layout']}"
    )
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    """Run the registration flow, set up the machine account (with an admin token) and store both together
    (mode 0600) in the instance folder."""
    config = load_config()
    callback_base = config["PUBLIC_URL"]
    admin_token = args.admin_token or os.environ.get("CUSTOMER_CONTEXT_ADMIN_TOKEN")
    if not (
        admin_token or config["CS_MACHINE_ACCOUNT_NAME"] or connection.load_machine_account(config["INSTANCE_PATH"])
    ):
        print(
            "customer-context: register needs a machine account: give --admin-token (an org admin's bearer "
            "token; one is set up) or set CUSTOMER_CONTEXT_CS_MACHINE_ACCOUNT_NAME and _PASSWORD.",
            file=sys.stderr,
        )
        return 2
    try:
        if args.admin_email:
            password = os.environ.get("CUSTOMER_CONTEXT_ADMIN_PASSWORD") or getpass.getpass("Admin password: ")
            data = registration.register_with_admin(
                config["REGISTRATION_URL"], callback_base + "/registered", args.admin_email, password
            )
        else:
            data = registration.wait_for_callback(
                args.callback_port,
                on_listening=lambda url: print(
                    "Open this URL as the Control Hub administrator and accept:\n  "
                    + registration.authorize_url(config["REGISTRATION_URL"], url),
                    flush=True,
                ),
            )
        account = None
        if admin_token:
            org_id = connection.decode(data)["prod"].org_id
            account = registration.setup_machine_account(
                config["IDENTITY_API_URL"], config["REGISTRATION_URL"], admin_token, org_id
            )
        path = connection.store(config["INSTANCE_PATH"], data, account)
    except (registration.RegistrationError, connection.ConnectionDataError) as exc:
        print(f"customer-context: registration failed: {exc}", file=sys.stderr)
        return 1
    machine = f"; machine account {account.name}" if account else ""
    print(f"Registered with Context Service{machine}; connection data stored in {path} (mode 0600).")
    return 0


def cmd_deregister(args: argparse.Namespace) -> int:
    """Deregister with the stored connection data, then delete it."""
    config = load_config()
    data = connection.load(config["INSTANCE_PATH"])
    if not data:
        print("customer-context: not registered (no connection data in the instance folder).", file=sys.stderr)
        return 1
    try:
        registration.deregister(config["REGISTRATION_URL"], config["PUBLIC_URL"] + "/deregistered", data)
    except registration.RegistrationError as exc:
        print(f"customer-context: deregistration failed: {exc}", file=sys.stderr)
        return 1
    connection.remove(config["INSTANCE_PATH"])
    print("Deregistered from Context Service; connection data deleted.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """One PASS/FAIL line per check; exit status 1 when any fails."""
    results = run_checks()
    for ok, name, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
