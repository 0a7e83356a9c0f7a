"""``./harness demo``: start mock Control Hub, mock Finesse and the gadget server with demo data.

The three servers run in this process on fixed 127.0.0.1 ports (5100, 5200, 5300 by default), with their
data under ``instance/demo/`` so it survives a restart. On first start the mock cloud is seeded, the gadget
server registers with Control Hub through the real consent flow, and both demo teams get a desktop layout
with the Customer Context gadget on the Home tab. The mock cloud gets a custom activity fieldset,
``demo.support``, which the gadget server creates activities with (``ACTIVITY_FIELDSETS``): a field an admin adds
to it in Control Hub shows on the next activity. Access logs go to files in the instance folder
(demo_logs.py); the console gets one line per server, then the banner with the URLs to open and the sign-ins.
"""

import argparse
import pathlib
import signal
import sys
import threading

from finesse_harness.harness import start_harness
from finesse_harness.mock_control import mock_control
from finesse_harness.registration_kit import register
from gadget_plugin import connection, get_backend
from mock_controlhub import get_backend as hub_backend
from mock_controlhub.dictionary import fields, fieldsets
from mock_controlhub.dictionary import models as dictionary
from mock_controlhub.identity import models as identity
from mock_finesse import xmpp as finesse_xmpp

from . import demo_logs

INSTANCE = pathlib.Path(__file__).resolve().parent.parent / "instance" / "demo"
DEMO_TEAMS = ("10", "20")
# The custom activity fieldset an admin extends in Control Hub, and its first field.
DEMO_FIELDSET = "demo.support"
DEMO_FIELD = {
    "id": "Demo_Product",
    "description": "The product the customer calls about (demo).",
    "dataType": "string",
    "classification": "UNENCRYPTED",
    "searchable": True,
    "translations": {"en_US": "Product", "hr_HR": "Proizvod", "sr_Latn_RS": "Proizvod"},
}
ACTIVITY_FIELDSETS = ["cisco.base.pod", DEMO_FIELDSET]
# Seconds the gadget server keeps the dictionary: short, so an admin's change in Control Hub shows quickly.
DICTIONARY_CACHE_SECONDS = 5


def demo_layout(gadget_url):
    """A team layout with the Customer Context gadget on the Home tab, where the agent sees it during calls."""
    tab = (
        "<tab><id>home</id><icon>home</icon><label>finesse.container.tabs.{role}.homeLabel</label><columns>"
        "<column><gadgets><gadget>{url}</gadget></gadgets></column></columns></tab>"
    )
    layouts = [
        f"<layout><role>{role.capitalize()}</role><page><gadget>/desktop/scripts/js/callcontrol.js</gadget>"
        f"</page><tabs>{tab.format(role=role, url=gadget_url)}</tabs></layout>"
        for role in ("agent", "supervisor")
    ]
    return (
        '<finesseLayout xmlns="http://www.cisco.com/vtg/finesse"><version>1250.03</version>'
        + "".join(layouts)
        + "</finesseLayout>"
    )


SERVER_NAMES = ("controlhub", "finesse", "gadget")
SERVER_TITLES = {
    "controlhub": "mock Control Hub + Context Service",
    "finesse": "mock Finesse",
    "gadget": "Customer Context gadget server",
}


def start_servers(host, ports, instance=INSTANCE):
    """Start the harness with its data under ``instance``, each server logging its requests to the instance's
    access log and announcing itself in one console line; the gadget server is not registered yet
    (``ensure_registered``). Returns the ``Harness``."""
    base = f"http://{host}"
    instance.mkdir(parents=True, exist_ok=True)

    def logs_to_files(name, app):
        if name == "gadget":  # after the app has set up its logging
            demo_logs.gadget_logs_to_file(instance)
        demo_logs.log_requests(app, name)

    harness = start_harness(
        instance,
        host=host,
        ports=ports,
        register=False,
        prepare=logs_to_files,
        controlhub_settings={"DATABASE": str(instance / "controlhub.sqlite"), "INSTANCE_PATH": str(instance)},
        finesse_settings={
            "INSTANCE_PATH": str(instance),
            "PREFS_FILE": str(instance / "finesse-prefs.json"),
            # Finesse's Context Service Management page (re)registers into the gadget server's connection file.
            "CONTEXT_SERVICE_REGISTRATION_URL": f"{base}:{ports[0]}",
            "CONTEXT_SERVICE_CONNECTION_FILE": str(connection.path_in(instance / "gadget")),
        },
        gadget_settings={
            "ACTIVITY_FIELDSETS": ACTIVITY_FIELDSETS,
            "LOG_LEVEL": "INFO",
            "DICTIONARY_CACHE_SECONDS": DICTIONARY_CACHE_SECONDS,
        },
    )
    for name, server in zip(SERVER_NAMES, (harness.controlhub, harness.finesse, harness.gadget)):
        print(f"{SERVER_TITLES[name] + ':':<36} {server.url}", flush=True)
    return harness


def ensure_seeded(controlhub, seed, size):
    """Seed the mock cloud once: skipped when it already holds customers."""
    state = mock_control(controlhub.url, "GET", "/state").json()
    if _customer_count(state):
        return False
    mock_control(controlhub.url, "POST", "/seed", json={"seed": seed, "size": size}, timeout=120).raise_for_status()
    return True


def ensure_demo_fieldset(controlhub):
    """Create the ``demo.support`` fieldset with its first field once (an admin may have changed it since)."""
    hub = hub_backend(controlhub.app)
    if dictionary.find_fieldset(hub, DEMO_FIELDSET):
        return False
    if not dictionary.find_field(hub, DEMO_FIELD["id"]):
        fields.create_field(hub, DEMO_FIELD)
    fieldsets.create_fieldset(
        hub,
        {
            "id": DEMO_FIELDSET,
            "fields": [DEMO_FIELD["id"]],
            "description": "Demo: what support needs to know about a contact.",
        },
    )
    return True


def _customer_count(state):
    return state["objects"]["production"].get("customer", 0)


def ensure_registered(controlhub, gadget):
    """Register the gadget server with Control Hub (admin consent flow + machine account) unless its
    registration and machine account are live."""
    instance = gadget.app.config["INSTANCE_PATH"]
    stored = connection.load(instance)
    if stored is not None and connection.load_machine_account(instance) is not None:
        client_id = connection.decode(stored)["prod"].client_id
        reg = identity.find_registration_by_client(hub_backend(controlhub.app), client_id)
        if reg and reg["state"] == "REGISTERED":
            return False
    register(controlhub.url, controlhub.app.config, gadget.url + "/registered", instance)
    get_backend(gadget.app).reset()
    return True


def install_layouts(finesse, gadget):
    """Give each demo team the layout with the Customer Context gadget."""
    for team in DEMO_TEAMS:
        response = mock_control(
            finesse.url,
            "PUT",
            f"/layouts/{team}",
            data=demo_layout(gadget.url + "/gadget.xml"),
            headers={"Content-Type": "application/xml"},
            timeout=10,
        )
        response.raise_for_status()


def print_banner(controlhub, finesse, gadget, instance=INSTANCE):
    """The URLs to open and the demo sign-ins."""
    hub = controlhub.app.config
    agents = finesse.app.config["AGENTS"]
    lines = [
        "",
        "Customer Context harness is running. Open:",
        f"  Finesse agent desktop   {finesse.url}/desktop/",
        f"  Finesse administration  {finesse.url}/cfadmin/   (admin / {finesse.app.config['ADMIN_PASSWORD']})",
        f"  Control Hub             {controlhub.url}/   ({hub['ADMIN_EMAIL']} / {hub['ADMIN_PASSWORD']})",
        f"  Gadget spec             {gadget.url}/gadget.xml",
        "",
        "Agent sign-ins (ID / password / extension, team):",
        *(
            f"  {a['id']} / {a['password']} / {a['extension']}  {a['firstName']} {a['lastName']}, team {a['teamId']}"
            + (f", supervisor of teams {', '.join(a['supervisedTeams'])}" if a.get("supervisedTeams") else "")
            for a in agents
        ),
        "",
        *finesse_xmpp.banner_lines(finesse.app, finesse.url),
        "",
        f"Access logs: {demo_logs.log_folder(instance)}/ ({demo_logs.ACCESS_LOG}, {demo_logs.GADGET_LOG})",
        "",
        "On the desktop, open 'Mock simulator' and offer a call from +385911234567 (Ana Kovačić),",
        "+385981112233 (two customers share it) or any other number (a new customer). Ctrl+C stops.",
    ]
    print("\n".join(lines), flush=True)


def main(argv=None):
    """Start everything, print where to go, serve until interrupted."""
    parser = argparse.ArgumentParser(prog="harness-demo", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--ports", default="5100,5200,5300", help="Control Hub, Finesse, gadget server")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=60, help="demo customers on first start")
    parser.add_argument("--instance", type=pathlib.Path, default=INSTANCE, help="data folder (default instance/demo)")
    args = parser.parse_args(argv)
    demo_logs.route_to_files(args.instance)
    try:
        ports = tuple(int(p) for p in args.ports.split(","))
        assert len(ports) == 3
    except (ValueError, AssertionError):
        sys.exit("harness-demo: --ports needs three comma-separated port numbers, e.g. 5100,5200,5300")
    try:
        harness = start_servers(args.host, ports, args.instance)
    except OSError as exc:
        sys.exit(f"harness-demo: cannot start the servers ({exc}); is a demo already running? Try --ports.")
    controlhub, finesse, gadget = harness.controlhub, harness.finesse, harness.gadget
    ensure_seeded(controlhub, args.seed, args.size)
    ensure_demo_fieldset(controlhub)
    ensure_registered(controlhub, gadget)
    install_layouts(finesse, gadget)
    print_banner(controlhub, finesse, gadget, args.instance)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    harness.stop()


if __name__ == "__main__":
    main()
